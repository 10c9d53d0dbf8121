/**
 * A per-client budget for the login, registration and password routes of both the content API
 * and the admin panel, on top of Strapi's own limits. It is keyed by the client's address alone,
 * so changing the email in the body, its letter case or a trailing slash in the path never opens
 * a new budget (CVE-2025-64526, CVE-2023-38507).
 *
 * GraphQL's authentication mutations (`login`, `register`, `forgotPassword`...) draw on the same
 * budget, one point per mutation field, aliases included (src/graphql/auth-limit.ts).
 *
 * With REDIS_URL set the budget is counted in Redis (rate-limiter-flexible), so that every
 * instance behind the load balancer draws on the same one. While Redis cannot be reached, each
 * instance counts in its own memory (the insurance limiter) and says so once in its log: the
 * limit is then per instance, never none.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { opsRedis } from '../ops/redis';

export const TOO_MANY = 'Too many attempts from this client: try again in a few minutes';

export interface AuthRateLimitConfig {
  /** Requests per client per window. */
  max?: number;
  windowMinutes?: number;
}

const AUTH_PATHS = [
  /^\/api\/auth\/(local|local\/register|forgot-password|reset-password|change-password|send-email-confirmation)$/,
  /^\/admin\/(login|register-admin|register|forgot-password|reset-password)$/,
];

/** The path as the router will match it: lower case, without trailing slashes. */
const normalise = (path: string) => {
  // A loop, not /\/+$/: that expression takes quadratic time on a long run of slashes followed by
  // another character (185 ms for a 16 kB path), and this runs for every POST.
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end -= 1;
  return path
    .slice(0, end)
    .toLowerCase()
    .replace(/\/{2,}/g, '/');
};

/** Each instance's limiter, made by the middleware: GraphQL's auth mutations charge it too. */
const limiters = new WeakMap<Core.Strapi, () => RateLimiterAbstract>();

/**
 * Takes `points` attempts of `client`'s budget; the seconds to wait when it is spent, else
 * undefined.
 */
export async function chargeAuthAttempts(
  strapi: Core.Strapi,
  client: string,
  points: number,
): Promise<number | undefined> {
  const limiter = limiters.get(strapi);
  if (!limiter) throw new Error('global::auth-rate-limit is not configured');
  try {
    await limiter().consume(client, points);
    return undefined;
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  }
}

export default (config: AuthRateLimitConfig, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const budget = { points: config.max ?? 20, duration: (config.windowMinutes ?? 5) * 60 };
  const memory = new RateLimiterMemory({ ...budget, keyPrefix: 'ia:auth' });
  let limiter: RateLimiterAbstract | undefined;
  // Created on first use: the Redis connection is opened only by an instance that needs it.
  const current = (): RateLimiterAbstract => {
    if (limiter) return limiter;
    const redis = opsRedis(strapi);
    limiter = redis
      ? new RateLimiterRedis({
          ...budget,
          storeClient: redis,
          keyPrefix: 'ia:auth',
          // Not connected yet, or Redis down: count in this instance's memory at once.
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        })
      : memory;
    return limiter;
  };
  // At boot, so that the connection is ready before the first attempt is counted.
  current();
  limiters.set(strapi, current);

  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !AUTH_PATHS.some((pattern) => pattern.test(normalise(ctx.path)))) {
      return next();
    }
    const wait = await chargeAuthAttempts(strapi, ctx.request.ip, 1);
    if (wait !== undefined) {
      ctx.set('Retry-After', String(wait));
      throw new errors.RateLimitError(TOO_MANY);
    }
    return next();
  };
};
