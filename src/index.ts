import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import { ensureIndexes } from './bootstrap/indexes';
import { ensureLocales } from './bootstrap/locales';
import { applyRegistrationSetting } from './bootstrap/registration';
import { cacheOf, memoizeSettings, registerCache } from './cache';
import { readsWithoutTransaction } from './database/reads';
import { batchRelationLoads } from './graphql/batch-relations';
import { resolvePlainFieldsDirectly } from './graphql/plain-fields';
import { shareRelationPreparation } from './graphql/shared-relations';
import { registerTimelineQuery } from './graphql/timeline';
import { localeFallback } from './i18n/fallback';
import { applyAdminRoles, applyContentApiPermissions } from './permissions/apply';
import { publicationRules } from './permissions/publication';
import { adminWriteRules } from './security/admin-writes';
import { publishedOnlyForReaders } from './security/published-only';
import { assertReadOnlyTokensLimited, limitReadOnlyTokens } from './security/read-only-tokens';
import { sanitizeOutputInOnePass } from './sanitize/output';
import { memoizeAnonymousQueryChecks } from './sanitize/query';
import { seedIfEmpty } from './seed';
import { documentRules } from './validation/document-rules';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    // Document Service middlewares: they hold for REST, GraphQL and the admin panel alike. They run
    // in this order: the rules of the data first (a broken rule is a 400 whoever writes), then who
    // may do what (content API, then admin roles), then the locale fallback, which rewrites reads
    // that the rules before it have already restricted, and last the reads without a transaction,
    // which must wrap only the call that really reaches the database.
    strapi.documents.use(documentRules);
    strapi.documents.use(publicationRules(strapi));
    strapi.documents.use(adminWriteRules(strapi));
    strapi.documents.use(localeFallback(strapi));
    strapi.documents.use(readsWithoutTransaction(strapi));
    // Beneath the Document Service: readers who may not read drafts see published rows along every
    // relation path; read-only API tokens read what the public role reads.
    publishedOnlyForReaders(strapi);
    limitReadOnlyTokens(strapi);
    registerTimelineQuery(strapi);
    // Reads cost what the database costs: see src/cache and src/graphql/batch-relations.ts.
    registerCache(strapi);
    memoizeSettings(strapi);
    batchRelationLoads(strapi);
    resolvePlainFieldsDirectly(strapi);
    shareRelationPreparation(strapi);
    sanitizeOutputInOnePass(strapi);
    memoizeAnonymousQueryChecks(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await assertReadOnlyTokensLimited(strapi);
    await ensureIndexes(strapi);
    await ensureLocales(strapi);
    await applyContentApiPermissions(strapi);
    await applyAdminRoles(strapi);
    await applyRegistrationSetting(strapi);
    // Import database/seed/ into an empty database; on by default outside production.
    if (env.bool('SEED_ON_BOOT', env('NODE_ENV') !== 'production')) await seedIfEmpty(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await cacheOf(strapi).close();
  },
};
