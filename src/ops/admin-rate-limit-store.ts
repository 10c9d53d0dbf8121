/**
 * A store for Strapi's own admin login limiter (the admin `rateLimit` config, koa2-ratelimit,
 * keyed by email, path and client address): with REDIS_URL set, its counts live in Redis, so that
 * every instance shares them; while Redis cannot be reached, and without REDIS_URL, they are kept
 * in this instance's memory (koa2-ratelimit's own store), as Strapi does by default.
 *
 * Wired in config/admin.ts: `rateLimit: { store: adminRateLimitStore(env('REDIS_URL', '')) }`. Loading
 * the configuration opens no connection (`strapi build` and other commands load it and must exit
 * by themselves): Redis is connected at the first attempt, which waits for it (at most the connect
 * timeout), so that the first attempts are already counted there.
 */
import Redis from 'ioredis';
import { within } from '../utils/within';

interface LimitOptions {
  /** The window, in milliseconds (koa2-ratelimit has converted it). */
  interval: number;
}
interface Hit {
  counter: number;
  dateEnd: number;
}
interface StoreLike {
  incr(key: string, options: LimitOptions, weight: number): Promise<Hit>;
  decrement(key: string, options: LimitOptions, weight: number): void | Promise<void>;
  saveAbuse(): void;
}
interface KoaRateLimitModule {
  Stores: { Store: new () => StoreLike; Memory: new () => StoreLike };
}

// koa2-ratelimit ships no types (types/koa2-ratelimit.d.ts declares only what is used elsewhere);
// the class must extend its own Store, which it checks with instanceof.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Stores } = require('koa2-ratelimit') as KoaRateLimitModule;

const PREFIX = 'ia:admin-limit:';
const CONNECT_TIMEOUT_MS = 1000;

class SharedStore extends Stores.Store {
  private readonly memory = new Stores.Memory();
  private client?: Redis;
  private connecting?: Promise<unknown>;

  constructor(private readonly url: string) {
    super();
  }

  /** The client when it is ready; the first call connects and waits for it. */
  private async redis(): Promise<Redis | undefined> {
    if (!this.url) return undefined;
    if (!this.client) {
      const client = new Redis(this.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: CONNECT_TIMEOUT_MS,
        commandTimeout: 500,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      });
      // Reported once per outage by the other Redis users (src/ops/redis.ts, src/cache).
      client.on('error', () => {});
      this.client = client;
      this.connecting = within(
        new Promise((resolve) => client.once('ready', resolve).once('error', resolve)),
        CONNECT_TIMEOUT_MS,
      ).catch(() => undefined);
    }
    await this.connecting;
    return this.client?.status === 'ready' ? this.client : undefined;
  }

  async incr(key: string, options: LimitOptions, weight: number): Promise<Hit> {
    const redis = await this.redis();
    if (redis) {
      try {
        const name = PREFIX + key;
        const replies = await redis
          .multi()
          .set(name, 0, 'PX', options.interval, 'NX')
          .incrby(name, weight)
          .pttl(name)
          .exec();
        const counter = Number(replies?.[1]?.[1]);
        const ttl = Number(replies?.[2]?.[1]);
        if (Number.isFinite(counter) && Number.isFinite(ttl))
          return { counter, dateEnd: Date.now() + Math.max(ttl, 0) };
      } catch {
        // Redis went away: count in memory
      }
    }
    return this.memory.incr(key, options, weight);
  }

  async decrement(key: string, options: LimitOptions, weight: number): Promise<void> {
    const redis = await this.redis();
    if (redis) {
      await redis.decrby(PREFIX + key, weight).catch(() => undefined);
      return;
    }
    await this.memory.decrement(key, options, weight);
  }

  saveAbuse(): void {}

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    if (client) await client.quit().catch(() => client.disconnect());
  }
}

const stores = new Map<string, SharedStore>();

/** One store per Redis URL and process (Strapi builds a limiter per request from the config). */
export function adminRateLimitStore(redisUrl: string): StoreLike {
  let store = stores.get(redisUrl);
  if (!store) {
    store = new SharedStore(redisUrl);
    stores.set(redisUrl, store);
  }
  return store;
}

/** Closes the stores' Redis connections (destroy). */
export async function closeAdminRateLimitStores(): Promise<void> {
  const closing = [...stores.values()].map((store) => store.close());
  stores.clear();
  await Promise.all(closing);
}
