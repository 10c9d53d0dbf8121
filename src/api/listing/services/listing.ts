/**
 * Flat listings of published projects and services for partners: one row per entry, in one
 * locale (with the locale fallback of src/i18n/fallback.ts), filtered by the query.
 *
 * Rows are read with SQL in keyset batches (projects, then services; each by founding year, slug
 * and documentId), so that a download of any size is streamed with bounded memory, and a page of
 * the JSON listing reads only its rows. Relations are read the way Strapi's populate reads them
 * (through the link tables), in one statement per batch. This replaced a Document Service read of
 * every row with populated site and funders, whose time grew faster than the row count (20,000
 * projects took over 10 s).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { z } from 'zod';
import { DEFAULT_LOCALE } from '../../../bootstrap/locales';
import { entryPageUrl } from '../../../preview';
import { PROJECT_KINDS, SERVICE_THEMES } from '../../../vocabulary/labels';
import { vocabularyOf, type Vocabulary } from '../../../vocabulary/terms';
import { KINDS, LISTING_COLUMNS, listingRow, type ListingRow } from './columns';

export { LISTING_COLUMNS, listingRow, type ListingRow };

const year = z.coerce.number().int().min(1900).max(2100);

export const listingQuery = z.strictObject({
  // Checked against the i18n plugin's locales by the controller (src/i18n/locale-query.ts).
  locale: z.string().default(DEFAULT_LOCALE),
  type: z.enum(['project', 'service']).optional(),
  funder: z
    .string()
    .regex(/^[a-z0-9-]{1,100}$/, 'must be a funder slug')
    .optional(),
  commune: z.string().min(1).max(80).optional(),
  kind: z.enum(KINDS).optional(),
  since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  foundedFrom: year.optional(),
  foundedTo: year.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

export type ListingQuery = z.infer<typeof listingQuery>;

/** Rows read per statement when streaming a download. */
export const BATCH_SIZE = 1000;

type Type = ListingRow['type'];
const TYPES: Type[] = ['project', 'service'];

export interface Summary {
  counts: Record<Type, number>;
  total: number;
  /** The newest `updatedAt` of the listing's rows. */
  newest: Date | null;
}

/** The tables of each type (PostgreSQL, as Strapi names them). */
const TABLES = {
  project: {
    table: 'projects',
    title: 'title',
    kind: 'kind',
    vocabulary: 'projectKinds',
    funderLink: 'projects_funders_lnk',
    owner: 'project_id',
    keys: PROJECT_KINDS,
  },
  service: {
    table: 'services',
    title: 'name',
    kind: 'theme',
    vocabulary: 'serviceThemes',
    funderLink: 'services_funders_lnk',
    owner: 'service_id',
    keys: SERVICE_THEMES,
  },
} as const;

interface DbRow {
  id: number;
  document_id: string;
  slug: string;
  title: string;
  locale: string;
  kind: string;
  founded_year: number;
  closed_year: number | null;
  summary: string | null;
  inferred: string | null;
  updated_at: Date | string;
  site_name?: string | null;
  site_slug?: string | null;
  site_commune?: string | null;
  /** JSON text on SQLite. */
  funders: { slug: string; name: string }[] | string | null;
}

/** Where the listing of `type` starts: after this row of the sort order. */
export interface Cursor {
  foundedYear: number;
  slug: string;
  documentId: string;
}

/** Does the query ask for any row of `type`? Services belong to no site, so a commune excludes them. */
function wants(type: Type, query: ListingQuery): boolean {
  if (query.type && query.type !== type) return false;
  if (query.kind && !(query.kind in TABLES[type].keys)) return false;
  return !(type === 'service' && query.commune);
}

/**
 * The published rows of `type` the query selects, as `e`: in the query's locale, or in the default
 * locale for documents that have no published version in it (src/i18n/fallback.ts).
 */
