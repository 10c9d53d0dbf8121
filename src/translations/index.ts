/**
 * Translation status (issue 26, section 1): for each document and each locale other than French,
 * `missing` (no version in that locale), `outdated` (a localized French field changed since that
 * locale's version was last saved or marked checked; the fields named) or `current`.
 *
 * Kept as a fingerprint per field: when a version in locale L is saved (any path: the write path's
 * Document Service middleware, ../changes) or marked checked, the SHA-256 of each localized text
 * field of the French draft at that moment is stored for (document, L). A field is outdated when
 * the French draft's fingerprint differs from the stored one. A version without stored
 * fingerprints (seeded, transferred, or saved before this existed) is taken as current when first
 * seen, and its fingerprints stored then: the baseline is what its translator could have read.
 * A restore is a save (it renews the baseline); a discarded draft keeps the baseline of its last save.
 */
import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import canonicalize from 'canonicalize';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { HISTORY_UIDS } from '../history/uids';
import { populateOf, valuesOf } from '../history/values';
import { hasDrafts } from '../utils/content-manager';
import { ensureTables } from '../utils/upkeep';

export const TABLE = 'translation_baselines';
const MIGRATION = '2026.12.08T00.00.00.translation-baselines.js';
export const STATUSES = ['missing', 'outdated', 'current'] as const;
export type TranslationStatus = (typeof STATUSES)[number];
/** The localized field types a translator translates (components: their texts, as a whole). */
const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'blocks', 'component']);

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, unknown>;
type Attribute = { type: string; pluginOptions?: { i18n?: { localized?: boolean } } };
export type Fingerprints = Record<string, string>;

/** The types with a translation status: those staff edit and translate. */
export const TRANSLATION_UIDS: readonly string[] = HISTORY_UIDS;

/** The localized text fields of `uid`, in schema order. */
export function translatedFields(strapi: Core.Strapi, uid: string): string[] {
  const attributes = (strapi.getModel(uid as never) as unknown as { attributes: Record<string, Attribute> })
    .attributes;
  return Object.entries(attributes)
    .filter(([, attribute]) => attribute.pluginOptions?.i18n?.localized && TEXT_TYPES.has(attribute.type))
    .map(([name]) => name);
}

const fingerprint = (value: unknown) =>
  createHash('sha256')
    .update(canonicalize(value ?? null) ?? 'null')
    .digest('hex');

/**
 * The draft rows (or only rows) of `uid` in `locale`, with the translated fields alone (components
 * populated, nothing else: no relation or media is read).
 */
async function draftRows(
  strapi: Core.Strapi,
  uid: string,
  locale: string,
  documentIds?: string[],
): Promise<Row[]> {
  const attributes = (strapi.getModel(uid as never) as unknown as { attributes: Record<string, Attribute> })
    .attributes;
  const fields = translatedFields(strapi, uid);
  const all = populateOf(strapi, uid);
  const populate = Object.fromEntries(
    fields
      .filter((field) => attributes[field].type === 'component')
      .map((field) => [field, all[field] ?? true]),
  );
  const title = ['title', 'name', 'label'].filter((field) => field in attributes);
  return (await strapi.db.query(uid as never).findMany({
    select: [
      'id',
      'documentId',
      'updatedAt',
      ...new Set([...title, ...fields.filter((field) => !(field in populate))]),
    ],
    where: {
      locale,
      ...(hasDrafts(strapi, uid) ? { publishedAt: null } : {}),
      ...(documentIds ? { documentId: { $in: documentIds } } : {}),
    },
    populate,
  } as never)) as Row[];
}

/** The translated fields of the drafts of `uid` in `locale` (all, or those given), in the Document Service's input shape, by document. */
export async function draftTexts(
  strapi: Core.Strapi,
  uid: string,
  locale: string,
  documentIds?: string[],
): Promise<Map<string, Row>> {
  const rows = await draftRows(strapi, uid, locale, documentIds);
  return new Map(rows.map((row) => [String(row.documentId), valuesOf(strapi, uid, row)]));
}

