/**
 * Where cached responses and the content generation live: in this process (default) or in Redis
 * (REDIS_URL), so that several server instances share both.
 *
 * The generation is a counter that every write bumps (src/cache/index.ts). An entry is
 * stored with the generation read *before* its response was computed and is served only while the
 * generation is still that one: a write therefore invalidates every entry at once, on every
 * instance, with no list of keys to find. When Redis cannot be reached, reads answer `undefined`
 * and the caller goes to the database: the API answers, uncached.
 */
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface CachedResponse {
  type: string;
  body: string;
  /** Content-Disposition, for the CSV listing. */
  disposition?: string;
}

export interface CacheLookup {
  generation: string;
  entry?: CachedResponse;
}

export interface CacheBackend {
  readonly name: 'memory' | 'redis';
  /** The current generation, or undefined when the backend cannot be reached. */
  generation(): Promise<string | undefined>;
  /** The current generation and the entry stored under `key` for it, if any. */
  lookup(key: string): Promise<CacheLookup | undefined>;
  store(key: string, generation: string, entry: CachedResponse): Promise<void>;
  /** Makes every stored entry and every memo stale. */
  bump(): Promise<void>;
  close(): Promise<void>;
}

interface Stored extends CachedResponse {
  generation: string;
}

export interface BackendOptions {
  maxEntries: number;
  ttlSeconds: number;
  onError?: (error: Error) => void;
}

export function memoryBackend({ maxEntries, ttlSeconds }: BackendOptions): CacheBackend {
  let generation = 0;
  const entries = new LRUCache<string, Stored>({ max: maxEntries, ttl: ttlSeconds * 1000 });
  const current = () => String(generation);
  return {
    name: 'memory',
    generation: async () => current(),
    async lookup(key) {
      const stored = entries.get(key);
      return { generation: current(), entry: stored?.generation === current() ? stored : undefined };
    },
    async store(key, storedGeneration, entry) {
      if (storedGeneration === current()) entries.set(key, { ...entry, generation: storedGeneration });
    },
    async bump() {
      generation += 1;
      entries.clear();
    },
    async close() {
      entries.clear();
    },
  };
}

const GENERATION_KEY = 'ia:cache:generation';
const entryKey = (key: string) => `ia:cache:entry:${key}`;

export function redisBackend(url: string, { ttlSeconds, onError }: BackendOptions): CacheBackend {
  const redis = new Redis(url, {
    // Fail at once rather than queue while Redis is away: the request goes to the database.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (error: Error) => onError?.(error));
  // A write made while this instance could not reach Redis bumped nothing: bump on every
  // (re)connection, so that nothing cached before the outage is served after it.
  redis.on('ready', () => {
    redis.incr(GENERATION_KEY).catch((error: Error) => onError?.(error));
  });
  const unavailable = (error: Error) => {
    onError?.(error);
    return undefined;
  };
  return {
    name: 'redis',
    async generation() {
      return redis.get(GENERATION_KEY).then((value) => value ?? '0', unavailable);
    },
    async lookup(key) {
      const values = await redis.mget(GENERATION_KEY, entryKey(key)).catch(unavailable);
      if (!values) return undefined;
      const generation = values[0] ?? '0';
      const stored = values[1] ? (JSON.parse(values[1]) as Stored) : undefined;
      return { generation, entry: stored?.generation === generation ? stored : undefined };
    },
    async store(key, generation, entry) {
      await redis
        .set(entryKey(key), JSON.stringify({ ...entry, generation }), 'EX', ttlSeconds)
        .catch(unavailable);
    },
    async bump() {
      await redis.incr(GENERATION_KEY);
    },
    async close() {
      redis.disconnect();
    },
  };
}
