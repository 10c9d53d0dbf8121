/**
 * The staff API of the translation status (issue 26, section 1), admin panel session required:
 * - `GET /admin/translations?locale=de&status=outdated|missing|current&uid=&documentId=` → `{ data:
 *   [{ uid, documentId, title, status, fields, sourceUpdatedAt }], meta: { total } }`, the entries
 *   the caller may read, oldest French change first (`status` may list several, comma-separated;
 *   `documentId`, with `uid`, one entry: what the edit view asks);
 * - `POST /admin/translations/:uid/:documentId/checked?locale=de` → 200 with the entry's new state
 *   (current): the French text of now becomes the baseline, the translation unchanged; 403 for a
 *   locale the caller may not update, 404 without a version in that locale, 400 for French;
 * - `GET /admin/translations/xliff?locale=de&status=outdated,missing&uid=&documentId=a,b` → the
 *   XLIFF 2.0 file of those entries (`application/xliff+xml`; 204 when there is nothing to
 *   translate), and `POST /admin/translations/xliff` (multipart, the file in the field `file`) →
 *   `{ data: { updated, skipped, refused }, meta }`: each unit into a draft of the file's target
 *   locale, never published (./xliff.ts). Types with drafts only: sites and funders, live at once,
 *   are translated in the panel.
 */
import { readFile } from 'node:fs/promises';
import type { Core } from '@strapi/strapi';
import { errors, setCreatorFields } from '@strapi/utils';
import type { Context } from 'koa';
import { DEFAULT_LOCALE, LOCALE_CODES } from '../bootstrap/locales';
import { draftRow, entryChecker, hasDrafts, isDocumentId, type EntryChecker } from '../utils/content-manager';
import {
  baselineOf,
  draftTexts,
  keepOtherBaselines,
  markChecked,
  STATUSES,
  translatedFields,
  translationStates,
  TRANSLATION_UIDS,
  type TranslationStatus,
} from './index';
import {
  buildXliff,
  leavesOf,
  parseXliff,
  targetProblem,
  textAt,
  valuesWith,
  XLIFF_MAX_BYTES,
  XLIFF_MAX_FILES,
  XLIFF_MEDIA_TYPE,
  type ExportEntry,
  type Leaf,
} from './xliff';

type Row = Record<string, unknown>;

const invalid = (message: string, param: string, source = 'query') =>
  new errors.ValidationError(message, { source, param });

/** A locale other than French (the source), from the query. */
function targetLocale(value: unknown): string {
  if (typeof value !== 'string' || !(LOCALE_CODES as string[]).includes(value) || value === DEFAULT_LOCALE)
    throw invalid(
      `Invalid locale: one of ${LOCALE_CODES.filter((code) => code !== DEFAULT_LOCALE).join(', ')} (French is the source)`,
      'locale',
    );
  return value;
}

function statusesOf(value: unknown): TranslationStatus[] {
  if (value === undefined || value === '') return [...STATUSES];
  if (typeof value !== 'string') throw invalid(`Invalid status: ${STATUSES.join(', ')}`, 'status');
  const list = value.split(',');
  if (!list.every((status) => (STATUSES as readonly string[]).includes(status)))
    throw invalid(`Invalid status: one or more of ${STATUSES.join(', ')}`, 'status');
  return list as TranslationStatus[];
}

function uidsOf(value: unknown): readonly string[] {
  if (value === undefined || value === '') return TRANSLATION_UIDS;
  if (typeof value !== 'string' || !TRANSLATION_UIDS.includes(value))
    throw invalid('Invalid uid: a content type staff translate', 'uid');
  return [value];
}

/** The entries of `locale` at `statuses` the caller may read, oldest French change first. */
export async function readableStates(
  strapi: Core.Strapi,
  ctx: Context,
  locale: string,
  statuses: TranslationStatus[],
  uids: readonly string[],
  documentIds?: string[],
) {
  const data = [];
  for (const uid of uids) {
    const checker: EntryChecker = entryChecker(strapi, ctx, uid);
    for (const state of await translationStates(strapi, uid, locale, documentIds))
      if (statuses.includes(state.status) && checker.can.read({ ...state, locale: DEFAULT_LOCALE } as Row))
        data.push(state);
  }
  return data.sort(
    (a, b) => a.sourceUpdatedAt.localeCompare(b.sourceUpdatedAt) || a.documentId.localeCompare(b.documentId),
  );
}

