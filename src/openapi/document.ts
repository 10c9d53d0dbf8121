/**
 * The OpenAPI 3.1 description of the public API (what websites and partners read), derived from
 * the content-type schemas so that it cannot drift from them: the read routes of every type, the
 * listings, the timeline and the vocabulary, with the read-only token's security scheme.
 *
 * Strapi 5.54's own generator (@strapi/openapi, experimental) documents every route, writes and
 * admin-facing ones included, and describes documentIds as UUIDs and optional fields as never
 * null, which real answers contradict; this one documents what the public API really returns.
 */
import type { Core } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { listingRow } from '../api/listing/services/listing';
import { TIMELINE_SHAPES } from '../api/timeline/services/timeline';
import { CHANGE_ACTIONS, CHANGE_TYPES, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../changes';
import { CONTENT_API_ROLES } from '../permissions/table';
import { jsonSchemas } from '../utils/shapes';
import { PROJECT_KINDS, SERVICE_THEMES } from '../vocabulary/labels';

type Schema = Record<string, unknown>;
interface Attribute {
  type: string;
  required?: boolean;
  enum?: string[];
  relation?: string;
  target?: string;
  component?: string;
  repeatable?: boolean;
  multiple?: boolean;
  private?: boolean;
}

type Model = {
  uid: string;
  kind: string;
  info: { singularName: string; pluralName: string };
  attributes: Record<string, Attribute>;
};

/**
 * The content types the document describes: those of the app (api::) whose `find` the public
 * role has in src/permissions/table.ts, in the registry's order.
 */
export function publicModels(strapi: Core.Strapi): Model[] {
  const publicRole = CONTENT_API_ROLES.find((role) => role.type === 'public');
  const reads = new Set(publicRole?.actions);
  return (Object.values(strapi.contentTypes) as unknown as Model[]).filter(
    (model) => model.uid.startsWith('api::') && reads.has(`${model.uid}.find`),
  );
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const pascal = (name: string) =>
  name.replace(/(^|[-_.])(\w)/g, (_, __, letter: string) => letter.toUpperCase());

const SCALARS: Record<string, Schema> = {
  string: { type: 'string' },
  text: { type: 'string' },
  richtext: { type: 'string' },
  uid: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  integer: { type: 'integer' },
  biginteger: { type: 'string' },
  float: { type: 'number' },
  decimal: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  time: { type: 'string' },
  datetime: { type: 'string', format: 'date-time' },
  timestamp: { type: 'string', format: 'date-time' },
  json: {},
  blocks: { type: 'array' },
};

/** A related entry as a populate returns it: identifiers always, the rest as the populate chose. */
const RELATED: Schema = {
  type: 'object',
  required: ['id', 'documentId'],
  properties: { id: { type: 'integer' }, documentId: { type: 'string' } },
};

function attributeSchema(attribute: Attribute): Schema | undefined {
  if (attribute.private) return undefined;
  if (attribute.type === 'enumeration') return nullable({ type: 'string', enum: attribute.enum });
  if (attribute.type === 'relation') {
    if (attribute.target?.startsWith('admin::')) return undefined;
    const many = /ToMany$/.test(attribute.relation ?? '');
    return many ? { type: 'array', items: ref('RelatedEntry') } : nullable(ref('RelatedEntry'));
  }
  if (attribute.type === 'component') {
    const component = ref(pascal(attribute.component ?? ''));
    return attribute.repeatable ? { type: 'array', items: component } : nullable(component);
  }
  if (attribute.type === 'media') {
    return attribute.multiple ? { type: 'array', items: ref('Media') } : nullable(ref('Media'));
  }
  const scalar = SCALARS[attribute.type];
  return scalar && nullable(scalar);
}

function objectSchema(attributes: Record<string, Attribute>, base: Record<string, Schema>): Schema {
  const properties: Record<string, Schema> = { ...base };
  for (const [name, attribute] of Object.entries(attributes)) {
    if (name === 'localizations' || name === 'createdBy' || name === 'updatedBy') continue;
    const schema = attributeSchema(attribute);
    if (schema) properties[name] = schema;
  }
  return { type: 'object', required: Object.keys(base), properties };
}

const queryParameter = (name: string, schema: Schema, description: string, style?: 'deepObject') => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
  ...(style ? { style, explode: true } : {}),
});

/** The locales the i18n plugin has when the document is built (an administrator may add one). */
const localeParameter = (locales: string[]) =>
  queryParameter(
    'locale',
    { type: 'string', enum: locales },
    `Language of the answer (default ${DEFAULT_LOCALE}); entries missing in it come in ${DEFAULT_LOCALE}.`,
  );

