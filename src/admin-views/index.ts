/**
 * The admin panel as staff see it, applied at every boot from ./texts.ts and ./views.ts through the
 * content-manager plugin's own configuration services (the store the panel's "Configure the view"
 * writes to).
 *
 * What the code sets is restored at each boot: field labels and help texts, list columns and their
 * labels, the field each entry is shown by (settings.mainField and the relations' mainField), and
 * the edit form's order and widths. Anything else staff set in the panel is kept: page size,
 * default sort, filters, bulk actions, a field's placeholder, whether it is visible or editable.
 * When a schema changes, Strapi first syncs the stored configuration (new fields get defaults, gone
 * fields are dropped); this then labels the new fields (a field missing from ./texts.ts fails
 * tests/admin-views.test.ts) and keeps any field no group names after the groups.
 */
import type { Core } from '@strapi/strapi';
import { FIELD_TEXTS } from './texts';
import { EDIT_GROUPS, LIST_COLUMNS, MAIN_FIELDS, type EditField } from './views';

/** The admin language of a new admin user who did not choose one. */
export const DEFAULT_ADMIN_LANGUAGE = 'fr';
const ROW = 12;

interface Attribute {
  type: string;
  target?: string;
  targetModel?: string;
  customField?: string;
}
interface Model {
  uid: string;
  attributes: Record<string, Attribute>;
}
interface Metadata {
  edit: Record<string, unknown>;
  list: Record<string, unknown>;
}
interface LayoutField {
  name: string;
  size: number;
}
export interface ViewConfiguration {
  settings: Record<string, unknown>;
  metadatas: Record<string, Metadata>;
  layouts: { list: string[]; edit: LayoutField[][] };
}
interface ConfigurationService {
  findConfiguration(model: Model): Promise<ViewConfiguration>;
  updateConfiguration(model: Model, configuration: ViewConfiguration): Promise<unknown>;
}
interface FieldSizes {
  hasFieldSize(type?: string): boolean;
  getFieldSize(type: string): { default: number; isResizable: boolean };
}

function contentManager(strapi: Core.Strapi) {
  const plugin = strapi.plugin('content-manager');
  const contentTypes = plugin.service('content-types') as ConfigurationService & {
    findContentType(uid: string): Model | undefined;
  };
  const components = plugin.service('components') as ConfigurationService & {
    findComponent(uid: string): Model | undefined;
  };
  return { contentTypes, components, sizes: plugin.service('field-sizes') as FieldSizes };
}

/** Our content types (src/api) and components (src/components): what the tables describe. */
export function managedModels(strapi: Core.Strapi): { contentTypes: string[]; components: string[] } {
  return {
    contentTypes: Object.keys(strapi.contentTypes).filter((uid) => uid.startsWith('api::')),
    components: Object.keys(strapi.components),
  };
}

const fieldName = (field: EditField) => (typeof field === 'string' ? field : field[0]);

function editLayout(
  model: Model,
  groups: EditField[][],
  current: LayoutField[][],
  sizes: FieldSizes,
): LayoutField[][] {
  const defaultSize = (attribute: Attribute) => {
    const type = sizes.hasFieldSize(attribute.customField) ? attribute.customField! : attribute.type;
    return sizes.getFieldSize(type).default;
  };
  const sizeOf = (field: EditField, attribute: Attribute) => {
    const wanted = typeof field === 'string' ? undefined : field[1];
    const type = sizes.hasFieldSize(attribute.customField) ? attribute.customField! : attribute.type;
    const { isResizable } = sizes.getFieldSize(type);
    return wanted !== undefined && isResizable && wanted >= 1 && wanted <= ROW
      ? wanted
      : defaultSize(attribute);
  };
  // Only fields that Strapi's layout has (visible, editable attributes) may be placed.
  const placeable = new Set(current.flat().map((field) => field.name));
  const rows: LayoutField[][] = [];
  const placed = new Set<string>();
  const pack = (fields: LayoutField[]) => {
    let row: LayoutField[] = [];
    for (const field of fields) {
      if (row.reduce((sum, f) => sum + f.size, 0) + field.size > ROW) {
        rows.push(row);
        row = [];
      }
      row.push(field);
    }
    if (row.length > 0) rows.push(row);
  };
  for (const group of groups) {
    const fields: LayoutField[] = [];
    for (const field of group) {
      const name = fieldName(field);
      const attribute = model.attributes[name];
      if (!attribute || !placeable.has(name) || placed.has(name)) continue;
      fields.push({ name, size: sizeOf(field, attribute) });
      placed.add(name);
    }
    pack(fields);
  }
  // Fields no group names (e.g. added to a schema later): where Strapi put them, after ours.
  pack(current.flat().filter((field) => !placed.has(field.name)));
  return rows;
}

