/**
 * Locale fallback for the content API, for every localized type at once (Strapi does not do it:
 * strapi/strapi#10806). A read in locale L returns every entry: in L where that version exists,
 * otherwise in the default locale; each entry's `locale` tells which. Totals match the default
 * locale's.
 *
 * Lists and counts are rewritten into one query over both locales: entries in L, plus the
 * default-locale entries of the documents that have no L version (found with one SQL statement,
 * and only when there are such documents). A single entry that has no L version is read again in
 * the default locale. Only content API requests (REST /api, /graphql) fall back: the admin panel
 * must see what really exists in each locale.
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { untilNextWrite } from '../cache';
import { contentApiState } from '../permissions/publication';

type Params = {
  locale?: string;
  status?: string;
  filters?: Record<string, unknown>;
  [key: string]: unknown;
};

const LIST_ACTIONS = new Set(['findMany', 'count']);
const SINGLE_ACTIONS = new Set(['findOne', 'findFirst']);

/** documentIds that have a default-locale version but no `locale` version, in the same status. */
async function documentsMissingLocale(
  strapi: Core.Strapi,
  uid: string,
  locale: string,
  draftAndPublish: boolean,
  status: string | undefined,
): Promise<string[]> {
  const meta = strapi.db.metadata.get(uid as never);
  const column = (attribute: string) =>
    (meta.attributes[attribute] as { columnName?: string }).columnName ?? attribute;
  const [documentId, localeColumn, publishedAt] = [
    column('documentId'),
    column('locale'),
    column('publishedAt'),
  ];
  const knex = strapi.db.connection;
  const inStatus = (query: ReturnType<typeof knex>) => {
    if (!draftAndPublish) return query;
    return status === 'draft' ? query.whereNull(publishedAt) : query.whereNotNull(publishedAt);
  };
  const translated = inStatus(knex(meta.tableName).select(documentId).where(localeColumn, locale));
  const rows: Record<string, string>[] = await inStatus(
    knex(meta.tableName).distinct(documentId).where(localeColumn, DEFAULT_LOCALE),
  ).whereNotIn(documentId, translated);
  return rows.map((row) => row[documentId]);
}

const localeLoaders = new WeakMap<Core.Strapi, () => Promise<Set<string>>>();

/**
 * The locale codes the i18n plugin has, read again after any write (an administrator may add one
 * in Settings > Internationalization). The one source of valid locales: the content types' routes
 * (below), the timeline, the vocabulary and the listings (./locale-query.ts) all ask here.
 */
export function localeCodes(strapi: Core.Strapi): Promise<Set<string>> {
  let load = localeLoaders.get(strapi);
  if (!load) {
    load = untilNextWrite(strapi, async () => {
      const locales: { code: string }[] = await strapi.plugin('i18n').service('locales').find();
      return new Set(locales.map((locale) => locale.code));
    });
    localeLoaders.set(strapi, load);
  }
  return load();
}

export function localeFallback(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  const isLocalized = (contentType: unknown) =>
    strapi.plugin('i18n').service('content-types').isLocalizedContentType(contentType);

  return async (context, next) => {
    const params = context.params as Params;
    const locale = params.locale;
    if (!locale || !isLocalized(context.contentType) || !contentApiState(strapi)) return next();
    // `*` is Strapi's "every locale at once": a write may name it (deleting every version of a
    // draft), a read may not (the content API reads one locale, with fallback): refused below.
    const reading = SINGLE_ACTIONS.has(context.action) || LIST_ACTIONS.has(context.action);
    if (locale === '*' && !reading) return next();

    // Strapi itself answers an unknown locale with the default one, or nothing at all.
    const codes = await localeCodes(strapi);
    if (!codes.has(locale)) {
      throw new errors.ValidationError(`Invalid locale "${locale}": use one of ${[...codes].join(', ')}`);
    }
    if (locale === DEFAULT_LOCALE) return next();

    if (SINGLE_ACTIONS.has(context.action)) {
      const found = await next();
      if (found) return found;
      // Re-entering the Document Service runs every middleware again, now in the default locale.
      const documents = strapi.documents(context.uid);
      const again = { ...params, locale: DEFAULT_LOCALE };
      return context.action === 'findOne'
        ? documents.findOne(again as Parameters<typeof documents.findOne>[0])
        : documents.findFirst(again as Parameters<typeof documents.findFirst>[0]);
    }
    if (!LIST_ACTIONS.has(context.action)) return next();

    const draftAndPublish = context.contentType.options?.draftAndPublish === true;
    const missing = await documentsMissingLocale(strapi, context.uid, locale, draftAndPublish, params.status);
    if (missing.length === 0) return next();

    const eitherLocale = {
      $or: [{ locale: { $eq: locale } }, { locale: { $eq: DEFAULT_LOCALE }, documentId: { $in: missing } }],
    };
    params.filters = params.filters ? { $and: [params.filters, eitherLocale] } : eitherLocale;
    params.locale = '*';
    return next();
  };
}
