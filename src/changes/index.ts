/**
 * The change feed (GET /api/changes, GraphQL `changes`): every change to published content of the
 * six public types, recorded by the write path itself.
 *
 * A Document Service middleware wraps every write (create, update, delete, publish, unpublish,
 * discardDraft, clone) of a public type in `strapi.db.transaction` (which joins the transaction of
 * the write when one is open). It reads what the public sees of the document (its published rows,
 * or every row of a type without draft & publish) before and after the write, and inserts one
 * event per locale whose public version appeared or changed (`published`), went while a draft
 * stays (`unpublished`), or went with the whole locale (`deleted`). Drafts are invisible: a write
 * that changes no published row records nothing. A relation has two sides: each link between two
 * public rows that the write made or removed (./links.ts) is also a `published` event of the
 * document at its other end, in that locale (a site saved with a published project: the project
 * and its former site; a project published with other funders: those funders), and a public
 * version of the written document whose links alone changed. The insert uses the same transaction
 * as the write: a write that rolls back leaves no event, a committed one cannot lose its event. It
 * goes through the database, so REST, GraphQL, the admin panel and the seed are recorded alike
 * (`npm run restore` writes behind Strapi's back: not recorded).
 *
 * Ids are in commit order: on PostgreSQL the insert first takes a transaction-scoped advisory
 * lock (held until commit), so a transaction that got id n has committed before any other can
 * take id n + 1; a reader of "id > cursor" never skips a row that commits late, whatever the
 * number of server instances. SQLite serializes writers by itself.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { cacheOf } from '../cache';
import { auditContentWrite, contentAuditAction, documentName } from '../audit/recorders';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { historyEnabled, recordVersions, valuesBeforeDelete } from '../history';
import { afterTranslationWrite } from '../translations';
import { afterWrite } from '../review';
import { nudgeReviewMails, queueReviewMails } from '../review/mail';
import { adminState } from '../security/admin-writes';
import {
  changedLinks,
  isPublicLink,
  movedDocuments,
  publicVersions,
  readLinks,
  type Link,
  type LinkEnd,
} from './links';

export type ChangeType = 'project' | 'service' | 'enterprise' | 'site' | 'funder' | 'organisation';
export type ChangeAction = 'published' | 'unpublished' | 'deleted';
export interface ChangeEvent {
  /** bigint id of the row in change_events, as a string (internal; partners see `cursor`). */
  id: string;
  /** The opaque cursor of this event (what /api/changes returns). */
  cursor: string;
  type: ChangeType;
  documentId: string;
  locale: string;
  action: ChangeAction;
  /** ISO 8601. */
  at: string;
}

export const CHANGE_TYPES: readonly ChangeType[] = [
  'project',
  'service',
  'enterprise',
  'site',
  'funder',
  'organisation',
];
export const CHANGE_ACTIONS: readonly ChangeAction[] = ['published', 'unpublished', 'deleted'];

export const TABLE = 'change_events';
const PRUNED_TABLE = 'change_events_pruned';
/** Tombstones are kept this long at least (issue 16). */
export const RETENTION_DAYS = 400;
/** The advisory lock that orders the feed's ids (any constant no other code uses: "IA-CHANGES"). */
export const ADVISORY_LOCK_KEY = 0x4941434847;
const MIGRATION = '2026.12.01T00.00.00.change-events.js';

const uidOf = (type: ChangeType) => `api::${type}.${type}`;
const TYPE_OF_UID = new Map(CHANGE_TYPES.map((type) => [uidOf(type), type]));
/** The Document Service actions that write (the feed's and the search index's middlewares). */
export const WRITE_ACTIONS = new Set([
  'create',
  'update',
  'delete',
  'publish',
  'unpublish',
  'discardDraft',
  'clone',
]);

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, unknown>;
type Listener = (events: ChangeEvent[]) => void | Promise<void>;

