/**
 * Scheduled publishing (issue 25, section 3): « Publier » or « Retirer » of a document in one
 * locale, or in all of them (`*`), at a time given in Europe/Luxembourg.
 *
 * - A schedule is a row of `publish_schedules` (what staff see) and a pg-boss job on the
 *   application's PostgreSQL (the webhooks' job engine, src/webhooks/queue.ts) that starts after
 *   its time. Jobs are durable: a server down at that time runs it when it (or another instance)
 *   starts again.
 * - Exactly once: the job locks the row (`FOR UPDATE SKIP LOCKED`, status `pending`) and publishes
 *   in that same transaction, then marks it `done`. Another instance, a duplicate job or a retry
 *   finds nothing to do; a crash rolls both back and pg-boss retries the job.
 * - The rights of the user who scheduled are judged again when it runs (active account, the
 *   Content Manager's publish right on every targeted locale): lost rights cancel it, with an audit
 *   entry and a mail to that user. The write runs as that user's admin request would (the same
 *   Document Service middlewares: history, review, change feed, webhooks, audit log), on the draft
 *   as it is at that time.
 * - A job lost before it was queued (the database failed between the row and the job) is queued
 *   again by the sweep, at boot and every minute.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DateTime } from 'luxon';
import { appendAudit, type Actor } from '../audit';
import { documentName } from '../audit/recorders';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { stageOf } from '../review';
import { editLink } from '../review/mail';
import { hasDrafts } from '../utils/content-manager';
import { ensureTables } from '../utils/upkeep';
import { jobEngine } from '../webhooks/queue';

export const TABLE = 'publish_schedules';
const MIGRATION = '2026.12.07T00.00.03.publish-schedules.js';
export const QUEUE = 'publish-schedules';
export const ZONE = 'Europe/Luxembourg';
export const ACTIONS = ['publish', 'unpublish'] as const;
export type ScheduleAction = (typeof ACTIONS)[number];
export type ScheduleStatus = 'pending' | 'done' | 'cancelled' | 'failed';
const SWEEP_MS = 60 * 1000;
/** A run's job counts as failed after this long (a crashed instance): pg-boss retries it. */
const EXPIRE_SECONDS = 5 * 60;

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, unknown>;

export interface Schedule {
  id: number;
  uid: string;
  documentId: string;
  locale: string;
  action: ScheduleAction;
  /** The time, in UTC. */
  at: string;
  /** The same time in Europe/Luxembourg, with its offset (what the panel shows). */
  atLocal: string;
  status: ScheduleStatus;
  createdBy: number;
  createdAt: string;
  doneAt: string | null;
  outcome: string | null;
}

const iso = (value: unknown) =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();

export const localTime = (at: string | Date) =>
  DateTime.fromJSDate(new Date(at)).setZone(ZONE).toISO({ suppressMilliseconds: true }) ?? '';

/** « lundi 14 décembre 2026 à 09:00 », for mails and the audit log. */
export const frenchTime = (at: string | Date) =>
  DateTime.fromJSDate(new Date(at)).setZone(ZONE).setLocale('fr').toFormat("cccc d LLLL yyyy 'à' HH:mm");

export const toSchedule = (row: Row): Schedule => ({
  id: Number(row.id),
  uid: String(row.uid),
  documentId: String(row.document_id),
  locale: String(row.locale),
  action: row.action as ScheduleAction,
  at: iso(row.run_at),
  atLocal: localTime(iso(row.run_at)),
  status: row.status as ScheduleStatus,
  createdBy: Number(row.created_by),
  createdAt: iso(row.created_at),
  doneAt: row.done_at ? iso(row.done_at) : null,
  outcome: (row.outcome as string | null) ?? null,
});

/**
 * A time from the API: ISO 8601; without an offset it is read in Europe/Luxembourg (what staff
 * type), with one (or `Z`) as given. Undefined when it is not a time.
 */
export function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const time = DateTime.fromISO(value, { zone: ZONE });
  return time.isValid ? time.toJSDate() : undefined;
}

/** The pending schedules, soonest first (filters optional). */
export async function upcoming(
  knex: Knex,
  filter: { uid?: string; documentId?: string; locale?: string } = {},
): Promise<Schedule[]> {
  const query = knex(TABLE).where('status', 'pending').orderBy('run_at').orderBy('id').limit(1000);
  if (filter.uid) query.where('uid', filter.uid);
  if (filter.documentId) query.where('document_id', filter.documentId);
  if (filter.locale) query.whereIn('locale', [filter.locale, '*']);
  return ((await query) as Row[]).map(toSchedule);
}

