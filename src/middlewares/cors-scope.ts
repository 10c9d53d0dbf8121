/**
 * CORS headers only in answers to an allowed origin, on the content API. Strapi requires
 * strapi::cors in the list, and it asks its `origin` setting only when a request has an Origin
 * header: without one (curl, a server, a same-origin GET), koa-cors answered every path, /admin
 * included, with an empty `Access-Control-Allow-Origin` and `Access-Control-Allow-Credentials:
 * true`. Placed around it, this removes every `Access-Control-*` header from an answer unless the
 * request's Origin is allowed for its path; strapi::cors is given the same origins
 * (`contentApiOrigins`, config/middlewares.ts).
 */
import type { Core } from '@strapi/strapi';
import { contentApiPaths, contentApiPathsOf, type ContentApiPaths } from '../utils/content-api';

/**
 * The origins allowed on a path: CORS_ORIGINS on the content API (REST under /api/, GraphQL), none
 * elsewhere. The admin panel and its plugins' routes (/admin, /content-manager, /upload...) are
 * same-origin only: with the origins applied to every path, a page on a website in CORS_ORIGINS
 * could call POST /admin/access-token with the visitor's admin session cookie and read the admin
 * token it returned. (global::canonical-path has already refused any other letter case.)
 */
export const contentApiOrigins =
  (origins: string[], paths: ContentApiPaths = contentApiPaths()) =>
  (ctx: { path: string }): string[] =>
    paths.is(ctx.path) ? origins : [];

export default (
  config: { origins: string[] },
  { strapi }: { strapi: Core.Strapi },
): Core.MiddlewareHandler => {
  const originsFor = contentApiOrigins(config.origins, contentApiPathsOf(strapi));
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    const allowed = originsFor(ctx);
    if (origin && (allowed.includes(origin) || allowed.includes('*'))) return next();
    try {
      await next();
    } finally {
      for (const name of Object.keys(ctx.response.headers))
        if (name.startsWith('access-control-')) ctx.remove(name);
    }
  };
};
