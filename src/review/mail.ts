/**
 * The review's mails (issue 25, section 2), in French, through the e-mail plugin (SMTP as
 * configured):
 * - Communication users get one mail when entries enter « À relire », listing them with links to
 *   their edit view;
 * - the author (who sent the entry for review) gets one when it is approved, sent back (with the
 *   comment) or published.
 * At most one mail per recipient every 10 minutes: what happens in between waits in the outbox
 * and goes in the next mail. The outbox is written in the move's transaction (a move that rolls
 * back mails nothing); a sender runs after each move and every minute, on one instance at a time
 * (a transaction-scoped advisory lock), and marks what it sent in the same transaction, so that a
 * failed send is tried again and a sent one never twice.
 */
import type { Core } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../bootstrap/locales';

export const OUTBOX = 'review_mail_outbox';
export const LOG = 'review_mail_log';
/** The shortest time between two mails to one recipient. */
export const WINDOW_MS = 10 * 60 * 1000;
/** "IA-REVMAIL": one sender at a time across instances. */
const LOCK_KEY = 0x4941524d4c;
const RUN_EVERY_MS = 60 * 1000;

export type MailKind = 'submitted' | 'approved' | 'sent-back' | 'published';

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, unknown>;

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres';

/** Who gets a mail for a move: Communication for a submission, the author otherwise. */
export async function recipientsOf(
  strapi: Core.Strapi,
  kind: MailKind,
  author: number | null,
  mover: number | null,
): Promise<number[]> {
  if (kind !== 'submitted') return author !== null && author !== mover ? [author] : [];
  const users = (await strapi.db.query('admin::user').findMany({
    select: ['id'],
    where: { roles: { code: 'communication' }, isActive: true, blocked: false },
  })) as Row[];
  return [...new Set(users.map((user) => Number(user.id)))].filter((id) => id !== mover);
}

/** Queues the mails of a move, in its transaction. */
export async function queueReviewMails(
  strapi: Core.Strapi,
  knex: Knex,
  move: {
    kind: MailKind;
    uid: string;
    documentId: string;
    locale: string;
    title: string | null;
    comment: string | null;
    author: number | null;
    mover: number | null;
  },
): Promise<number> {
  const recipients = await recipientsOf(strapi, move.kind, move.author, move.mover);
  if (recipients.length === 0) return 0;
  await knex(OUTBOX).insert(
    recipients.map((recipient) => ({
      recipient_id: recipient,
      kind: move.kind,
      uid: move.uid,
      document_id: move.documentId,
      locale: move.locale,
      title: move.title,
      comment: move.comment,
      created_at: new Date(),
    })),
  );
  return recipients.length;
}

const KIND_LABELS: Record<MailKind, string> = {
  submitted: 'À relire',
  approved: 'Approuvé',
  'sent-back': 'Renvoyé (en cours)',
  published: 'Publié',
};

export function editLink(strapi: Core.Strapi, uid: string, documentId: string, locale: string): string {
  const admin = String(strapi.config.get('admin.absoluteUrl') ?? '');
  const single = (strapi.getModel(uid as never) as { kind?: string }).kind === 'singleType';
  const path = single ? `single-types/${uid}` : `collection-types/${uid}/${documentId}`;
  return `${admin}/content-manager/${path}?plugins[i18n][locale]=${locale || DEFAULT_LOCALE}`;
}

/** The mail of one recipient's waiting moves. */
export function reviewMail(
  strapi: Core.Strapi,
  recipient: { email: string; firstname?: string | null },
  rows: Row[],
): { to: string; subject: string; text: string } {
  const submissions = rows.every((row) => row.kind === 'submitted');
  const count = rows.length;
  const subject = submissions
    ? count === 1
      ? `À relire : ${String(rows[0].title ?? 'une entrée')}`
      : `À relire : ${count} entrées`
    : count === 1
      ? `${KIND_LABELS[rows[0].kind as MailKind]} : ${String(rows[0].title ?? 'votre entrée')}`
      : `Relecture : ${count} changements sur vos entrées`;
  const lines = rows.map((row) => {
    const kind = KIND_LABELS[row.kind as MailKind];
    const comment = row.comment ? `\n  Commentaire : « ${String(row.comment)} »` : '';
    return `- ${kind} : ${String(row.title ?? row.document_id)} (${String(row.locale)})${comment}\n  ${editLink(strapi, String(row.uid), String(row.document_id), String(row.locale))}`;
  });
  const hello = recipient.firstname ? `Bonjour ${recipient.firstname},` : 'Bonjour,';
  const intro = submissions
    ? count === 1
      ? 'Une entrée attend votre relecture :'
      : `${count} entrées attendent votre relecture :`
    : 'La relecture de vos entrées a avancé :';
  const text = `${hello}\n\n${intro}\n\n${lines.join('\n\n')}\n\nCe message est envoyé par l’espace d’édition d’Inter-Actions\u00a0; au plus un toutes les dix minutes.\n`;
  return { to: recipient.email, subject, text };
}

