/**
 * While a data transfer has this process's database lifecycles switched off (and until what it
 * wrote has been caught up), the content API (REST under /api/, GraphQL) answers 503 with
 * Retry-After, in Strapi's error shape: without the lifecycles, the published-only rule of public
 * reads does not run (src/security/data-transfer.ts). A request that was already running when a
 * transfer started gets the same 503 instead of what it computed. Everything else (the admin
 * panel, which reads drafts anyway, the probes, static files) goes on.
 */
import type { Core } from '@strapi/strapi';
import { transferEpoch, transferRunning } from '../security/data-transfer';
import { contentApiPathsOf } from '../utils/content-api';
import { unavailable } from './error-shape';

const RETRY_AFTER_SECONDS = 30;
/** Headers of the answer a 503 replaces, which would describe what it no longer is. */
const CONTENT_HEADERS = ['ETag', 'Last-Modified', 'Content-Disposition', 'Content-Length', 'X-Cache'];

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const contentApi = contentApiPathsOf(strapi);

  const refuse = (ctx: Parameters<Core.MiddlewareHandler>[0]) => {
    const previous = ctx.body as { destroy?: () => void } | null | undefined;
    if (previous && typeof previous.destroy === 'function') previous.destroy();
    for (const header of CONTENT_HEADERS) ctx.remove(header);
    unavailable(ctx, 'A data transfer is running on this server; retry in a minute', RETRY_AFTER_SECONDS);
    ctx.set('Cache-Control', 'no-store');
  };

  return async (ctx, next) => {
    if (!contentApi.is(ctx.path)) return next();
    if (transferRunning(strapi)) return refuse(ctx);
    const epoch = transferEpoch(strapi);
    await next();
    // A transfer started while this request ran: what it read may have skipped the rule.
    if (transferEpoch(strapi) !== epoch) refuse(ctx);
  };
};