function selected(knex: Knex, type: Type, query: ListingQuery): Knex.QueryBuilder {
  const { table, kind } = TABLES[type];
  const builder = knex(`${table} as e`).whereNotNull('e.published_at');
  if (query.locale === DEFAULT_LOCALE) builder.where('e.locale', query.locale);
  else
    builder.where((either) =>
      either
        .where('e.locale', query.locale)
        .orWhere((fallback) =>
          fallback
            .where('e.locale', DEFAULT_LOCALE)
            .whereNotExists(
              knex(`${table} as t`)
                .select(knex.raw('1'))
                .whereRaw('t.document_id = e.document_id')
                .where('t.locale', query.locale)
                .whereNotNull('t.published_at'),
            ),
        ),
    );
  if (query.kind) builder.where(`e.${kind}`, query.kind);
  if (query.foundedFrom !== undefined) builder.where('e.founded_year', '>=', query.foundedFrom);
  if (query.foundedTo !== undefined) builder.where('e.founded_year', '<=', query.foundedTo);
  if (query.since) builder.where('e.updated_at', '>', dateParameter(knex, new Date(query.since)));
  if (query.funder) {
    const { funderLink, owner } = TABLES[type];
    builder.whereExists(
      knex(`${funderLink} as fl`)
        .join('funders as f', 'f.id', 'fl.funder_id')
        .select(knex.raw('1'))
        .whereRaw(`fl.${owner} = e.id`)
        .where('f.slug', query.funder),
    );
  }
  if (query.commune) {
    builder.whereExists(
      knex('projects_site_lnk as sl')
        .join('sites as s', 's.id', 'sl.site_id')
        .select(knex.raw('1'))
        .whereRaw('sl.project_id = e.id')
        .whereRaw('lower(s.commune) = lower(?)', [query.commune]),
    );
  }
  return builder;
}

const isSqlite = (knex: Knex) => /sqlite/.test(String(knex.client.config.client));
/** Comparison by code point: PostgreSQL's "C" collation, SQLite's default. */
const byCodePoint = (knex: Knex) => (isSqlite(knex) ? 'COLLATE BINARY' : 'COLLATE "C"');
/** Strapi stores dates on SQLite as milliseconds since the epoch. */
const dateParameter = (knex: Knex, date: Date) => (isSqlite(knex) ? date.getTime() : date);
/** The sort key of the listing, within a type: founding year, slug and documentId by code point. */
const sortKey = (knex: Knex) =>
  `e.founded_year, e.slug ${byCodePoint(knex)}, e.document_id ${byCodePoint(knex)}`;

