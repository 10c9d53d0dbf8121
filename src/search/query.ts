/** The parameters of the search, for REST (query string) and GraphQL (arguments) alike. */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { checkLocale } from '../i18n/locale-query';
import { SEARCH_TYPES, type SearchType } from './index';
import type { SearchQuery } from './search';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 50;
export const MAX_QUERY_LENGTH = 200;
const PARAMETERS = ['q', 'locale', 'types', 'page', 'pageSize'];

const invalid = (param: string, message: string) =>
  new errors.ValidationError(message, { source: 'query', param });

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string')
    throw invalid(name, `Invalid query parameter "${name}": expected a single value`);
  return value;
}

/** `types` as a comma-separated string (REST) or a list (GraphQL); default: all five. */
function parseTypes(value: unknown): SearchType[] {
  if (value === undefined || value === null) return [...SEARCH_TYPES];
  const names = Array.isArray(value)
    ? value
    : String(value)
        .split(',')
        .map((name) => name.trim());
  for (const name of names) {
    if (typeof name !== 'string' || !(SEARCH_TYPES as readonly string[]).includes(name))
      throw invalid(
        'types',
        `Invalid query parameter "types": unknown type "${String(name)}"; use ${SEARCH_TYPES.join(', ')}`,
      );
  }
  return names.length > 0 ? [...new Set(names as SearchType[])] : [...SEARCH_TYPES];
}

function parseWhole(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < 1 || number > max)
    throw invalid(name, `Invalid query parameter "${name}": expected a whole number from 1 to ${max}`);
  return number;
}

/** The search's query, or a 400 naming the unknown parameter or the bad value. */
export async function parseSearchQuery(
  strapi: Core.Strapi,
  query: Record<string, unknown>,
  source: 'rest' | 'graphql' = 'rest',
): Promise<SearchQuery> {
  const unknown = Object.keys(query).filter((name) => !PARAMETERS.includes(name));
  if (unknown.length > 0) throw invalid(unknown[0], `Unknown query parameter "${unknown[0]}"`);
  const q = (single(query, 'q') ?? '').trim();
  if (q.length === 0 || q.length > MAX_QUERY_LENGTH)
    throw invalid('q', `Invalid query parameter "q": required, 1 to ${MAX_QUERY_LENGTH} characters`);
  const locale = single(query, 'locale') ?? DEFAULT_LOCALE;
  await checkLocale(
    strapi,
    locale,
    (list) => `Invalid query parameter "locale": "${locale}" is none of ${list}`,
  );
  return {
    q,
    locale,
    // REST takes one comma-separated string (types[]=... is refused); GraphQL a list.
    types: parseTypes(source === 'graphql' ? query.types : single(query, 'types')),
    page: parseWhole('page', single(query, 'page'), 1, 100000),
    pageSize: parseWhole('pageSize', single(query, 'pageSize'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  };
}
