/**
 * Seeded generators of REST and GraphQL read queries, derived from the running app's schemas:
 * every public route of every content type, the project's own read routes, the attribute names of
 * the types (and hostile names no schema has). Shared by the hardening fuzz (no 5xx, no leak) and
 * the fast path's equivalence test (the same bytes with FAST_PATH on and off).
 */
import { VOCABULARY_UIDS, WEBHOOK_UIDS } from '../../src/permissions/table';
import type { Core } from '@strapi/strapi';
import { seededRandom } from './random';

type Model = {
  uid: string;
  kind: string;
  info: { pluralName: string; singularName: string };
  attributes: Record<string, { type: string; target?: string }>;
};

/** Names no schema should accept, or that only private fields carry. */
const HOSTILE_NAMES = [
  'createdBy',
  'password',
  '$or',
  '__proto__',
  'constructor',
  'id',
  'documentId',
  'locale',
  'updatedAt',
];
const OPERATORS = [
  '$eq',
  '$ne',
  '$lt',
  '$gte',
  '$in',
  '$notIn',
  '$contains',
  '$containsi',
  '$startsWith',
  '$null',
  '$between',
  '$foo',
  '$or',
  'eq',
  '',
];
const VALUES = [
  '1979',
  'abc',
  '',
  '-1',
  '1e309',
  'null',
  'true',
  '%',
  "' OR 1=1 --",
  '$2a$10$',
  '2026-01-01',
  '[]',
  '{}',
  'x'.repeat(300),
];
/** The project's own read routes (src/api/listing, timeline, vocabulary, change). */
const OWN_READ_ROUTES = [
  '/api/changes',
  '/api/listings/projects',
  '/api/listings/projects.csv',
  '/api/timeline',
  '/api/vocabulary',
];

/** Types with no content API route: staff and the server read them (derived-lists tests it). */
const STAFF_ONLY = new Set([...VOCABULARY_UIDS, ...WEBHOOK_UIDS]);

/** The app's content types (api::) that the content API serves, from its registry. */
export function contentModels(strapi: Core.Strapi): Model[] {
  return Object.values(strapi.contentTypes).filter((model) => {
    const { uid } = model as unknown as Model;
    return uid.startsWith('api::') && !STAFF_ONLY.has(uid);
  }) as unknown as Model[];
}

/** Every public GET route of every content type and the project's own read routes. */
export function readRoutes(strapi: Core.Strapi): string[] {
  const routes: string[] = [];
  for (const model of contentModels(strapi)) {
    if (model.kind === 'singleType') routes.push(`/api/${model.info.singularName}`);
    else routes.push(`/api/${model.info.pluralName}`, `/api/${model.info.pluralName}/doesnotexist`);
  }
  return [...routes, ...OWN_READ_ROUTES];
}

