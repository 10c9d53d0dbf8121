/**
 * Fixes to the seeded content for databases seeded before them (database/content-fixes/*.json):
 * the seed only creates what is missing and never rewrites an entry, so a wording or fact-check
 * fix of database/seed reaches an existing database here. Each fix names a text (type, entry by
 * slug or vocabulary key, field, locale) and the text the seed gave it; it is written only where the
 * draft still holds that text (a text staff changed since is left as it is, and reported), through
 * the Document Service as a save of that draft (history, audit, review and translation status as
 * any save), never published: Communication reviews and publishes as usual. Sites and funders have
 * no drafts: their fix is live at once, as a panel save would be. `npm run content:fixes` lists
 * what it would do; `-- --apply` does it.
 */
import type { Core } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { baselineOf, keepOtherBaselines, translationStates, TRANSLATION_UIDS } from '../translations';
import { hasDrafts } from '../utils/content-manager';

export interface ContentFix {
  uid: string;
  /** The entry, by slug (collection types), vocabulary key (terms), or neither (single types). */
  slug?: string | null;
  key?: string;
  field: string;
  /** Its locale; null for a field shared by the locales (written through the French version). */
  locale: string | null;
  /** The text the seed gave it (null: the field was empty). */
  from: string | null;
  to: string;
}

export type FixOutcome = 'applied' | 'would apply' | 'already' | 'changed by staff' | 'no entry';

type Row = Record<string, unknown>;

const same = (value: unknown, text: string | null) =>
  text === null ? value === null || value === undefined || value === '' : value === text;

export async function applyContentFixes(
  strapi: Core.Strapi,
  fixes: ContentFix[],
  apply: boolean,
): Promise<{ fix: ContentFix; outcome: FixOutcome }[]> {
  const report: { fix: ContentFix; outcome: FixOutcome }[] = [];
  for (const fix of fixes) {
    const locale = fix.locale ?? DEFAULT_LOCALE;
    const where: Row = { locale };
    if (fix.slug) where.slug = fix.slug;
    if (fix.key) where.key = fix.key;
    if (hasDrafts(strapi, fix.uid)) where.publishedAt = null;
    const row = (await strapi.db.query(fix.uid as never).findOne({ where } as never)) as Row | null;
    let outcome: FixOutcome;
    if (!row) outcome = 'no entry';
    else if (row[fix.field] === fix.to) outcome = 'already';
    else if (!same(row[fix.field], fix.from)) outcome = 'changed by staff';
    else if (!apply) outcome = 'would apply';
    else {
      const key = { uid: fix.uid, documentId: String(row.documentId), locale };
      // A fix of a translation is not its translator's review: its translation status stays.
      const translation = locale !== DEFAULT_LOCALE && TRANSLATION_UIDS.includes(fix.uid);
      if (translation) await translationStates(strapi, fix.uid, locale, [key.documentId]);
      const previous = translation ? await baselineOf(strapi, key) : null;
      await strapi.documents(fix.uid as never).update({
        documentId: key.documentId,
        locale,
        data: { [fix.field]: fix.to },
      } as never);
      if (translation) await keepOtherBaselines(strapi, key, previous, []);
      outcome = 'applied';
    }
    report.push({ fix, outcome });
  }
  return report;
}
