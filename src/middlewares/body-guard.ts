/**
 * Refuses object-prototype names (`__proto__`, `constructor`, `prototype`) as a key anywhere in a
 * request body, with a 400 ValidationError naming the key and where it is.
 *
 * The body parser already refuses `__proto__`, but `constructor` and `prototype` reach the
 * controllers as ordinary keys, and Strapi's validation looks attribute names up on plain objects:
 * `{"data":{"constructor":{"x":1}}}` on POST or PUT /api/projects found `Object` there and failed
 * with "field.resolve is not a function", a 500. No content type, component or Strapi route takes
 * such a key, so the whole body is checked once, on every route (REST, authentication, admin
 * panel, the JSON fields of a multipart upload), right after strapi::body has parsed it. strapi::body leaves the GraphQL endpoint's body
 * to Apollo's own parser: `prototypeKeysPlugin` (config/plugins.ts) checks a GraphQL request's
 * variables and extensions before it runs. The query string has its own check in
 * global::query-guard. Both also refuse a NUL character in any text (src/utils/nul.ts).
 */
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { GraphQLError } from 'graphql';
import { findPath } from '../utils/find-path';
import { documentHasNul, findNul, nulRefusal } from '../utils/nul';

const PROTOTYPE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** The path (`data.constructor`) of the first prototype name among the keys of `body`, if any. */
export const findPrototypeKey = (body: unknown): string | undefined =>
  findPath(body, (key) => PROTOTYPE_NAMES.has(key)) || undefined;

const keyOf = (path: string) => path.slice(path.lastIndexOf('.') + 1);
const refusal = (path: string) =>
  `Invalid request body: "${keyOf(path)}" is not allowed as a key (at ${path})`;

/**
 * A multipart body's fields are text, and Strapi parses the ones that hold JSON itself (`fileInfo`
 * of an upload, `data` of an entry sent with files): those are read as Strapi will read them.
 */
function withJsonFields(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const parse = (value: unknown) => {
    if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
    try {
      return JSON.parse(value);
    } catch {
      return value; // not JSON after all: left to the route to refuse
    }
  };
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, Array.isArray(value) ? value.map(parse) : parse(value)]),
  );
}

/** The names of a multipart body's files, by field (`files.0`): Strapi stores them as the media's name. */
function fileNames(request: unknown): Record<string, unknown[]> {
  const files = (request as { files?: Record<string, unknown> }).files ?? {};
  return Object.fromEntries(
    Object.entries(files).map(([field, value]) => [
      field,
      (Array.isArray(value) ? value : [value]).map(
        (file) => (file as { originalFilename?: unknown } | null)?.originalFilename ?? null,
      ),
    ]),
  );
}

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  const body = ctx.is('multipart') ? withJsonFields(ctx.request.body) : ctx.request.body;
  const found = findPrototypeKey(body);
  if (found)
    throw new errors.ValidationError(refusal(found), { source: 'body', key: keyOf(found), path: found });
  const nul = findNul(body) ?? (ctx.is('multipart') ? findNul({ files: fileNames(ctx.request) }) : undefined);
  if (nul) throw new errors.ValidationError(nulRefusal('request body', nul), { source: 'body', path: nul });
  await next();
};

/** The same refusal for a GraphQL request, as a GraphQL error answered with 400. */
const checkVariables: GraphQLRequestListener<BaseContext> = {
  // The first hook whose GraphQLError Apollo sends as the answer (with its HTTP status); it runs
  // before the variables are coerced and the operation executed.
  async didResolveOperation({ request }) {
    const found = findPrototypeKey({ variables: request.variables, extensions: request.extensions });
    if (found) {
      throw new GraphQLError(refusal(found), {
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    }
    const nul = documentHasNul(request.query)
      ? 'query'
      : findNul({ variables: request.variables, extensions: request.extensions });
    if (nul) {
      throw new GraphQLError(nulRefusal('GraphQL request', nul), {
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    }
  },
};

export const prototypeKeysPlugin: ApolloServerPlugin = {
  requestDidStart: async () => checkVariables,
};