export function createQueryFuzzer(strapi: Core.Strapi, seed: number) {
  const random = seededRandom(seed);
  const models = contentModels(strapi);
  const names = [...new Set([...models.flatMap((model) => Object.keys(model.attributes)), ...HOSTILE_NAMES])];
  const routes = readRoutes(strapi);

  const restQuery = (): string => {
    const parts: string[] = [];
    const count = 1 + Math.floor(random.next() * 4);
    for (let index = 0; index < count; index += 1) {
      const value = encodeURIComponent(random.pick(VALUES));
      switch (
        random.pick(['filters', 'populate', 'sort', 'fields', 'pagination', 'locale', 'status', 'other'])
      ) {
        case 'filters':
          parts.push(
            `filters[${random.pick(names)}]${random.chance(0.4) ? `[${random.pick(names)}]` : ''}[${random.pick(OPERATORS)}]=${value}`,
          );
          break;
        case 'populate':
          parts.push(
            random.chance(0.5)
              ? `populate=${random.pick(names)}`
              : `populate[${random.pick(names)}][populate][${random.pick(names)}]=true`,
          );
          break;
        case 'sort':
          parts.push(
            random.chance(0.5)
              ? `sort=${random.pick(names)}:${random.pick(['asc', 'desc', 'sideways'])}`
              : `sort[${random.pick(names)}][${random.pick(names)}]=${random.pick(['asc', 'desc'])}`,
          );
          break;
        case 'fields':
          parts.push(`fields[${Math.floor(random.next() * 3)}]=${random.pick(names)}`);
          break;
        case 'pagination':
          parts.push(
            `pagination[${random.pick(['page', 'pageSize', 'start', 'limit', 'withCount'])}]=${value}`,
          );
          break;
        case 'locale':
          parts.push(`locale=${random.pick(['fr', 'de', 'lb', 'en', 'xx', '*', '', 'FR'])}`);
          break;
        case 'status':
          parts.push(`status=${random.pick(['draft', 'published', 'x', ''])}`);
          break;
        default:
          parts.push(
            random.chance(0.8)
              ? `${random.pick(['kind', 'commune', 'since', 'funder', 'type', 'foundedFrom', 'page', '_q'])}=${value}`
              : `_q[${random.pick(names)}]=${value}`,
          );
      }
    }
    return parts.join('&');
  };

  /** A URL: a route and a generated query. */
  const restUrl = (): string => `${random.pick(routes)}?${restQuery()}`;

  /**
   * A URL that a client of the API would send: a content type's list or single type with valid
   * parameters (locale, status, page, sort and populate of its own fields, a year filter).
   */
  const validUrl = (): string => {
    const model = random.pick(models);
    const parts: string[] = [];
    const attributes = Object.entries(model.attributes);
    const sortable = attributes.filter(([, attribute]) =>
      ['string', 'uid', 'integer', 'enumeration'].includes(attribute.type),
    );
    const populatable = attributes.filter(
      ([name, attribute]) =>
        ['relation', 'component'].includes(attribute.type) &&
        !['createdBy', 'updatedBy', 'localizations'].includes(name),
    );
    if (random.chance(0.6)) parts.push(`locale=${random.pick(['fr', 'de', 'lb', 'en'])}`);
    if (random.chance(0.3)) parts.push(`status=${random.pick(['draft', 'published'])}`);
    if (populatable.length > 0 && random.chance(0.5)) parts.push(`populate=${random.pick(populatable)[0]}`);
    if (model.kind === 'singleType') return `/api/${model.info.singularName}?${parts.join('&')}`;
    if (random.chance(0.6))
      parts.push(
        `pagination[pageSize]=${random.pick([5, 25, 100])}`,
        `pagination[page]=${random.pick([1, 2, 3])}`,
      );
    if (sortable.length > 0 && random.chance(0.6))
      parts.push(`sort=${random.pick(sortable)[0]}:${random.pick(['asc', 'desc'])}`);
    if ('foundedYear' in model.attributes && random.chance(0.4))
      parts.push(`filters[foundedYear][$gte]=${1975 + Math.floor(random.next() * 40)}`);
    return `/api/${model.info.pluralName}?${parts.join('&')}`;
  };

  /** A GraphQL query over a collection type's list field: some of its fields and relations. */
  const graphqlQuery = (): string => {
    const collections = models.filter((model) => model.kind === 'collectionType');
    const model = random.pick(collections);
    const attributes = Object.entries(model.attributes);
    const scalar = attributes.filter(
      ([, attribute]) => !['relation', 'component', 'media', 'dynamiczone'].includes(attribute.type),
    );
    const relations = attributes.filter(
      ([name, attribute]) =>
        attribute.type === 'relation' && attribute.target?.startsWith('api::') && name !== 'localizations',
    );
    const selection = ['documentId', random.pick(scalar)[0], random.pick(scalar)[0]];
    if (relations.length > 0 && random.chance(0.7)) {
      const [name, attribute] = random.pick(relations);
      const target = models.find((candidate) => candidate.uid === attribute.target);
      const targetScalar = target
        ? Object.entries(target.attributes).filter(([, a]) =>
            ['string', 'uid', 'integer', 'enumeration'].includes(a.type),
          )
        : [];
      selection.push(`${name} { documentId ${targetScalar.length > 0 ? random.pick(targetScalar)[0] : ''} }`);
    }
    const args: string[] = [];
    if (random.chance(0.5)) args.push(`locale: "${random.pick(['fr', 'de', 'lb', 'en', 'xx'])}"`);
    if (random.chance(0.4)) args.push(`pagination: { limit: ${random.pick([1, 10, 1000, -1])} }`);
    if (random.chance(0.3)) args.push(`status: ${random.pick(['DRAFT', 'PUBLISHED'])}`);
    if (random.chance(0.3)) args.push(`sort: "${random.pick(scalar)[0]}:${random.pick(['asc', 'desc'])}"`);
    const field = model.info.pluralName.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    return `{ ${field}${args.length > 0 ? `(${args.join(', ')})` : ''} { ${[...new Set(selection)].join(' ')} } }`;
  };

  return { random, restQuery, restUrl, validUrl, graphqlQuery, routes };
}
