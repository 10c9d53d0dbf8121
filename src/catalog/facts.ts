/**
 * What the DCAT-AP catalogue states that comes from the database: the association (the published
 * Organisation entry), the locales, and the issued and modified dates of each dataset.
 *
 * `modified` must move with every change a reader of the dataset can see, deletions and
 * unpublications included, which leave no row whose `updated_at` could tell. It is the newest of
 * the change feed's events (src/changes: published, unpublished, deleted) of the types the
 * dataset shows and of the `updated_at` of their published rows (a restore writes behind the
 * change feed's back). Drafts count for nothing: a draft saved is not a change of open data.
 */
import type { Core } from '@strapi/strapi';
import { DEFAULT_LOCALE, LOCALE_CODES } from '../bootstrap/locales';
import { TABLE as CHANGE_EVENTS } from '../changes';
import { localeCodes } from '../i18n/fallback';

export type DatasetKey = 'projects' | 'sites' | 'funders';

/**
 * The types each dataset shows: a listing row carries its site's slug and its funders' names, so
 * a renamed funder changes the projects dataset too.
 */
export const DATASET_TYPES: Record<DatasetKey, { type: string; table: string }[]> = {
  projects: [
    { type: 'project', table: 'projects' },
    { type: 'service', table: 'services' },
    { type: 'site', table: 'sites' },
    { type: 'funder', table: 'funders' },
  ],
  sites: [{ type: 'site', table: 'sites' }],
  funders: [{ type: 'funder', table: 'funders' }],
};

export interface Period {
  /** The first publication of the dataset's content. */
  issued: Date;
  /** The last change of it a reader can see. */
  modified: Date;
}

export interface CatalogFacts {
  /** The association's name and legal form, e.g. "Inter-Actions" and "asbl". */
  name: string;
  legalForm: string;
  /** The association's mission by locale (fr, de, lb, en), from the Organisation entry. */
  mission: Record<string, string>;
  /** The locales of the CMS, the default first. */
  locales: string[];
  datasets: Record<DatasetKey, Period>;
  /** Of the catalogue: the datasets' and the Organisation's. */
  catalog: Period;
}

type Row = Record<string, unknown>;

const toDate = (value: unknown): Date | undefined =>
  value === null || value === undefined ? undefined : new Date(value as string | Date);

function newest(dates: (Date | undefined)[]): Date | undefined {
  const known = dates.filter((date): date is Date => Boolean(date));
  return known.length ? new Date(Math.max(...known.map(Number))) : undefined;
}

function oldest(dates: (Date | undefined)[]): Date | undefined {
  const known = dates.filter((date): date is Date => Boolean(date));
  return known.length ? new Date(Math.min(...known.map(Number))) : undefined;
}

/** Reads the facts: one statement per content table and one over the change feed. */
export async function loadCatalogFacts(strapi: Core.Strapi): Promise<CatalogFacts> {
  const knex = strapi.db.connection;
  const tables = [...new Set(Object.values(DATASET_TYPES).flatMap((list) => list.map((t) => t.table)))];
  const perTable: Record<string, { issued?: Date; modified?: Date }> = {};
  for (const table of [...tables, 'organisations']) {
    const row: Row | undefined = await knex(table)
      .whereNotNull('published_at')
      .first(knex.raw('min(published_at) as issued'), knex.raw('max(updated_at) as modified'));
    perTable[table] = { issued: toDate(row?.issued), modified: toDate(row?.modified) };
  }
  const events: Row[] = await knex(CHANGE_EVENTS).select('type').max({ at: 'at' }).groupBy('type');
  const lastEvent: Record<string, Date | undefined> = Object.fromEntries(
    events.map((row) => [String(row.type), toDate(row.at)]),
  );

  const period = (parts: { type: string; table: string }[]): Period => {
    const issued = oldest(parts.map((part) => perTable[part.table].issued));
    const modified = newest(parts.flatMap((part) => [perTable[part.table].modified, lastEvent[part.type]]));
    // An empty dataset (nothing published yet) is issued and modified now: never a date in the past
    // that a later first publication would not move.
    const now = new Date();
    return { issued: issued ?? modified ?? now, modified: modified ?? now };
  };
  const datasets = {
    projects: period(DATASET_TYPES.projects),
    sites: period(DATASET_TYPES.sites),
    funders: period(DATASET_TYPES.funders),
  };
  const organisation = period([{ type: 'organisation', table: 'organisations' }]);
  const all = [...Object.values(datasets), organisation];
  const catalog = {
    issued: oldest(all.map((p) => p.issued)) as Date,
    modified: newest(all.map((p) => p.modified)) as Date,
  };

  // The Organisation entry (a single type, localized): its published rows, one per locale.
  const organisations: Row[] = await knex('organisations')
    .whereNotNull('published_at')
    .select('name', 'legal_form', 'mission', 'locale');
  const byLocale = new Map(organisations.map((row) => [String(row.locale), row]));
  const main = byLocale.get(DEFAULT_LOCALE) ?? organisations[0];
  const mission: Record<string, string> = {};
  for (const [locale, row] of byLocale) if (row.mission) mission[locale] = String(row.mission);

  const codes = [...(await localeCodes(strapi))];
  // The CMS's own order (fr, de, lb, en), then any locale an administrator added.
  const rank = (code: string) => {
    const index = (LOCALE_CODES as string[]).indexOf(code);
    return index < 0 ? LOCALE_CODES.length : index;
  };
  const locales = codes.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return {
    name: String(main?.name ?? 'Inter-Actions'),
    legalForm: String(main?.legal_form ?? ''),
    mission,
    locales,
    datasets,
    catalog,
  };
}
