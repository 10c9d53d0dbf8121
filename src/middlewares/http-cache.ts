/**
 * Caching headers for the content API's GETs: a strong ETag over the exact bytes sent, and
 * Cache-Control `public` for anonymous readers (websites, proxies) or `private` for anyone
 * authenticated (drafts, per-user answers). A matching If-None-Match answers 304 with no body.
 * The ETag is the body's hash, so any change to content that a response shows changes its ETag.
 * GraphQL answers are `no-store` (what Apollo's cache-control plugin sent before it was turned
 * off in config/plugins.ts). Public answers also say `stale-if-error=N` (RFC 5861): a cache may
 * serve them for N seconds while this server fails, as the response cache itself does
 * (RESPONSE_CACHE_STALE_IF_ERROR_SECONDS, src/middlewares/response-cache.ts).
 */
import type { Core } from '@strapi/strapi';
import etag from 'etag';
import type { CacheConfig } from '../cache';
import { contentApiPathsOf } from '../utils/content-api';

export interface HttpCacheConfig {
  /**
   * max-age of public responses, in seconds. 0 (the default) sends `public, no-cache`: browsers
   * and proxies keep the answer but revalidate it (a 304 when unchanged), so a write is visible
   * on the very next read; more trades that for fewer requests.
   */
  maxAge?: number;
}

export default (config: HttpCacheConfig, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const maxAge = config.maxAge ?? 0;
  const contentApi = contentApiPathsOf(strapi);
  const staleIfError = strapi.config.get<CacheConfig>('cache').staleIfErrorSeconds;
  const publicPolicy = [
    maxAge > 0 ? `public, max-age=${maxAge}` : 'public, no-cache',
    ...(staleIfError > 0 ? [`stale-if-error=${staleIfError}`] : []),
  ].join(', ');
  return async (ctx, next) => {
    await next();
    if (contentApi.isGraphql(ctx.path)) {
      if (!ctx.response.get('Cache-Control')) ctx.set('Cache-Control', 'no-store');
      return;
    }
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.status !== 200 || !contentApi.isRest(ctx.path))
      return;
    if (ctx.body === undefined || ctx.body === null) return;
    const authenticated = Boolean(ctx.get('Authorization'));
    if (!ctx.response.get('Cache-Control'))
      ctx.set('Cache-Control', authenticated ? 'private, max-age=0, must-revalidate' : publicPolicy);
    ctx.vary('Authorization');
    // A streamed body (a large download) has no ETag (its bytes are not known yet): the policy
    // above still holds, so no cache keeps it by heuristic from its Last-Modified.
    if (typeof (ctx.body as { pipe?: unknown }).pipe === 'function') return;

    // Serialise once here, so that the ETag covers exactly what is sent.
    if (typeof ctx.body !== 'string' && !Buffer.isBuffer(ctx.body)) {
      ctx.type = ctx.type || 'application/json';
      ctx.body = JSON.stringify(ctx.body);
    }
    ctx.set('ETag', etag(ctx.body as string | Buffer));
    if (ctx.fresh) {
      ctx.status = 304;
      ctx.body = null;
    }
  };
};
