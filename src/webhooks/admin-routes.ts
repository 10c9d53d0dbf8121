/**
 * The admin API of the webhooks (admin panel session required): a new signing secret for a
 * subscription, returned this once (the button in the subscription's edit view,
 * src/admin/extensions/webhook-secret.tsx). Who may update subscriptions may rotate their secret.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { nudge } from './queue';
import { PREVIOUS_SECRET_HOURS, replaceSecret } from './store';
import { SUBSCRIPTION_UID } from './subscriptions';

interface Ability {
  can(action: string, subject?: string): boolean;
}

export function registerAdminRoutes(strapi: Core.Strapi): void {
  strapi.server.routes({
    type: 'admin',
    prefix: '',
    routes: [
      {
        method: 'POST',
        path: '/webhook-subscriptions/:documentId/secret',
        handler: async (ctx: Context) => {
          const ability = (ctx.state as { userAbility?: Ability }).userAbility;
          if (!ability?.can('plugin::content-manager.explorer.update', SUBSCRIPTION_UID))
            throw new errors.ForbiddenError('You may not change webhook subscriptions');
          const { documentId } = ctx.params as { documentId: string };
          const found = await strapi.db
            .query(SUBSCRIPTION_UID as never)
            .findOne({ where: { documentId }, populate: ['createdBy'] });
          if (!found) throw new errors.NotFoundError('No such webhook subscription');
          // Judged on the entry, as the Content Manager judges an update (conditions included).
          const checker = strapi
            .plugin('content-manager')
            .service('permission-checker')
            .create({ userAbility: ability, model: SUBSCRIPTION_UID });
          if (checker.cannot.update(found))
            throw new errors.ForbiddenError('You may not change this webhook subscription');
          const secret = await replaceSecret(strapi, documentId, { keepPrevious: true });
          // The first secret shown releases the changes that waited for it.
          nudge(strapi, documentId);
          ctx.set('Cache-Control', 'no-store');
          ctx.body = {
            data: {
              secret,
              previousSecretValidUntil: new Date(
                Date.now() + PREVIOUS_SECRET_HOURS * 3600 * 1000,
              ).toISOString(),
            },
          };
        },
        config: { policies: ['admin::isAuthenticatedAdmin'] },
      },
    ],
  } as never);
}
