/**
 * The staff API of scheduled publishing (issue 25, section 3), admin panel session required:
 * - `POST /admin/schedules` with `{ uid, documentId, locale, action: 'publish'|'unpublish', at }`
 *   → 201 `{ data }`; 400 for a past time (or more than two years ahead), an unknown document,
 *   type, locale or action; 403 without the publish right on every targeted locale. `locale` is
 *   one locale or `*` (all of them); `at` is ISO 8601, read in Europe/Luxembourg without an offset;
 * - `GET /admin/schedules?uid=&documentId=&locale=` → the upcoming schedules (soonest first) of
 *   the entries the caller may read;
 * - `DELETE /admin/schedules/:id` → 200 with the cancelled schedule; 403 for who may not publish
 *   the entry (nor scheduled it); 404 for a schedule that is not pending.
 * Every schedule and cancellation is in the audit log.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { appendAudit } from '../audit';
import { actorOf, documentName } from '../audit/recorders';
import { DEFAULT_LOCALE, LOCALE_CODES } from '../bootstrap/locales';
import { isHistoryUid } from '../history/uids';
import { entryChecker, hasDrafts, isDocumentId, type EntryChecker } from '../utils/content-manager';
import {
  ACTIONS,
  cancelSchedule,
  createSchedule,
  findSchedule,
  frenchTime,
  parseTime,
  upcoming,
  type Schedule,
  type ScheduleAction,
} from './index';
import { jobEngine } from '../webhooks/queue';

type Row = Record<string, unknown>;
type Knex = Core.Strapi['db']['connection'];
const MAX_AHEAD_MS = 2 * 366 * 24 * 60 * 60 * 1000;

/**
 * The admin user of a panel session: schedules are made, listed and cancelled by people. Not an
 * admin token (Strapi 5.54's carry their owner as `ctx.state.user`, whatever the token may do, and
 * a schedule runs later with the owner's rights, beyond the token's life).
 */
function panelUser(ctx: Context): { id: number } {
  const state = ctx.state as { user?: { id?: number }; auth?: { strategy?: { name?: string } } };
  if (state.auth?.strategy?.name !== 'admin' || typeof state.user?.id !== 'number')
    throw new errors.ForbiddenError('Schedules are made in a panel session, not with a token');
  return { id: state.user.id };
}

const invalid = (message: string, param: string, source = 'body') =>
  new errors.ValidationError(message, { source, param });

/** The rows a schedule targets now (drafts; one locale or every one), with their creators. */
async function targets(strapi: Core.Strapi, uid: string, documentId: string, locale: string): Promise<Row[]> {
  return (await strapi.db.query(uid as never).findMany({
    where: { documentId, publishedAt: null, ...(locale === '*' ? {} : { locale }) },
    populate: ['createdBy'],
  } as never)) as Row[];
}

type Author = { id: number; firstname: string | null; lastname: string | null } | null;

async function authors(strapi: Core.Strapi, ids: number[]): Promise<Map<number, Author>> {
  const users = (await strapi.db.query('admin::user').findMany({
    select: ['id', 'firstname', 'lastname'],
    where: { id: { $in: [...new Set(ids)] } },
  } as never)) as Row[];
  return new Map(
    users.map((user) => [
      Number(user.id),
      {
        id: Number(user.id),
        firstname: (user.firstname as string | null) ?? null,
        lastname: (user.lastname as string | null) ?? null,
      },
    ]),
  );
}

async function shape(strapi: Core.Strapi, schedules: Schedule[]) {
  const names = await authors(
    strapi,
    schedules.map((schedule) => schedule.createdBy),
  );
  const knex = strapi.db.connection;
  const shaped = [];
  for (const schedule of schedules)
    shaped.push({
      ...schedule,
      createdBy: names.get(schedule.createdBy) ?? { id: schedule.createdBy, firstname: null, lastname: null },
      // A schedule of every locale is named by its French title.
      title: await documentName(strapi, knex, schedule.uid, schedule.documentId, sourceLocale(schedule)),
    });
  return shaped;
}

const sourceLocale = (schedule: Schedule) => (schedule.locale === '*' ? DEFAULT_LOCALE : schedule.locale);

const mayPublishAll = (checker: EntryChecker, rows: Row[]) =>
  rows.length > 0 && rows.every((row) => checker.can.publish(row));

async function audit(strapi: Core.Strapi, ctx: Context, action: string, schedule: Schedule) {
  const { actor, ip } = actorOf(ctx as never);
  const knex = strapi.db.connection;
  await appendAudit(strapi, {
    action,
    actor,
    ip,
    object: {
      type: schedule.uid,
      id: schedule.documentId,
      locale: schedule.locale,
      name: await documentName(strapi, knex, schedule.uid, schedule.documentId, sourceLocale(schedule)),
    },
    summary: `${schedule.action} ${frenchTime(schedule.at)} (#${schedule.id})`,
  });
}

