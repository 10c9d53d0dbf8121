/**
 * The audit log (issue 25, section 4): who did what security-relevant, when, from where, to which
 * object; append-only and tamper-evident.
 *
 * Each entry's `hash` is an HMAC-SHA256 over its canonical content (RFC 8785 JSON, the
 * `canonicalize` package) and the previous entry's hash, so that the entries form a chain as in
 * Certificate Transparency or Git: editing an entry breaks its hash, deleting one breaks the link
 * of the next, and without the key (AUDIT_LOG_KEY, else derived from ADMIN_JWT_SECRET) nobody with
 * access to the database alone can write a chain that verifies. Entries are appended under a
 * transaction-scoped advisory lock, so that two instances never fork the chain; an entry about a
 * content write is appended in the write's own transaction (no write without its entry).
 *
 * Pruning (AUDIT_LOG_RETENTION_DAYS, 365) deletes the oldest entries, records that it did as an
 * entry of the chain, and keeps in audit_log_anchor the id and hash of the last one deleted, sealed
 * with the key: the chain of what is left is verified from it (`npm run audit:verify`). What the
 * chain alone cannot show is the deletion of its newest entries: compare the last id with what
 * monitoring saw (docs/operators.md).
 *
 * Never recorded: a password, token, secret or reset code (the recorders pick named fields only).
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import canonicalize from 'canonicalize';
import { ensureTables, envDays, pruneDaily, stopPruning } from '../utils/upkeep';

export const TABLE = 'audit_log';
const ANCHOR = 'audit_log_anchor';
const MIGRATION = '2026.12.07T00.00.01.audit-log.js';
/** The advisory lock that orders the chain ("IA-AUDIT"). */
const LOCK_KEY = 0x4941415544;
/** The previous hash of the very first entry. */
export const GENESIS = '0'.repeat(64);
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Actor {
  kind: 'admin' | 'admin-token' | 'user' | 'api-token' | 'script' | 'anonymous';
  id?: number | string | null;
  email?: string | null;
  name?: string | null;
}
export interface AuditObject {
  type: string;
  id?: string | number | null;
  name?: string | null;
  locale?: string | null;
}
export interface AuditInput {
  action: string;
  actor?: Actor | null;
  ip?: string | null;
  object?: AuditObject | null;
  summary?: string | null;
}
export interface AuditEntry extends Required<AuditInput> {
  id: string;
  at: string;
  prevHash: string;
  hash: string;
}

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, unknown>;

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres';
const fromJson = <T>(value: unknown): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : (value as T);

const keys = new WeakMap<Core.Strapi, Buffer>();
function keyOf(strapi: Core.Strapi): Buffer {
  let key = keys.get(strapi);
  if (!key) {
    const configured = process.env.AUDIT_LOG_KEY;
    const secret =
      configured || strapi.config.get<string>('admin.auth.secret') || process.env.ADMIN_JWT_SECRET || '';
    if (!secret)
      throw new Error('src/audit: AUDIT_LOG_KEY or ADMIN_JWT_SECRET is needed to chain the audit log');
    key = Buffer.from(hkdfSync('sha256', secret, 'inter-actions', 'audit-log/v1', 32));
    keys.set(strapi, key);
  }
  return key;
}

/** The hash of an entry: HMAC-SHA256 over the previous hash and the entry's canonical content. */
export function hashOf(
  key: Buffer,
  prevHash: string,
  entry: { at: string; action: string; actor: unknown; ip: unknown; object: unknown; summary: unknown },
): string {
  const content = canonicalize({
    prevHash,
    at: entry.at,
    action: entry.action,
    actor: entry.actor ?? null,
    ip: entry.ip ?? null,
    object: entry.object ?? null,
    summary: entry.summary ?? null,
  }) as string;
  return createHmac('sha256', key).update(content).digest('hex');
}

const iso = (value: unknown) =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();

/**
 * Appends an entry. With `trx` (a write's transaction), in it; otherwise in a transaction of its
 * own. Returns the entry.
 */
