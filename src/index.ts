import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import { ensureIndexes } from './bootstrap/indexes';
import { bootstrapChanges, registerChanges, stopChanges } from './changes';
import { applyEmailTemplates, sendAdminInvitations } from './email';
import { ensureLocales } from './bootstrap/locales';
import { applyRegistrationSetting } from './bootstrap/registration';
import { cacheOf, registerCache } from './cache';
import { registerFastPath } from './fast-path';
import { registerChangesQuery } from './graphql/changes';
import { registerSearchQuery } from './graphql/search';
import { registerEnumSpelling } from './graphql/enums';
import { registerGraphqlIde } from './graphql/ide';
import { bootstrapAudit, stopAudit } from './audit';
import { registerAuditRoutes } from './audit/routes';
import { bootstrapHistory, stopHistory } from './history';
import { registerHistoryRoutes } from './history/routes';
import { bootstrapReview } from './review';
import { startReviewMails, stopReviewMails } from './review/mail';
import { registerReviewRoutes } from './review/routes';
import { startSchedules, stopSchedules } from './schedules';
import { registerScheduleRoutes } from './schedules/routes';
import { bootstrapTranslations } from './translations';
import { registerTranslationRoutes } from './translations/routes';
import { registerHiddenFields } from './graphql/hidden-fields';
import { registerSchemaDocument } from './graphql/schema-document';
import { registerTimelineQuery } from './graphql/timeline';
import { localeFallback } from './i18n/fallback';
import { registerApiReference } from './openapi/reference';
import { registerOps, stopOps } from './ops';
import { applyAdminRoles, applyContentApiPermissions } from './permissions/apply';
import { applyAdminViews } from './admin-views';
import { publicationRules } from './permissions/publication';
import { adminWriteRules } from './security/admin-writes';
import { assertAccountTimingEven, evenAdminAuthWork, settleAfterAnswers } from './security/account-timing';
import { assertDataTransfersWatched, watchDataTransfers } from './security/data-transfer';
import { auditDataTransfers } from './audit/recorders';
import { relationWriteRules } from './security/relation-writes';
import { publishedOnlyForReaders } from './security/published-only';
import { assertReadOnlyTokensLimited, limitReadOnlyTokens } from './security/read-only-tokens';
import { bootstrapSearch, registerSearch } from './search';
import { seedIfEmpty } from './seed';
import { documentRules } from './validation/document-rules';
import { imageAltRule } from './validation/image-alt';
import { registerWebpFormats } from './extensions/upload/webp';
import { registerNoAiRoutes } from './admin-views/no-ai-routes';
import { registerWebhooks, startWebhooks, stopWebhooks } from './webhooks';
import { seedTerms } from './vocabulary/terms';

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    // Readiness, request log, metrics and the SIGTERM drain (src/ops): first, for every request.
    registerOps(strapi);
    // Data transfers switch Strapi's lifecycles off: watched before anything hooks into their end.
    watchDataTransfers(strapi);
    // Document Service middlewares: they hold for REST, GraphQL and the admin panel alike. They run
    // in this order: the rules of the data first (a broken rule is a 400 whoever writes), then who
    // may do what (content API, then admin roles, then the other side of relations), then the
    // locale fallback, which rewrites reads that the rules before it have already restricted; the
    // fast path's reads without a transaction come last (registered by registerFastPath below), as
    // they must wrap only the call that really reaches the database.
    strapi.documents.use(documentRules);
    strapi.documents.use(imageAltRule(strapi));
    strapi.documents.use(publicationRules(strapi));
    strapi.documents.use(adminWriteRules(strapi));
    strapi.documents.use(relationWriteRules(strapi));
    strapi.documents.use(localeFallback(strapi));
    // The change feed records what a write changed of the published content, in its transaction,
    // and the history every version a write saved (src/history).
    registerChanges(strapi);
    // The history's staff API: /admin/history/... (versions, one version, restore).
    registerHistoryRoutes(strapi);
    // WebP copies of every JPEG and PNG image and of its formats, listed as formats of the file.
    registerWebpFormats(strapi);
    // « No AI here » for the panel's questions about Strapi's AI features (no 404 per edit view).
    registerNoAiRoutes(strapi);
    // The audit log's staff API (/admin/audit-logs, super administrators) and the data transfers
    // it records (its other recorders: global::audit and the change feed's middleware).
    registerAuditRoutes(strapi);
    // Review before publishing: /admin/review (the stages' rules on writes: the change feed's middleware).
    registerReviewRoutes(strapi);
    // Scheduled publishing: /admin/schedules (the runs: pg-boss jobs, started at bootstrap).
    registerScheduleRoutes(strapi);
    // Translation status: /admin/translations (kept by the change feed's middleware, src/translations).
    registerTranslationRoutes(strapi);
    auditDataTransfers(strapi);
    // The search index is rewritten by every write, in its transaction (src/search).
    registerSearch(strapi);
    // Partner webhooks: subscription rules (a forbidden URL is a 400) and the secret's admin route.
    registerWebhooks(strapi);
    // Beneath the Document Service: readers who may not read drafts see published rows along every
    // relation path; read-only API tokens read what the public role reads. Not switchable.
    publishedOnlyForReaders(strapi);
    limitReadOnlyTokens(strapi);
    // Admin logins and password resets do the same work for every address (not switchable).
    evenAdminAuthWork(strapi);
    registerTimelineQuery(strapi);
    registerChangesQuery(strapi);
    registerSearchQuery(strapi);
    // GraphQL: enumeration keys spelled as in REST, the schema as SDL, GraphiQL in development.
    registerEnumSpelling(strapi);
    registerHiddenFields(strapi); // UploadFile.related: no GraphQL field (it could only fail)
    registerSchemaDocument(strapi);
    registerGraphqlIde(strapi);
    // The readable API reference at /api/docs (Swagger UI over /api/openapi.json).
    registerApiReference(strapi);
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
    assertDataTransfersWatched(strapi);
    await assertAccountTimingEven(strapi);
    await ensureIndexes(strapi);
    await bootstrapChanges(strapi); // change feed table, pruning at boot and daily
    await bootstrapHistory(strapi); // history table, pruning at boot and daily
    await bootstrapAudit(strapi); // audit log tables, pruning at boot and daily
    await bootstrapReview(strapi); // review stages and mail tables
    startReviewMails(strapi); // review mails: every minute, and after each move
    await bootstrapTranslations(strapi); // translation baselines table
    await bootstrapSearch(strapi); // search index table and extensions, rebuilt at every boot
    await ensureLocales(strapi);
    await applyContentApiPermissions(strapi);
    await applyAdminRoles(strapi);
    await applyAdminViews(strapi);
    await seedTerms(strapi); // vocabulary labels: missing terms and locales from src/vocabulary/labels.ts
    await applyRegistrationSetting(strapi);
    await applyEmailTemplates(strapi);
    // Import database/seed/ into an empty database; on by default outside production.
    if (env.bool('SEED_ON_BOOT', env('NODE_ENV') !== 'production')) await seedIfEmpty(strapi);
    // Partner webhooks: the delivery queue (pg-boss, PostgreSQL only) and its workers.
    await startWebhooks(strapi);
    // Scheduled publishing: its table, its queue and worker on the same job engine (src/schedules).
    await startSchedules(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await stopOps(strapi);
    await settleAfterAnswers(strapi); // password reset mails of answers already sent
    stopSchedules(strapi); // its worker stops with the job engine, after a run in progress
    await stopWebhooks(strapi);
    stopChanges(strapi);
    stopHistory(strapi);
    stopAudit(strapi);
    await stopReviewMails(strapi);
    await cacheOf(strapi).close();
  },
};
