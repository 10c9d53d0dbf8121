/**
 * The staff API of the history (issue 25, section 1), admin panel session required:
 * - `GET /admin/history/:uid/:documentId?locale=fr&page=&pageSize=`: the versions, newest first;
 * - `GET /admin/history/:uid/:documentId/:versionId?locale=fr`: one version's values;
 * - `POST /admin/history/:uid/:documentId/:versionId/restore?locale=fr`: the version becomes the new
 *   draft (never published; a type without drafts has only its live row).
 *
 * Rights are the Content Manager's, judged on the entry as it does (locales, "is creator"
 * conditions): reading the history needs `read` on the document in that locale, restoring needs
 * `update` (or `create` for a locale that no longer exists). A restore is a save: it goes through
 * the Document Service with the caller's request, so every rule a save obeys holds
 * (src/security/admin-writes.ts, src/validation/document-rules.ts). Fields that are not localized
 * and relations are restored only when the caller may change every other locale of the document
 * (as a save may); otherwise the localized fields alone are restored and the others named in
 * `meta.notRestored`. Links to documents or files deleted since are skipped and named in
 * `meta.skipped` (a single link, such as a project's site, then keeps the current one). API tokens
 * and API users never reach these routes (admin authentication); an admin token acts with the
 * rights it was given.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Core } from '@strapi/strapi';
import { errors, setCreatorFields } from '@strapi/utils';
import type { Context } from 'koa';
import { LOCALE_CODES } from '../bootstrap/locales';
import { draftRow, entryChecker } from '../utils/content-manager';
import { findVersion, isHistoryUid, listVersions, type VersionRow } from './index';
import { isLocalized, populateOf, valuesOf, versionedFields, type Values } from './values';

type Row = Record<string, unknown>;
interface AdminState {
  userAbility?: unknown;
  user?: { id: number };
  historyAction?: string;
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

const invalid = (message: string, param: string) =>
  new errors.ValidationError(message, { source: 'query', param });

/** The route's type and locale, checked. */
function target(ctx: Context): { uid: string; documentId: string; locale: string } {
  const { uid, documentId } = ctx.params as { uid: string; documentId: string };
  if (!isHistoryUid(uid))
    throw new errors.ValidationError(`Invalid uid: "${String(uid).slice(0, 64)}" has no history`, {
      param: 'uid',
    });
  const locale = String((ctx.query as Record<string, unknown>).locale ?? 'fr');
  if (!(LOCALE_CODES as string[]).includes(locale))
    throw invalid(`Invalid locale: one of ${LOCALE_CODES.join(', ')}`, 'locale');
  return { uid, documentId, locale };
}

function positive(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!/^[1-9][0-9]{0,5}$/.test(text) || Number(text) > max)
    throw invalid(`Invalid ${name}: a whole number from 1 to ${max}`, name);
  return Number(text);
}

/** Reading the history needs `read` on the document in that locale (on the type, once it is gone). */
async function mayRead(strapi: Core.Strapi, ctx: Context, uid: string, documentId: string, locale: string) {
  const checker = entryChecker(strapi, ctx, uid);
  const row = await draftRow(strapi, uid, documentId, locale);
  if (checker.cannot.read(row ?? { documentId, locale }))
    throw new errors.ForbiddenError('You may not read this document in this locale');
}

/** The version of this document and locale named by the route, or a 404. */
async function versionOf(strapi: Core.Strapi, ctx: Context): Promise<VersionRow> {
  const { uid, documentId, locale } = target(ctx);
  const version = await findVersion(strapi, String((ctx.params as { versionId: string }).versionId));
  if (!version || version.uid !== uid || version.documentId !== documentId || version.locale !== locale)
    throw new errors.NotFoundError('No such version of this document in this locale');
  return version;
}

const authorOf = (version: VersionRow) =>
  version.author?.kind === 'admin'
    ? {
        id: version.author.id,
        firstname: version.author.firstname ?? null,
        lastname: version.author.lastname ?? null,
      }
    : null;

async function list(strapi: Core.Strapi, ctx: Context) {
  const { uid, documentId, locale } = target(ctx);
  const query = ctx.query as Record<string, unknown>;
  const page = positive(query.page, 'page', 1, 100000);
  const pageSize = positive(query.pageSize, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  await mayRead(strapi, ctx, uid, documentId, locale);
  const { versions, total } = await listVersions(strapi, { uid, documentId, locale, page, pageSize });
  ctx.set('Cache-Control', 'no-store');
  ctx.body = {
    data: versions.map((version) => ({
      id: Number(version.id),
      createdAt: version.createdAt,
      status: version.status,
      author: authorOf(version),
      source: version.source,
      changedFields: version.changedFields,
    })),
    meta: { pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } },
  };
}

async function show(strapi: Core.Strapi, ctx: Context) {
  // Rights first: who may not read the document learns nothing of its versions' ids.
  const { uid, documentId, locale } = target(ctx);
  await mayRead(strapi, ctx, uid, documentId, locale);
  const version = await versionOf(strapi, ctx);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = {
    data: { ...version.data },
    meta: {
      id: Number(version.id),
      createdAt: version.createdAt,
      status: version.status,
      action: version.action,
      author: authorOf(version),
      source: version.source,
      changedFields: version.changedFields,
      labels: version.labels,
    },
  };
}