export async function findSchedule(knex: Knex, id: number): Promise<Schedule | undefined> {
  const row: Row | undefined = await knex(TABLE).where('id', id).first();
  return row ? toSchedule(row) : undefined;
}

/** Queues the run of schedule `id` at `at` (once: a job already waiting for it is kept). */
export async function queueRun(strapi: Core.Strapi, id: number, at: Date): Promise<void> {
  const engine = jobEngine(strapi);
  if (!engine) throw new Error('Scheduled publishing needs the job engine (pg-boss on PostgreSQL)');
  await engine.boss.send(
    QUEUE,
    { schedule: id },
    {
      startAfter: at,
      singletonKey: `schedule-${id}`,
      retryLimit: 5,
      retryDelay: 30,
      retryBackoff: true,
      expireInSeconds: EXPIRE_SECONDS,
    },
  );
}

/** Inserts a schedule and queues its run; a failed queueing removes it (nothing half done). */
export async function createSchedule(
  strapi: Core.Strapi,
  input: { uid: string; documentId: string; locale: string; action: ScheduleAction; at: Date; by: number },
): Promise<Schedule> {
  const knex = strapi.db.connection;
  const [row] = (await knex(TABLE)
    .insert({
      uid: input.uid,
      document_id: input.documentId,
      locale: input.locale,
      action: input.action,
      run_at: input.at,
      status: 'pending',
      created_by: input.by,
      created_at: new Date(),
    })
    .returning('*')) as Row[];
  const schedule = toSchedule(row);
  try {
    await queueRun(strapi, schedule.id, input.at);
  } catch (error) {
    await knex(TABLE).where('id', schedule.id).delete();
    throw error;
  }
  return schedule;
}

/** Cancels a pending schedule (its job, when it comes, finds nothing to do). */
export async function cancelSchedule(
  knex: Knex,
  id: number,
  outcome: string,
  status: ScheduleStatus = 'cancelled',
): Promise<Schedule | undefined> {
  const [row] = (await knex(TABLE)
    .where({ id, status: 'pending' })
    .update({ status, done_at: new Date(), outcome })
    .returning('*')) as Row[];
  return row ? toSchedule(row) : undefined;
}

interface AdminUser {
  id: number;
  email?: string;
  firstname?: string | null;
  lastname?: string | null;
  isActive?: boolean;
  blocked?: boolean;
  roles?: unknown[];
}

const actorOfUser = (user: AdminUser | null, id: number): Actor => ({
  kind: 'admin',
  id,
  email: user?.email ?? null,
  name: [user?.firstname, user?.lastname].filter(Boolean).join(' ') || null,
});

/** The locales a schedule targets that exist now (drafts, or the only rows). */
async function targetRows(strapi: Core.Strapi, schedule: Schedule): Promise<Row[]> {
  return (await strapi.db.query(schedule.uid as never).findMany({
    where: {
      documentId: schedule.documentId,
      ...(schedule.locale === '*' ? {} : { locale: schedule.locale }),
      ...(hasDrafts(strapi, schedule.uid) ? { publishedAt: null } : {}),
    },
    populate: ['createdBy'],
  } as never)) as Row[];
}

/** Why the user who scheduled may no longer run it (undefined: it may). */
async function lostRight(
  strapi: Core.Strapi,
  user: AdminUser | null,
  schedule: Schedule,
  rows: Row[],
): Promise<{ reason: string; ability?: unknown }> {
  if (!user || user.isActive !== true || user.blocked)
    return { reason: 'le compte qui l’a planifiée est désactivé ou supprimé' };
  const ability = await strapi.service('admin::permission').engine.generateUserAbility(user);
  const checker = strapi
    .plugin('content-manager')
    .service('permission-checker')
    .create({ userAbility: ability, model: schedule.uid }) as { can: { publish(row: Row): boolean } };
  const locked = rows.filter((row) => !checker.can.publish(row)).map((row) => String(row.locale));
  return locked.length > 0
    ? { reason: `son auteur n’a plus le droit de publier cette entrée (${locked.join(', ')})` }
    : { reason: '', ability };
}

const ACTION_LABELS: Record<ScheduleAction, string> = { publish: 'Publier', unpublish: 'Retirer' };