interface State {
  listeners: Listener[];
  key?: Buffer;
  timer?: NodeJS.Timeout;
}
/**
 * Per Strapi instance, kept on globalThis: the app runs from dist/ while scripts and tests may load
 * this module from src/, and a listener registered through either copy must be heard.
 */
const STATES = Symbol.for('inter-actions.change-feed.states');
const globals = globalThis as unknown as Record<symbol, WeakMap<Core.Strapi, State> | undefined>;
const states = (globals[STATES] ??= new WeakMap<Core.Strapi, State>());
const stateOf = (strapi: Core.Strapi): State => {
  let state = states.get(strapi);
  if (!state) {
    state = { listeners: [] };
    states.set(strapi, state);
  }
  return state;
};

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres';

// ---------------------------------------------------------------------------------------------
// Cursors: base64url of the id (8 bytes, big-endian) and 10 bytes of its HMAC-SHA256. The key is
// derived (HKDF) from ADMIN_JWT_SECRET: a cursor made by another server, edited or invented does
// not verify. Ids only grow, so cursors are monotonic.

function cursorKey(strapi: Core.Strapi): Buffer {
  const state = stateOf(strapi);
  if (!state.key) {
    const secret = strapi.config.get<string>('admin.auth.secret') || process.env.ADMIN_JWT_SECRET || '';
    if (!secret) throw new Error('src/changes: ADMIN_JWT_SECRET is needed to sign the feed cursors');
    state.key = Buffer.from(hkdfSync('sha256', secret, 'inter-actions', 'change-feed-cursor/v1', 32));
  }
  return state.key;
}

const MAC_BYTES = 10;
const mac = (strapi: Core.Strapi, idBytes: Buffer) =>
  createHmac('sha256', cursorKey(strapi)).update(idBytes).digest().subarray(0, MAC_BYTES);

export function encodeCursor(strapi: Core.Strapi, id: string | bigint): string {
  const idBytes = Buffer.alloc(8);
  idBytes.writeBigUInt64BE(BigInt(id));
  return Buffer.concat([idBytes, mac(strapi, idBytes)]).toString('base64url');
}

/** The id of a cursor, or a 400 naming `since`. */
export function decodeCursor(strapi: Core.Strapi, cursor: string): string {
  const invalid = () =>
    new errors.ValidationError(`Invalid since: "${cursor.slice(0, 64)}" is not a cursor of this feed`, {
      source: 'query',
      param: 'since',
    });
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) throw invalid();
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length !== 8 + MAC_BYTES) throw invalid();
  const idBytes = bytes.subarray(0, 8);
  if (!timingSafeEqual(bytes.subarray(8), mac(strapi, idBytes))) throw invalid();
  return idBytes.readBigUInt64BE().toString();
}

// ---------------------------------------------------------------------------------------------
// Recording

interface Snapshot {
  /** locale -> the public row, serialized (any change of the row is a new public version). */
  public: Map<string, string>;
  /** Locales that still have a row (a draft) after the write. */
  locales: Set<string>;
}

function columnsOf(strapi: Core.Strapi, uid: string) {
  const meta = strapi.db.metadata.get(uid as never);
  const column = (attribute: string) =>
    (meta.attributes[attribute] as { columnName?: string } | undefined)?.columnName ?? attribute;
  return {
    table: meta.tableName,
    documentId: column('documentId'),
    locale: column('locale'),
    publishedAt: column('publishedAt'),
  };
}

async function snapshot(
  strapi: Core.Strapi,
  trx: Knex,
  uid: string,
  draftAndPublish: boolean,
  documentId: string | undefined,
): Promise<Snapshot> {
  const result: Snapshot = { public: new Map(), locales: new Set() };
  if (!documentId) return result;
  const columns = columnsOf(strapi, uid);
  const rows: Row[] = await trx(columns.table).select('*').where(columns.documentId, documentId);
  for (const row of rows) {
    const locale = String(row[columns.locale] ?? '');
    result.locales.add(locale);
    if (!draftAndPublish || row[columns.publishedAt] !== null) {
      result.public.set(
        locale,
        JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)),
      );
    }
  }
  return result;
}

