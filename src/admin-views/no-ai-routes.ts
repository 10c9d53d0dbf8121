/**
 * The panel of Strapi 5.54 (the Content Manager's document actions, the i18n plugin's header)
 * asks on every edit view whether Strapi's AI features (a paid cloud service) are set up:
 * `GET /admin/ai-feature-config` and `GET /i18n/ai-localization-jobs/...`. A community-edition
 * server has no such routes, so each edit view left 404s in the browser's console and the request
 * log. These answer what they would for a project without AI: nothing configured, no job. No AI or
 * enterprise feature is enabled by them; admin sessions only, as the routes they stand for.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

export function registerNoAiRoutes(strapi: Core.Strapi): void {
  const config = { policies: ['admin::isAuthenticatedAdmin'] };
  const none = (data: unknown) => (ctx: Context) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data };
  };
  strapi.server.routes({
    type: 'admin',
    prefix: '',
    routes: [
      {
        method: 'GET',
        path: '/admin/ai-feature-config',
        handler: none({ isAiI18nConfigured: false, isAiMediaLibraryConfigured: false }),
        config,
      },
      {
        method: 'GET',
        path: '/i18n/ai-localization-jobs/collection-types/:model/:documentId',
        handler: none(null),
        config,
      },
      { method: 'GET', path: '/i18n/ai-localization-jobs/single-types/:model', handler: none(null), config },
    ],
  } as never);
}