/**
 * Sends what is due: for each recipient with waiting moves and no mail in the last 10 minutes,
 * one mail listing them. Returns how many mails were sent.
 */
export async function sendDueReviewMails(strapi: Core.Strapi, now = new Date()): Promise<number> {
  return strapi.db.connection.transaction(async (trx) => {
    const knex = trx as unknown as Knex;
    if (isPostgres(strapi)) {
      const { rows } = (await knex.raw('SELECT pg_try_advisory_xact_lock(?) AS locked', [LOCK_KEY])) as {
        rows: { locked: boolean }[];
      };
      if (!rows[0]?.locked) return 0;
    }
    const waiting: Row[] = await knex(OUTBOX).whereNull('sent_at').orderBy('id');
    const byRecipient = new Map<number, Row[]>();
    for (const row of waiting) {
      const id = Number(row.recipient_id);
      byRecipient.set(id, [...(byRecipient.get(id) ?? []), row]);
    }
    let sent = 0;
    for (const [recipientId, rows] of byRecipient) {
      const last: Row | undefined = await knex(LOG).where('recipient_id', recipientId).first();
      const lastAt = last
        ? new Date(
            String(last.last_sent_at instanceof Date ? last.last_sent_at.toISOString() : last.last_sent_at),
          )
        : undefined;
      if (lastAt && now.getTime() - lastAt.getTime() < WINDOW_MS) continue;
      const user: Row | undefined = await knex('admin_users')
        .where('id', recipientId)
        .first('email', 'firstname', 'is_active', 'blocked');
      const ids = rows.map((row) => row.id as number);
      if (user?.email && user.is_active && !user.blocked) {
        await strapi
          .plugin('email')
          .service('email')
          .send(
            reviewMail(
              strapi,
              { email: String(user.email), firstname: user.firstname as string | null },
              rows,
            ),
          );
        sent += 1;
        if (last) await knex(LOG).where('recipient_id', recipientId).update({ last_sent_at: now });
        else await knex(LOG).insert({ recipient_id: recipientId, last_sent_at: now });
      }
      await knex(OUTBOX).whereIn('id', ids).update({ sent_at: now });
    }
    return sent;
  });
}

interface State {
  timer?: NodeJS.Timeout;
  running?: Promise<unknown>;
}
const states = new WeakMap<Core.Strapi, State>();

/** Runs the sender now, in the background (after a move has committed). */
export function nudgeReviewMails(strapi: Core.Strapi): void {
  const state = states.get(strapi) ?? {};
  states.set(strapi, state);
  const run = () =>
    sendDueReviewMails(strapi).catch((error: unknown) =>
      strapi.log.error(`Review mails not sent: ${String(error)}`),
    );
  state.running = (state.running ?? Promise.resolve()).then(run, run);
}

/** The sender every minute (bootstrap), and the wait for a run in progress (destroy). */
export function startReviewMails(strapi: Core.Strapi): void {
  const state = states.get(strapi) ?? {};
  states.set(strapi, state);
  if (state.timer) clearInterval(state.timer);
  state.timer = setInterval(() => nudgeReviewMails(strapi), RUN_EVERY_MS);
  state.timer.unref();
}

/** Resolves when the runs started so far have finished (tests, shutdown). */
export async function reviewMailsSettled(strapi: Core.Strapi): Promise<void> {
  await states.get(strapi)?.running;
}

export async function stopReviewMails(strapi: Core.Strapi): Promise<void> {
  const state = states.get(strapi);
  if (!state) return;
  if (state.timer) clearInterval(state.timer);
  await state.running;
}
