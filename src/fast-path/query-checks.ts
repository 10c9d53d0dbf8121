/**
 * The content API's query checks, remembered for anonymous callers until the next write.
 *
 * Every REST and GraphQL read validates and sanitizes its query against the schema and the
 * caller's permissions (`strapi.contentAPI.validate.query` / `sanitize.query`): traversals of the
 * filters, sort, fields and populate that cost a tenth of a list request's CPU time, and give the
 * same answer for the same query every time. For an anonymous caller that answer depends on the
 * query, the schema, the route and the public role's permissions only, and the permissions change
 * only through a database write, which moves the content generation (src/cache). So the answer is
 * kept per generation: a passed validation, and the sanitized query (each caller gets its own
 * copy, as Strapi's sanitizer returns a fresh one). A failed validation is not kept: it throws
 * again. Authenticated callers (users, API tokens) are not memoized: their permissions are theirs.
 */
import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import { cacheOf } from '../cache';
import { expectFunction, firstReason, type FastPathPatch } from './patch';

type Options = { auth?: unknown; route?: unknown; strictParams?: boolean };
type Check = (query: unknown, schema: { uid?: string }, options?: Options) => Promise<unknown>;

/** Distinct queries remembered per generation (a page of a listing is one). */
const MAX_QUERIES = 1000;

/** The users-permissions strategy's answer for a request without credentials. */
function isAnonymous(auth: unknown): boolean {
  if (typeof auth !== 'object' || auth === null) return false;
  const { strategy, credentials } = auth as { strategy?: { name?: string }; credentials?: unknown };
  return strategy?.name === 'users-permissions' && credentials === null;
}

/**
 * A key that tells apart every query the checks could tell apart, or undefined when the query
 * holds something other than plain data (then it is not memoized).
 */
export function plainDataKey(value: unknown): string | undefined {
  if (value === undefined) return 'u';
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return JSON.stringify(value);
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const item of value) {
      const part = plainDataKey(item);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return `[${parts.join(',')}]`;
  }
  if (typeof value !== 'object') return undefined;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const parts: string[] = [];
  for (const [name, item] of Object.entries(value)) {
    const part = plainDataKey(item);
    if (part === undefined) return undefined;
    parts.push(`${JSON.stringify(name)}:${part}`);
  }
  return `${prototype === null ? 'n' : ''}{${parts.join(',')}}`;
}

/** A deep copy of plain data, prototypes (plain or null) kept; anything else is shared as it is. */
function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (typeof value !== 'object' || value === null) return value;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy = Object.create(prototype);
  for (const [name, item] of Object.entries(value)) copy[name] = copyOf(item);
  return copy;
}

export function memoizeAnonymousQueryChecks(strapi: Core.Strapi): void {
  const routeIds = new WeakMap<object, number>();
  let routes = 0;
  const keyFor = (kind: string, query: unknown, schema: { uid?: string }, options: Options) => {
    if (!isAnonymous(options.auth) || !schema?.uid) return undefined;
    const queryKey = plainDataKey(query);
    if (queryKey === undefined) return undefined;
    // The checks read only the route's request schemas (its extra query parameters), and
    // Strapi copies the route object per request: the key is the schemas' identity.
    const request = (options.route as { request?: object } | undefined)?.request;
    let route = 0;
    if (typeof request === 'object' && request !== null) {
      route = routeIds.get(request) ?? (routes += 1);
      routeIds.set(request, route);
    }
    return `${kind}|${schema.uid}|${route}|${String(options.strictParams)}|${queryKey}`;
  };

  let memo: { generation: string; answers: LRUCache<string, Promise<unknown>> } | undefined;
  const answersNow = async () => {
    const generation = await cacheOf(strapi).generation();
    if (generation === undefined) return undefined;
    if (memo?.generation !== generation) memo = { generation, answers: new LRUCache({ max: MAX_QUERIES }) };
    return memo.answers;
  };

  const remembered =
    (kind: string, check: Check): Check =>
    async (query, schema, options = {}) => {
      const key = keyFor(kind, query, schema, options);
      const answers = key === undefined ? undefined : await answersNow();
      if (key === undefined || answers === undefined) return check(query, schema, options);
      let answer = answers.get(key);
      if (!answer) {
        answer = check(query, schema, options);
        answers.set(key, answer);
        // Kept only when it is plain data, which copyOf copies whole.
        answer.then(
          (value) => value !== undefined && plainDataKey(value) === undefined && answers.delete(key),
          () => answers.delete(key),
        );
      }
      return copyOf(await answer);
    };

  const { sanitize, validate } = strapi.contentAPI;
  validate.query = remembered('validate', validate.query.bind(validate) as Check) as never;
  sanitize.query = remembered('sanitize', sanitize.query.bind(sanitize) as Check) as never;
}

export const patch: FastPathPatch = {
  name: 'query-checks',
  check: (strapi) =>
    firstReason(
      expectFunction('strapi.contentAPI.validate.query', strapi.contentAPI?.validate?.query, 2),
      expectFunction('strapi.contentAPI.sanitize.query', strapi.contentAPI?.sanitize?.query, 2),
    ),
  apply: memoizeAnonymousQueryChecks,
};
