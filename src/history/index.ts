/**
 * History (issue 25, section 1): every save of a document in a locale keeps a version, whatever
 * path the write took (REST, GraphQL, the Content Manager, scripts).
 *
 * Recorded by the change feed's Document Service middleware (../changes), in the write's
 * transaction and with the links it already reads before and after the write: the written
 * document's versions in every locale the write targeted (always) or changed (a shared field
 * copied into the other locales), and the documents at the other end of a link the write made or
 * removed (a site whose projects changed, funders of a project given other funders). A version
 * holds the values of the draft row (./values.ts), the document's status after the write
 * (`draft`, `modified`, `published`, or `deleted`), who wrote (admin user, API user or token, or a
 * script: no request), the action and the fields that changed since the previous version.
 *
 * Off with HISTORY=false. Retention: versions older than HISTORY_RETENTION_DAYS (365) are pruned
 * at boot and daily, the newest HISTORY_KEEP (20) of each document and locale always kept.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Core } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import type { Link } from '../changes/links';
import { ensureTables, envDays, pruneDaily, stopPruning } from '../utils/upkeep';
import { HISTORY_UIDS, isHistoryUid } from './uids';
import { changedFields, populateOf, valuesOf, type Labels, type Values } from './values';

export const TABLE = 'history_versions';
const MIGRATION = '2026.12.07T00.00.00.history.js';
export const KEEP_NEWEST = 20;
const DAY_MS = 24 * 60 * 60 * 1000;

export type VersionStatus = 'draft' | 'modified' | 'published' | 'deleted';
export type VersionSource = 'admin' | 'content-api' | 'script';
export interface Author {
  kind: 'admin' | 'admin-token' | 'user' | 'api-token';
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  username?: string | null;
  name?: string | null;
}
export interface VersionRow {
  id: string;
  uid: string;
  documentId: string;
  locale: string;
  status: VersionStatus;
  action: string;
  source: VersionSource;
  author: Author | null;
  changedFields: string[];
  data: Values;
  labels: Labels;
  createdAt: string;
}

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, unknown>;

export { HISTORY_UIDS, isHistoryUid };

export const historyEnabled = () => process.env.HISTORY !== 'false';

const draftAndPublish = (strapi: Core.Strapi, uid: string) =>
  Boolean(
    (strapi.getModel(uid as never) as { options?: { draftAndPublish?: boolean } }).options?.draftAndPublish,
  );

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres';
const isPostgresKnex = (knex: Knex) =>
  ['pg', 'postgres', 'postgresql'].includes(String(knex.client.config.client));
const fromJson = <T>(value: unknown): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : (value as T);

interface RequestState {
  route?: { info?: { type?: string } };
  user?: { id: number; firstname?: string | null; lastname?: string | null; username?: string };
  auth?: { strategy?: { name?: string }; credentials?: { id?: number; name?: string } };
  /** Set by the restore route: the write it makes is a restore. */
  historyAction?: string;
}

/** Who is writing: the request being served, or a script (no request). */
function writer(strapi: Core.Strapi): { source: VersionSource; author: Author | null; action?: string } {
  const ctx = strapi.requestContext.get() as { state?: RequestState } | undefined;
  const state = ctx?.state;
  if (!state) return { source: 'script', author: null };
  const action = state.historyAction;
  const strategy = state.auth?.strategy?.name;
  if (strategy === 'admin-token')
    return {
      source: 'admin',
      action,
      author: {
        kind: 'admin-token',
        id: state.auth?.credentials?.id ?? 0,
        name: state.auth?.credentials?.name ?? null,
      },
    };
  if (state.route?.info?.type === 'admin' || strategy === 'admin') {
    const user = state.user;
    return {
      source: 'admin',
      action,
      author: user
        ? { kind: 'admin', id: user.id, firstname: user.firstname ?? null, lastname: user.lastname ?? null }
        : null,
    };
  }
  if (
    (strategy === 'api-token' || strategy === 'content-api-token') &&
    state.auth?.credentials?.id !== undefined
  )
    return {
      source: 'content-api',
      action,
      author: { kind: 'api-token', id: state.auth.credentials.id, name: state.auth.credentials.name ?? null },
    };
  if (strategy === 'users-permissions' && state.user)
    return {
      source: 'content-api',
      action,
      author: { kind: 'user', id: state.user.id, username: state.user.username ?? null },
    };
  return { source: 'content-api', action, author: null };
}