/** The events between two snapshots of a document, in locale order. */
export function diffSnapshots(before: Snapshot, after: Snapshot): { locale: string; action: ChangeAction }[] {
  const locales = [...new Set([...before.public.keys(), ...after.public.keys()])].sort();
  const events: { locale: string; action: ChangeAction }[] = [];
  for (const locale of locales) {
    const was = before.public.get(locale);
    const is = after.public.get(locale);
    if (is !== undefined && is !== was) events.push({ locale, action: 'published' });
    else if (is === undefined && was !== undefined)
      events.push({ locale, action: after.locales.has(locale) ? 'unpublished' : 'deleted' });
  }
  return events;
}

type NewEvent = { type: ChangeType; documentId: string; locale: string; action: ChangeAction };

/** Inserts `events` with the write's transaction, after taking the ordering lock. */
async function insertEvents(strapi: Core.Strapi, trx: Knex, events: NewEvent[]): Promise<ChangeEvent[]> {
  if (isPostgres(strapi)) {
    // Held until this transaction ends: the next writer's ids come after our commit.
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [ADVISORY_LOCK_KEY]);
  }
  const at = new Date().toISOString();
  const rows = events.map(({ type, documentId, locale, action }) => ({
    type,
    document_id: documentId,
    locale,
    action,
    ...(isPostgres(strapi) ? {} : { at }),
  }));
  const inserted: Row[] = await trx(TABLE)
    .insert(rows)
    .returning(['id', 'type', 'document_id', 'locale', 'action', 'at']);
  return inserted.map((row) => toEvent(strapi, row));
}

function toEvent(strapi: Core.Strapi, row: Row): ChangeEvent {
  const id = String(row.id);
  const at = row.at instanceof Date ? row.at.toISOString() : new Date(String(row.at)).toISOString();
  return {
    id,
    cursor: encodeCursor(strapi, id),
    type: row.type as ChangeType,
    documentId: String(row.document_id),
    locale: String(row.locale),
    action: row.action as ChangeAction,
    at,
  };
}

function notify(strapi: Core.Strapi, events: ChangeEvent[]) {
  for (const listener of stateOf(strapi).listeners) {
    Promise.resolve()
      .then(() => listener(events))
      .catch((error: unknown) => strapi.log.error(`change feed listener failed: ${String(error)}`));
  }
}

/**
 * The events of the other ends of the changed links between public rows (a site whose projects
 * changed, the funders of a project published with other funders): `published`, as if they had
 * been published again, for each of their locales that is still public (events of the written
 * document itself come from its own snapshots).
 */
async function linkedEvents(
  strapi: Core.Strapi,
  trx: Knex,
  written: { uid: string; documentId: string },
  changed: Link[],
): Promise<{ own: Set<string>; others: NewEvent[] }> {
  const own = new Set<string>();
  const ends = new Map<string, LinkEnd>();
  for (const link of changed.filter(isPublicLink)) {
    for (const end of [link.from, link.to]) {
      if (end.uid === written.uid && end.documentId === written.documentId) own.add(end.locale);
      else if (TYPE_OF_UID.has(end.uid)) ends.set(JSON.stringify([end.uid, end.documentId, end.locale]), end);
    }
  }
  const others: NewEvent[] = [];
  const order = (a: LinkEnd, b: LinkEnd) =>
    `${a.uid}|${a.documentId}|${a.locale}`.localeCompare(`${b.uid}|${b.documentId}|${b.locale}`);
  const sorted = [...ends.values()].sort(order);
  for (const uid of new Set(sorted.map((end) => end.uid))) {
    const list = sorted.filter((end) => end.uid === uid);
    const live = await publicVersions(
      strapi,
      trx,
      uid,
      list.map((end) => end.documentId),
    );
    for (const { documentId, locale } of list)
      if (live.has(`${documentId}|${locale}`))
        others.push({ type: TYPE_OF_UID.get(uid)!, documentId, locale, action: 'published' });
  }
  return { own, others };
}

