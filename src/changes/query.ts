/** The parameters of the change feed, for REST (query string) and GraphQL (arguments) alike. */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { checkLocale } from '../i18n/locale-query';
import { CHANGE_TYPES, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type ChangeType, type FeedQuery } from './index';

const PARAMETERS = ['since', 'types', 'locale', 'pageSize'];

const invalid = (param: string, message: string) =>
  new errors.ValidationError(message, { source: 'query', param });

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(name, `Invalid ${name}: expected a single string`);
  return value;
}

/** `types` as a comma-separated string (REST) or a list (GraphQL). */
function parseTypes(value: unknown): ChangeType[] | undefined {
  if (value === undefined || value === null) return undefined;
  const names = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(',').map((name) => name.trim())
      : undefined;
  if (!names || names.some((name) => typeof name !== 'string'))
    throw invalid('types', 'Invalid types: expected a comma-separated list of types');
  for (const name of names as string[]) {
    if (!(CHANGE_TYPES as readonly string[]).includes(name))
      throw invalid('types', `Invalid types: unknown type "${name}"; use ${CHANGE_TYPES.join(', ')}`);
  }
  return names.length > 0 ? [...new Set(names as ChangeType[])] : undefined;
}

function parsePageSize(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_PAGE_SIZE;
  const text = typeof value === 'number' ? String(value) : value;
  const number = typeof text === 'string' && /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(number) || number < 1 || number > MAX_PAGE_SIZE)
    throw invalid('pageSize', `Invalid pageSize: expected a whole number from 1 to ${MAX_PAGE_SIZE}`);
  return number;
}

/** The feed's query, or a 400 naming the unknown parameter or the bad value. */
export async function parseFeedQuery(
  strapi: Core.Strapi,
  query: Record<string, unknown>,
  source: 'rest' | 'graphql' = 'rest',
): Promise<FeedQuery> {
  const unknown = Object.keys(query).filter((name) => !PARAMETERS.includes(name));
  if (unknown.length > 0) throw invalid(unknown[0], `Unknown query parameter "${unknown[0]}"`);
  const since = single(query, 'since');
  const locale = single(query, 'locale');
  const pageSize = typeof query.pageSize === 'number' ? query.pageSize : single(query, 'pageSize');
  // REST takes one comma-separated string (types[]=... is refused); GraphQL a list.
  const types = parseTypes(source === 'graphql' ? query.types : single(query, 'types'));
  return {
    since: since === undefined || since === '' ? undefined : since,
    types,
    locale: locale === undefined ? undefined : await checkLocale(strapi, locale),
    pageSize: parsePageSize(pageSize),
  };
}