/** The stored configuration of `model` with what the code sets put in. Pure; exported for tests. */
export function viewConfiguration(
  model: Model,
  current: ViewConfiguration,
  sizes: FieldSizes,
): ViewConfiguration {
  const texts = FIELD_TEXTS[model.uid] ?? {};
  const metadatas: Record<string, Metadata> = { ...current.metadatas };
  for (const [name, attribute] of Object.entries(model.attributes)) {
    const meta = metadatas[name];
    if (!meta) continue;
    const edit = { ...meta.edit };
    const list = { ...meta.list };
    const text = texts[name];
    if (text) {
      edit.label = text.label;
      edit.description = text.help;
      list.label = text.label;
    }
    const target = attribute.type === 'relation' ? (attribute.target ?? attribute.targetModel) : undefined;
    if (target && MAIN_FIELDS[target]) edit.mainField = MAIN_FIELDS[target];
    metadatas[name] = { edit, list };
  }
  const settings = { ...current.settings };
  const mainField = MAIN_FIELDS[model.uid];
  if (mainField && model.attributes[mainField]) settings.mainField = mainField;
  const columns = LIST_COLUMNS[model.uid]?.filter((name) => model.attributes[name]);
  const groups = EDIT_GROUPS[model.uid];
  return {
    settings,
    metadatas,
    layouts: {
      list: columns && columns.length > 0 ? columns : current.layouts.list,
      edit: groups ? editLayout(model, groups, current.layouts.edit, sizes) : current.layouts.edit,
    },
  };
}

const subscribed = new WeakSet<object>();

/**
 * New admin users (the first one registered, invited staff, users made by code) get French as
 * their admin language unless one is given; staff change it on their profile page.
 */
export function defaultAdminLanguage(strapi: Core.Strapi): void {
  if (subscribed.has(strapi)) return;
  subscribed.add(strapi);
  strapi.db.lifecycles.subscribe({
    models: ['admin::user'],
    beforeCreate(event) {
      const data = event.params.data as { preferedLanguage?: string | null } | undefined;
      if (data && !data.preferedLanguage) data.preferedLanguage = DEFAULT_ADMIN_LANGUAGE;
    },
  });
}

export async function applyAdminViews(strapi: Core.Strapi): Promise<void> {
  defaultAdminLanguage(strapi);
  const { contentTypes, components, sizes } = contentManager(strapi);
  const managed = managedModels(strapi);
  const apply = async (service: ConfigurationService, model: Model | undefined) => {
    if (!model) return;
    const missing = Object.keys(model.attributes).filter(
      (name) => model.uid in FIELD_TEXTS === false || !FIELD_TEXTS[model.uid][name],
    );
    const current = await service.findConfiguration(model);
    const own = missing.filter((name) => name in (current.metadatas ?? {}) && !isStrapiField(name));
    if (own.length > 0) strapi.log.warn(`[admin-views] ${model.uid}: no label for ${own.join(', ')}`);
    await service.updateConfiguration(model, viewConfiguration(model, current, sizes));
  };
  for (const uid of managed.contentTypes) await apply(contentTypes, contentTypes.findContentType(uid));
  for (const uid of managed.components) await apply(components, components.findComponent(uid));
}

/** Attributes Strapi adds to every type (ids, timestamps, authors, publication, locales). */
const STRAPI_FIELDS = new Set([
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  'locale',
  'localizations',
]);
export const isStrapiField = (name: string) => STRAPI_FIELDS.has(name);
