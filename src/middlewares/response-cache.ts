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
 * Stale if error: when the answer cannot be computed because the database is unreachable, its
 * pool exhausted or its statements cancelled (what global::error-shape answers 503), the last
 * answer stored for the URL is served instead if it was stored less than
 * RESPONSE_CACHE_STALE_IF_ERROR_SECONDS ago, with `Age` saying how old it is. Never to a request
 * that does not read as public: those never reach the cache.
 *
 * `X-Cache: HIT | MISS | SHARED | STALE` says how an answer was made. It also tells anyone which
 * URLs other readers asked for lately, so it is sent only with RESPONSE_CACHE_DEBUG_HEADER=true
 * (tests, diagnosis), never by default.
 */
import { PassThrough, finished, type Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { cacheOf, type CacheConfig } from '../cache';
import type { CachedResponse, CacheLookup } from '../cache/backend';
import { readsAsPublic } from '../security/read-only-cache';
import { contentApiPathsOf } from '../utils/content-api';
import { databaseAnswers, isCancelled, isDatabaseUnavailable, poolHealth } from './error-shape';

type Outcome = 'HIT' | 'SHARED' | 'MISS' | 'STALE';

function serve(ctx: Context, entry: CachedResponse) {
  ctx.status = 200;
  ctx.type = entry.type;
  if (entry.disposition) ctx.set('Content-Disposition', entry.disposition);
  if (entry.lastModified) ctx.set('Last-Modified', entry.lastModified);
  ctx.body = entry.body;
}

/** An answer its controller marked as not to be kept (the preview's `no-store`). */
const keepsNothing = (ctx: Context) => /\b(no-store|private)\b/.test(ctx.response.get('Cache-Control'));

/** The answer as it will be sent, if it may be cached. */
function cacheable(ctx: Context): CachedResponse | undefined {
  if (ctx.status !== 200 || ctx.body === null || ctx.body === undefined || keepsNothing(ctx))
    return undefined;
  // Streams only through tee(); Buffers are the catalogue's, one URL in three types (by Accept).
  if (typeof (ctx.body as { pipe?: unknown }).pipe === 'function' || Buffer.isBuffer(ctx.body))
    return undefined;
  if (typeof ctx.body !== 'string') {
    ctx.type = ctx.type || 'application/json';
    ctx.body = JSON.stringify(ctx.body);
  }
  return { type: ctx.type, body: ctx.body as string, ...headersOf(ctx) };
}

const headersOf = (ctx: Context) => ({
  disposition: ctx.response.get('Content-Disposition') || undefined,
  lastModified: ctx.response.get('Last-Modified') || undefined,
});

/**
 * A stream the controller allows to be cached (the CSV listing and the workbook,
 * ctx.state.teeToCache): it is sent as it comes and copied on the way; `done` gets the whole
 * answer, as bytes, once the stream has ended, or undefined if it failed or grew over `limit` bytes.
 */
function tee(ctx: Context, limit: number, done: (entry: CachedResponse | undefined) => void): boolean {
  const body = ctx.body as Readable | undefined;
  if (!ctx.state.teeToCache || ctx.status !== 200 || typeof body?.pipe !== 'function' || keepsNothing(ctx))
    return false;
  const chunks: Buffer[] = [];
  let size = 0;
  const copy = new PassThrough();
  copy.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  });
  const { type } = ctx;
  const headers = headersOf(ctx);
  finished(copy, (error) =>
    done(error || size > limit ? undefined : { type, body: Buffer.concat(chunks), ...headers }),
  );
  ctx.body = body.pipe(copy);
  body.on('error', (error) => copy.destroy(error));
  // A client that goes away stops the reading of rows too.
  copy.on('close', () => {
    if (!body.readableEnded) body.destroy();
  });
  return true;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const { responses: enabled, debugHeader, maxBytes } = strapi.config.get<CacheConfig>('cache');
  const databaseDown = poolHealth(strapi);
  const contentApi = contentApiPathsOf(strapi);
  const inFlight = new Map<string, Promise<CachedResponse | undefined>>();
  const tell = (ctx: Context, how: Outcome) => {
    ctx.state.cache = how; // for the request log and the metrics (global::request-log)
    if (debugHeader) ctx.set('X-Cache', how);
  };

  /** Whether the answer failed for want of the database (as global::error-shape judges it). */
  const failedForDatabase = async (ctx: Context, thrown?: { error: unknown }): Promise<boolean> => {
    if (thrown) {
      const error = (thrown.error ?? {}) as Parameters<typeof isDatabaseUnavailable>[0];
      return isDatabaseUnavailable(error) || isCancelled(error) || databaseDown();
    }
    // A request shed by global::bulkhead is load, not a failure: answered 503, never stale.
    if (ctx.status === 503) return !ctx.state.shed;
    // Strapi's authentication answers 401 or 403 when its own queries fail.
    if (ctx.status === 401 || ctx.status === 403 || ctx.status >= 500)
      return databaseDown() || !(await databaseAnswers(strapi));
    return false;
  };

  /** Runs the controllers; serves `last` instead (and says true) if the database failed them. */
  const attempt = async (ctx: Context, next: () => Promise<unknown>, last: CacheLookup['last']) => {
    let thrown: { error: unknown } | undefined;
    try {
      await next();
    } catch (error) {
      thrown = { error };
    }
    if (thrown) {
      if (!last || !(await failedForDatabase(ctx, thrown))) throw thrown.error;
    } else if (!last || ctx.status === 200 || !(await failedForDatabase(ctx))) return false;
    serve(ctx, last.entry);
    ctx.remove('Retry-After');
    ctx.set('Age', String(Math.max(0, Math.floor((Date.now() - last.storedAt) / 1000))));
    tell(ctx, 'STALE');
    return true;
  };

  return async (ctx, next) => {
    if (!enabled || ctx.method !== 'GET' || !contentApi.isRest(ctx.path)) return next();
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
      await attempt(ctx, next, found.last);
      return;
    }

    let done: (entry: CachedResponse | undefined) => void = () => {};
    inFlight.set(flight, new Promise((resolve) => (done = resolve)));
    let entry: CachedResponse | undefined;
    try {
      if (await attempt(ctx, next, found.last)) return;
      // A streamed answer is stored once it has been sent whole, under the generation read
      // before the controllers ran (as fresh as any). Requests waiting for it do not wait for
      // this client's download, however slow: they make their own answer at once.
      const streaming = tee(ctx, maxBytes / 4, (whole) => {
        if (whole) void cache.store(key, found.generation, whole).catch(() => undefined);
      });
      if (streaming) return tell(ctx, 'MISS');
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
