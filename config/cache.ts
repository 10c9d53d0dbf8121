import type { Core } from '@strapi/strapi';
import type { CacheConfig } from '../src/cache';

const MiB = 1024 * 1024;

/**
 * The response cache (src/cache): in this process, or shared through Redis when
 * RESPONSE_CACHE_REDIS_URL (else REDIS_URL) is set.
 */
export default ({ env }: Core.Config.Shared.ConfigParams): CacheConfig => ({
  responses: env.bool('RESPONSE_CACHE', true),
  redisUrl: env('REDIS_URL') || undefined,
  // A Redis of its own (maxmemory, allkeys-lru) keeps the login limits' Redis free of evictions.
  responsesRedisUrl: env('RESPONSE_CACHE_REDIS_URL') || env('REDIS_URL') || undefined,
  maxEntries: env.int('RESPONSE_CACHE_MAX_ENTRIES', 5000),
  maxBytes: env.int('RESPONSE_CACHE_MAX_BYTES', 64 * MiB),
  ttlSeconds: env.int('RESPONSE_CACHE_TTL_SECONDS', 600),
  staleIfErrorSeconds: env.int('RESPONSE_CACHE_STALE_IF_ERROR_SECONDS', 300),
  // X-Cache (HIT, MISS, ...) tells anyone which URLs others asked for: for diagnosis and tests only.
  debugHeader: env.bool('RESPONSE_CACHE_DEBUG_HEADER', false),
});
