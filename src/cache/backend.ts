/**
 * Where cached responses and the content generation live: in this process (default) or in Redis
 * (REDIS_URL), so that several server instances share both.
 *
 * The generation is a counter that every write bumps (src/cache/index.ts). An entry is
 * stored with the generation read *before* its response was computed and is served only while the
 * generation is still that one: a write therefore invalidates every entry at once, on every
 * instance, with no list of keys to find. When Redis cannot be reached, reads answer `undefined`
 * and the caller goes to the database: the API answers, uncached.
 *
 * The in-memory store is bounded in bytes (RESPONSE_CACHE_MAX_BYTES), not only in entries: 2,000
 * distinct large answers took a server from 332 to 804 MB when only their number was bounded. An
 * answer larger than a quarter of the bound is not stored, in memory or in Redis, so that one
 * request cannot empty the cache of everything else.
 */
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface CachedResponse {
  type: string;
  body: string;
  /** Content-Disposition, for the CSV listing. */
  disposition?: string;
  /** Last-Modified, for the listings. */
  lastModified?: string;
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
  /** What the in-memory store holds (its entries and their size by entrySize); memory only. */
  size?(): { entries: number; bytes: number };
}

interface Stored extends CachedResponse {
  generation: string;
}

export interface BackendOptions {
  maxEntries: number;
  /** Bytes the in-memory store may hold (by entrySize); an entry over a quarter of it is not stored. */
  maxBytes: number;
  ttlSeconds: number;
  onError?: (error: Error) => void;
}

/** Bytes taken by the strings of an entry that are not counted as characters. */
const ENTRY_OVERHEAD = 64;

/**
 * The memory an entry takes, counted from above: two bytes per character (V8 keeps a string with
 * any character beyond Latin-1, such as the French typographic apostrophe, in UTF-16) of its key
 * and its strings, and a fixed overhead.
 */
export function entrySize(key: string, entry: CachedResponse): number {
  const characters = key.length + entry.type.length + entry.body.length + (entry.disposition?.length ?? 0);
  return 2 * characters + ENTRY_OVERHEAD;
}

/** The largest entry either store keeps: a quarter of the in-memory bound. */
const largestEntry = (maxBytes: number) => Math.max(1, Math.floor(maxBytes / 4));

export function memoryBackend({ maxEntries, maxBytes, ttlSeconds }: BackendOptions): CacheBackend {
  let generation = 0;
  const largest = largestEntry(maxBytes);
  const entries = new LRUCache<string, Stored>({
    max: maxEntries,
    maxSize: maxBytes,
    maxEntrySize: largest,
    sizeCalculation: (stored, key) => entrySize(key, stored),
    ttl: ttlSeconds * 1000,
  });
  const current = () => String(generation);
  return {
    name: 'memory',
    generation: async () => current(),
    async lookup(key) {
      const stored = entries.get(key);
      return { generation: current(), entry: stored?.generation === current() ? stored : undefined };
    },
    async store(key, storedGeneration, entry) {
      if (storedGeneration !== current() || entrySize(key, entry) > largest) return;
      entries.set(key, { ...entry, generation: storedGeneration });
    },
    async bump() {
      generation += 1;
      entries.clear();
    },
    async close() {
      entries.clear();
    },
    size: () => ({ entries: entries.size, bytes: entries.calculatedSize }),
  };
}

const GENERATION_KEY = 'ia:cache:generation';
const entryKey = (key: string) => `ia:cache:entry:${key}`;

export function redisBackend(url: string, { maxBytes, ttlSeconds, onError }: BackendOptions): CacheBackend {
  const largest = largestEntry(maxBytes);
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
      if (entrySize(key, entry) > largest) return;
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