/** The parameters of a collection's list, after `locale`. */
const COLLECTION_QUERY = [
  queryParameter(
    'filters',
    { type: 'object' },
    'Strapi filters, e.g. filters[kind][$eq]=youth-house',
    'deepObject',
  ),
  queryParameter('sort', { type: 'string' }, 'e.g. foundedYear:desc'),
  queryParameter('fields', { type: 'array', items: { type: 'string' } }, 'Fields to return'),
  queryParameter('populate', { type: 'string' }, 'One level: a direct relation, component or media field'),
  queryParameter('pagination[page]', { type: 'integer', minimum: 1 }, 'Page, from 1'),
  queryParameter(
    'pagination[pageSize]',
    { type: 'integer', minimum: 1, maximum: 100 },
    'Entries per page (25 by default, 100 at most)',
  ),
];

const PAGINATION: Schema = {
  type: 'object',
  required: ['page', 'pageSize', 'pageCount', 'total'],
  properties: {
    page: { type: 'integer' },
    pageSize: { type: 'integer' },
    pageCount: { type: 'integer' },
    total: { type: 'integer' },
  },
};

const json = (schema: Schema, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

const ERROR = json(ref('Error'), 'Bad request: the message names the parameter at fault');
const read = (summary: string, parameters: unknown[], ok: unknown, extra: Record<string, unknown> = {}) => ({
  get: {
    summary,
    parameters,
    // Anonymous, or with a read-only API token (partners).
    security: [{}, { readOnlyToken: [] }],
    responses: { '200': ok, '400': ERROR, ...extra },
  },
});

const KIND_PARAMETER: Schema = {
  type: 'string',
  enum: [...Object.keys(PROJECT_KINDS), ...Object.keys(SERVICE_THEMES)],
};

/** The parameters of the listings, after `locale`. */
const LISTING_FILTERS = [
  queryParameter('type', { type: 'string', enum: ['project', 'service'] }, 'Projects or services only'),
  queryParameter('funder', { type: 'string' }, 'Funder slug, e.g. commune-mersch'),
  queryParameter('commune', { type: 'string' }, 'Commune of the site (services have none)'),
  queryParameter('kind', KIND_PARAMETER, 'Project kind or service theme'),
  queryParameter('since', { type: 'string' }, 'Updated after this date or date-time (ISO 8601)'),
  queryParameter('foundedFrom', { type: 'integer' }, 'Founded in or after this year'),
  queryParameter('foundedTo', { type: 'integer' }, 'Founded in or before this year'),
];

const NULLABLE_STRING = nullable({ type: 'string' });
/**
 * The answers of the listings and the timeline, from the shapes their services are typed by
 * (src/utils/shapes.ts). `Timeline` is the GraphQL query's answer; REST wraps it differently.
 */
const { Timeline: _graphqlOnly, ...TIMELINE_REST_SHAPES } = TIMELINE_SHAPES;
const ANSWER_SCHEMAS = jsonSchemas(
  { ListingRow: listingRow, ...TIMELINE_REST_SHAPES },
  (name) => ref(name).$ref,
) as Record<string, Schema>;

/** The document, with `locales` (the i18n plugin's codes) as the values of every `locale`. */
export function buildOpenApiDocument(strapi: Core.Strapi, locales: string[]): Schema {
  const LOCALE = localeParameter(locales);
  const COLLECTION_PARAMETERS = [LOCALE, ...COLLECTION_QUERY];
  const LISTING_PARAMETERS = [LOCALE, ...LISTING_FILTERS];
  const schemas: Record<string, Schema> = {
    ...ANSWER_SCHEMAS,
    RelatedEntry: RELATED,
    Media: {
      type: 'object',
      required: ['id', 'url'],
      properties: { id: { type: 'integer' }, url: { type: 'string' } },
    },
    Pagination: PAGINATION,
    Error: {
      type: 'object',
      required: ['data', 'error'],
      properties: {
        data: { type: 'null' },
        error: {
          type: 'object',
          required: ['status', 'name', 'message'],
          properties: {
            status: { type: 'integer' },
            name: { type: 'string' },
            message: { type: 'string' },
            details: {},
          },
        },
      },
    },
  };
  for (const [uid, component] of Object.entries(strapi.components)) {
    schemas[pascal(uid)] = objectSchema(component.attributes as Record<string, Attribute>, {
      id: { type: 'integer' },
    });
  }

  const paths: Record<string, unknown> = {};
  for (const model of publicModels(strapi)) {
    const name = model.info.singularName;
    const schemaName = pascal(name);
    schemas[schemaName] = objectSchema(model.attributes, {
      id: { type: 'integer' },
      documentId: { type: 'string' },
    });
    const plural = model.info.pluralName;
    if (model.kind === 'singleType') {
      paths[`/${name}`] = read(
        `The ${name}`,
        [LOCALE],
        json({
          type: 'object',
          required: ['data'],
          properties: { data: ref(schemaName), meta: { type: 'object' } },
        }),
      );
      continue;
    }
    paths[`/${plural}`] = read(
      `List ${plural} (published)`,
      COLLECTION_PARAMETERS,
      json({
        type: 'object',
        required: ['data', 'meta'],
        properties: {
          data: { type: 'array', items: ref(schemaName) },
          meta: { type: 'object', properties: { pagination: ref('Pagination') } },
        },
      }),
    );
    paths[`/${plural}/{documentId}`] = read(
      `One ${name} by documentId`,
      [
        { name: 'documentId', in: 'path', required: true, schema: { type: 'string' } },
        ...COLLECTION_PARAMETERS.slice(0, 1),
      ],
      json({
        type: 'object',
        required: ['data'],
        properties: { data: ref(schemaName), meta: { type: 'object' } },
      }),
      { '404': json(ref('Error'), 'No such published entry') },
    );
  }

  paths['/listings/projects'] = read(
    'Published projects and services as flat rows (paged)',
    [
      ...LISTING_PARAMETERS,
      queryParameter('page', { type: 'integer', minimum: 1 }, 'Page, from 1'),
      queryParameter(
        'pageSize',
        { type: 'integer', minimum: 1, maximum: 500 },
        'Rows per page (100 by default)',
      ),
    ],
    json({
      type: 'object',
      required: ['data', 'meta'],
      properties: {
        data: { type: 'array', items: ref('ListingRow') },
        meta: {
          type: 'object',
          required: ['pagination', 'links'],
          properties: {
            locale: { type: 'string' },
            pagination: ref('Pagination'),
            links: {
              type: 'object',
              properties: { self: { type: 'string' }, next: NULLABLE_STRING, prev: NULLABLE_STRING },
            },
          },
        },
      },
    }),
  );
  paths['/listings/projects.csv'] = read(
    'The same rows as CSV (RFC 4180, UTF-8, header row), all of them',
    LISTING_PARAMETERS,
    {
      description: 'CSV attachment',
      content: { 'text/csv': { schema: { type: 'string' } } },
    },
  );
  paths['/timeline'] = read(
    'The history page: the founding and every project, service and enterprise, by founding year',
    [LOCALE],
    json({
      type: 'object',
      required: ['data', 'meta'],
      properties: {
        data: { type: 'array', items: ref('TimelineEntry') },
        meta: {
          type: 'object',
          required: ['locale', 'organisation'],
          properties: { locale: { type: 'string' }, organisation: nullable(ref('TimelineOrganisation')) },
        },
      },
    }),
  );
  // The change feed (src/changes): what changed of the published content, oldest first.
  paths['/changes'] = read(
    'Changes to published content (published, unpublished, deleted), oldest first, after a cursor',
    [
      queryParameter(
        'since',
        { type: 'string' },
        'The cursor to read after (meta.next of the previous page); without it, from the oldest kept',
      ),
      queryParameter(
        'types',
        { type: 'string', pattern: `^(${CHANGE_TYPES.join('|')})(,(${CHANGE_TYPES.join('|')}))*$` },
        `Comma-separated types among ${CHANGE_TYPES.join(', ')} (default: all)`,
      ),
      { ...LOCALE, description: 'Only the changes of this locale (default: all)' },
      queryParameter(
        'pageSize',
        { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
        `Events per page (${DEFAULT_PAGE_SIZE} by default)`,
      ),
    ],
    json({
      type: 'object',
      required: ['data', 'meta'],
      properties: {
        data: {
          type: 'array',
          items: {
            type: 'object',
            required: ['cursor', 'type', 'documentId', 'locale', 'action', 'at'],
            properties: {
              cursor: { type: 'string' },
              type: { type: 'string', enum: [...CHANGE_TYPES] },
              documentId: { type: 'string' },
              locale: { type: 'string' },
              action: { type: 'string', enum: [...CHANGE_ACTIONS] },
              at: { type: 'string', format: 'date-time' },
            },
          },
        },
        meta: {
          type: 'object',
          required: ['next', 'hasMore'],
          properties: { next: { type: 'string' }, hasMore: { type: 'boolean' } },
        },
      },
    }),
    { '410': json(ref('Error'), 'The cursor is older than the feed keeps: do a full resync') },
  );
  paths['/vocabulary'] = read(
    'Labels of the enumeration keys in a locale, as staff last saved them in the admin panel (a locale without its own label: French)',
    [LOCALE],
    json({
      type: 'object',
      required: ['data'],
      properties: {
        data: {
          type: 'object',
          additionalProperties: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'label'],
              properties: { key: { type: 'string' }, label: { type: 'string' } },
            },
          },
        },
      },
    }),
  );

  return {
    openapi: '3.1.0',
    info: {
      title: 'Inter-Actions public API',
      version: '1.0.0',
      description:
        'Read access to the content of Inter-Actions asbl: anonymous for published content, or with a read-only API token issued to partners.',
    },
    servers: [{ url: '/api' }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        readOnlyToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A read-only API token (npm run token:create), sent as Authorization: Bearer <token>.',
        },
      },
    },
  };
}
