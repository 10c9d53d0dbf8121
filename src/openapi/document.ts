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
import { SEARCH_TYPES } from '../search';
import { MAX_PAGE_SIZE as SEARCH_MAX_PAGE_SIZE, MAX_QUERY_LENGTH } from '../search/query';
import { dataLicense } from '../utils/data-license';
import { jsonSchemas } from '../utils/shapes';
import { PROJECT_KINDS, SERVICE_THEMES } from '../vocabulary/labels';
import {
  FILTER_SCHEMAS,
  componentSchema,
  entrySchemas,
  fieldsParameterSchema,
  filtersSchema,
  nullable,
  pascal,
  populateParameterSchema,
  ref,
  type Attribute,
  type Model,
  type Schema,
} from './entries';
import { publicUrlOf } from '../utils/public-url';

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

/** The parameters of a collection's list, after `locale`, typed by its model (src/openapi/entries.ts). */
const collectionQuery = (model: Model, load: (uid: string) => Model | undefined) => [
  queryParameter(
    'filters',
    ref(`${pascal(model.info.singularName)}Filters`),
    'Strapi filters, e.g. filters[kind][$eq]=youth-house or filters[site][commune][$eq]=Mersch',
    'deepObject',
  ),
  queryParameter('sort', { type: 'string' }, 'e.g. foundedYear:desc'),
  ...entryQuery(model, load),
  queryParameter('pagination[page]', { type: 'integer', minimum: 1 }, 'Page, from 1'),
  queryParameter(
    'pagination[pageSize]',
    { type: 'integer', minimum: 1, maximum: 100 },
    'Entries per page (25 by default, 100 at most)',
  ),
];

