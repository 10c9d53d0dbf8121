/**
 * Checks that Strapi's own query validation lets through, on content API requests, with a 400
 * that names the parameter:
 * - malformed pagination: Strapi reads `pagination[page]=-1` as page 1 and `pageSize=0` as the
 *   default, hiding the client's mistake (oversize pages are no error: Strapi caps them);
 * - object-prototype names (`__proto__`, `constructor`, `prototype`) as a key anywhere in the query,
 *   or as a field name in `fields`, `sort` or `populate`: Strapi's field check looks names up on a
 *   plain object, so `fields[0]=__proto__` reached PostgreSQL as a column and answered 500.
 *   (Filter values are data: searching for the word "constructor" stays possible.)
 * - parameters that take one string given as an object or a list (`_q[createdBy][email]=x`
 *   answered 500 in Strapi 5.54);
 * - `$between` without exactly two values (knex threw, answered 500);
 * - lists longer than the query parser takes (`filters[title][$in][200]=x`, an `$or` of more than
 *   100 branches): qs turns them into objects with numeric keys, which Strapi then dropped
 *   silently, answering every row instead of the filtered ones;
 * - a NUL character in any value or name (src/utils/nul.ts: PostgreSQL refuses it, a 500);
 * - `locale=*` in a read, Strapi's "every locale at once": the content types answered every version
 *   of every entry, and routes that read no locale ignored it. Refused on every GET route, as any
 *   locale the i18n plugin lacks (src/i18n/locale-query.ts); GraphQL's in src/i18n/fallback.ts.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { checkLocale } from '../i18n/locale-query';
import { contentApiPathsOf } from '../utils/content-api';
import { findNul, nulRefusal } from '../utils/nul';

const MINIMUM: Record<string, number> = { page: 1, pageSize: 1, limit: 1, start: 0 };
const STRING_PARAMETERS = ['_q', 'locale', 'status'];
const READ_METHODS = new Set(['GET', 'HEAD']);
const PROTOTYPE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

const NAME_PARAMETERS = new Set(['fields', 'sort', 'populate']);

function findPrototypeName(value: unknown, namesInValues: boolean, depth = 0): string | undefined {
  if (depth > 20) return undefined;
  if (typeof value === 'string') {
    if (!namesInValues) return undefined;
    return value.split(/[.,:]/).find((part) => PROTOTYPE_NAMES.has(part.trim()));
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (PROTOTYPE_NAMES.has(key)) return key;
      const found = findPrototypeName(
        child,
        namesInValues || (depth === 0 && NAME_PARAMETERS.has(key)),
        depth + 1,
      );
      if (found) return found;
    }
  }
  return undefined;
}

function checkBetween(filters: unknown, depth = 0): void {
  if (depth > 20 || !filters || typeof filters !== 'object') return;
  for (const [key, value] of Object.entries(filters)) {
    if (key === '$between') {
      const ok =
        Array.isArray(value) && value.length === 2 && value.every((bound) => typeof bound === 'string');
      if (!ok) {
        throw new errors.ValidationError(
          'Invalid filters: $between takes exactly two values, [$between][0] and [$between][1]',
          {
            source: 'query',
            param: 'filters',
          },
        );
      }
    } else {
      checkBetween(value, depth + 1);
    }
  }
}

/** The query parser's list limit (strapi::query's qs `arrayLimit`): longer lists become objects. */
const MAX_LIST = 100;

function checkLists(value: unknown, depth = 0): void {
  if (depth > 20 || !value || typeof value !== 'object') return;
  if (!Array.isArray(value) && Object.keys(value).some((key) => /^\d+$/.test(key))) {
    throw new errors.ValidationError(`Invalid filters: a list may hold at most ${MAX_LIST} values`, {
      source: 'query',
      param: 'filters',
    });
  }
  for (const child of Object.values(value)) checkLists(child, depth + 1);
}

function checkPagination(pagination: unknown) {
  if (!pagination || typeof pagination !== 'object') return;
  for (const [key, value] of Object.entries(pagination)) {
    if (!(key in MINIMUM)) continue;
    const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < MINIMUM[key]) {
      throw new errors.ValidationError(
        `Invalid pagination[${key}]: expected a whole number of at least ${MINIMUM[key]}`,
        { key, source: 'query', param: 'pagination' },
      );
    }
  }
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const contentApi = contentApiPathsOf(strapi);
  return async (ctx, next) => {
    if (contentApi.isRest(ctx.path)) {
      const query = ctx.query as Record<string, unknown>;
      const name = findPrototypeName(query, false);
      if (name)
        throw new errors.ValidationError(`Invalid query: "${name}" is not a field name`, { source: 'query' });
      const nul = findNul(query);
      if (nul) throw new errors.ValidationError(nulRefusal('query', nul), { source: 'query', path: nul });
      for (const parameter of STRING_PARAMETERS) {
        if (parameter in query && typeof query[parameter] !== 'string') {
          throw new errors.ValidationError(`Invalid ${parameter}: expected a single string`, {
            source: 'query',
            param: parameter,
          });
        }
      }
      // No locale is named `*`: this always refuses, in the words of any other unknown locale.
      if (query.locale === '*' && READ_METHODS.has(ctx.method)) await checkLocale(strapi, query.locale);
      if (
        query.pagination !== undefined &&
        (typeof query.pagination !== 'object' || Array.isArray(query.pagination))
      ) {
        throw new errors.ValidationError(
          'Invalid pagination: expected pagination[page], pagination[pageSize]...',
          {
            source: 'query',
            param: 'pagination',
          },
        );
      }
      checkPagination(query.pagination);
      checkBetween(query.filters);
      checkLists(query.filters);
    }
    await next();
  };
};