/** Tells the user who scheduled that it did not run (French, like the review's mails). */
async function mailStopped(
  strapi: Core.Strapi,
  user: AdminUser | null,
  schedule: Schedule,
  title: string | null,
  reason: string,
): Promise<void> {
  if (!user?.email) return;
  const what = `${ACTION_LABELS[schedule.action]} « ${title ?? schedule.documentId} » (${schedule.locale === '*' ? 'toutes les langues' : schedule.locale})`;
  const locale = schedule.locale === '*' ? 'fr' : schedule.locale;
  await strapi
    .plugin('email')
    .service('email')
    .send({
      to: user.email,
      subject: `Planification annulée : ${title ?? schedule.documentId}`,
      text: `${user.firstname ? `Bonjour ${user.firstname},` : 'Bonjour,'}\n\nL’action planifiée pour le ${frenchTime(schedule.at)} n’a pas été faite : ${what}.\nRaison : ${reason}.\n\n${editLink(strapi, schedule.uid, schedule.documentId, locale)}\n\nCe message est envoyé par l’espace d’édition d’Inter-Actions.\n`,
    });
}

/** Ends a schedule that cannot run: cancelled (rights) or failed (the write refused), audited, mailed. */
async function stop(
  strapi: Core.Strapi,
  schedule: Schedule,
  user: AdminUser | null,
  status: ScheduleStatus,
  reason: string,
): Promise<void> {
  const knex = strapi.db.connection;
  const title = await documentName(
    strapi,
    knex,
    schedule.uid,
    schedule.documentId,
    schedule.locale === '*' ? DEFAULT_LOCALE : schedule.locale,
  );
  const stopped = await knex.transaction(async (trx) => {
    const ended = await cancelSchedule(trx as unknown as Knex, schedule.id, reason, status);
    if (!ended) return false;
    await appendAudit(
      strapi,
      {
        action: status === 'failed' ? 'entry.schedule.fail' : 'entry.schedule.cancel',
        actor: { kind: 'script' },
        ip: null,
        object: { type: schedule.uid, id: schedule.documentId, locale: schedule.locale, name: title },
        summary: `${schedule.action} ${frenchTime(schedule.at)} (#${schedule.id}, ${actorOfUser(user, schedule.createdBy).email ?? `admin ${schedule.createdBy}`}) : ${reason}`,
      },
      trx as unknown as Knex,
    );
    return true;
  });
  if (stopped)
    await mailStopped(strapi, user, schedule, title, reason).catch((error: unknown) =>
      strapi.log.warn(`Schedules: the mail of schedule ${schedule.id} was not sent (${String(error)})`),
    );
}

/**
 * Runs schedule `id` if it is still pending and due: the job's work. Returns what it did (tests
 * and logs): `ran`, `stopped`, or `nothing` (already run, cancelled, locked by another instance,
 * or not yet due).
 */
export async function runSchedule(strapi: Core.Strapi, id: number): Promise<'ran' | 'stopped' | 'nothing'> {
  const knex = strapi.db.connection;
  // Due by the database's clock (pg-boss starts the job by it too).
  const row: Row | undefined = await knex(TABLE)
    .where({ id, status: 'pending' })
    .whereRaw("run_at <= now() + interval '1 second'")
    .first();
  if (!row) return 'nothing';
  const schedule = toSchedule(row);
  const user = (await strapi.db.query('admin::user').findOne({
    where: { id: schedule.createdBy },
    populate: ['roles'],
  } as never)) as AdminUser | null;
  const rows = await targetRows(strapi, schedule);
  if (rows.length === 0) {
    await stop(strapi, schedule, user, 'failed', 'l’entrée n’existe plus dans cette langue');
    return 'stopped';
  }
  const right = await lostRight(strapi, user, schedule, rows);
  if (!right.ability) {
    await stop(strapi, schedule, user, 'cancelled', right.reason);
    return 'stopped';
  }
  // What was approved is what goes live: a draft changed since its approval (back « À relire »)
  // is not published behind the review's back.
  if (schedule.action === 'publish') {
    const unreviewed = [];
    for (const target of rows) {
      const state = await stageOf(knex, schedule.uid, schedule.documentId, String(target.locale));
      if (state?.stage === 'review') unreviewed.push(String(target.locale));
    }
    if (unreviewed.length > 0) {
      await stop(
        strapi,
        schedule,
        user,
        'failed',
        `l’entrée attend une relecture (« À relire », ${unreviewed.join(', ')}) : approuvez-la, puis planifiez à nouveau`,
      );
      return 'stopped';
    }
  }
  // The write, as this user's admin request would make it, in the transaction that holds the row.
  const request = {
    state: {
      user,
      userAbility: right.ability,
      auth: { strategy: { name: 'admin' }, credentials: user },
      route: { info: { type: 'admin' } },
    },
    request: { ip: null },
  };
  try {
    const ran = await strapi.db.transaction(async ({ trx }) => {
      const locked = (await (trx as unknown as Knex)(TABLE)
        .where({ id, status: 'pending' })
        .forUpdate()
        .skipLocked()
        .first()) as Row | undefined;
      if (!locked) return false;
      await strapi.requestContext.run(request as never, async () => {
        const documents = strapi.documents(schedule.uid as never) as unknown as Record<
          ScheduleAction,
          (params: { documentId: string; locale: string }) => Promise<unknown>
        >;
        await documents[schedule.action]({ documentId: schedule.documentId, locale: schedule.locale });
      });
      await (trx as unknown as Knex)(TABLE)
        .where('id', id)
        .update({ status: 'done', done_at: new Date(), outcome: null });
      return true;
    });
    return ran ? 'ran' : 'nothing';
  } catch (error) {
    // A refused write (a required field empty, a rule: Strapi's errors, answered as 4xx to a
    // request): it will not pass by retrying. Anything else (the database, a stop) is retried.
    if (error instanceof errors.ApplicationError) {
      await stop(
        strapi,
        schedule,
        user,
        'failed',
        `la publication a été refusée : ${(error as Error).message}`,
      );
      return 'stopped';
    }
    throw error; // pg-boss retries (the database was unreachable, an instance stopped…)
  }
}

