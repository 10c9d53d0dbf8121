/**
 * In production every request must have reached us over HTTPS (directly or through the trusted
 * proxy's X-Forwarded-Proto). A plain-HTTP request gets a clear 403 in Strapi's error shape,
 * instead of the 500 that a secure cookie over an unencrypted connection would cause at login.
 * `/_health` stays reachable for the proxy's own checks.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

export default (config: { enabled?: boolean }): Core.MiddlewareHandler => {
  return async (ctx, next) => {
    if (config.enabled && !ctx.secure && ctx.path !== '/_health') {
      throw new errors.ForbiddenError(
        'HTTPS is required: send the request over HTTPS (through the TLS proxy, which sets X-Forwarded-Proto: https)',
      );
    }
    await next();
  };
};
