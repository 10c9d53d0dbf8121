/**
 * A per-client budget for the login, registration and password routes of both the content API
 * and the admin panel, on top of Strapi's own limits. It is keyed by the client's address alone,
 * so changing the email in the body, its letter case or a trailing slash in the path never opens
 * a new budget (CVE-2025-64526, CVE-2023-38507).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { RateLimit } from 'koa2-ratelimit';

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
const normalise = (path: string) =>
  path
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\/{2,}/g, '/');

export default (config: AuthRateLimitConfig): Core.MiddlewareHandler => {
  const limiter = RateLimit.middleware({
    interval: { min: config.windowMinutes ?? 5 },
    max: config.max ?? 20,
    prefixKey: 'auth',
    keyGenerator: async (ctx: { request: { ip: string } }) => `auth|${ctx.request.ip}`,
    // koa2-ratelimit calls the handler without awaiting it: it must throw synchronously.
    handler: () => {
      throw new errors.RateLimitError('Too many attempts from this client: try again in a few minutes');
    },
  });
  return async (ctx, next) => {
    if (ctx.method === 'POST' && AUTH_PATHS.some((pattern) => pattern.test(normalise(ctx.path)))) {
      return limiter(ctx, next);
    }
    return next();
  };
};