/** Ends schedule `id` as failed after its job's last attempt (audited, mailed). */
async function giveUp(strapi: Core.Strapi, id: number, error: Error): Promise<void> {
  const schedule = await findSchedule(strapi.db.connection, id);
  if (schedule?.status !== 'pending') return;
  const user = (await strapi.db.query('admin::user').findOne({
    where: { id: schedule.createdBy },
  } as never)) as AdminUser | null;
  await stop(strapi, schedule, user, 'failed', `erreur du serveur après plusieurs essais (${error.message})`);
}

/** Queues a run for every pending schedule without a waiting job (a lost send): boot, every minute. */
export async function sweepSchedules(strapi: Core.Strapi): Promise<number> {
  const engine = jobEngine(strapi);
  if (!engine) return 0;
  const { rows } = (await strapi.db.connection.raw(
    `SELECT s.id, s.run_at FROM ${TABLE} s
      WHERE s.status = 'pending'
        AND NOT EXISTS (SELECT 1 FROM pgboss.job j
                         WHERE j.name = ? AND j.singleton_key = 'schedule-' || s.id::text
                           AND j.state IN ('created', 'retry', 'active'))
      ORDER BY s.run_at LIMIT 1000`,
    [QUEUE],
  )) as { rows: Row[] };
  for (const row of rows) await queueRun(strapi, Number(row.id), new Date(iso(row.run_at)));
  return rows.length;
}

const sweeps = new WeakMap<Core.Strapi, NodeJS.Timeout>();

/** The table, the queue and its worker (after the job engine has started): bootstrap. */
export async function startSchedules(strapi: Core.Strapi): Promise<void> {
  await ensureTables(strapi, MIGRATION);
  const engine = jobEngine(strapi);
  if (!engine) return; // SQLite (development): schedules are refused by the API there
  await engine.boss.createQueue(QUEUE, { name: QUEUE, policy: 'short' });
  if (!engine.workers) return; // a script queues; the servers run
  await engine.boss.work<{ schedule: number }>(
    QUEUE,
    { batchSize: 1, includeMetadata: true },
    async (jobs) => {
      for (const job of jobs) {
        const data = typeof job.data === 'string' ? JSON.parse(job.data) : job.data;
        const id = Number(data.schedule);
        try {
          await runSchedule(strapi, id);
        } catch (error) {
          strapi.log.error(`Schedules: run of schedule ${id} failed: ${(error as Error).stack ?? error}`);
          // The last attempt: the schedule ends as failed (said to its author), not retried forever.
          if (job.retryCount >= job.retryLimit) await giveUp(strapi, id, error as Error);
          else throw error;
        }
      }
    },
  );
  const sweep = () =>
    sweepSchedules(strapi).catch((error: unknown) =>
      strapi.log.error(`Schedules: sweep failed (${String(error)})`),
    );
  await sweep();
  const timer = setInterval(() => void sweep(), SWEEP_MS);
  timer.unref();
  sweeps.set(strapi, timer);
}

export function stopSchedules(strapi: Core.Strapi): void {
  clearInterval(sweeps.get(strapi));
  sweeps.delete(strapi);
}