/** The draft rows (or only rows) of `documentIds`, loaded with every versioned field. */
async function currentValues(
  strapi: Core.Strapi,
  uid: string,
  documentIds: string[],
): Promise<Map<string, { values: Values; labels: Labels }>> {
  const found = new Map<string, { values: Values; labels: Labels }>();
  if (documentIds.length === 0) return found;
  const rows = (await strapi.db.query(uid as never).findMany({
    where: {
      documentId: { $in: documentIds },
      ...(draftAndPublish(strapi, uid) ? { publishedAt: null } : {}),
    },
    populate: populateOf(strapi, uid),
  } as never)) as Row[];
  for (const row of rows) {
    const labels: Labels = {};
    const values = valuesOf(strapi, uid, row, labels);
    found.set(`${String(row.documentId)}|${String(row.locale ?? '')}`, { values, labels });
  }
  return found;
}

/** `documentId|locale` -> the status of that version (types without drafts: always published). */
async function statuses(
  strapi: Core.Strapi,
  knex: Knex,
  uid: string,
  documentIds: string[],
): Promise<Map<string, VersionStatus>> {
  const result = new Map<string, VersionStatus>();
  if (!draftAndPublish(strapi, uid) || documentIds.length === 0) return result;
  const meta = strapi.db.metadata.get(uid as never) as unknown as {
    tableName: string;
    attributes: Record<string, { columnName?: string } | undefined>;
  };
  const column = (name: string) => meta.attributes[name]?.columnName ?? name;
  const rows: Row[] = await knex(meta.tableName)
    .select({
      documentId: column('documentId'),
      locale: column('locale'),
      publishedAt: column('publishedAt'),
      updatedAt: column('updatedAt'),
    })
    .whereIn(column('documentId'), documentIds);
  const byVersion = new Map<string, { draft?: Row; published?: Row }>();
  for (const row of rows) {
    const key = `${String(row.documentId)}|${String(row.locale ?? '')}`;
    const entry = byVersion.get(key) ?? {};
    if (row.publishedAt === null) entry.draft = row;
    else entry.published = row;
    byVersion.set(key, entry);
  }
  const time = (row: Row | undefined) =>
    row?.updatedAt instanceof Date ? row.updatedAt.getTime() : new Date(String(row?.updatedAt)).getTime();
  for (const [key, { draft, published }] of byVersion) {
    // As the Content Manager tells them apart: a draft saved after the publication is "modified".
    if (!published) result.set(key, 'draft');
    else result.set(key, draft && time(draft) > time(published) ? 'modified' : 'published');
  }
  return result;
}

/** The newest version of each `documentId|locale` among `documentIds` of `uid`. */
async function newestVersions(
  knex: Knex,
  uid: string,
  documentIds: string[],
): Promise<Map<string, { status: string; data: Values }>> {
  const found = new Map<string, { status: string; data: Values }>();
  if (documentIds.length === 0) return found;
  // The newest row of each document and locale, read through the (uid, document_id, locale, id)
  // index: PostgreSQL's DISTINCT ON, a window elsewhere.
  const rows: Row[] = isPostgresKnex(knex)
    ? await knex(TABLE)
        .distinctOn('document_id', 'locale')
        .select('document_id', 'locale', 'status', 'data')
        .where('uid', uid)
        .whereIn('document_id', documentIds)
        .orderBy([{ column: 'document_id' }, { column: 'locale' }, { column: 'id', order: 'desc' }])
    : await knex
        .select('*')
        .from(
          knex(TABLE)
            .select('document_id', 'locale', 'status', 'data')
            .select(knex.raw('row_number() OVER (PARTITION BY document_id, locale ORDER BY id DESC) AS n'))
            .where('uid', uid)
            .whereIn('document_id', documentIds)
            .as('ranked'),
        )
        .where('n', 1);
  for (const row of rows)
    found.set(`${String(row.document_id)}|${String(row.locale)}`, {
      status: String(row.status),
      data: fromJson<Values>(row.data),
    });
  return found;
}

