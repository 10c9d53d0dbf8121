/**
 * The Redis connection of the operations code (shared rate limits, readiness), one per Strapi
 * instance, opened on first use and closed on destroy (src/ops/index.ts). It fails fast while
 * Redis is away, so that a login is never held up by it, and logs one warning per outage.
 */
import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';

const clients = new WeakMap<Core.Strapi, Redis>();

/** The configured Redis URL (REDIS_URL, shared with the response cache), if any. */
export const redisUrlOf = (strapi: Core.Strapi): string | undefined =>
  strapi.config.get<{ redisUrl?: string }>('cache')?.redisUrl || undefined;

export function opsRedis(strapi: Core.Strapi): Redis | undefined {
  const url = redisUrlOf(strapi);
  if (!url) return undefined;
  let client = clients.get(strapi);
  if (client) return client;
  client = new Redis(url, {
    // Commands fail at once rather than queue while Redis is away: callers fall back at once.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    strapi.log.warn(
      `Redis unavailable (${error.message}): login, registration and password limits are counted per instance until it is back`,
    );
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    strapi.log.warn('Redis reachable again: login, registration and password limits are shared again');
  });
  clients.set(strapi, client);
  return client;
}

export async function closeOpsRedis(strapi: Core.Strapi): Promise<void> {
  const client = clients.get(strapi);
  if (!client) return;
  clients.delete(strapi);
  client.removeAllListeners('error');
  client.on('error', () => {});
  await client.quit().catch(() => client.disconnect());
}