/** `fields` and `populate`, which a single entry's route takes too. */
const entryQuery = (model: Model, load: (uid: string) => Model | undefined) => [
  queryParameter(
    'fields',
    fieldsParameterSchema(model),
    "Only these of the entry's own fields (the documented shape assumes all of them)",
  ),
  queryParameter(
    'populate',
    populateParameterSchema(model, load),
    'One level: a direct relation, component or media field (replaces the default populate)',
    'deepObject',
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
  queryParameter('commune', { type: 'string' }, 'Municipality (commune) of the site (services have none)'),
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

const publicOrigin = publicUrlOf;

/**
 * The reference's opening text. Terms of use: no terms page is published, so the terms are the
 * data licence plus the paragraph below (termsOfService, a URL, is left out rather than invented).
 */
const describeApi = (licenseName: string, licenseUrl: string) =>
  [
    'Read access to the content of Inter-Actions asbl, a Luxembourg non-profit founded in 1979: anonymous for published content, or with a read-only API token issued to partners.',
    '## Identifiers',
    'Every entry has a `documentId`: the stable key to store, the same across versions and locales. The numeric `id` is the row of one version and changes when staff republish the entry: do not store it. A `slug` is a readable key for URLs that staff can edit: look entries up by slug, keep them by documentId. Changes to what you keep are in the change feed (`/changes`).',
    '## Populated relations',
    "Each route returns the relations its schema marks *Populated by default* (e.g. a project's site and its funders' name and slug); `populate` replaces that default with the fields it names, one level deep. `fields` narrows the entry to the fields named (the schemas describe the answer without it).",
    '## Query parameters',
    '`filters` and `populate` are deep objects: `filters[site][commune][$eq]=Mersch`, `filters[foundedYear][$gte]=2000`, `filters[kind][$in][0]=youth-house`, `populate[funders][fields][0]=name`. Generated clients need a serializer that writes nested objects this way (the front-end guide, docs/front-end.md, "Typed clients", has one for openapi-fetch).',
    '## Terms of use',
    `The data is published under ${licenseName} (${licenseUrl}): reuse it with attribution to Inter-Actions asbl. The API is read-only; sync through the change feed rather than re-reading everything.`,
  ].join('\n\n');

/** The document, with `locales` (the i18n plugin's codes) as the values of every `locale`. */
export function buildOpenApiDocument(strapi: Core.Strapi, locales: string[]): Schema {
  const LOCALE = localeParameter(locales);
  const load = (uid: string) =>
    (strapi.contentTypes[uid as keyof typeof strapi.contentTypes] ??
      strapi.components[uid as keyof typeof strapi.components]) as unknown as Model | undefined;
  const LISTING_PARAMETERS = [LOCALE, ...LISTING_FILTERS];
  const schemas: Record<string, Schema> = {
    ...ANSWER_SCHEMAS,
    ...FILTER_SCHEMAS,
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
    schemas[pascal(uid)] = componentSchema(component.attributes as Record<string, Attribute>);
  }

  const paths: Record<string, unknown> = {};
  const models = publicModels(strapi);
  const described = new Set(models.map((model) => model.uid));
  for (const model of models) {
    const name = model.info.singularName;
    const schemaName = pascal(name);
    Object.assign(schemas, entrySchemas(model, load, described), {
      [`${schemaName}Filters`]: filtersSchema(model, described),
    });
    const plural = model.info.pluralName;
    const documentId = {
      name: 'documentId',
      in: 'path',
      required: true,
      description: 'The stable key of the entry (not its numeric id, which changes on republish)',
      schema: { type: 'string' },
    };
    if (model.kind === 'singleType') {
      paths[`/${name}`] = read(
        `The ${name}`,
        [LOCALE, ...entryQuery(model, load)],
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
      [LOCALE, ...collectionQuery(model, load)],
      json({
        type: 'object',
        required: ['data', 'meta'],
        properties: {
          data: { type: 'array', items: ref(schemaName) },
          meta: { type: 'object', required: ['pagination'], properties: { pagination: ref('Pagination') } },
        },
      }),
    );
    paths[`/${plural}/{documentId}`] = read(
      `One ${name} by documentId`,
      [documentId, LOCALE, ...entryQuery(model, load)],
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
    'The same rows as CSV, all of them, streamed: RFC 4180 (UTF-8, `,`, CRLF, header row) by ' +
      'default; `dialect=excel` for Excel in fr/de/lb locales (UTF-8 with BOM, `;`, CRLF, ' +
      'dates as `YYYY-MM-DD HH:MM:SS` in Luxembourg time)',
    [
      ...LISTING_PARAMETERS,
      queryParameter('dialect', { type: 'string', enum: ['rfc4180', 'excel'] }, 'rfc4180 (default) or excel'),
    ],
    {
      description: 'CSV attachment, named inter-actions-projects-<locale>-<date of the newest row>.csv',
      content: { 'text/csv': { schema: { type: 'string' } } },
    },
  );
  paths['/listings/projects.xlsx'] = read(
    'The same rows as an Excel workbook, all of them, streamed; a second sheet describes the ' +
      'columns in the requested locale',
    LISTING_PARAMETERS,
    {
      description: 'XLSX attachment, named inter-actions-projects-<locale>-<date of the newest row>.xlsx',
      content: {
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
          schema: { type: 'string', format: 'binary' },
        },
      },
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

  // Search (src/search): published entries, best first.
  paths['/search'] = read(
    'Full-text search of published projects, services, enterprises, sites and funders, best first',
    [
      {
        ...queryParameter(
          'q',
          { type: 'string', minLength: 1, maxLength: MAX_QUERY_LENGTH },
          'What the visitor typed: words, never query syntax (operators and punctuation are text)',
        ),
        required: true,
        example: 'maison des jeunes',
      },
      LOCALE,
      queryParameter(
        'types',
        { type: 'string', pattern: `^(${SEARCH_TYPES.join('|')})(,(${SEARCH_TYPES.join('|')}))*$` },
        `Comma-separated types among ${SEARCH_TYPES.join(', ')} (default: all)`,
      ),
      queryParameter('page', { type: 'integer', minimum: 1 }, 'Page number (1 by default)'),
      queryParameter(
        'pageSize',
        { type: 'integer', minimum: 1, maximum: SEARCH_MAX_PAGE_SIZE },
        `Results per page (10 by default, at most ${SEARCH_MAX_PAGE_SIZE})`,
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
            required: ['type', 'documentId', 'slug', 'title', 'snippet', 'score', 'locale'],
            properties: {
              type: { type: 'string', enum: [...SEARCH_TYPES] },
              documentId: { type: 'string' },
              slug: { type: ['string', 'null'] },
              title: { type: 'string' },
              snippet: {
                type: 'string',
                description:
                  'Plain text, matched words between [[ and ]]: HTML-escape it, then replace the markers',
              },
              score: { type: 'number' },
              locale: {
                type: 'string',
                description: 'The locale of the text found (French when none in the one asked)',
              },
              site: {
                type: 'object',
                required: ['slug', 'name'],
                properties: { slug: { type: 'string' }, name: { type: 'string' } },
              },
            },
          },
        },
        meta: {
          type: 'object',
          required: ['pagination', 'query'],
          properties: {
            pagination: ref('Pagination'),
            query: {
              type: 'object',
              required: ['q', 'locale', 'types'],
              properties: {
                q: { type: 'string' },
                locale: { type: 'string' },
                types: { type: 'array', items: { type: 'string', enum: [...SEARCH_TYPES] } },
              },
            },
          },
        },
      },
    }),
  );
  // The DCAT-AP catalogue (src/catalog) for open-data portals; Turtle and RDF/XML on request.
  paths['/catalog'] = read(
    'The DCAT-AP 3.0 catalogue of the open data (datasets, distributions, the API), for data.public.lu',
    [],
    {
      description: 'The catalogue, by content negotiation (Accept): JSON-LD by default',
      content: {
        'application/ld+json': { schema: { type: 'object', required: ['@context'] } },
        'text/turtle': { schema: { type: 'string' } },
        'application/rdf+xml': { schema: { type: 'string' } },
      },
    },
    { '406': json(ref('Error'), 'None of the offered types (JSON-LD, Turtle, RDF/XML) is acceptable') },
  );

  const origin = publicOrigin(strapi);
  const license = dataLicense();
  return {
    openapi: '3.1.0',
    info: {
      title: 'Inter-Actions public API',
      version: '1.0.0',
      description: describeApi(license.name, license.url),
      // The association's only published facts are its name and its history page (served here):
      // no e-mail address is given because none is published.
      contact: { name: 'Inter-Actions asbl', ...(origin ? { url: `${origin}/` } : {}) },
      license: { name: license.name, url: license.url },
    },
    servers: [{ url: `${origin}/api`, description: origin ? 'This server' : 'This server (relative)' }],
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
