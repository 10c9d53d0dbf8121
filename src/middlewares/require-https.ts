/**
 * In production every request must have reached us over HTTPS (directly or through the trusted
 * proxy's X-Forwarded-Proto). A plain-HTTP request gets a clear 403 in Strapi's error shape,
 * instead of the 500 that a secure cookie over an unencrypted connection would cause at login.
 * `/_health` and `/_ready` stay reachable for the load balancer's own checks.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const PROBES = new Set(['/_health', '/_ready']);

export default (config: { enabled?: boolean }): Core.MiddlewareHandler => {
  return async (ctx, next) => {
    if (config.enabled && !ctx.secure && !PROBES.has(ctx.path)) {
      throw new errors.ForbiddenError(
        'HTTPS is required: send the request over HTTPS (through the TLS proxy, which sets X-Forwarded-Proto: https)',
      );
    }
    await next();
  };
};
