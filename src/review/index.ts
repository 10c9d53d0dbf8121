/**
 * Review before publishing (issue 25, section 2): each document and locale has a stage, `draft`
 * (« En cours »), `review` (« À relire ») or `approved` (« Approuvé »).
 *
 * - Who may save the entry in that locale (a coordinator its own entries, a Translator the
 *   translations, Communication everything) moves it to « À relire », with an optional comment.
 * - Who may publish it (Communication) approves it, or sends it back to « En cours » with a
 *   comment; its own publish approves it by itself.
 * - Any save of an approved entry moves it back to « À relire » (what was approved is no longer
 *   what would be published); a publish ends the cycle (« En cours » again, for the next change).
 * The write-path rules run in the change feed's Document Service middleware, in the write's
 * transaction (../changes), so that REST, GraphQL, the panel and scripts obey them alike. An entry
 * without a row is « En cours ». The transitions are recorded in the audit log (src/audit).
 */
import type { Core } from '@strapi/strapi';
import { ensureTables } from '../utils/upkeep';

export const TABLE = 'review_states';
const MIGRATION = '2026.12.07T00.00.02.review-states.js';
export const STAGES = ['draft', 'review', 'approved'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_LABELS: Record<Stage, string> = {
  draft: 'En cours',
  review: 'À relire',
  approved: 'Approuvé',
};

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, unknown>;

export interface ReviewState {
  uid: string;
  documentId: string;
  locale: string;
  stage: Stage;
  comment: string | null;
  submittedBy: number | null;
  updatedBy: number | null;
  updatedAt: string;
}

const iso = (value: unknown) =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
const toState = (row: Row): ReviewState => ({
  uid: String(row.uid),
  documentId: String(row.document_id),
  locale: String(row.locale),
  stage: row.stage as Stage,
  comment: (row.comment as string | null) ?? null,
  submittedBy: row.submitted_by === null || row.submitted_by === undefined ? null : Number(row.submitted_by),
  updatedBy: row.updated_by === null || row.updated_by === undefined ? null : Number(row.updated_by),
  updatedAt: iso(row.updated_at),
});

/** The stage of one document and locale (« En cours » without a row). */
export async function stageOf(
  knex: Knex,
  uid: string,
  documentId: string,
  locale: string,
): Promise<ReviewState | undefined> {
  const row: Row | undefined = await knex(TABLE).where({ uid, document_id: documentId, locale }).first();
  return row ? toState(row) : undefined;
}

/** Sets the stage (insert or update), returns it. */
export async function setStage(
  knex: Knex,
  state: {
    uid: string;
    documentId: string;
    locale: string;
    stage: Stage;
    comment?: string | null;
    by?: number | null;
  },
): Promise<ReviewState> {
  const now = new Date();
  const current = await stageOf(knex, state.uid, state.documentId, state.locale);
  const row = {
    uid: state.uid,
    document_id: state.documentId,
    locale: state.locale,
    stage: state.stage,
    comment: state.comment ?? null,
    submitted_by:
      state.stage === 'review' ? (state.by ?? current?.submittedBy ?? null) : (current?.submittedBy ?? null),
    updated_by: state.by ?? null,
    updated_at: now,
  };
  if (current)
    await knex(TABLE)
      .where({ uid: state.uid, document_id: state.documentId, locale: state.locale })
      .update(row);
  else await knex(TABLE).insert(row);
  return toState(row);
}

/** The entries at `stage`, newest change first. */
export async function entriesAt(
  knex: Knex,
  filter: { stage: Stage; locale?: string; uid?: string; submittedBy?: number },
): Promise<ReviewState[]> {
  const query = knex(TABLE).where('stage', filter.stage).orderBy('updated_at', 'desc').limit(1000);
  if (filter.locale) query.where('locale', filter.locale);
  if (filter.uid) query.where('uid', filter.uid);
  if (filter.submittedBy !== undefined) query.where('submitted_by', filter.submittedBy);
  return ((await query) as Row[]).map(toState);
}

/** A stage the write path changed, and the one before. */
export interface StageChange {
  from: Stage;
  state: ReviewState;
}

/**
 * The write path's rules (called by ../changes after a write, in its transaction): a save of an
 * approved entry sends it back to « À relire »; a publish ends the cycle; a delete forgets the
 * stages of the locales it removed. Returns the stages changed.
 */
export async function afterWrite(
  knex: Knex,
  write: {
    uid: string;
    documentId: string;
    action: string;
    locales: string[];
    /** The locales whose draft the write changed. */
    changedLocales: string[];
    by?: number | null;
  },
): Promise<StageChange[]> {
  const changed: StageChange[] = [];
  if (write.action === 'delete') {
    await knex(TABLE)
      .where({ uid: write.uid, document_id: write.documentId })
      .whereIn('locale', write.locales)
      .delete();
    return changed;
  }
  for (const locale of write.locales) {
    const current = await stageOf(knex, write.uid, write.documentId, locale);
    if (!current || current.stage === 'draft') continue;
    if (write.action === 'publish')
      changed.push({
        from: current.stage,
        state: await setStage(knex, { ...write, locale, stage: 'draft', comment: null }),
      });
    else if (
      ['update', 'discardDraft'].includes(write.action) &&
      current.stage === 'approved' &&
      write.changedLocales.includes(locale)
    )
      changed.push({
        from: current.stage,
        state: await setStage(knex, {
          ...write,
          locale,
          stage: 'review',
          comment: 'Modifié après approbation',
        }),
      });
  }
  return changed;
}

/** The tables (idempotent): bootstrap. */
export async function bootstrapReview(strapi: Core.Strapi): Promise<void> {
  await ensureTables(strapi, MIGRATION);
}
