/**
 * Only the canonical letter case of the API, GraphQL and admin paths is routed. Koa's router
 * matches paths case-insensitively, so `/API/projects` reached the same controllers as
 * `/api/projects`, while the global middlewares that guard the content API recognise it by
 * their exact prefix (src/utils/content-api.ts: query-guard, caches, CORS, bulkhead): a request in
 * another case skipped them all and answered 500 where `/api` answers 400.
 *
 * A path whose lower-case form starts with the content API prefix (`/api/`), the GraphQL endpoint
 * or the admin panel's path, but whose actual form does not, answers 404 in Strapi's error shape.
 * Everything below the canonical prefix is left alone: the admin panel's hashed asset names
 * (`/admin/Login-a1B2c3.js`) keep their capitals. The GraphQL endpoint with a trailing slash
 * (`/graphql/`, which Koa's router also routes to GraphQL) is a 404 too: the middlewares that
 * recognise GraphQL by its exact path (the data transfer guard, http-cache, CORS) see every
 * GraphQL request. Sits right after global::error-shape, before every middleware that looks at
 * the path.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { contentApiPathsOf } from '../utils/content-api';

const isSlashes = (text: string): boolean => [...text].every((character) => character === '/');

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const { rest, graphql } = contentApiPathsOf(strapi);
  const prefixes = [rest, graphql, strapi.config.get<string>('admin.path', '/admin')].map((canonical) => ({
    canonical,
    lower: canonical.toLowerCase(),
  }));

  return async (ctx, next) => {
    const path = ctx.path;
    const lower = path.toLowerCase();
    for (const prefix of prefixes) {
      if (lower.startsWith(prefix.lower) && !path.startsWith(prefix.canonical)) {
        throw new errors.NotFoundError('Not Found');
      }
    }
    if (path.length > graphql.length && path.startsWith(graphql) && isSlashes(path.slice(graphql.length)))
      throw new errors.NotFoundError('Not Found');
    await next();
  };
};
