import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import { ensureLocales } from './bootstrap/locales';
import { applyContentApiPermissions } from './permissions/apply';
import { draftsOnly } from './permissions/drafts-only';
import { seedIfEmpty } from './seed';
import { registerDocumentRules } from './validation/document-rules';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerDocumentRules(strapi);
    strapi.documents.use(draftsOnly(strapi));
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await applyContentApiPermissions(strapi);
    // Import database/seed/ into an empty database; on by default outside production.
    if (env.bool('SEED_ON_BOOT', env('NODE_ENV') !== 'production')) await seedIfEmpty(strapi);
  },
};