async function list(strapi: Core.Strapi, ctx: Context) {
  const query = ctx.query as Row;
  const locale = targetLocale(query.locale);
  const documentId = query.documentId;
  if (documentId !== undefined && (!isDocumentId(documentId) || query.uid === undefined))
    throw invalid('Invalid documentId: a document id, with uid', 'documentId');
  const data = await readableStates(
    strapi,
    ctx,
    locale,
    statusesOf(query.status),
    uidsOf(query.uid),
    documentId === undefined ? undefined : [documentId as string],
  );
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data, meta: { total: data.length } };
}

async function checked(strapi: Core.Strapi, ctx: Context) {
  const { uid, documentId } = ctx.params as { uid: string; documentId: string };
  if (!TRANSLATION_UIDS.includes(uid))
    throw invalid('Invalid uid: a content type staff translate', 'uid', 'params');
  const locale = targetLocale((ctx.query as Row).locale);
  const row = await draftRow(strapi, uid, documentId, locale);
  if (!row) throw new errors.NotFoundError('No version of this entry in this locale');
  if (!entryChecker(strapi, ctx, uid).can.update(row))
    throw new errors.ForbiddenError('You may not update this entry in this locale');
  const user = (ctx.state as { user?: { id?: number } }).user;
  await markChecked(strapi, { uid, documentId, locale }, user?.id ?? null);
  const [state] = await translationStates(strapi, uid, locale, [documentId]);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: state };
}

/** The types an XLIFF file carries: those with drafts (an import never publishes). */
const xliffUids = (strapi: Core.Strapi) => TRANSLATION_UIDS.filter((uid) => hasDrafts(strapi, uid));

async function exportXliff(strapi: Core.Strapi, ctx: Context) {
  const query = ctx.query as Row;
  const locale = targetLocale(query.locale);
  const statuses =
    query.status === undefined ? (['outdated', 'missing'] as TranslationStatus[]) : statusesOf(query.status);
  const uids = uidsOf(query.uid).filter((uid) => xliffUids(strapi).includes(uid));
  if (uids.length === 0)
    throw invalid('Invalid uid: this type has no drafts (it is translated in the panel)', 'uid');
  let documentIds: string[] | undefined;
  if (query.documentId !== undefined) {
    documentIds = typeof query.documentId === 'string' ? query.documentId.split(',') : [];
    if (
      query.uid === undefined ||
      documentIds.length === 0 ||
      documentIds.length > 500 ||
      !documentIds.every(isDocumentId)
    )
      throw invalid('Invalid documentId: up to 500 document ids, comma-separated, with uid', 'documentId');
  }
  const states = await readableStates(strapi, ctx, locale, statuses, uids, documentIds);
  const entries: ExportEntry[] = [];
  for (const uid of uids) {
    const mine = states.filter((state) => state.uid === uid);
    if (mine.length === 0) continue;
    const ids = mine.map((state) => state.documentId);
    const french = await draftTexts(strapi, uid, DEFAULT_LOCALE, ids);
    const translated = await draftTexts(strapi, uid, locale, ids);
    const checker = entryChecker(strapi, ctx, uid);
    for (const state of mine) {
      const source = french.get(state.documentId);
      if (!source) continue;
      // The translation's text only for who may read that locale (the French was judged above).
      const target = checker.can.read({ ...state, locale } as Row)
        ? (translated.get(state.documentId) ?? null)
        : null;
      const units = leavesOf(strapi, uid, source)
        .map((leaf) => ({
          leaf,
          source: textAt(source, leaf.path) ?? '',
          target: target ? textAt(target, leaf.path) : null,
          outdated: state.fields.includes(String(leaf.path[0])),
        }))
        .filter((unit) => unit.source !== '');
      if (units.length > 0) entries.push({ uid, documentId: state.documentId, title: state.title, units });
    }
  }
  ctx.set('Cache-Control', 'no-store');
  if (entries.length === 0) {
    ctx.status = 204;
    return;
  }
  const day = new Date().toISOString().slice(0, 10);
  ctx.set(
    'Content-Disposition',
    `attachment; filename="inter-actions-${DEFAULT_LOCALE}-${locale}-${day}.xlf"`,
  );
  ctx.type = XLIFF_MEDIA_TYPE;
  ctx.body = buildXliff(locale, entries);
}

