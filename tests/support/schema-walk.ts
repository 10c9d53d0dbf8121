/**
 * Generators for the tests of issue 13 (tests/canary.test.ts, tests/authorization-matrix.test.ts):
 * everything they exercise is derived from the running app, never listed by hand, so that a new
 * content type, field, relation, locale or route is covered without editing a test.
 *
 * - content types: every `api::` uid of `strapi.contentTypes`, with its kind, draft & publish,
 *   localized and shared (non-localized) fields from `pluginOptions.i18n.localized`, text fields
 *   (also inside components), relations on both sides (`inversedBy` and `mappedBy`, and the
 *   `localizations` relation i18n adds), and its REST and GraphQL names;
 * - relation paths from a type, up to any number of hops;
 * - the content API's GET routes, from `strapi.apis[*].routes` and the plugins' `content-api`
 *   routes;
 * - values: a canary value for every text field (respecting maxLength, minLength, regex, uid and
 *   email formats), and a changed-but-valid value for any scalar field.
 */
import { WEBHOOK_UIDS } from '../../src/permissions/table';
import type { Core } from '@strapi/strapi';

export interface Attribute {
  type: string;
  relation?: string;
  target?: string;
  mappedBy?: string;
  inversedBy?: string;
  component?: string;
  repeatable?: boolean;
  multiple?: boolean;
  required?: boolean;
  private?: boolean;
  writable?: boolean;
  visible?: boolean;
  maxLength?: number;
  minLength?: number;
  min?: number | string;
  max?: number | string;
  regex?: string;
  enum?: string[];
  targetField?: string;
  pluginOptions?: { i18n?: { localized?: boolean } };
}

interface RawSchema {
  uid: string;
  kind?: string;
  modelType?: string;
  info: { singularName?: string; pluralName?: string; displayName?: string };
  options?: { draftAndPublish?: boolean };
  pluginOptions?: { i18n?: { localized?: boolean } };
  attributes: Record<string, Attribute>;
}