async function create(strapi: Core.Strapi, ctx: Context) {
  const body = ((ctx.request as { body?: unknown }).body ?? {}) as Row;
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('The body is an object', 'body');
  const { uid, documentId, locale, action, at } = body;
  if (typeof uid !== 'string' || !isHistoryUid(uid))
    throw invalid('Invalid uid: a content type staff publish', 'uid');
  if (!hasDrafts(strapi, uid))
    throw invalid(`${uid} has no drafts: its saves are live, there is nothing to schedule`, 'uid');
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action))
    throw invalid(`Invalid action: one of ${ACTIONS.join(', ')}`, 'action');
  if (typeof locale !== 'string' || !(locale === '*' || (LOCALE_CODES as string[]).includes(locale)))
    throw invalid(`Invalid locale: one of ${LOCALE_CODES.join(', ')} or * (all)`, 'locale');
  const time = parseTime(at);
  if (!time)
    throw invalid('Invalid at: a date and time (ISO 8601; without an offset, in Europe/Luxembourg)', 'at');
  if (time.getTime() <= Date.now()) throw invalid('Invalid at: this time has passed', 'at');
  if (time.getTime() > Date.now() + MAX_AHEAD_MS) throw invalid('Invalid at: at most two years ahead', 'at');
  if (!isDocumentId(documentId)) throw invalid('Invalid documentId', 'documentId');
  const user = panelUser(ctx);
  const rows = await targets(strapi, uid, documentId, locale);
  if (rows.length === 0)
    throw invalid(
      `No entry ${documentId} of ${uid} in ${locale === '*' ? 'any locale' : locale}`,
      'documentId',
    );
  const checker = entryChecker(strapi, ctx, uid);
  if (!mayPublishAll(checker, rows))
    throw new errors.ForbiddenError(
      'Only who may publish this entry (in every targeted locale) schedules it',
    );
  if (!jobEngine(strapi))
    throw new errors.ApplicationError(
      'Scheduled publishing needs PostgreSQL (pg-boss): it is off on this database',
    );
  const schedule = await createSchedule(strapi, {
    uid,
    documentId,
    locale,
    action: action as ScheduleAction,
    at: time,
    by: user.id,
  });
  await audit(strapi, ctx, 'entry.schedule', schedule);
  ctx.status = 201;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: (await shape(strapi, [schedule]))[0] };
}

async function list(strapi: Core.Strapi, ctx: Context) {
  panelUser(ctx);
  const query = ctx.query as Row;
  const text = (name: string) => {
    const value = query[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string' || value.length > 100) throw invalid(`Invalid ${name}`, name, 'query');
    return value;
  };
  const uid = text('uid');
  if (uid !== undefined && !isHistoryUid(uid))
    throw invalid('Invalid uid: a content type staff publish', 'uid', 'query');
  const locale = text('locale');
  if (locale !== undefined && !(LOCALE_CODES as string[]).includes(locale))
    throw invalid(`Invalid locale: one of ${LOCALE_CODES.join(', ')}`, 'locale', 'query');
  const documentId = text('documentId');
  if (documentId !== undefined && !isDocumentId(documentId))
    throw invalid('Invalid documentId', 'documentId', 'query');
  const all = await upcoming(strapi.db.connection, { uid, documentId, locale });
  // The entries they target, read once per type; the caller sees those it may read.
  const visible: Schedule[] = [];
  for (const type of new Set(all.map((schedule) => schedule.uid))) {
    const ofType = all.filter((schedule) => schedule.uid === type);
    const checker = entryChecker(strapi, ctx, type);
    const rows = (await strapi.db.query(type as never).findMany({
      select: ['id', 'documentId', 'locale'],
      where: {
        documentId: { $in: [...new Set(ofType.map((schedule) => schedule.documentId))] },
        publishedAt: null,
      },
      populate: ['createdBy'],
    } as never)) as Row[];
    for (const schedule of ofType)
      if (
        rows.some(
          (row) =>
            row.documentId === schedule.documentId &&
            (schedule.locale === '*' || row.locale === schedule.locale) &&
            checker.can.read(row),
        )
      )
        visible.push(schedule);
  }
  visible.sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: await shape(strapi, visible) };
}

async function remove(strapi: Core.Strapi, ctx: Context) {
  const id = Number((ctx.params as { id: string }).id);
  if (!Number.isSafeInteger(id) || id <= 0) throw invalid('Invalid id', 'id', 'params');
  const user = panelUser(ctx);
  const knex = strapi.db.connection;
  const schedule = await findSchedule(knex, id);
  if (!schedule || schedule.status !== 'pending')
    throw new errors.NotFoundError('No upcoming schedule with this id');
  const checker = entryChecker(strapi, ctx, schedule.uid);
  const rows = await targets(strapi, schedule.uid, schedule.documentId, schedule.locale);
  // An entry deleted since: who may publish the type cancels what is left of it.
  const publisher = rows.length === 0 ? checker.can.publish() : mayPublishAll(checker, rows);
  if (!publisher && !(schedule.createdBy === user.id && rows.some((row) => checker.can.read(row))))
    throw new errors.ForbiddenError('Only who may publish this entry cancels its schedules');
  const cancelled = await cancelSchedule(knex as Knex, id, `annulée par l’utilisateur ${user.id}`);
  if (!cancelled) throw new errors.NotFoundError('No upcoming schedule with this id');
  await audit(strapi, ctx, 'entry.schedule.cancel', cancelled);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: (await shape(strapi, [cancelled]))[0] };
}

export function registerScheduleRoutes(strapi: Core.Strapi): void {
  const config = { policies: ['admin::isAuthenticatedAdmin'] };
  strapi.server.routes({
    type: 'admin',
    prefix: '',
    routes: [
      { method: 'POST', path: '/admin/schedules', handler: (ctx: Context) => create(strapi, ctx), config },
      { method: 'GET', path: '/admin/schedules', handler: (ctx: Context) => list(strapi, ctx), config },
      {
        method: 'DELETE',
        path: '/admin/schedules/:id',
        handler: (ctx: Context) => remove(strapi, ctx),
        config,
      },
    ],
  } as never);
}