/** The Document Service middleware that records the feed (registered in src/index.ts). */
export function recordChanges(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    const type = TYPE_OF_UID.get(context.uid);
    if (!type || !WRITE_ACTIONS.has(context.action)) return next();
    const draftAndPublish = Boolean(
      (context.contentType as { options?: { draftAndPublish?: boolean } }).options?.draftAndPublish,
    );
    return strapi.db.transaction(async ({ trx, onCommit }) => {
      const knex = trx as unknown as Knex;
      const params = context.params as { documentId?: string; data?: unknown };
      // A clone is a new document: its own versions start from nothing.
      const clone = context.action === 'clone';
      const known = params.documentId ? [params.documentId] : [];
      const moved = await movedDocuments(strapi, knex, context.uid, params.data);
      const linksBefore = await readLinks(strapi, knex, context.uid, known, moved);
      const before = await snapshot(
        strapi,
        knex,
        context.uid,
        draftAndPublish,
        clone ? undefined : params.documentId,
      );
      // History (../history) keeps the values of what a delete removes.
      const history = historyEnabled();
      const deleted =
        history && context.action === 'delete'
          ? await valuesBeforeDelete(strapi, context.uid, params.documentId)
          : undefined;
      // The audit log names what a publish, unpublish, delete or restore was about.
      const audited = contentAuditAction(strapi, context.action);
      const locale = (context.params as { locale?: string }).locale;
      const nameBefore =
        audited === 'entry.delete'
          ? await documentName(strapi, knex, context.uid, params.documentId, locale)
          : null;
      const result = await next();
      const resultId = (result as { documentId?: string } | null | undefined)?.documentId ?? undefined;
      const documentId = clone ? resultId : (params.documentId ?? resultId);
      if (!documentId) return result;
      const after = await snapshot(strapi, knex, context.uid, draftAndPublish, documentId);
      const linksAfter = await readLinks(
        strapi,
        knex,
        context.uid,
        [...new Set([...known, documentId])],
        moved,
      );
      const changed = changedLinks(linksBefore, linksAfter);
      const linked = await linkedEvents(strapi, knex, { uid: context.uid, documentId }, changed);
      // Every version the write made, in its transaction, with the links read for the feed.
      const saved = history
        ? await recordVersions(strapi, knex, {
            uid: context.uid,
            action: context.action,
            documentId,
            locale,
            deleted,
            changed,
          })
        : undefined;
      if (audited) {
        // The feed's lock before the audit log's, always in this order (a transaction that
        // records events then audits a later write must not wait for one that did the reverse).
        if (isPostgres(strapi)) await knex.raw('SELECT pg_advisory_xact_lock(?)', [ADVISORY_LOCK_KEY]);
        const name = nameBefore ?? (await documentName(strapi, knex, context.uid, documentId, locale));
        await auditContentWrite(strapi, knex, {
          action: audited,
          uid: context.uid,
          documentId,
          locale,
          name,
        });
      }
      // Review stages (../review): a save after approval goes back « À relire », a publish ends
      // the cycle; each move in the audit log, after the feed's lock as above.
      const stageLocales =
        locale === '*' ? [...new Set([...before.locales, ...after.locales])] : [locale ?? DEFAULT_LOCALE];
      const moves = await afterWrite(knex, {
        uid: context.uid,
        documentId,
        action: context.action,
        locales: stageLocales,
        // A save that changed nothing (the Content Manager saves before it publishes) is no change
        // after approval; without the history, every save counts.
        changedLocales: saved ? stageLocales.filter((one) => saved.has(one)) : stageLocales,
        by: adminState(strapi)?.user?.id ?? null,
      });
      if (moves.length > 0 && isPostgres(strapi))
        await knex.raw('SELECT pg_advisory_xact_lock(?)', [ADVISORY_LOCK_KEY]);
      for (const move of moves) {
        const title = await documentName(strapi, knex, context.uid, documentId, move.state.locale);
        await auditContentWrite(strapi, knex, {
          action: 'entry.stage',
          uid: context.uid,
          documentId,
          locale: move.state.locale,
          name: title,
          summary: `${move.from} → ${move.state.stage}`,
        });
        // The author hears that its entry was published (../review/mail.ts).
        if (context.action === 'publish')
          await queueReviewMails(strapi, knex, {
            kind: 'published',
            uid: context.uid,
            documentId,
            locale: move.state.locale,
            title,
            comment: null,
            author: move.state.submittedBy,
            mover: adminState(strapi)?.user?.id ?? null,
          });
      }
      if (moves.length > 0) onCommit(() => nudgeReviewMails(strapi));
      // Translation status (../translations): the version written in another locale than French
      // takes the French text of now as its baseline (not the other locales whose shared fields
      // i18n copied in the same write: their translation did not change); a deleted locale loses
      // its own.
      const written = clone ? [...after.locales] : [locale ?? DEFAULT_LOCALE];
      await afterTranslationWrite(strapi, knex, {
        uid: context.uid,
        documentId,
        action: context.action,
        savedLocales: (saved ? [...saved] : stageLocales).filter((one) => written.includes(one)),
        by: adminState(strapi)?.user?.id ?? null,
      });
      const changes = diffSnapshots(before, after);
      // A change of its links alone is a new public version too.
      for (const locale of [...linked.own].sort())
        if (after.public.has(locale) && !changes.some((change) => change.locale === locale))
          changes.push({ locale, action: 'published' });
      const all: NewEvent[] = [
        ...changes.map((change) => ({ type, documentId, ...change })),
        ...linked.others,
      ];
      if (all.length === 0) return result;
      const events = await insertEvents(strapi, knex, all);
      onCommit(() => notify(strapi, events));
      return result;
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Called after the transaction that recorded `events` has committed (in this instance). */
export function onChangesCommitted(strapi: Core.Strapi, listener: Listener): void {
  stateOf(strapi).listeners.push(listener);
}

/** Committed events with id > afterId, in id order (= commit order), at most `limit`. */
export async function readChanges(
  strapi: Core.Strapi,
  options: { afterId?: string; types?: ChangeType[]; locale?: string; limit: number },
): Promise<ChangeEvent[]> {
  const knex = strapi.db.connection;
  const query = knex(TABLE)
    .select('id', 'type', 'document_id', 'locale', 'action', 'at')
    .where('id', '>', options.afterId ?? '0')
    .orderBy('id', 'asc')
    .limit(options.limit);
  if (options.types && options.types.length > 0) query.whereIn('type', options.types);
  if (options.locale) query.where('locale', options.locale);
  const rows: Row[] = await query;
  return rows.map((row) => toEvent(strapi, row));
}

/** The highest id pruned so far ('0' when none): cursors below it answer 410. */
export async function prunedThrough(strapi: Core.Strapi): Promise<string> {
  const row: Row | undefined = await strapi.db.connection(PRUNED_TABLE).first('through_id').where('id', 1);
  return row ? String(row.through_id) : '0';
}

/**
 * Deletes the events older than `olderThanDays` days (every event up to the newest such one, so
 * that what is left is an unbroken tail), and records the highest id deleted. Returns how many.
 */
export async function pruneChanges(strapi: Core.Strapi, olderThanDays = RETENTION_DAYS): Promise<number> {
  const cutoff = new Date(Date.now() - olderThanDays * 24 * 60 * 60 * 1000);
  const knex = strapi.db.connection;
  const deleted = await knex.transaction(async (trx) => {
    const newest: Row | undefined = await trx(TABLE)
      .max({ id: 'id' })
      .where('at', '<', isPostgres(strapi) ? cutoff : cutoff.toISOString())
      .first();
    if (!newest || newest.id === null || newest.id === undefined) return 0;
    const through = String(newest.id);
    const deleted = await trx(TABLE).where('id', '<=', through).delete();
    const current: Row | undefined = await trx(PRUNED_TABLE).first('through_id').where('id', 1);
    if (!current) await trx(PRUNED_TABLE).insert({ id: 1, through_id: through });
    else if (BigInt(String(current.through_id)) < BigInt(through))
      await trx(PRUNED_TABLE).update({ through_id: through }).where('id', 1);
    return deleted;
  });
  // Raw SQL, unseen by the response cache: a cached feed page would still list the pruned events
  // where the API now answers 410.
  if (deleted > 0)
    await cacheOf(strapi)
      .bump()
      .catch((error: Error) =>
        strapi.log.warn(`Change feed pruning: response cache not reached (${error.message})`),
      );
  return deleted;
}

// ---------------------------------------------------------------------------------------------
// The feed's query (REST and GraphQL share it)

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export interface FeedQuery {
  since?: string;
  types?: ChangeType[];
  locale?: string;
  pageSize: number;
}

export interface FeedPage {
  data: Omit<ChangeEvent, 'id'>[];
  next: string;
  hasMore: boolean;
}

/**
 * The cursor's events were pruned: REST answers 410 Gone in Strapi's error shape
 * (src/api/change/controllers/change.ts), GraphQL an error named GoneError.
 */
export class CursorExpiredError extends errors.ApplicationError {
  readonly status = 410;
  constructor(message: string) {
    super(message, { param: 'since', resync: true });
    (this as { name: string }).name = 'GoneError';
  }
}

export async function readFeed(strapi: Core.Strapi, query: FeedQuery): Promise<FeedPage> {
  const pruned = await prunedThrough(strapi);
  let afterId = query.since === undefined ? pruned : decodeCursor(strapi, query.since);
  if (BigInt(afterId) < BigInt(pruned)) {
    throw new CursorExpiredError(
      `This cursor is older than the change feed keeps (${RETENTION_DAYS} days): do a full resync from the listings, then read the feed again from a new cursor`,
    );
  }
  const rows = await readChanges(strapi, {
    afterId,
    types: query.types,
    locale: query.locale,
    limit: query.pageSize + 1,
  });
  const hasMore = rows.length > query.pageSize;
  const page = rows.slice(0, query.pageSize);
  if (page.length > 0) afterId = page[page.length - 1].id;
  return {
    data: page.map(({ cursor, type, documentId, locale, action, at }) => ({
      cursor,
      type,
      documentId,
      locale,
      action,
      at,
    })),
    next: encodeCursor(strapi, afterId),
    hasMore,
  };
}

// ---------------------------------------------------------------------------------------------
// Setup

/** Document Service middleware, in register (src/index.ts). */
export function registerChanges(strapi: Core.Strapi): void {
  strapi.documents.use(recordChanges(strapi));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Tables (idempotent, as src/bootstrap/indexes.ts), first pruning and the daily one: bootstrap. */
export async function bootstrapChanges(strapi: Core.Strapi): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const migration = require(path.join(strapi.dirs.app.root, 'database', 'migrations', MIGRATION)) as {
    up: (knex: Knex) => Promise<void>;
  };
  await migration.up(strapi.db.connection);
  const prune = () =>
    pruneChanges(strapi).catch((error: unknown) =>
      strapi.log.warn(`change feed: pruning failed (${String(error)})`),
    );
  await prune();
  const state = stateOf(strapi);
  if (state.timer) clearInterval(state.timer);
  state.timer = setInterval(() => void prune(), DAY_MS);
  state.timer.unref();
}

export function stopChanges(strapi: Core.Strapi): void {
  const state = stateOf(strapi);
  if (state.timer) clearInterval(state.timer);
  state.timer = undefined;
}
