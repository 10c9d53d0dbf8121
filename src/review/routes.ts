/**
 * The staff API of the review (issue 25, section 2), admin panel session required:
 * - `GET /admin/review?stage=review&locale=&uid=&mine=`: the entries at that stage the caller may
 *   read (`mine=true`: those it sent for review);
 * - `GET /admin/review/:uid/:documentId?locale=fr`: one entry's stage, and what the caller may do
 *   (`meta.mayUpdate`, `meta.mayPublish`), for the panel;
 * - `PUT /admin/review/:uid/:documentId?locale=fr` with `{ stage, comment? }`: 200 with the new
 *   state; 403 for a transition the caller may not make; 400 for an unknown stage or a comment
 *   too long; 404 for an entry that does not exist in that locale.
 * Rights are the Content Manager's, judged on the entry (./index.ts says who moves what).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { appendAudit } from '../audit';
import { actorOf, documentName } from '../audit/recorders';
import { LOCALE_CODES } from '../bootstrap/locales';
import { isHistoryUid } from '../history/uids';
import { draftRow, entryChecker, hasDrafts, type EntryChecker } from '../utils/content-manager';
import { entriesAt, setStage, stageOf, STAGES, type Stage } from './index';
import { nudgeReviewMails, queueReviewMails } from './mail';

type Row = Record<string, unknown>;
type Knex = Core.Strapi['db']['connection'];
const MAX_COMMENT = 2000;

/**
 * Who may approve or send back: who may publish the entry; for a type without drafts (sites,
 * funders: a save is live, there is no publish), who may both edit it and delete it
 * (Communication), so that a Translator does not approve its own translation.
 */
const mayPublish = (strapi: Core.Strapi, uid: string, checker: EntryChecker, row: Row) =>
  hasDrafts(strapi, uid) ? checker.can.publish(row) : checker.can.update(row) && checker.can.delete(row);

const invalid = (message: string, param: string, source = 'query') =>
  new errors.ValidationError(message, { source, param });

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  param: string,
  source = 'query',
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw invalid(`Invalid ${param}: one of ${allowed.join(', ')}`, param, source);
  return value as T;
}

async function list(strapi: Core.Strapi, ctx: Context) {
  const query = ctx.query as Record<string, unknown>;
  const stage = oneOf(query.stage, STAGES, 'stage') ?? 'review';
  const locale = oneOf(query.locale, LOCALE_CODES, 'locale');
  const uid = query.uid === undefined || query.uid === '' ? undefined : String(query.uid);
  if (uid !== undefined && (typeof query.uid !== 'string' || !isHistoryUid(uid)))
    throw invalid('Invalid uid: a content type with a review', 'uid');
  // `mine=true`: the entries the caller sent for review (the home page's « Renvoyé »).
  if (query.mine !== undefined && query.mine !== 'true' && query.mine !== 'false')
    throw invalid('Invalid mine: true or false', 'mine');
  const me = (ctx.state as { user?: { id?: number } }).user?.id;
  const submittedBy = query.mine === 'true' ? (me ?? -1) : undefined;
  const knex = strapi.db.connection;
  const data = [];
  for (const state of await entriesAt(knex, { stage, locale, uid, submittedBy })) {
    const row = await draftRow(strapi, state.uid, state.documentId, state.locale);
    if (!row || !entryChecker(strapi, ctx, state.uid).can.read(row)) continue;
    data.push({
      ...state,
      title: await documentName(strapi, knex, state.uid, state.documentId, state.locale),
    });
  }
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data };
}

/** One entry's stage in a locale (« En cours » without a row), for who may read the entry. */
async function show(strapi: Core.Strapi, ctx: Context) {
  const { uid, documentId } = ctx.params as { uid: string; documentId: string };
  if (!isHistoryUid(uid))
    throw invalid(`Invalid uid: "${String(uid).slice(0, 64)}" has no review`, 'uid', 'params');
  const locale = oneOf((ctx.query as Row).locale, LOCALE_CODES, 'locale') ?? 'fr';
  const row = await draftRow(strapi, uid, documentId, locale);
  if (!row) throw new errors.NotFoundError('No such entry in this locale');
  const checker = entryChecker(strapi, ctx, uid);
  if (!checker.can.read(row)) throw new errors.ForbiddenError('You may not read this entry in this locale');
  const state = await stageOf(strapi.db.connection, uid, documentId, locale);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = {
    data: state ?? {
      uid,
      documentId,
      locale,
      stage: 'draft',
      comment: null,
      submittedBy: null,
      updatedBy: null,
      updatedAt: null,
    },
    meta: { mayPublish: mayPublish(strapi, uid, checker, row), mayUpdate: checker.can.update(row) },
  };
}