export interface WriteInput {
  uid: string;
  action: string;
  documentId: string;
  /** The locale the write was asked for ('*': all; none: the default). */
  locale?: string;
  /** The written document's values before a delete (its locales that may be gone after it). */
  deleted?: Map<string, { values: Values; labels: Labels }>;
  /** The links the write made or removed (../changes/links.ts). */
  changed: Link[];
}

/** Values of the written document before a delete (called before the write, in its transaction). */
export async function valuesBeforeDelete(
  strapi: Core.Strapi,
  uid: string,
  documentId: string | undefined,
): Promise<Map<string, { values: Values; labels: Labels }>> {
  if (!documentId) return new Map();
  return currentValues(strapi, uid, [documentId]);
}

/** Records the versions a write made (called after it, in its transaction); returns the locales of
 * the written document whose values or status changed. */
export async function recordVersions(
  strapi: Core.Strapi,
  knex: Knex,
  input: WriteInput,
): Promise<Set<string>> {
  const changedLocales = new Set<string>();
  // uid -> documentId -> the locales the write asked for ('*' for all)
  const targets = new Map<string, Map<string, Set<string>>>();
  const target = (uid: string, documentId: string) => {
    if (!targets.has(uid)) targets.set(uid, new Map());
    const documents = targets.get(uid)!;
    if (!documents.has(documentId)) documents.set(documentId, new Set());
    return documents.get(documentId)!;
  };
  target(input.uid, input.documentId).add(input.locale ?? DEFAULT_LOCALE);
  for (const link of input.changed) {
    for (const [end, other] of [
      [link.from, link.to],
      [link.to, link.from],
    ]) {
      if (end.uid === input.uid && end.documentId === input.documentId) continue;
      // The row a version is made of: the draft, or the only row of a type without drafts (its
      // version is recorded when its values changed: a link to a document's draft and to its
      // published row are one link to the document).
      const versioned = !draftAndPublish(strapi, end.uid) || !end.public;
      if (isHistoryUid(end.uid) && versioned && other.uid !== end.uid) target(end.uid, end.documentId);
    }
  }

  const who = writer(strapi);
  const action = who.action ?? input.action;
  const createdAt = new Date().toISOString();
  const rows: Row[] = [];
  for (const [uid, documents] of targets) {
    const documentIds = [...documents.keys()];
    // One after the other: they share the write's connection.
    const current = await currentValues(strapi, uid, documentIds);
    const status = await statuses(strapi, knex, uid, documentIds);
    const newest = await newestVersions(knex, uid, documentIds);
    const record = (
      documentId: string,
      locale: string,
      versionStatus: VersionStatus,
      values: Values,
      labels: Labels,
    ) => {
      const previous = newest.get(`${documentId}|${locale}`);
      rows.push({
        uid,
        document_id: documentId,
        locale,
        status: versionStatus,
        action,
        source: who.source,
        author: who.author ? JSON.stringify(who.author) : null,
        changed_fields: JSON.stringify(changedFields(previous?.data, values)),
        data: JSON.stringify(values),
        labels: JSON.stringify(labels),
        ...(isPostgres(strapi) ? {} : { created_at: createdAt }),
      });
    };
    for (const [documentId, asked] of documents) {
      const written = uid === input.uid && documentId === input.documentId;
      const locales = new Set<string>();
      for (const key of current.keys())
        if (key.startsWith(`${documentId}|`)) locales.add(key.slice(documentId.length + 1));
      if (written)
        for (const locale of input.deleted?.keys() ?? []) locales.add(locale.slice(documentId.length + 1));
      for (const locale of [...locales].sort()) {
        const key = `${documentId}|${locale}`;
        const now = current.get(key);
        const previous = newest.get(key);
        if (!now) {
          const before = input.deleted?.get(key);
          if (before && previous?.status !== 'deleted')
            record(documentId, locale, 'deleted', before.values, before.labels);
          continue;
        }
        const versionStatus = status.get(key) ?? 'published';
        // A save that changed nothing (the Content Manager saves the draft before it publishes
        // it) is no version; a restore always is one.
        const restored = written && action === 'restore' && (asked.has('*') || asked.has(locale));
        const differs =
          !previous || previous.status !== versionStatus || !isDeepStrictEqual(previous.data, now.values);
        if (restored || differs) record(documentId, locale, versionStatus, now.values, now.labels);
      }
    }
  }
  if (rows.length > 0) await knex(TABLE).insert(rows);
  for (const row of rows)
    if (row.uid === input.uid && row.document_id === input.documentId) changedLocales.add(String(row.locale));
  return changedLocales;
}

