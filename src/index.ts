import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import { ensureIndexes } from './bootstrap/indexes';
import { applyEmailTemplates, sendAdminInvitations } from './email';
import { ensureLocales } from './bootstrap/locales';
import { applyRegistrationSetting } from './bootstrap/registration';
import { cacheOf, registerCache } from './cache';
import { registerFastPath } from './fast-path';
import { registerTimelineQuery } from './graphql/timeline';
import { localeFallback } from './i18n/fallback';
import { applyAdminRoles, applyContentApiPermissions } from './permissions/apply';
import { applyAdminViews } from './admin-views';
import { publicationRules } from './permissions/publication';
import { adminWriteRules } from './security/admin-writes';
import { publishedOnlyForReaders } from './security/published-only';
import { assertReadOnlyTokensLimited, limitReadOnlyTokens } from './security/read-only-tokens';
import { seedIfEmpty } from './seed';
import { documentRules } from './validation/document-rules';

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    // Document Service middlewares: they hold for REST, GraphQL and the admin panel alike. They run
    // in this order: the rules of the data first (a broken rule is a 400 whoever writes), then who
    // may do what (content API, then admin roles), then the locale fallback, which rewrites reads
    // that the rules before it have already restricted; the fast path's reads without a
    // transaction come last (registered by registerFastPath below), as they must wrap only the
    // call that really reaches the database.
    strapi.documents.use(documentRules);
    strapi.documents.use(publicationRules(strapi));
    strapi.documents.use(adminWriteRules(strapi));
    strapi.documents.use(localeFallback(strapi));
    // Beneath the Document Service: readers who may not read drafts see published rows along every
    // relation path; read-only API tokens read what the public role reads. Not switchable.
    publishedOnlyForReaders(strapi);
    limitReadOnlyTokens(strapi);
    registerTimelineQuery(strapi);
    // Invitations to the admin panel are mailed (Strapi only shows the link to the inviter).
    sendAdminInvitations(strapi);
    // The response cache and its write generation (not a patch of Strapi: RESPONSE_CACHE).
    registerCache(strapi);
    // Every replacement of a Strapi internal, each self-checked, all off with FAST_PATH=off:
    // src/fast-path/README.md is their inventory.
    await registerFastPath(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await assertReadOnlyTokensLimited(strapi);
    await ensureIndexes(strapi);
    await ensureLocales(strapi);
    await applyContentApiPermissions(strapi);
    await applyAdminRoles(strapi);
    await applyAdminViews(strapi);
    await applyRegistrationSetting(strapi);
    await applyEmailTemplates(strapi);
    // Import database/seed/ into an empty database; on by default outside production.
    if (env.bool('SEED_ON_BOOT', env('NODE_ENV') !== 'production')) await seedIfEmpty(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await cacheOf(strapi).close();
  },
};