/** Field types that hold free text: where a canary can hide and a `$containsi` filter applies. */
export const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'email', 'uid', 'blocks']);
/** Field types a `$containsi` filter applies to (blocks are JSON). */
export const FILTERABLE_TEXT_TYPES = new Set(['string', 'text', 'richtext', 'email', 'uid']);
/** Fields every type gets from Strapi; never content. */
export const SYSTEM_FIELDS = new Set([
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
const POPULATABLE = new Set(['relation', 'component', 'media', 'dynamiczone']);

export interface RelationInfo {
  /** Owner type uid and the attribute's name. */
  owner: string;
  name: string;
  target: string;
  relation: string;
  /** Several targets (a list) or one. */
  many: boolean;
  /** The other side's attribute name, when declared. */
  inverse?: string;
  /** Owning side (`inversedBy` or unidirectional) or inverse side (`mappedBy`). */
  side: 'owning' | 'inverse' | 'system';
}

export interface TextField {
  /** Attribute path from the type: ['title'] or ['seo', 'metaTitle']. */
  path: string[];
  attribute: Attribute;
  /** The component attribute holding it, for fields inside components. */
  component?: { name: string; uid: string; repeatable: boolean };
}

export interface ContentTypeInfo {
  uid: string;
  kind: 'collectionType' | 'singleType';
  singularName: string;
  pluralName: string;
  draftAndPublish: boolean;
  localized: boolean;
  /** REST base path: /api/<pluralName> for collections, /api/<singularName> for single types. */
  restBase: string;
  attributes: Record<string, Attribute>;
  /** Text fields of the type and of its components (first level of components). */
  textFields: TextField[];
  /** Relations to other content types (api::), both sides, and i18n's `localizations`. */
  relations: RelationInfo[];
  /** What `populate=<name>` may name: relations (no admin targets), components, media. */
  populatable: string[];
  /** Non-relation, non-system attributes declared `pluginOptions.i18n.localized: false`. */
  sharedFields: string[];
  /** Non-relation, non-system attributes declared localized. */
  localizedFields: string[];
  /** Component attributes (name -> component uid). */
  components: Record<string, { uid: string; repeatable: boolean }>;
  graphql: GraphqlNames;
}

export interface GraphqlNames {
  typeName: string;
  /** Root field of the list (collections) or of the single type. */
  findQuery: string;
  findOneQuery?: string;
  connectionQuery?: string;
  createMutation?: string;
  updateMutation: string;
  deleteMutation: string;
  inputName: string;
  filtersInput: string;
}

export interface Schema {
  types: ContentTypeInfo[];
  byUid: Map<string, ContentTypeInfo>;
  /** Locale codes configured in the i18n plugin, the default first. */
  locales: string[];
  defaultLocale: string;
  components: Record<string, RawSchema>;
}

interface Naming {
  getTypeName(contentType: unknown): string;
  getFindQueryName(contentType: unknown): string;
  getFindOneQueryName(contentType: unknown): string;
  getFindConnectionQueryName(contentType: unknown): string;
  getCreateMutationTypeName(contentType: unknown): string;
  getUpdateMutationTypeName(contentType: unknown): string;
  getDeleteMutationTypeName(contentType: unknown): string;
  getContentTypeInputName(contentType: unknown): string;
  getFiltersInputTypeName(contentType: unknown): string;
}

/** As Strapi's i18n decides (its content-types service): uid fields and relations are per locale. */
export const isLocalizedAttribute = (attribute: Attribute): boolean =>
  attribute.pluginOptions?.i18n?.localized === true ||
  attribute.type === 'uid' ||
  attribute.type === 'relation';

function relationInfo(owner: string, name: string, attribute: Attribute): RelationInfo {
  const many = /ToMany$/.test(attribute.relation ?? '') || attribute.relation === 'morphToMany';
  return {
    owner,
    name,
    target: attribute.target as string,
    relation: attribute.relation ?? '',
    many,
    inverse: attribute.inversedBy ?? attribute.mappedBy,
    side: SYSTEM_FIELDS.has(name) ? 'system' : attribute.mappedBy ? 'inverse' : 'owning',
  };
}

function describe(
  strapi: Core.Strapi,
  raw: RawSchema,
  components: Record<string, RawSchema>,
): ContentTypeInfo {
  const naming = strapi.plugin('graphql').service('utils').naming as Naming;
  const kind = raw.kind === 'singleType' ? 'singleType' : 'collectionType';
  const singularName = raw.info.singularName as string;
  const pluralName = raw.info.pluralName as string;
  const textFields: TextField[] = [];
  const relations: RelationInfo[] = [];
  const populatable: string[] = [];
  const sharedFields: string[] = [];
  const localizedFields: string[] = [];
  const componentMap: ContentTypeInfo['components'] = {};
  for (const [name, attribute] of Object.entries(raw.attributes)) {
    if (attribute.type === 'relation' && attribute.target?.startsWith('api::')) {
      relations.push(relationInfo(raw.uid, name, attribute));
    }
    if (
      POPULATABLE.has(attribute.type) &&
      !SYSTEM_FIELDS.has(name) &&
      !attribute.target?.startsWith('admin::') &&
      !attribute.private
    ) {
      populatable.push(name);
    }
    if (SYSTEM_FIELDS.has(name) || attribute.private) continue;
    if (attribute.type !== 'relation') {
      (isLocalizedAttribute(attribute) ? localizedFields : sharedFields).push(name);
    }
    if (TEXT_TYPES.has(attribute.type)) textFields.push({ path: [name], attribute });
    if (attribute.type === 'component' && attribute.component) {
      const component = components[attribute.component];
      componentMap[name] = { uid: attribute.component, repeatable: Boolean(attribute.repeatable) };
      for (const [field, inner] of Object.entries(component?.attributes ?? {})) {
        if (TEXT_TYPES.has(inner.type) && !inner.private) {
          textFields.push({
            path: [name, field],
            attribute: inner,
            component: { name, uid: attribute.component, repeatable: Boolean(attribute.repeatable) },
          });
        }
      }
    }
  }
  const model = strapi.contentTypes[raw.uid as keyof typeof strapi.contentTypes];
  return {
    uid: raw.uid,
    kind,
    singularName,
    pluralName,
    draftAndPublish: raw.options?.draftAndPublish === true,
    localized: raw.pluginOptions?.i18n?.localized === true,
    restBase: `/api/${kind === 'singleType' ? singularName : pluralName}`,
    attributes: raw.attributes,
    textFields,
    relations,
    populatable,
    sharedFields,
    localizedFields,
    components: componentMap,
    graphql: {
      typeName: naming.getTypeName(model),
      findQuery: kind === 'singleType' ? naming.getFindOneQueryName(model) : naming.getFindQueryName(model),
      findOneQuery: kind === 'singleType' ? undefined : naming.getFindOneQueryName(model),
      connectionQuery: kind === 'singleType' ? undefined : naming.getFindConnectionQueryName(model),
      createMutation: kind === 'singleType' ? undefined : naming.getCreateMutationTypeName(model),
      updateMutation: naming.getUpdateMutationTypeName(model),
      deleteMutation: naming.getDeleteMutationTypeName(model),
      inputName: naming.getContentTypeInputName(model),
      filtersInput: naming.getFiltersInputTypeName(model),
    },
  };
}

/** Walks the app's content types (api:: only, webhooks aside) and the i18n plugin's locales. */
export async function walkSchemas(strapi: Core.Strapi): Promise<Schema> {
  const components = strapi.components as unknown as Record<string, RawSchema>;
  const types = Object.values(strapi.contentTypes as unknown as Record<string, RawSchema>)
    // The webhook types are staff-only, proven closed to the content API by tests/webhooks.test.ts
    // and tests/derived-lists.test.ts; fixtures of them would need reachable HTTPS URLs.
    .filter((raw) => raw.uid.startsWith('api::') && !WEBHOOK_UIDS.includes(raw.uid))
    .map((raw) => describe(strapi, raw, components))
    .sort((a, b) => a.uid.localeCompare(b.uid));
  const i18n = strapi.plugin('i18n');
  const found = (await i18n.service('locales').find()) as { code: string }[];
  const defaultLocale = (await i18n.service('locales').getDefaultLocale()) as string;
  const locales = [
    defaultLocale,
    ...found
      .map((locale) => locale.code)
      .filter((c) => c !== defaultLocale)
      .sort(),
  ];
  return { types, byUid: new Map(types.map((type) => [type.uid, type])), locales, defaultLocale, components };
}

export interface RelationPath {
  from: string;
  hops: RelationInfo[];
  /** The type at the end of the path. */
  target: string;
}

export const pathNames = (path: RelationPath): string[] => path.hops.map((hop) => hop.name);
export const describePath = (path: RelationPath): string =>
  [path.from.split('.').pop(), ...pathNames(path)].join('.');

/** Every relation path of exactly `hops` hops from `from` (relations of both sides and localizations). */
export function relationPaths(schema: Schema, from: string, hops: number): RelationPath[] {
  let paths: RelationPath[] = [{ from, hops: [], target: from }];
  for (let depth = 0; depth < hops; depth += 1) {
    paths = paths.flatMap((path) =>
      (schema.byUid.get(path.target)?.relations ?? []).map((relation) => ({
        from,
        hops: [...path.hops, relation],
        target: relation.target,
      })),
    );
  }
  return paths;
}

/** Whether a path goes through (or ends at) a draft & publish type after its root. */
export const crossesDraftAndPublish = (schema: Schema, path: RelationPath): boolean =>
  path.hops.some((hop) => schema.byUid.get(hop.target)?.draftAndPublish);

export interface RouteInfo {
  method: string;
  /** Full path under the server, e.g. /api/projects/:id or /api/users/me. */
  path: string;
  handler: string;
  /** `api::<name>` or `plugin::<name>`. */
  origin: string;
  /** The content type of a core route (its handler `api::x.x.find`), if any. */
  uid?: string;
  auth: unknown;
}

interface RawRoute {
  method: string;
  path: string;
  handler: string | unknown;
  config?: { prefix?: string; auth?: unknown };
}

/** Every content API route: the apps' routers and the plugins' `content-api` routers. */
export function contentApiRoutes(strapi: Core.Strapi): RouteInfo[] {
  const prefix = (strapi.config.get('api.rest.prefix') as string | undefined) ?? '/api';
  const routes: RouteInfo[] = [];
  const apis = strapi.apis as unknown as Record<
    string,
    { routes: Record<string, { type?: string; routes?: RawRoute[] }> }
  >;
  for (const [name, api] of Object.entries(apis)) {
    for (const router of Object.values(api.routes ?? {})) {
      if (router.type && router.type !== 'content-api') continue;
      for (const route of router.routes ?? []) {
        const handler = typeof route.handler === 'string' ? route.handler : '';
        const uid = /^api::[^.]+\.[^.]+/.exec(handler)?.[0];
        const routePrefix = route.config?.prefix ?? '';
        routes.push({
          method: route.method,
          path: `${prefix}${routePrefix}${route.path}`,
          handler,
          origin: `api::${name}`,
          uid,
          auth: route.config?.auth,
        });
      }
    }
  }
  const plugins = strapi.plugins as unknown as Record<
    string,
    { routes?: Record<string, { routes?: RawRoute[] }> | RawRoute[] }
  >;
  for (const [name, plugin] of Object.entries(plugins)) {
    const router = Array.isArray(plugin.routes) ? undefined : plugin.routes?.['content-api'];
    for (const route of router?.routes ?? []) {
      const routePrefix = route.config?.prefix ?? `/${name}`;
      routes.push({
        method: route.method,
        path: `${prefix}${routePrefix}${route.path}`,
        handler: typeof route.handler === 'string' ? route.handler : '',
        origin: `plugin::${name}`,
        auth: route.config?.auth,
      });
    }
  }
  return routes;
}

/** Replaces the route parameters (`:id`, `:role`, `(.*)`...) with `value`. */
export const fillRoute = (path: string, value: string): string =>
  path.replace(/:[A-Za-z_]+/g, value).replace(/\(\.\*\)/g, value);

// ---------------------------------------------------------------------------------------------
// Values

const UID_PATTERN = /^[A-Za-z0-9-_.~]*$/;

function fits(value: string, attribute: Attribute): boolean {
  if (attribute.maxLength !== undefined && value.length > attribute.maxLength) return false;
  if (attribute.minLength !== undefined && value.length < attribute.minLength) return false;
  if (attribute.regex && !new RegExp(attribute.regex).test(value)) return false;
  if (attribute.type === 'uid' && !UID_PATTERN.test(value)) return false;
  if (attribute.type === 'email' && !/^[^@\s]+@[^@\s]+\.[a-z]+$/.test(value)) return false;
  return true;
}

/**
 * A valid value of a text attribute that contains `canary` (lower-case letters and digits), with
 * `label` (a hint of which document and field) when it fits; undefined when no candidate fits.
 */
export function canaryValue(attribute: Attribute, canary: string, label: string): unknown {
  const tag = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  if (attribute.type === 'blocks') {
    return [{ type: 'paragraph', children: [{ type: 'text', text: `${canary} ${label}` }] }];
  }
  const candidates =
    attribute.type === 'email'
      ? [`${canary}.${tag}@example.test`, `${canary}@example.test`]
      : attribute.type === 'uid'
        ? [`${canary}-${tag}`, canary]
        : attribute.type === 'richtext'
          ? [`**${canary}** ${label}`, canary]
          : [
              `${canary} ${label}`,
              `${canary}-${tag}`,
              `https://${canary}.example/${tag}`,
              `https://${canary}.example`,
              `http://${canary}.example`,
              canary,
            ];
  const padded = (value: string) =>
    attribute.minLength && value.length < attribute.minLength
      ? value + 'x'.repeat(attribute.minLength - value.length)
      : value;
  return candidates.map(padded).find((value) => fits(value, attribute));
}

/** A plain (non-canary) valid text value for `attribute`, e.g. for the published version. */
export function plainValue(attribute: Attribute, label: string): unknown {
  const tag = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  if (attribute.type === 'blocks') {
    return [{ type: 'paragraph', children: [{ type: 'text', text: label }] }];
  }
  const candidates =
    attribute.type === 'email'
      ? [`${tag}@example.test`]
      : attribute.type === 'uid'
        ? [tag]
        : [label, tag, `https://${tag}.example`, `https://x.example`, 'x'];
  return candidates.find((value) => fits(value, attribute));
}

const asNumber = (value: unknown): number | undefined =>
  value === undefined || value === null || value === '' ? undefined : Number(value);

/**
 * A valid value of `attribute` different from `current` (numbers +1 within range, another
 * enumeration value, strings and uids suffixed, booleans negated); undefined when there is none.
 */
export function changedValue(attribute: Attribute, current: unknown, suffix: string): unknown {
  const tag = suffix.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  switch (attribute.type) {
    case 'integer':
    case 'biginteger':
    case 'decimal':
    case 'float': {
      const min = asNumber(attribute.min);
      const max = asNumber(attribute.max);
      const step = attribute.type === 'decimal' || attribute.type === 'float' ? 0.1 : 1;
      const base = asNumber(current) ?? min ?? 0;
      for (const candidate of [base + step, base - step]) {
        const rounded = Math.round(candidate * 1000) / 1000;
        if ((min === undefined || rounded >= min) && (max === undefined || rounded <= max)) return rounded;
      }
      return undefined;
    }
    case 'enumeration':
      return attribute.enum?.find((value) => value !== current);
    case 'boolean':
      return !current;
    case 'uid': {
      const base = typeof current === 'string' && current ? current : 'x';
      return [`${base}-${tag}`, tag].find((value) => fits(value, attribute));
    }
    case 'string':
    case 'text':
    case 'richtext': {
      const base = typeof current === 'string' ? current : '';
      return [`${base} ${suffix}`, `${base}-${tag}`, `https://${tag}.example`, suffix]
        .map((value) => value.trim())
        .find((value) => value !== current && fits(value, attribute));
    }
    case 'email':
      return `${tag}@example.test`;
    case 'date':
      return '2001-02-03';
    case 'datetime':
      return '2001-02-03T04:05:06.000Z';
    case 'component':
    case 'media':
    case 'relation':
    case 'dynamiczone':
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

/** A nested object as Strapi's bracketed query string (`filters[a][b][$eq]=x`). */
export function restQuery(params: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(`${prefix}[${index}]`, item));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(prefix ? `${prefix}[${key}]` : key, child);
    } else {
      parts.push(`${prefix}=${encodeURIComponent(String(value))}`);
    }
  };
  walk('', params);
  return parts.join('&');
}

/** `{a: {b: {c: leaf}}}` from ['a', 'b', 'c'] and a leaf value. */
export const nest = (path: string[], leaf: unknown): Record<string, unknown> =>
  path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), leaf) as Record<string, unknown>;

/** Runs `tasks` with at most `limit` running at once; results in order. */
export async function runLimited<T>(tasks: (() => Promise<T>)[], limit = 8): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next;
      next += 1;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------
// GraphQL selections

/** The selection of a type's own text fields (components as sub-selections), plus `extra`. */
export function graphqlTextSelection(type: ContentTypeInfo, extra: string[] = []): string {
  const plain = type.textFields.filter((field) => field.path.length === 1).map((field) => field.path[0]);
  const byComponent = new Map<string, string[]>();
  for (const field of type.textFields.filter((f) => f.path.length === 2)) {
    byComponent.set(field.path[0], [...(byComponent.get(field.path[0]) ?? []), field.path[1]]);
  }
  const components = [...byComponent].map(([name, fields]) => `${name} { ${fields.join(' ')} }`);
  return ['documentId', ...(type.localized ? ['locale'] : []), ...extra, ...plain, ...components].join(' ');
}

/** GraphQL takes the enumeration keys as REST does (src/graphql/enums.ts): unchanged. */
export const graphqlEnum = (value: string): string => value;