/** The fingerprints of a row's localized text fields. */
function fingerprintsOf(strapi: Core.Strapi, uid: string, row: Row): Fingerprints {
  const values = valuesOf(strapi, uid, row);
  return Object.fromEntries(
    translatedFields(strapi, uid).map((field) => [field, fingerprint(values[field])]),
  );
}

/** The French draft's fingerprints of each document of `uid` (all, or those given). */
export async function sourceFingerprints(
  strapi: Core.Strapi,
  uid: string,
  documentIds?: string[],
): Promise<Map<string, { fingerprints: Fingerprints; updatedAt: string; row: Row }>> {
  const rows = await draftRows(strapi, uid, DEFAULT_LOCALE, documentIds);
  return new Map(
    rows.map((row) => [
      String(row.documentId),
      {
        fingerprints: fingerprintsOf(strapi, uid, row),
        updatedAt: new Date(String(row.updatedAt)).toISOString(),
        row,
      },
    ]),
  );
}

/** Stores `fingerprints` as the baseline of (document, locale), replacing the one before. */
async function storeBaseline(
  knex: Knex,
  key: { uid: string; documentId: string; locale: string },
  fingerprints: Fingerprints,
  reason: 'saved' | 'checked' | 'first-seen',
  by: number | null = null,
): Promise<void> {
  const row = {
    uid: key.uid,
    document_id: key.documentId,
    locale: key.locale,
    fingerprints: JSON.stringify(fingerprints),
    reason,
    updated_by: by,
    updated_at: new Date(),
  };
  await knex(TABLE)
    .insert(row)
    .onConflict(['uid', 'document_id', 'locale'])
    .merge(['fingerprints', 'reason', 'updated_by', 'updated_at']);
}

/**
 * The write path's part (called by ../changes in the write's transaction): the versions saved in
 * locales other than French take the French draft of now as their baseline; a deleted locale (or
 * document) loses its baseline.
 */
export async function afterTranslationWrite(
  strapi: Core.Strapi,
  knex: Knex,
  write: { uid: string; documentId: string; action: string; savedLocales: string[]; by?: number | null },
): Promise<void> {
  if (!TRANSLATION_UIDS.includes(write.uid)) return;
  if (write.action === 'delete') {
    const remaining = (await strapi.db.query(write.uid as never).findMany({
      select: ['locale'],
      where: { documentId: write.documentId },
    } as never)) as Row[];
    const kept = new Set(remaining.map((row) => String(row.locale)));
    const rows = (await knex(TABLE).where({ uid: write.uid, document_id: write.documentId })) as Row[];
    const gone = rows.map((row) => String(row.locale)).filter((locale) => !kept.has(locale));
    if (gone.length > 0)
      await knex(TABLE)
        .where({ uid: write.uid, document_id: write.documentId })
        .whereIn('locale', gone)
        .delete();
    return;
  }
  if (!['create', 'update', 'clone'].includes(write.action)) return;
  const locales = write.savedLocales.filter((locale) => locale !== DEFAULT_LOCALE);
  if (locales.length === 0) return;
  const source = (await sourceFingerprints(strapi, write.uid, [write.documentId])).get(write.documentId);
  if (!source) return;
  for (const locale of locales)
    await storeBaseline(
      knex,
      { uid: write.uid, documentId: write.documentId, locale },
      source.fingerprints,
      'saved',
      write.by ?? null,
    );
}

export interface TranslationState {
  uid: string;
  documentId: string;
  locale: string;
  title: string | null;
  status: TranslationStatus;
  fields: string[];
  sourceUpdatedAt: string;
}

const parse = (value: unknown): Fingerprints =>
  (typeof value === 'string' ? JSON.parse(value) : (value ?? {})) as Fingerprints;

const titleOf = (row: Row): string | null => {
  for (const field of ['title', 'name', 'label'])
    if (typeof row[field] === 'string') return String(row[field]);
  return null;
};

/**
 * The status in `locale` of each document of `uid` (all, or those given), with the outdated
 * fields; stores the baseline of versions seen for the first time (as current).
 */