/** The columns of a batch, with the site and the funders (sorted by slug) of each row. */
function columnsOf(knex: Knex, type: Type): Knex.Raw[] {
  const { title, kind, funderLink, owner } = TABLES[type];
  const columns = [
    knex.raw(
      `e.id, e.document_id, e.slug, e.${title} AS title, e.locale, e.${kind} AS kind, e.founded_year,
       ${type === 'project' ? 'e.closed_year' : 'CAST(NULL AS integer) AS closed_year'}, e.summary, e.inferred, e.updated_at`,
    ),
    knex.raw(
      `(SELECT ${isSqlite(knex) ? 'json_group_array(json_object' : 'json_agg(json_build_object'}('slug', f.slug, 'name', f.name)
        ORDER BY f.slug ${byCodePoint(knex)})
        FROM ${funderLink} fl JOIN funders f ON f.id = fl.funder_id WHERE fl.${owner} = e.id) AS funders`,
    ),
  ];
  // Services belong to no site: the same columns, empty (the page's UNION ALL needs them).
  columns.push(
    knex.raw(
      type === 'project'
        ? `s.name AS site_name, s.slug AS site_slug, s.commune AS site_commune`
        : `CAST(NULL AS varchar) AS site_name, CAST(NULL AS varchar) AS site_slug, CAST(NULL AS varchar) AS site_commune`,
    ),
  );
  return columns;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;

  const toRow = (type: Type, entry: DbRow, vocabulary: Vocabulary, locale: string): ListingRow => {
    const funders: { slug: string; name: string }[] =
      (typeof entry.funders === 'string' ? JSON.parse(entry.funders) : entry.funders) ?? [];
    return {
      type,
      documentId: entry.document_id,
      slug: entry.slug,
      title: entry.title,
      locale: entry.locale,
      kind: entry.kind,
      kindLabel: vocabulary.label(TABLES[type].vocabulary, entry.kind, locale),
      foundedYear: entry.founded_year,
      site: entry.site_name ?? '',
      commune: entry.site_commune ?? '',
      funders: funders.map((funder) => funder.slug),
      updatedAt: new Date(entry.updated_at).toISOString(),
      closedYear: entry.closed_year ?? null,
      siteSlug: entry.site_slug ?? '',
      funderNames: funders.map((funder) => funder.name),
      summary: entry.summary ?? '',
      publicUrl: entryPageUrl(strapi, type, entry.locale, entry.slug),
      inferred: Boolean(entry.inferred?.trim()),
    };
  };

  /** The rows of `type` the query selects, with their columns, in the listing's order. */
  function rowsOf(db: Knex, type: Type, query: ListingQuery): Knex.QueryBuilder {
    const builder = selected(db, type, query).select(columnsOf(db, type));
    if (type === 'project')
      builder
        .leftJoin('projects_site_lnk as sl', 'sl.project_id', 'e.id')
        .leftJoin('sites as s', 's.id', 'sl.site_id');
    return builder;
  }

  const rowsFrom = async (type: Type, entries: DbRow[], query: ListingQuery) => {
    const vocabulary = await vocabularyOf(strapi);
    return entries.map((entry) => toRow(type, entry, vocabulary, query.locale));
  };

  /** One statement: the rows of `type` after `after`, at most `limit`. */
  async function read(type: Type, query: ListingQuery, limit: number, after?: Cursor): Promise<ListingRow[]> {
    const db = knex();
    const builder = rowsOf(db, type, query);
    if (after)
      builder.whereRaw(`(${sortKey(db)}) > (?, ?, ?)`, [after.foundedYear, after.slug, after.documentId]);
    return rowsFrom(type, (await builder.orderByRaw(sortKey(db)).limit(limit)) as DbRow[], query);
  }

  return {
    /**
     * How many rows of each type the listing has, and when its newest row changed (null when it
     * has none): one statement, whatever the types asked for.
     */
    async summary(query: ListingQuery): Promise<Summary> {
      const counts: Record<Type, number> = { project: 0, service: 0 };
      const db = knex();
      const parts = TYPES.filter((type) => wants(type, query)).map((type) =>
        selected(db, type, query).select(
          // `type` is one of TYPES (a constant, not input): written in the statement.
          db.raw(`'${type}' AS type, CAST(count(*) AS integer) AS total, max(e.updated_at) AS newest`),
        ),
      );
      let newest: Date | null = null;
      if (parts.length === 0) return { counts, total: 0, newest };
      const found = (await (parts.length === 1 ? parts[0] : db.unionAll(parts, true))) as {
        type: Type;
        total: number | string;
        newest: Date | string | number | null;
      }[];
      for (const row of found) {
        counts[row.type] = Number(row.total);
        if (row.newest !== null && row.newest !== undefined) {
          const date = new Date(row.newest);
          if (!newest || date > newest) newest = date;
        }
      }
      return { counts, total: counts.project + counts.service, newest };
    },

    /**
     * The rows from `offset` on, at most `limit` (a page of the JSON listing): one statement,
     * the page at the boundary between projects and services too.
     */
    async slice(query: ListingQuery, summary: Summary, offset: number, limit: number): Promise<ListingRow[]> {
      const db = knex();
      const types = TYPES.filter((type) => wants(type, query) && summary.counts[type] > 0);
      if (types.length === 0) return [];
      const order = (type: Type) => TYPES.indexOf(type);
      const parts = types.map((type) =>
        rowsOf(db, type, query)
          .select(db.raw(`${order(type)} AS type_order`))
          .orderByRaw(sortKey(db))
          .limit(offset + limit),
      );
      const union = db
        .select('*')
        .from(
          (parts.length === 1
            ? parts[0]
            : db.unionAll(
                parts.map((part) => db.select('*').from(part.as('p'))),
                true,
              )
          ).as('u'),
        )
        .orderByRaw(`type_order, founded_year, slug ${byCodePoint(db)}, document_id ${byCodePoint(db)}`)
        .limit(limit)
        .offset(offset);
      const entries = (await union) as (DbRow & { type_order: number | string })[];
      const vocabulary = await vocabularyOf(strapi);
      return entries.map((entry) => toRow(TYPES[Number(entry.type_order)], entry, vocabulary, query.locale));
    },

    /** Every row of the listing, `size` at a time, in the listing's order. */
    async *batches(query: ListingQuery, size = BATCH_SIZE): AsyncGenerator<ListingRow[]> {
      for (const type of TYPES) {
        if (!wants(type, query)) continue;
        let after: Cursor | undefined;
        for (;;) {
          const rows = await read(type, query, size, after);
          if (rows.length) yield rows;
          if (rows.length < size) break;
          const last = rows[rows.length - 1];
          after = { foundedYear: last.foundedYear, slug: last.slug, documentId: last.documentId };
        }
      }
    },
  };
};
