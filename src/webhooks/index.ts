/**
 * Webhooks for partners (docs/partners.en.md, "Webhooks"): every change of the feed
 * (src/changes) POSTed, signed, to each matching active subscription, through a durable queue
 * (pg-boss, PostgreSQL only). Hooked into src/index.ts: register, bootstrap and destroy.
 */
import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import { registerAdminRoutes } from './admin-routes';
import { nudge, queueDepth, startQueue, stopQueue } from './queue';
import { webhookSettings } from './settings';
import { ensureStateTable } from './store';
import { DELIVERY_UID, SUBSCRIPTION_UID, subscriptionRules } from './subscriptions';

export { SUBSCRIPTION_UID, DELIVERY_UID, queueDepth };

export function registerWebhooks(strapi: Core.Strapi): void {
  strapi.documents.use(subscriptionRules(strapi, (documentId) => nudge(strapi, documentId)));
  registerAdminRoutes(strapi);
  // Staff-only types: no GraphQL types or operations (and no REST route: their APIs have none).
  if (strapi.plugin('graphql'))
    for (const uid of [SUBSCRIPTION_UID, DELIVERY_UID])
      strapi.plugin('graphql').service('extension').shadowCRUD(uid).disable();
}

export async function startWebhooks(strapi: Core.Strapi): Promise<void> {
  // A switch for tests and development, easy to carry into production unnoticed: said at every boot.
  if (env('NODE_ENV') === 'production' && webhookSettings().allowPrivateUrls)
    strapi.log.warn(
      'WEBHOOK_ALLOW_PRIVATE_URLS=true in production: partner webhook subscriptions may name plain-HTTP loopback URLs and the media library may upload from them, so services listening on this machine can be reached. It is for tests and development only: remove it from the environment.',
    );
  await ensureStateTable(strapi);
  await startQueue(strapi);
}

export async function stopWebhooks(strapi: Core.Strapi): Promise<void> {
  await stopQueue(strapi);
}
