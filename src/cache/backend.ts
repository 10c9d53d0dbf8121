/**
 * Where cached responses and the content generation live: in this process (default) or in Redis
 * (RESPONSE_CACHE_REDIS_URL, else REDIS_URL), so that several server instances share both.
 *
 * The generation is a counter that every write to what public answers show bumps
 * (src/cache/index.ts). An entry is stored with the generation read *before* its response was
 * computed and is served only while the generation is still that one: a write therefore
 * invalidates every entry at once, on every instance, with no list of keys to find. When Redis
 * cannot be reached, reads answer `undefined` and the caller goes to the database: the API
 * answers, uncached.
 *
 * A bump does not delete what is stored: the last answer of each URL stays, whatever its
 * generation, for `staleSeconds` after it was stored, so that it can be served when the database
 * cannot compute a new one (stale-if-error, src/middlewares/response-cache.ts).
 *
 * Both stores are bounded in bytes (RESPONSE_CACHE_MAX_BYTES), not only in entries: 2,000 distinct
 * large answers took a server from 332 to 804 MB when only their number was bounded, and 1,500
 * took Redis from 1.6 to 88 MB. The oldest entries go first. An answer larger than a quarter of
 * the bound is not stored, so that one request cannot empty the cache of everything else.
 */
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface CachedResponse {
  type: string;
  /** Text, or bytes (the workbook and the streamed downloads). */
  body: string | Buffer;
  /** Content-Disposition, for the downloads. */
  disposition?: string;
  /** Last-Modified, for the listings. */
  lastModified?: string;
}

export interface CacheLookup {
  generation: string;
  /** The entry stored under `key` in this generation, if any (and younger than the TTL). */
  entry?: CachedResponse;
  /** The last entry stored under `key`, whatever its generation, if younger than `staleSeconds`. */
  last?: { entry: CachedResponse; storedAt: number };
}

export interface CacheBackend {
  readonly name: 'memory' | 'redis';
  /** The current generation, or undefined when the backend cannot be reached. */
  generation(): Promise<string | undefined>;
  /** The current generation and what is stored under `key`, or undefined when unreachable. */
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
  storedAt: number;
}

export interface BackendOptions {
  maxEntries: number;
  /** Bytes either store may hold (by entrySize); an entry over a quarter of it is not stored. */
  maxBytes: number;
  ttlSeconds: number;
  /** How long the last answer of a URL is kept for stale-if-error (0: not at all). */
  staleSeconds?: number;
  onError?: (error: Error) => void;
  /** Redis only: told Redis's maxmemory-policy once connected (when CONFIG GET is allowed). */
  onEvictionPolicy?: (policy: string) => void;
}

/** Bytes taken by the strings of an entry that are not counted as characters. */
const ENTRY_OVERHEAD = 64;

/**
 * The memory an entry takes, counted from above: two bytes per character (V8 keeps a string with
 * any character beyond Latin-1, such as the French typographic apostrophe, in UTF-16) of its key
 * and its strings, its bytes for a binary body, and a fixed overhead.
 */
export function entrySize(key: string, entry: CachedResponse): number {
  const body = typeof entry.body === 'string' ? 2 * entry.body.length : entry.body.length;
  const characters = key.length + entry.type.length + (entry.disposition?.length ?? 0);
  return 2 * characters + body + ENTRY_OVERHEAD;
}

/** The largest entry either store keeps: a quarter of the bound. */
const largestEntry = (maxBytes: number) => Math.max(1, Math.floor(maxBytes / 4));

/** How long an entry is kept: served fresh for ttlSeconds, kept as the last answer for staleSeconds. */
const keptMs = ({ ttlSeconds, staleSeconds = 0 }: BackendOptions) =>
  Math.max(ttlSeconds, staleSeconds) * 1000;

/** The lookup of `stored` at `generation`, now. */
function lookupOf(stored: Stored | undefined, generation: string, options: BackendOptions): CacheLookup {
  if (!stored) return { generation };
  const { generation: storedIn, storedAt, ...entry } = stored;
  const age = Date.now() - storedAt;
  const staleMs = (options.staleSeconds ?? 0) * 1000;
  return {
    generation,
    entry: storedIn === generation && age < options.ttlSeconds * 1000 ? entry : undefined,
    last: staleMs > 0 && age <= staleMs ? { entry, storedAt } : undefined,
  };
}

export function memoryBackend(options: BackendOptions): CacheBackend {
  const { maxEntries, maxBytes } = options;
  let generation = 0;
  const largest = largestEntry(maxBytes);
  const entries = new LRUCache<string, Stored>({
    max: maxEntries,
    maxSize: maxBytes,
    maxEntrySize: largest,
    sizeCalculation: (stored, key) => entrySize(key, stored),
    ttl: keptMs(options),
  });
  const current = () => String(generation);
  return {
    name: 'memory',
    generation: async () => current(),
    async lookup(key) {
      return lookupOf(entries.get(key), current(), options);
    },
    async store(key, storedGeneration, entry) {
      if (storedGeneration !== current() || entrySize(key, entry) > largest) return;
      entries.set(key, { ...entry, generation: storedGeneration, storedAt: Date.now() });
    },
    async bump() {
      generation += 1;
    },
    async close() {
      entries.clear();
    },
    size: () => ({ entries: entries.size, bytes: entries.calculatedSize }),
  };
}

// ---------------------------------------------------------------------------------------------
// Redis

