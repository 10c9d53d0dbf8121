// koa2-ratelimit ships no types; this is the part src/middlewares/auth-rate-limit.ts uses.
declare module 'koa2-ratelimit' {
  import type { Middleware } from 'koa';
  export const RateLimit: { middleware(options: Record<string, unknown>): Middleware };
}