async function move(strapi: Core.Strapi, ctx: Context) {
  const { uid, documentId } = ctx.params as { uid: string; documentId: string };
  if (!isHistoryUid(uid))
    throw invalid(`Invalid uid: "${String(uid).slice(0, 64)}" has no review`, 'uid', 'params');
  const locale = oneOf((ctx.query as Row).locale, LOCALE_CODES, 'locale') ?? 'fr';
  const body = ((ctx.request as { body?: unknown }).body ?? {}) as Row;
  const stage = oneOf(body.stage, STAGES, 'stage', 'body') as Stage | undefined;
  if (!stage) throw invalid(`Invalid stage: one of ${STAGES.join(', ')}`, 'stage', 'body');
  const comment = body.comment === undefined || body.comment === null ? null : body.comment;
  if (comment !== null && (typeof comment !== 'string' || comment.length > MAX_COMMENT))
    throw invalid(`Invalid comment: a text of at most ${MAX_COMMENT} characters`, 'comment', 'body');

  const row = await draftRow(strapi, uid, documentId, locale);
  if (!row) throw new errors.NotFoundError('No such entry in this locale');
  const checker = entryChecker(strapi, ctx, uid);
  const knex = strapi.db.connection;
  const before = await stageOf(knex, uid, documentId, locale);
  const current = before?.stage ?? 'draft';
  const user = (ctx.state as { user?: { id: number } }).user;
  const publisher = mayPublish(strapi, uid, checker, row);
  const allowed =
    stage === 'review'
      ? checker.can.update(row)
      : stage === 'approved'
        ? publisher && current === 'review'
        : publisher || (current === 'review' && checker.can.update(row));
  if (!allowed)
    throw new errors.ForbiddenError(
      stage === 'review'
        ? 'You may not submit this entry for review in this locale'
        : stage === 'approved'
          ? current === 'review'
            ? 'Only who may publish this entry approves it'
            : 'Only an entry « À relire » is approved'
          : 'Only who may publish this entry sends it back',
    );
  const { actor, ip } = actorOf(ctx as never);
  const state = await (strapi.db.connection.transaction(async (trx) => {
    const saved = await setStage(trx as unknown as Knex, {
      uid,
      documentId,
      locale,
      stage,
      comment: typeof comment === 'string' ? comment : null,
      by: user?.id ?? null,
    });
    const title = await documentName(strapi, trx as unknown as Knex, uid, documentId, locale);
    await appendAudit(
      strapi,
      {
        action: 'entry.stage',
        actor,
        ip,
        object: { type: uid, id: documentId, locale, name: title },
        summary: `${current} → ${stage}`,
      },
      trx as unknown as Knex,
    );
    // Communication hears of a submission, the author of what became of it (./mail.ts).
    await queueReviewMails(strapi, trx as unknown as Knex, {
      kind: stage === 'review' ? 'submitted' : stage === 'approved' ? 'approved' : 'sent-back',
      uid,
      documentId,
      locale,
      title,
      comment: typeof comment === 'string' ? comment : null,
      author: before?.submittedBy ?? null,
      mover: user?.id ?? null,
    });
    return saved;
  }) as Promise<Awaited<ReturnType<typeof setStage>>>);
  nudgeReviewMails(strapi);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: state };
}

export function registerReviewRoutes(strapi: Core.Strapi): void {
  const config = { policies: ['admin::isAuthenticatedAdmin'] };
  strapi.server.routes({
    type: 'admin',
    prefix: '',
    routes: [
      { method: 'GET', path: '/admin/review', handler: (ctx: Context) => list(strapi, ctx), config },
      {
        method: 'GET',
        path: '/admin/review/:uid/:documentId',
        handler: (ctx: Context) => show(strapi, ctx),
        config,
      },
      {
        method: 'PUT',
        path: '/admin/review/:uid/:documentId',
        handler: (ctx: Context) => move(strapi, ctx),
        config,
      },
    ],
  } as never);
}