export async function appendAudit(strapi: Core.Strapi, input: AuditInput, trx?: Knex): Promise<AuditEntry> {
  const run = async (knex: Knex): Promise<AuditEntry> => {
    if (isPostgres(strapi)) await knex.raw('SELECT pg_advisory_xact_lock(?)', [LOCK_KEY]);
    const last: Row | undefined = await knex(TABLE).orderBy('id', 'desc').first('hash');
    const anchor: Row | undefined = last ? undefined : await knex(ANCHOR).where('id', 1).first('hash');
    const prevHash = String(last?.hash ?? anchor?.hash ?? GENESIS);
    const entry = {
      at: new Date().toISOString(),
      action: input.action,
      actor: input.actor ?? null,
      ip: input.ip ?? null,
      object: input.object ?? null,
      summary: input.summary ?? null,
    };
    const hash = hashOf(keyOf(strapi), prevHash, entry);
    const [row] = (await knex(TABLE)
      .insert({
        at: isPostgres(strapi) ? entry.at : entry.at,
        action: entry.action,
        actor: entry.actor === null ? null : JSON.stringify(entry.actor),
        ip: entry.ip,
        object: entry.object === null ? null : JSON.stringify(entry.object),
        summary: entry.summary,
        prev_hash: prevHash,
        hash,
      })
      .returning(['id'])) as Row[];
    return { id: String(row.id), ...entry, prevHash, hash } as AuditEntry;
  };
  if (trx) return run(trx);
  return strapi.db.connection.transaction((own) => run(own as unknown as Knex));
}

/** Appends an entry, logging instead of throwing (for recorders after an answer was decided). */
export function auditLater(strapi: Core.Strapi, input: AuditInput): Promise<void> {
  return appendAudit(strapi, input).then(
    () => undefined,
    (error: unknown) => {
      strapi.log.error(`audit log: could not record ${input.action} (${String(error)})`);
    },
  );
}