/** What of `data` still exists: links to deleted documents and files are dropped and named. */
async function existing(
  strapi: Core.Strapi,
  uid: string,
  locale: string,
  data: Values,
  labels: Record<string, string>,
) {
  const skipped: { field: string; documentId?: string; fileId?: number; label: string }[] = [];
  const restored: Values = { ...data };
  for (const [field, attribute] of versionedFields(strapi, uid)) {
    const value = data[field];
    if (value === null || value === undefined) continue;
    if (attribute.type === 'relation' && attribute.target) {
      const ids = (Array.isArray(value) ? value : [value]).map(String);
      const targetModel = strapi.getModel(attribute.target as never) as {
        pluginOptions?: { i18n?: { localized?: boolean } };
      };
      const rows = (await strapi.db.query(attribute.target as never).findMany({
        select: ['documentId'],
        where: {
          documentId: { $in: ids },
          ...(targetModel.pluginOptions?.i18n?.localized ? { locale } : {}),
        },
      } as never)) as Row[];
      const present = new Set(rows.map((row) => String(row.documentId)));
      for (const id of ids)
        if (!present.has(id)) skipped.push({ field, documentId: id, label: labels[id] ?? id });
      const kept = ids.filter((id) => present.has(id));
      restored[field] = Array.isArray(value) ? kept : (kept[0] ?? null);
    } else if (attribute.type === 'media') {
      const ids = (Array.isArray(value) ? value : [value]).map(Number);
      const rows = (await strapi.db.query('plugin::upload.file').findMany({
        select: ['id'],
        where: { id: { $in: ids } },
      })) as Row[];
      const present = new Set(rows.map((row) => Number(row.id)));
      for (const id of ids)
        if (!present.has(id)) skipped.push({ field, fileId: id, label: labels[`file:${id}`] ?? String(id) });
      const kept = ids.filter((id) => present.has(id));
      restored[field] = Array.isArray(value) ? kept : (kept[0] ?? null);
    }
  }
  return { restored, skipped };
}

/** The inverse side of a relation whose other side holds one document (a site's projects). */
function movesOthers(strapi: Core.Strapi, uid: string, field: string): boolean {
  const attribute = (strapi.getModel(uid as never) as unknown as { attributes: Record<string, Row> })
    .attributes[field];
  if (attribute?.type !== 'relation' || typeof attribute.mappedBy !== 'string') return false;
  const target = strapi.getModel(String(attribute.target) as never) as unknown as {
    attributes: Record<string, Row>;
  };
  return ['manyToOne', 'oneToOne'].includes(String(target.attributes[attribute.mappedBy]?.relation));
}

async function restore(strapi: Core.Strapi, ctx: Context) {
  const version = await versionOf(strapi, ctx);
  const { uid, documentId, locale } = version;
  const checker = entryChecker(strapi, ctx, uid);
  const current = await draftRow(strapi, uid, documentId, locale);
  const others = (await strapi.db.query(uid as never).findMany({
    where: { documentId, locale: { $ne: locale } },
    populate: ['createdBy'],
  } as never)) as Row[];
  if (!current && others.length === 0)
    throw new errors.NotFoundError('This document was deleted: its history can be read, not restored');
  if (current ? checker.cannot.update(current) : checker.cannot.create({ ...others[0], documentId, locale }))
    throw new errors.ForbiddenError('You may not change this document in this locale');

  const { restored, skipped } = await existing(strapi, uid, locale, version.data, version.labels);
  // Shared fields and relations change every locale: restored by who may change them all.
  // A restore sends what differs from the draft, so that the rules judge real changes only.
  const now = current
    ? valuesOf(
        strapi,
        uid,
        (await strapi.db.query(uid as never).findOne({
          where: { id: current.id },
          populate: populateOf(strapi, uid),
        } as never)) as Row,
      )
    : {};
  // Shared fields and relations change every locale: restored by who may change them all.
  const mayChangeShared = others.every((row) => checker.can.update(row));
  const changes: Values = {};
  const notRestored: string[] = [];
  for (const [field] of versionedFields(strapi, uid)) {
    if (!(field in restored) || isDeepStrictEqual(now[field] ?? null, restored[field] ?? null)) continue;
    // A single link whose entry was deleted since keeps the current one (a project keeps a site).
    if (restored[field] === null && skipped.some((item) => item.field === field)) continue;
    // A site's projects each have one site: they are moved from their side, never by a restore.
    if ((!mayChangeShared && !isLocalized(strapi, uid, field)) || movesOthers(strapi, uid, field))
      notRestored.push(field);
    else changes[field] = restored[field];
  }
  const state = ctx.state as AdminState;
  const permitted = current
    ? await checker.sanitizeUpdateInput(current)(changes)
    : await checker.sanitizeCreateInput(changes);
  const data = setCreatorFields({ user: state.user as never, isEdition: Boolean(current) })(permitted);
  state.historyAction = 'restore';
  const draft = (await strapi.documents(uid as never).update({
    documentId,
    locale,
    data,
    populate: '*',
  } as never)) as Row | null;
  if (!draft) throw new errors.NotFoundError('No such document');
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: await checker.sanitizeOutput(draft), meta: { skipped, notRestored } };
}

export function registerHistoryRoutes(strapi: Core.Strapi): void {
  const config = { policies: ['admin::isAuthenticatedAdmin'] };
  strapi.server.routes({
    type: 'admin',
    prefix: '',
    routes: [
      {
        method: 'GET',
        path: '/admin/history/:uid/:documentId',
        handler: (ctx: Context) => list(strapi, ctx),
        config,
      },
      {
        method: 'GET',
        path: '/admin/history/:uid/:documentId/:versionId',
        handler: (ctx: Context) => show(strapi, ctx),
        config,
      },
      {
        method: 'POST',
        path: '/admin/history/:uid/:documentId/:versionId/restore',
        handler: (ctx: Context) => restore(strapi, ctx),
        config,
      },
    ],
  } as never);
}