// ---------------------------------------------------------------------------------------------
// Reading

const toVersion = (row: Row): VersionRow => ({
  id: String(row.id),
  uid: String(row.uid),
  documentId: String(row.document_id),
  locale: String(row.locale),
  status: row.status as VersionStatus,
  action: String(row.action),
  source: row.source as VersionSource,
  author: row.author ? fromJson<Author>(row.author) : null,
  changedFields: fromJson<string[]>(row.changed_fields),
  data: row.data === undefined ? {} : fromJson<Values>(row.data),
  labels: row.labels === undefined ? {} : fromJson<Labels>(row.labels),
  createdAt:
    row.created_at instanceof Date
      ? row.created_at.toISOString()
      : new Date(String(row.created_at)).toISOString(),
});

/** The versions of a document in a locale, newest first, without their values. */
export async function listVersions(
  strapi: Core.Strapi,
  query: { uid: string; documentId: string; locale: string; page: number; pageSize: number },
): Promise<{ versions: VersionRow[]; total: number }> {
  const knex = strapi.db.connection;
  const where = { uid: query.uid, document_id: query.documentId, locale: query.locale };
  const [rows, counted] = await Promise.all([
    knex(TABLE)
      .select(
        'id',
        'uid',
        'document_id',
        'locale',
        'status',
        'action',
        'source',
        'author',
        'changed_fields',
        'created_at',
      )
      .where(where)
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize) as Promise<Row[]>,
    knex(TABLE).where(where).count({ total: '*' }).first() as Promise<Row | undefined>,
  ]);
  return { versions: rows.map(toVersion), total: Number(counted?.total ?? 0) };
}

/** One version, or undefined. */
export async function findVersion(strapi: Core.Strapi, id: string): Promise<VersionRow | undefined> {
  if (!/^[1-9][0-9]{0,17}$/.test(id)) return undefined;
  const row: Row | undefined = await strapi.db.connection(TABLE).where('id', id).first();
  return row ? toVersion(row) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Retention

/** Deletes versions older than `days`, keeping the newest KEEP_NEWEST of each document and locale. */
export async function pruneHistory(strapi: Core.Strapi, days: number): Promise<number> {
  const knex = strapi.db.connection;
  const cutoff = new Date(Date.now() - days * DAY_MS);
  const ranked = knex(TABLE)
    .select('id', 'created_at')
    .select(knex.raw('row_number() OVER (PARTITION BY uid, document_id, locale ORDER BY id DESC) AS n'))
    .as('ranked');
  const old = knex
    .select('id')
    .from(ranked)
    .where('n', '>', KEEP_NEWEST)
    .where('created_at', '<', isPostgres(strapi) ? cutoff : cutoff.toISOString());
  return knex(TABLE).whereIn('id', old).delete();
}

/** The table (idempotent), first pruning and the daily one: bootstrap. */
export async function bootstrapHistory(strapi: Core.Strapi): Promise<void> {
  await ensureTables(strapi, MIGRATION);
  await pruneDaily(strapi, 'history', () =>
    pruneHistory(strapi, envDays(process.env.HISTORY_RETENTION_DAYS, 365)),
  );
}

export function stopHistory(strapi: Core.Strapi): void {
  stopPruning(strapi, 'history');
}