function toEntry(row: Row): AuditEntry {
  return {
    id: String(row.id),
    at: iso(row.at),
    action: String(row.action),
    actor: row.actor ? fromJson<Actor>(row.actor) : null,
    ip: (row.ip as string | null) ?? null,
    object: row.object ? fromJson<AuditObject>(row.object) : null,
    summary: (row.summary as string | null) ?? null,
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}

export interface AuditQuery {
  action?: string;
  /** An admin user's id or e-mail. */
  user?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

/** Entries newest first, filtered, and their total. */
export async function readAudit(
  strapi: Core.Strapi,
  query: AuditQuery,
): Promise<{ entries: AuditEntry[]; total: number }> {
  const knex = strapi.db.connection;
  const where = (builder: ReturnType<Knex>) => {
    if (query.action) builder.where('action', query.action);
    if (query.user) {
      const user = query.user;
      if (isPostgres(strapi))
        builder.whereRaw("(actor->>'id' = ? OR lower(actor->>'email') = lower(?))", [user, user]);
      else
        builder.whereRaw("(json_extract(actor, '$.id') = ? OR json_extract(actor, '$.email') = ?)", [
          user,
          user,
        ]);
    }
    if (query.from) builder.where('at', '>=', isPostgres(strapi) ? query.from : query.from.toISOString());
    if (query.to) builder.where('at', '<=', isPostgres(strapi) ? query.to : query.to.toISOString());
    return builder;
  };
  const rows: Row[] = await where(knex(TABLE).select('*'))
    .orderBy('id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const counted: Row | undefined = await where(knex(TABLE).count({ total: '*' })).first();
  return { entries: rows.map(toEntry), total: Number(counted?.total ?? 0) };
}

export interface Verification {
  ok: boolean;
  checked: number;
  /** The first entry that does not verify, and why. */
  broken?: { id: string; reason: string };
}

/** The HMAC that seals the anchor: who can write to the database alone cannot move it. */
const anchorMac = (key: Buffer, throughId: string, hash: string) =>
  createHmac('sha256', key).update(`audit-log-anchor|${throughId}|${hash}`).digest('hex');

/**
 * Checks the chain from the anchor (or the first entry) to the last entry, in id order: each entry
 * links to the one before it, and its hash is its content's. Ids may have gaps (an entry written
 * in a transaction that rolled back used its id up): a deleted entry shows as a broken link.
 */
export async function verifyAudit(strapi: Core.Strapi, batch = 1000): Promise<Verification> {
  const knex = strapi.db.connection;
  const key = keyOf(strapi);
  const anchor: Row | undefined = await knex(ANCHOR).where('id', 1).first();
  if (anchor && anchorMac(key, String(anchor.through_id), String(anchor.hash)) !== anchor.mac)
    return {
      ok: false,
      checked: 0,
      broken: { id: String(anchor.through_id), reason: 'the pruning anchor was edited' },
    };
  let prevHash = String(anchor?.hash ?? GENESIS);
  let prevId = anchor ? String(anchor.through_id) : '0';
  let checked = 0;
  for (;;) {
    const rows: Row[] = await knex(TABLE).where('id', '>', prevId).orderBy('id', 'asc').limit(batch);
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      const entry = toEntry(row);
      if (entry.prevHash !== prevHash)
        return {
          ok: false,
          checked,
          broken: {
            id: entry.id,
            reason:
              'its link to the previous entry is broken (an entry before it was deleted, or it was inserted)',
          },
        };
      if (hashOf(key, prevHash, entry) !== entry.hash)
        return {
          ok: false,
          checked,
          broken: { id: entry.id, reason: 'its content does not match its hash' },
        };
      prevHash = entry.hash;
      prevId = entry.id;
      checked += 1;
    }
  }
}

/**
 * Deletes the entries older than `days` days and anchors the chain at the last one deleted (its id
 * and hash, sealed with the key). The pruning itself is an entry of the chain, written first, so
 * that the log says when and how far it was pruned. Returns how many entries were deleted.
 */
export async function pruneAudit(strapi: Core.Strapi, days: number): Promise<number> {
  const cutoff = new Date(Date.now() - days * DAY_MS);
  return strapi.db.connection.transaction(async (trx) => {
    const knex = trx as unknown as Knex;
    if (isPostgres(strapi)) await knex.raw('SELECT pg_advisory_xact_lock(?)', [LOCK_KEY]);
    const newest: Row | undefined = await knex(TABLE)
      .where('at', '<', isPostgres(strapi) ? cutoff : cutoff.toISOString())
      .orderBy('id', 'desc')
      .first('id', 'hash');
    if (!newest) return 0;
    const through = String(newest.id);
    const count: Row | undefined = await knex(TABLE).where('id', '<=', through).count({ n: '*' }).first();
    await appendAudit(
      strapi,
      {
        action: 'audit.prune',
        actor: { kind: 'script' },
        summary: `${Number(count?.n ?? 0)} entries older than ${days} days deleted, up to entry ${through}`,
      },
      knex,
    );
    const deleted = await knex(TABLE).where('id', '<=', through).delete();
    const anchor = {
      through_id: through,
      hash: String(newest.hash),
      mac: anchorMac(keyOf(strapi), through, String(newest.hash)),
    };
    if (await knex(ANCHOR).where('id', 1).first('id')) await knex(ANCHOR).where('id', 1).update(anchor);
    else await knex(ANCHOR).insert({ id: 1, ...anchor });
    return deleted;
  });
}

/** Tables (idempotent), first pruning and the daily one: bootstrap. */
export async function bootstrapAudit(strapi: Core.Strapi): Promise<void> {
  await ensureTables(strapi, MIGRATION);
  keyOf(strapi); // a missing key stops the boot, not the first login
  await pruneDaily(strapi, 'audit log', () =>
    pruneAudit(strapi, envDays(process.env.AUDIT_LOG_RETENTION_DAYS, 365)),
  );
}

export function stopAudit(strapi: Core.Strapi): void {
  stopPruning(strapi, 'audit log');
}
