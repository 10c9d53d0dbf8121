/**
 * Test documents generated from the schema walk (./schema-walk.ts), made in setup through the
 * Document Service: full, valid data for any content type (text fields from a function, the other
 * scalars copied from a seeded entry, components, every relation connected to seeded entries), and
 * documents in each publication state.
 */
import type { TestApp } from './strapi';
import { TEXT_TYPES, type Attribute, type ContentTypeInfo, type Schema } from './schema-walk';

type Data = Record<string, unknown>;

interface Documents {
  findOne(params: object): Promise<(Data & { documentId: string }) | null>;
  findFirst(params: object): Promise<(Data & { documentId: string }) | null>;
  findMany(params: object): Promise<(Data & { documentId: string })[]>;
  create(params: object): Promise<Data & { documentId: string }>;
  update(params: object): Promise<(Data & { documentId: string }) | null>;
  publish(params: object): Promise<unknown>;
  delete(params: object): Promise<unknown>;
}

export const documents = (app: TestApp, uid: string): Documents =>
  app.strapi.documents(uid as never) as unknown as Documents;

/** Text of a field: `text(attribute, label)`; undefined leaves the field out. */
export type TextFn = (attribute: Attribute, label: string) => unknown;

const SCALAR_SKIP = new Set(['relation', 'component', 'media', 'dynamiczone', 'password']);

/** Published documents of every type in the default locale, in id order (the seed's). */
export async function seededDocumentIds(app: TestApp, schema: Schema): Promise<Map<string, string[]>> {
  const ids = new Map<string, string[]>();
  for (const type of schema.types) {
    const found = await documents(app, type.uid).findMany({
      locale: schema.defaultLocale,
      ...(type.draftAndPublish ? { status: 'published' } : {}),
      fields: ['documentId'],
      sort: 'id',
      limit: 1000,
    });
    ids.set(
      type.uid,
      found.map((entry) => entry.documentId),
    );
  }
  return ids;
}

const templates = new WeakMap<TestApp, Map<string, Promise<Data>>>();

/**
 * A seeded entry of `type` with its components, the template of non-text values; read once per
 * app (tests may later delete or change the seeded entries).
 */
function template(app: TestApp, schema: Schema, type: ContentTypeInfo): Promise<Data> {
  const cache = templates.get(app) ?? new Map<string, Promise<Data>>();
  templates.set(app, cache);
  const cached = cache.get(type.uid);
  if (cached) return cached;
  const found = documents(app, type.uid)
    .findFirst({
      locale: schema.defaultLocale,
      ...(type.draftAndPublish ? { status: 'published' } : {}),
      populate: Object.keys(type.components),
      sort: 'id',
    })
    .then((entry) => entry ?? {});
  cache.set(type.uid, found);
  return found;
}

function componentData(
  schema: Schema,
  componentUid: string,
  existing: Data | undefined,
  text: TextFn,
  label: string,
): Data {
  const component = schema.components[componentUid];
  const data: Data = {};
  for (const [name, attribute] of Object.entries(component?.attributes ?? {})) {
    if (TEXT_TYPES.has(attribute.type)) {
      const value = text(attribute, `${label}.${name}`);
      if (value !== undefined) data[name] = value;
    } else if (!SCALAR_SKIP.has(attribute.type)) {
      const value = existing?.[name] ?? (attribute.required ? (attribute.min ?? 0) : undefined);
      if (value !== undefined && value !== null) data[name] = value;
    }
  }
  return data;
}

export interface DataOptions {
  text: TextFn;
  /** Label prefix naming the document, for the text. */
  label: string;
  /**
   * Only the localized fields (and localized components): a translation. uid fields are kept:
   * Strapi's i18n holds them per locale (and requires them) whatever the schema says.
   */
  localizedOnly?: boolean;
  /** Values that replace the generated ones. */
  overrides?: Data;
  /** Connect every relation to seeded entries (default true). */
  relations?: boolean;
}

/** Full valid data for a new document (or a locale of one) of `type`. */
export async function documentData(
  app: TestApp,
  schema: Schema,
  type: ContentTypeInfo,
  seeded: Map<string, string[]>,
  options: DataOptions,
): Promise<Data> {
  const base = await template(app, schema, type);
  const data: Data = {};
  for (const [name, attribute] of Object.entries(type.attributes)) {
    const shared = type.sharedFields.includes(name);
    const own = shared || type.localizedFields.includes(name);
    if (!own || (options.localizedOnly && shared && attribute.type !== 'uid')) continue;
    const label = `${options.label} ${name}`;
    if (TEXT_TYPES.has(attribute.type)) {
      const value = options.text(attribute, label);
      if (value !== undefined) data[name] = value;
    } else if (attribute.type === 'component' && attribute.component) {
      const existing = base[name];
      if (attribute.repeatable) {
        const items = Array.isArray(existing) && existing.length > 0 ? (existing as Data[]) : [undefined];
        data[name] = items.map((item, index) =>
          componentData(schema, attribute.component as string, item, options.text, `${label}${index}`),
        );
      } else {
        data[name] = componentData(
          schema,
          attribute.component,
          (existing ?? undefined) as Data | undefined,
          options.text,
          label,
        );
      }
    } else if (!SCALAR_SKIP.has(attribute.type)) {
      const value = base[name];
      if (value !== undefined && value !== null) data[name] = value;
    }
  }
  if (options.relations !== false) {
    for (const relation of type.relations) {
      if (relation.side === 'system') continue;
      // The inverse side of a single-valued relation (a site's projects: each project has one
      // site) would move the target away from its owner: left to the owning side.
      if (relation.side === 'inverse' && !isMany(schema, relation)) continue;
      const targets = seeded.get(relation.target) ?? [];
      if (targets.length === 0) continue;
      data[relation.name] = relation.many ? [targets[0]] : targets[0];
    }
  }
  return { ...data, ...options.overrides };
}

/** Whether the other side of `relation` holds several entries (many-to-many), or one. */
function isMany(schema: Schema, relation: ContentTypeInfo['relations'][number]): boolean {
  const other = relation.inverse
    ? schema.byUid.get(relation.target)?.attributes[relation.inverse]
    : undefined;
  return /ToMany$/.test(other?.relation ?? '');
}

/** A document id that exists nowhere (Strapi's are 24 lower-case letters and digits). */
export const NO_DOCUMENT = 'zzzzzzzzzzzznonexistent0';
