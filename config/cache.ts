import type { Core } from '@strapi/strapi';
import type { CacheConfig } from '../src/cache';

/** The response cache (src/cache): in this process, or shared through Redis when REDIS_URL is set. */
export default ({ env }: Core.Config.Shared.ConfigParams): CacheConfig => ({
  responses: env.bool('RESPONSE_CACHE', true),
  redisUrl: env('REDIS_URL') || undefined,
  maxEntries: env.int('RESPONSE_CACHE_MAX_ENTRIES', 5000),
  ttlSeconds: env.int('RESPONSE_CACHE_TTL_SECONDS', 600),
});
