/**
 * Webhooks for partners (README.md, "Webhooks for partners"): every change of the feed
 * (src/changes) POSTed, signed, to each matching active subscription, through a durable queue
 * (pg-boss, PostgreSQL only). Hooked into src/index.ts: register, bootstrap and destroy.
 */
import type { Core } from '@strapi/strapi';
import { registerAdminRoutes } from './admin-routes';
import { nudge, queueDepth, startQueue, stopQueue } from './queue';
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
  await ensureStateTable(strapi);
  await startQueue(strapi);
}

export async function stopWebhooks(strapi: Core.Strapi): Promise<void> {
  await stopQueue(strapi);
}