interface ReportItem {
  uid: string | null;
  documentId: string | null;
  unit?: string;
  fields?: string[];
  code?: string;
  reason?: string;
}

/** The multipart field `file` of the request: one file, at most XLIFF_MAX_BYTES. */
async function uploadedText(ctx: Context): Promise<string> {
  const files = (ctx.request as { files?: Record<string, unknown> }).files ?? {};
  const value = files.file;
  const file = (Array.isArray(value) ? value : [value]).filter(Boolean) as {
    filepath: string;
    size: number;
  }[];
  if (file.length !== 1)
    throw new errors.ValidationError('Send one XLIFF file, in the multipart field "file"', {
      source: 'body',
      param: 'file',
    });
  if (file[0].size > XLIFF_MAX_BYTES)
    throw new errors.ValidationError(`The file is larger than ${XLIFF_MAX_BYTES / 1024 / 1024} MB`, {
      source: 'body',
      param: 'file',
    });
  const bytes = await readFile(file[0].filepath);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = '\u0000';
  }
  if (text.includes('\u0000'))
    throw new errors.ValidationError('The file is not UTF-8 text', { source: 'body', param: 'file' });
  return text;
}

async function importXliff(strapi: Core.Strapi, ctx: Context) {
  const parsed = parseXliff(await uploadedText(ctx));
  if (!(LOCALE_CODES as string[]).includes(parsed.trgLang) || parsed.trgLang === DEFAULT_LOCALE)
    throw new errors.ValidationError(
      `Invalid XLIFF: trgLang must be one of ${LOCALE_CODES.filter((code) => code !== DEFAULT_LOCALE).join(', ')}`,
      { source: 'body', param: 'file' },
    );
  const locale = parsed.trgLang;
  const units = parsed.files.reduce((total, file) => total + file.units.length, 0);
  if (parsed.files.length > XLIFF_MAX_FILES || units > XLIFF_MAX_FILES * 50)
    throw new errors.ValidationError(
      `Invalid XLIFF: at most ${XLIFF_MAX_FILES} entries and ${XLIFF_MAX_FILES * 50} texts per file`,
      { source: 'body', param: 'file' },
    );
  const state = ctx.state as { user?: unknown };
  const originals = new Set<string>();
  const updated: ReportItem[] = [];
  const skipped: ReportItem[] = [];
  const refused: ReportItem[] = [];
  for (const file of parsed.files) {
    const slash = file.original.lastIndexOf('/');
    const uid = file.original.slice(0, slash);
    const documentId = file.original.slice(slash + 1);
    const entry = { uid: uid || null, documentId: documentId || null };
    if (originals.has(file.original)) {
      refused.push({ ...entry, code: 'duplicate', reason: 'This entry is in the file twice' });
      continue;
    }
    originals.add(file.original);
    const source =
      xliffUids(strapi).includes(uid) && isDocumentId(documentId)
        ? (await draftTexts(strapi, uid, DEFAULT_LOCALE, [documentId])).get(documentId)
        : undefined;
    if (!source) {
      refused.push({ ...entry, code: 'unknown-entry', reason: `No entry ${file.original} to translate` });
      continue;
    }
    const checker = entryChecker(strapi, ctx, uid);
    const current = await draftRow(strapi, uid, documentId, locale);
    // A new locale is judged as the panel judges it: with the entry's creator (« is creator »).
    const french = current ? null : await draftRow(strapi, uid, documentId, DEFAULT_LOCALE);
    if (current ? checker.cannot.update(current) : checker.cannot.create({ ...french, documentId, locale })) {
      refused.push({ ...entry, code: 'forbidden', reason: `You may not change this entry in ${locale}` });
      continue;
    }
    const currentValues = current
      ? ((await draftTexts(strapi, uid, locale, [documentId])).get(documentId) ?? null)
      : null;
    const leaves = new Map(leavesOf(strapi, uid, source).map((leaf) => [leaf.id, leaf]));
    const updates: { leaf: Leaf; text: string }[] = [];
    const seen = new Set<string>();
    /** The texts this locale holds as the file has them once written: unchanged or updated. */
    const done = new Set<string>();
    for (const unit of file.units) {
      const item = { ...entry, unit: unit.id };
      const leaf = leaves.get(unit.id);
      const refuse = (code: string, reason: string) => refused.push({ ...item, code, reason });
      if (!leaf) refuse('unknown-field', `No translatable text "${unit.id}" in this entry`);
      else if (seen.has(unit.id)) refuse('duplicate', 'This text is in the file twice');
      else if (unit.markup)
        refuse(
          'markup',
          `Inline codes or elements in the text (${unit.markup}): type the text as the French has it`,
        );
      else if (unit.targetLang && unit.targetLang !== locale)
        refuse('other-locale', `A target in ${unit.targetLang}, in a file into ${locale}`);
      else if (unit.source !== (textAt(source, leaf.path) ?? ''))
        refuse(
          'source-changed',
          'The French text changed since the export: export again and translate the new text',
        );
      else if (unit.target === undefined || unit.target.trim() === '')
        skipped.push({ ...item, code: 'no-translation', reason: 'No translation in the file' });
      else if (currentValues && unit.target === textAt(currentValues, leaf.path)) {
        skipped.push({ ...item, code: 'unchanged', reason: 'Already the text of this locale' });
        done.add(leaf.id);
      } else {
        const problem = targetProblem(leaf, unit.source, unit.target);
        if (problem) refuse('invalid-text', problem);
        else updates.push({ leaf, text: unit.target });
      }
      seen.add(unit.id);
    }
    if (updates.length === 0) continue;
    const data = valuesWith(strapi, uid, currentValues, source, updates);
    const permitted = current
      ? await checker.sanitizeUpdateInput(current)(data)
      : await checker.sanitizeCreateInput(data);
    const allowed = updates.filter(({ leaf }) => String(leaf.path[0]) in permitted);
    for (const update of updates)
      if (!allowed.includes(update))
        refused.push({
          ...entry,
          unit: update.leaf.id,
          code: 'forbidden',
          reason: 'You may not change this field',
        });
    if (allowed.length === 0) continue;
    try {
      // First seen now if never before, so that what the file leaves out keeps its state.
      if (current) await translationStates(strapi, uid, locale, [documentId]);
      const previous = await baselineOf(strapi, { uid, documentId, locale });
      await strapi.documents(uid as never).update({
        documentId,
        locale,
        data: setCreatorFields({ user: state.user as never, isEdition: Boolean(current) })(permitted),
      } as never);
      // Renewed: a field whose every French text is now translated as the file has it (all the
      // texts of a component, not one), and those without French text (nothing to translate).
      for (const { leaf } of allowed) done.add(leaf.id);
      const withText = [...leaves.values()].filter((leaf) => textAt(source, leaf.path));
      await keepOtherBaselines(
        strapi,
        { uid, documentId, locale },
        previous,
        translatedFields(strapi, uid).filter((field) =>
          withText.filter((leaf) => leaf.path[0] === field).every((leaf) => done.has(leaf.id)),
        ),
      );
      updated.push({ ...entry, fields: allowed.map(({ leaf }) => leaf.id) });
    } catch (error) {
      if (!(error instanceof errors.ApplicationError)) throw error;
      for (const { leaf } of allowed)
        refused.push({ ...entry, unit: leaf.id, code: 'invalid-text', reason: error.message });
    }
  }
  ctx.set('Cache-Control', 'no-store');
  ctx.body = {
    data: { updated, skipped, refused },
    meta: {
      locale,
      files: parsed.files.length,
      updated: updated.reduce((total, item) => total + (item.fields?.length ?? 0), 0),
      skipped: skipped.length,
      refused: refused.length,
    },
  };
}

export function registerTranslationRoutes(strapi: Core.Strapi): void {
  const config = { policies: ['admin::isAuthenticatedAdmin'] };
  strapi.server.routes({
    type: 'admin',
    prefix: '',
    routes: [
      { method: 'GET', path: '/admin/translations', handler: (ctx: Context) => list(strapi, ctx), config },
      {
        method: 'GET',
        path: '/admin/translations/xliff',
        handler: (ctx: Context) => exportXliff(strapi, ctx),
        config,
      },
      {
        method: 'POST',
        path: '/admin/translations/xliff',
        handler: (ctx: Context) => importXliff(strapi, ctx),
        config,
      },
      {
        method: 'POST',
        path: '/admin/translations/:uid/:documentId/checked',
        handler: (ctx: Context) => checked(strapi, ctx),
        config,
      },
    ],
  } as never);
}
