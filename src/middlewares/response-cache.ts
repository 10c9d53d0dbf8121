/**
 * Serves anonymous GETs of the content API from the response cache (src/cache) and stores the
 * answers it computes. It sits inside global::http-cache, which adds the ETag to either.
 *
 * Only what any anonymous reader would get is cached: requests with an Authorization header
 * (editors' drafts, full-access tokens) always reach the controllers, and only 200 answers are
 * kept. Partners' read-only tokens read what the public reads: once the token is checked, they are
 * served as the public is (src/security/read-only-cache.ts).
 * The key is the URL as sent, so `?locale=de` and `?locale=fr` are different entries.
 *
 * Concurrent misses of one URL in one generation are computed once: after a write empties the
 * cache, the readers that arrive meanwhile wait for the first one's answer instead of all
 * querying the database (they saw the same generation, so that answer is as fresh as their own).
 *
 * `X-Cache: HIT | MISS | SHARED` says how an answer was made. It also tells anyone which URLs
 * other readers asked for lately, so it is sent only with RESPONSE_CACHE_DEBUG_HEADER=true
 * (tests, diagnosis), never by default.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { cacheOf, type CacheConfig } from '../cache';
import type { CachedResponse } from '../cache/backend';
import { readsAsPublic } from '../security/read-only-cache';

const isContentApi = (path: string) => path.startsWith('/api/');

function serve(ctx: Context, entry: CachedResponse) {
  ctx.status = 200;
  ctx.type = entry.type;
  if (entry.disposition) ctx.set('Content-Disposition', entry.disposition);
  ctx.body = entry.body;
}

/** The answer as it will be sent, if it may be cached. */
function cacheable(ctx: Context): CachedResponse | undefined {
  if (ctx.status !== 200 || ctx.body === null || ctx.body === undefined) return undefined;
  if (typeof (ctx.body as { pipe?: unknown }).pipe === 'function' || Buffer.isBuffer(ctx.body))
    return undefined;
  if (typeof ctx.body !== 'string') {
    ctx.type = ctx.type || 'application/json';
    ctx.body = JSON.stringify(ctx.body);
  }
  const disposition = ctx.response.get('Content-Disposition') || undefined;
  return { type: ctx.type, body: ctx.body as string, disposition };
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const { responses: enabled, debugHeader } = strapi.config.get<CacheConfig>('cache');
  const inFlight = new Map<string, Promise<CachedResponse | undefined>>();
  const tell = (ctx: Context, how: 'HIT' | 'SHARED' | 'MISS') => {
    ctx.state.cache = how; // for the request log and the metrics (global::request-log)
    if (debugHeader) ctx.set('X-Cache', how);
  };

  return async (ctx, next) => {
    if (!enabled || ctx.method !== 'GET' || !isContentApi(ctx.path)) return next();
    if (ctx.get('Authorization') && !(await readsAsPublic(strapi, ctx))) return next();

    const cache = cacheOf(strapi);
    const key = ctx.originalUrl;
    const found = await cache.lookup(key);
    if (!found) return next(); // backend unreachable: answer uncached
    if (found.entry) {
      serve(ctx, found.entry);
      return tell(ctx, 'HIT');
    }

    const flight = `${found.generation}\u0000${key}`;
    const pending = inFlight.get(flight);
    if (pending) {
      const shared = await pending;
      if (shared) {
        serve(ctx, shared);
        return tell(ctx, 'SHARED');
      }
      return next();
    }

    let done: (entry: CachedResponse | undefined) => void = () => {};
    inFlight.set(flight, new Promise((resolve) => (done = resolve)));
    let entry: CachedResponse | undefined;
    try {
      await next();
      entry = cacheable(ctx);
      if (entry) {
        tell(ctx, 'MISS');
        // Stored under the generation read before the controllers ran (see src/cache/index.ts).
        await cache.store(key, found.generation, entry);
      }
    } finally {
      inFlight.delete(flight);
      done(entry);
    }
  };
};
