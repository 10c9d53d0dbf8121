import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import { ensureLocales } from './bootstrap/locales';
import { applyRegistrationSetting } from './bootstrap/registration';
import { registerTimelineQuery } from './graphql/timeline';
import { localeFallback } from './i18n/fallback';
import { applyAdminRoles, applyContentApiPermissions } from './permissions/apply';
import { publicationRules } from './permissions/publication';
import { seedIfEmpty } from './seed';
import { documentRules } from './validation/document-rules';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    // Document Service middlewares: they hold for REST, GraphQL and the admin panel alike.
    strapi.documents.use(documentRules);
    strapi.documents.use(publicationRules(strapi));
    strapi.documents.use(localeFallback(strapi));
    registerTimelineQuery(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await applyContentApiPermissions(strapi);
    await applyAdminRoles(strapi);
    await applyRegistrationSetting(strapi);
    // Import database/seed/ into an empty database; on by default outside production.
    if (env.bool('SEED_ON_BOOT', env('NODE_ENV') !== 'production')) await seedIfEmpty(strapi);
  },
};