const PREFIX = 'ia:cache:';
/** Shared with earlier versions, so that a write on any instance of a rolling upgrade counts. */
const GENERATION_KEY = `${PREFIX}generation`;
/** Entries in this version's format (earlier versions' `ia:cache:entry:*` expire by their TTL). */
const STORE_PREFIX = `${PREFIX}v2:`;
const ENTRY_PREFIX = `${STORE_PREFIX}entry:`;
/** URL -> when its entry was stored (ms): the eviction order. */
const ORDER_KEY = `${STORE_PREFIX}order`;
/** URL -> the bytes its entry is counted for. */
const SIZES_KEY = `${STORE_PREFIX}sizes`;
/** The sum of SIZES_KEY's values. */
const BYTES_KEY = `${STORE_PREFIX}bytes`;

/** What Redis holds per entry besides its value: its key, and the URL twice more (order, sizes). */
const REDIS_OVERHEAD = 128;

/**
 * Stores one entry and evicts the oldest until the entries are counted within the bound, in one
 * atomic step. An entry that expired is still counted until it is evicted: the count is an upper
 * bound. A lost counter (a flushed or evicted key) is counted again from the sizes.
 */
const STORE_SCRIPT = `
local url, value, ttl, now, size, limit = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
if redis.call('EXISTS', KEYS[4]) == 0 then
  local total = 0
  for _, counted in ipairs(redis.call('HVALS', KEYS[3])) do total = total + tonumber(counted) end
  redis.call('SET', KEYS[4], total)
end
local before = tonumber(redis.call('HGET', KEYS[3], url) or '0')
redis.call('SET', KEYS[1], value, 'PX', ttl)
redis.call('ZADD', KEYS[2], now, url)
redis.call('HSET', KEYS[3], url, size)
local total = redis.call('INCRBY', KEYS[4], size - before)
while total > limit do
  local oldest = redis.call('ZPOPMIN', KEYS[2])
  if #oldest == 0 then break end
  redis.call('DEL', ARGV[7] .. oldest[1])
  total = redis.call('INCRBY', KEYS[4], -tonumber(redis.call('HGET', KEYS[3], oldest[1]) or '0'))
  redis.call('HDEL', KEYS[3], oldest[1])
end
return total
`;

interface Header {
  generation: string;
  storedAt: number;
  type: string;
  text: boolean;
  disposition?: string;
  lastModified?: string;
}

/** An entry as Redis keeps it: the length of its JSON header (4 bytes), the header, the body. */
function encode(stored: Stored): Buffer {
  const { body, ...rest } = stored;
  const header = Buffer.from(JSON.stringify({ ...rest, text: typeof body === 'string' } satisfies Header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([length, header, typeof body === 'string' ? Buffer.from(body) : body]);
}

function decode(value: Buffer | null): Stored | undefined {
  if (!value || value.length < 4) return undefined;
  const length = value.readUInt32BE(0);
  if (length > value.length - 4) return undefined;
  try {
    const { text, ...header } = JSON.parse(value.subarray(4, 4 + length).toString()) as Header;
    const body = value.subarray(4 + length);
    return { ...header, body: text ? body.toString() : body };
  } catch {
    return undefined; // not an entry of this format: as if absent
  }
}

interface StoreCommand {
  storeEntry(
    entryKey: string,
    order: string,
    sizes: string,
    bytes: string,
    url: string,
    value: Buffer,
    ttlMs: number,
    now: number,
    size: number,
    limit: number,
    prefix: string,
  ): Promise<number>;
}

export function redisBackend(url: string, options: BackendOptions): CacheBackend {
  const { maxBytes, onError, onEvictionPolicy } = options;
  const largest = largestEntry(maxBytes);
  const redis = new Redis(url, {
    // Fail at once rather than queue while Redis is away: the request goes to the database.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.defineCommand('storeEntry', { numberOfKeys: 4, lua: STORE_SCRIPT });
  redis.on('error', (error: Error) => onError?.(error));
  // A write made while this instance could not reach Redis bumped nothing: bump on every
  // (re)connection, so that nothing cached before the outage is served after it.
  redis.on('ready', () => {
    redis.incr(GENERATION_KEY).catch((error: Error) => onError?.(error));
  });
  redis.once('ready', () => {
    if (!onEvictionPolicy) return;
    redis.config('GET', 'maxmemory-policy').then(
      (reply) => {
        const policy = (reply as string[])[1];
        if (policy) onEvictionPolicy(policy);
      },
      () => undefined, // CONFIG refused (a managed Redis): nothing to tell
    );
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
      const values = await redis.mgetBuffer(GENERATION_KEY, ENTRY_PREFIX + key).catch(unavailable);
      if (!values) return undefined;
      return lookupOf(decode(values[1]), values[0]?.toString() ?? '0', options);
    },
    async store(key, generation, entry) {
      if (entrySize(key, entry) > largest) return;
      const value = encode({ ...entry, generation, storedAt: Date.now() });
      const size = value.length + 3 * Buffer.byteLength(key) + REDIS_OVERHEAD;
      await (redis as unknown as StoreCommand)
        .storeEntry(
          ENTRY_PREFIX + key,
          ORDER_KEY,
          SIZES_KEY,
          BYTES_KEY,
          key,
          value,
          keptMs(options),
          Date.now(),
          size,
          maxBytes,
          ENTRY_PREFIX,
        )
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
