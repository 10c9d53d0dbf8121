/**
 * The response cache and the memos of per-request settings, kept never stale by one content
 * generation (see backend.ts) that every write to what public answers show bumps.
 *
 * Writes are seen at the database layer (`strapi.db.lifecycles`), beneath the Document Service,
 * the admin panel, REST, GraphQL, the seed and the permission editor alike; ./writes.ts says
 * which count (publishing, not a draft save; the public permissions, not an account). Each one
 * bumps the generation when it has run, and again once its transaction has committed. A reader
 * that took the generation before the commit stores its entry under a generation that is already
 * gone, so an answer computed from the old rows can never be served after the write is visible.
 * Other processes hear of it through Redis (a shared generation) or, without Redis, through
 * PostgreSQL (./peers.ts).
 */
import type { Core } from '@strapi/strapi';
import { afterDataTransfer, atDataTransferStart } from '../security/data-transfer';
import { memoryBackend, redisBackend, type CacheBackend } from './backend';
import { joinPeers } from './peers';
import { watchPublicWrites } from './writes';

export interface CacheConfig {
  /** Cache public GET responses of the content API. */
  responses: boolean;
  /** REDIS_URL: the login and password limits' Redis (src/ops/redis.ts). */
  redisUrl?: string;
  /** Share the cache and the generation through this Redis (needed with several instances). */
  responsesRedisUrl?: string;
  maxEntries: number;
  /** Bytes the store (in memory or in Redis) may hold; an answer over a quarter of it is not cached. */
  maxBytes: number;
  ttlSeconds: number;
  /** How long after it was stored an answer may still be served while the database fails. */
  staleIfErrorSeconds: number;
  /** Send X-Cache (HIT, MISS, SHARED, STALE) with cached answers: for diagnosis and tests only. */
  debugHeader: boolean;
}

/**
 * Per Strapi instance, kept on globalThis: the app runs from dist/ while scripts and tests may load
 * modules from src/ (the change feed's pruning bumps the generation from either copy).
 */
const CACHES = Symbol.for('inter-actions.response-cache.backends');
const globals = globalThis as unknown as Record<symbol, WeakMap<Core.Strapi, CacheBackend> | undefined>;
const caches = (globals[CACHES] ??= new WeakMap<Core.Strapi, CacheBackend>());

/** The cache backend of this Strapi instance (created in register, closed on destroy). */
export function cacheOf(strapi: Core.Strapi): CacheBackend {
  const backend = caches.get(strapi);
  if (!backend) throw new Error('src/cache: registerCache() has not run');
  return backend;
}

export function registerCache(strapi: Core.Strapi): CacheBackend {
  const config = strapi.config.get<CacheConfig>('cache');
  let lastError = 0;
  const onError = (error: Error) => {
    // One line per outage rather than one per request.
    if (Date.now() - lastError > 10_000)
      strapi.log.warn(`Response cache: Redis unavailable (${error.message})`);
    lastError = Date.now();
  };
  const options = {
    maxEntries: config.maxEntries,
    maxBytes: config.maxBytes,
    ttlSeconds: config.ttlSeconds,
    staleSeconds: config.staleIfErrorSeconds,
    onError,
    // Sharing the limits' Redis, the cache must not make it evict their counters.
    onEvictionPolicy:
      config.responsesRedisUrl === config.redisUrl
        ? (policy: string) => {
            if (policy !== 'noeviction')
              strapi.log.warn(
                `Response cache: it shares REDIS_URL with the login limits, and that Redis evicts keys (maxmemory-policy ${policy}); give the cache a Redis of its own (RESPONSE_CACHE_REDIS_URL)`,
              );
          }
        : undefined,
  };
  const backend = config.responsesRedisUrl
    ? redisBackend(config.responsesRedisUrl, options)
    : memoryBackend(options);
  // Without Redis, each process keeps its own generation: the others hear of its writes.
  const peers = backend.name === 'memory' ? joinPeers(strapi, () => backend.bump()) : undefined;
  const cache: CacheBackend = {
    ...backend,
    // Never throws: a bump Redis did not take is made when Redis is reached again (backend.ts),
    // so an unreachable cache neither fails a write nor stops a boot (the search index's).
    async bump() {
      await backend.bump().catch(onError);
      peers?.announce();
    },
    async close() {
      await peers?.close();
      await backend.close();
    },
  };
  caches.set(strapi, cache);

  const bump = () => cache.bump();
  // One more bump per transaction, when it commits.
  const committing = new WeakSet<object>();
  watchPublicWrites(strapi, async () => {
    await bump();
    if (!strapi.db.inTransaction()) return;
    // Joining the open transaction hands us its commit callbacks.
    await strapi.db.transaction(async ({ trx, onCommit }) => {
      if (committing.has(trx)) return;
      committing.add(trx);
      onCommit(() => void bump());
    });
  });
  // Data transfers switch lifecycles off (src/security/data-transfer.ts): the cache forgets when
  // one starts (what requests in flight compute then is stored under a generation already gone,
  // here and on the other instances) and again once it has ended and the rest (the search index)
  // has caught up.
  atDataTransferStart(strapi, bump);
  afterDataTransfer(strapi, bump, { last: true });
  return cache;
}

/**
 * `load` memoized until the next write that counts (./writes.ts): settings that Strapi reads from
 * the database on every request (the public role's permissions, the default locale) cost nothing
 * between writes. What `load` reads must be in that allow-list, or the memo goes stale.
 */
export function untilNextWrite<T>(strapi: Core.Strapi, load: () => Promise<T>): () => Promise<T> {
  let memo: { generation: string; value: Promise<T> } | undefined;
  return async () => {
    const generation = await cacheOf(strapi).generation();
    if (generation === undefined) return load();
    if (memo?.generation === generation) return memo.value;
    const value = load();
    memo = { generation, value };
    value.catch(() => {
      if (memo?.value === value) memo = undefined;
    });
    return value;
  };
}
