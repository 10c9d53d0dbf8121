/**
 * Records the admin API requests the audit log keeps (src/audit/recorders.ts): outside
 * strapi::errors, so that it sees the status every request finally got, and the body it sent
 * once parsed. The entry is written before the answer leaves: a client that got its answer finds
 * the entry. Reads (GET, HEAD) record nothing and cost nothing.
 */
import type { Core } from '@strapi/strapi';
import { auditRequest } from '../audit/recorders';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler =>
  async (ctx, next) => {
    if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'OPTIONS') return next();
    try {
      await next();
    } finally {
      await auditRequest(strapi, ctx);
    }
  };