export async function translationStates(
  strapi: Core.Strapi,
  uid: string,
  locale: string,
  documentIds?: string[],
): Promise<TranslationState[]> {
  const knex = strapi.db.connection;
  const sources = await sourceFingerprints(strapi, uid, documentIds);
  if (sources.size === 0) return [];
  // Without a list of documents, the whole type: no list of ids is sent (it may be long).
  const translatedRows = (await strapi.db.query(uid as never).findMany({
    select: ['documentId'],
    where: { locale, ...(documentIds ? { documentId: { $in: documentIds } } : {}) },
  } as never)) as Row[];
  const translated = new Set(translatedRows.map((row) => String(row.documentId)));
  const baselineQuery = knex(TABLE).where({ uid, locale });
  if (documentIds) baselineQuery.whereIn('document_id', documentIds);
  const baselines = new Map(
    ((await baselineQuery) as Row[]).map((row) => [String(row.document_id), parse(row.fingerprints)]),
  );
  const states: TranslationState[] = [];
  const firstSeen: Row[] = [];
  for (const [documentId, source] of sources) {
    const base = { uid, documentId, locale, title: titleOf(source.row), sourceUpdatedAt: source.updatedAt };
    if (!translated.has(documentId)) {
      states.push({ ...base, status: 'missing', fields: translatedFields(strapi, uid) });
      continue;
    }
    const baseline = baselines.get(documentId);
    if (!baseline) {
      firstSeen.push({
        uid,
        document_id: documentId,
        locale,
        fingerprints: JSON.stringify(source.fingerprints),
        reason: 'first-seen',
        updated_by: null,
        updated_at: new Date(),
      });
      states.push({ ...base, status: 'current', fields: [] });
      continue;
    }
    const fields = Object.keys(source.fingerprints).filter(
      (field) => baseline[field] !== source.fingerprints[field],
    );
    states.push({ ...base, status: fields.length > 0 ? 'outdated' : 'current', fields });
  }
  // Versions seen for the first time: their baselines in a few statements (a save or a check that
  // came meanwhile keeps its own).
  for (let index = 0; index < firstSeen.length; index += 500)
    await knex(TABLE)
      .insert(firstSeen.slice(index, index + 500))
      .onConflict(['uid', 'document_id', 'locale'])
      .ignore();
  return states;
}

/**
 * After a write that translated only `fields` of (document, locale) (an XLIFF import): the other
 * fields keep the baseline they had before it (`previous`; none for a new version: outdated), so
 * what the file did not translate stays marked.
 */
export async function keepOtherBaselines(
  strapi: Core.Strapi,
  key: { uid: string; documentId: string; locale: string },
  previous: Fingerprints | null,
  fields: string[],
): Promise<void> {
  const knex = strapi.db.connection;
  const where = { uid: key.uid, document_id: key.documentId, locale: key.locale };
  const row = (await knex(TABLE).where(where).first()) as Row | undefined;
  if (!row) return;
  const now = parse(row.fingerprints);
  const kept = Object.fromEntries(
    Object.entries(now).map(([field, value]) => [
      field,
      fields.includes(field) ? value : (previous?.[field] ?? ''),
    ]),
  );
  await knex(TABLE)
    .where(where)
    .update({ fingerprints: JSON.stringify(kept) });
}

/** The stored baseline of (document, locale), if any. */
export async function baselineOf(
  strapi: Core.Strapi,
  key: { uid: string; documentId: string; locale: string },
): Promise<Fingerprints | null> {
  const row = (await strapi.db
    .connection(TABLE)
    .where({ uid: key.uid, document_id: key.documentId, locale: key.locale })
    .first()) as Row | undefined;
  return row ? parse(row.fingerprints) : null;
}

/** « Marquer comme vérifiée »: the French draft of now becomes the baseline of (document, locale). */
export async function markChecked(
  strapi: Core.Strapi,
  key: { uid: string; documentId: string; locale: string },
  by: number | null,
): Promise<boolean> {
  const source = (await sourceFingerprints(strapi, key.uid, [key.documentId])).get(key.documentId);
  if (!source) return false;
  await storeBaseline(strapi.db.connection, key, source.fingerprints, 'checked', by);
  return true;
}

/** The table (idempotent): bootstrap. */
export async function bootstrapTranslations(strapi: Core.Strapi): Promise<void> {
  await ensureTables(strapi, MIGRATION);
}
