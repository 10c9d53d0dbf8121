/**
 * The staff API of the translation status (issue 26, section 1), admin panel session required:
 * - `GET /admin/translations?locale=de&status=outdated|missing|current&uid=&documentId=` → `{ data:
 *   [{ uid, documentId, title, status, fields, sourceUpdatedAt }], meta: { total } }`, the entries
 *   the caller may read, oldest French change first (`status` may list several, comma-separated;
 *   `documentId`, with `uid`, one entry: what the edit view asks);
 * - `POST /admin/translations/:uid/:documentId/checked?locale=de` → 200 with the entry's new state
 *   (current): the French text of now becomes the baseline, the translation unchanged; 403 for a
 *   locale the caller may not update, 404 without a version in that locale, 400 for French.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { DEFAULT_LOCALE, LOCALE_CODES } from '../bootstrap/locales';
import { draftRow, entryChecker, isDocumentId, type EntryChecker } from '../utils/content-manager';
import { markChecked, STATUSES, translationStates, TRANSLATION_UIDS, type TranslationStatus } from './index';

type Row = Record<string, unknown>;

const invalid = (message: string, param: string, source = 'query') =>
  new errors.ValidationError(message, { source, param });

/** A locale other than French (the source), from the query. */
function targetLocale(value: unknown): string {
  if (typeof value !== 'string' || !(LOCALE_CODES as string[]).includes(value) || value === DEFAULT_LOCALE)
    throw invalid(
      `Invalid locale: one of ${LOCALE_CODES.filter((code) => code !== DEFAULT_LOCALE).join(', ')} (French is the source)`,
      'locale',
    );
  return value;
}

function statusesOf(value: unknown): TranslationStatus[] {
  if (value === undefined || value === '') return [...STATUSES];
  if (typeof value !== 'string') throw invalid(`Invalid status: ${STATUSES.join(', ')}`, 'status');
  const list = value.split(',');
  if (!list.every((status) => (STATUSES as readonly string[]).includes(status)))
    throw invalid(`Invalid status: one or more of ${STATUSES.join(', ')}`, 'status');
  return list as TranslationStatus[];
}

function uidsOf(value: unknown): readonly string[] {
  if (value === undefined || value === '') return TRANSLATION_UIDS;
  if (typeof value !== 'string' || !TRANSLATION_UIDS.includes(value))
    throw invalid('Invalid uid: a content type staff translate', 'uid');
  return [value];
}

/** The entries of `locale` at `statuses` the caller may read, oldest French change first. */
export async function readableStates(
  strapi: Core.Strapi,
  ctx: Context,
  locale: string,
  statuses: TranslationStatus[],
  uids: readonly string[],
  documentIds?: string[],
) {
  const data = [];
  for (const uid of uids) {
    const checker: EntryChecker = entryChecker(strapi, ctx, uid);
    for (const state of await translationStates(strapi, uid, locale, documentIds))
      if (statuses.includes(state.status) && checker.can.read({ ...state, locale: DEFAULT_LOCALE } as Row))
        data.push(state);
  }
  return data.sort(
    (a, b) => a.sourceUpdatedAt.localeCompare(b.sourceUpdatedAt) || a.documentId.localeCompare(b.documentId),
  );
}

async function list(strapi: Core.Strapi, ctx: Context) {
  const query = ctx.query as Row;
  const locale = targetLocale(query.locale);
  const documentId = query.documentId;
  if (documentId !== undefined && (!isDocumentId(documentId) || query.uid === undefined))
    throw invalid('Invalid documentId: a document id, with uid', 'documentId');
  const data = await readableStates(
    strapi,
    ctx,
    locale,
    statusesOf(query.status),
    uidsOf(query.uid),
    documentId === undefined ? undefined : [documentId as string],
  );
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data, meta: { total: data.length } };
}

async function checked(strapi: Core.Strapi, ctx: Context) {
  const { uid, documentId } = ctx.params as { uid: string; documentId: string };
  if (!TRANSLATION_UIDS.includes(uid))
    throw invalid('Invalid uid: a content type staff translate', 'uid', 'params');
  const locale = targetLocale((ctx.query as Row).locale);
  const row = await draftRow(strapi, uid, documentId, locale);
  if (!row) throw new errors.NotFoundError('No version of this entry in this locale');
  if (!entryChecker(strapi, ctx, uid).can.update(row))
    throw new errors.ForbiddenError('You may not update this entry in this locale');
  const user = (ctx.state as { user?: { id?: number } }).user;
  await markChecked(strapi, { uid, documentId, locale }, user?.id ?? null);
  const [state] = await translationStates(strapi, uid, locale, [documentId]);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: state };
}

export function registerTranslationRoutes(strapi: Core.Strapi): void {
  const config = { policies: ['admin::isAuthenticatedAdmin'] };
  strapi.server.routes({
    type: 'admin',
    prefix: '',
    routes: [
      { method: 'GET', path: '/admin/translations', handler: (ctx: Context) => list(strapi, ctx), config },
      {
        method: 'POST',
        path: '/admin/translations/:uid/:documentId/checked',
        handler: (ctx: Context) => checked(strapi, ctx),
        config,
      },
    ],
  } as never);
}
