/**
 * Search (GET /api/search, GraphQL `search`): ranked full-text search over the published projects,
 * services, enterprises, sites and funders.
 *
 * The index is a plain table, `search_index` (database/migrations/…search-index.js): one row per
 * published entry and locale, with its title, its place, its kind label in that locale, its texts,
 * and on PostgreSQL a weighted tsvector (A title, B site name, commune and quarter, C kind or
 * theme label, D summary and description). It is denormalised because what an entry is found by
 * lives in other rows (a project's site, the vocabulary's labels).
 *
 * Never stale: a Document Service middleware rewrites the rows of every document a write touches,
 * after the write and inside its transaction (as the change feed records its events, src/changes),
 * so a write and its index rows commit or roll back together, whatever the write came through
 * (admin panel, REST, GraphQL, the seed, scripts). A site's write also rewrites its projects' rows
 * (they carry its name); a vocabulary label's, the entries of that kind or theme. Rows
 * written behind Strapi's back (a restore, the bench's dataset) are caught by the rebuild at every
 * boot. The response cache needs nothing more: the content write bumps its generation.
 */
import path from 'node:path';
import type { Core, Modules } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { cacheOf } from '../cache';
import { afterDataTransfer } from '../security/data-transfer';
import { WRITE_ACTIONS } from '../changes';

export type SearchType = 'project' | 'service' | 'enterprise' | 'site' | 'funder';
export const SEARCH_TYPES: readonly SearchType[] = ['project', 'service', 'enterprise', 'site', 'funder'];
export const TABLE = 'search_index';
const MIGRATION = '2026.12.02T00.00.00.search-index.js';
/** Taken shared by each write's reindex and exclusively by the rebuild ("IA-SEARCH"). */
const ADVISORY_LOCK_KEY = 0x4941534541;

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, unknown>;

const uidOf = (type: string) => `api::${type}.${type}`;
const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres';

/** The vocabulary group whose labels each type shows (src/vocabulary), and by which attribute. */
const VOCABULARY: Partial<Record<SearchType, { group: string; attribute: string }>> = {
  project: { group: 'project-kind', attribute: 'kind' },
  service: { group: 'service-theme', attribute: 'theme' },
  funder: { group: 'funder-kind', attribute: 'kind' },
};

interface Fields {
  title: string;
  /** Weight B besides the site's (a site's own commune and quarter). */
  place: string[];
  /** Weight D: summary, description and the like. */
  body: string[];
}
const FIELDS: Record<SearchType, Fields> = {
  project: { title: 'title', place: [], body: ['summary', 'description', 'partner'] },
  service: { title: 'name', place: [], body: ['formerName', 'summary', 'description'] },
  enterprise: { title: 'name', place: [], body: ['legalForm', 'summary', 'description'] },
  site: { title: 'name', place: ['commune', 'quarter'], body: ['description'] },
  funder: { title: 'name', place: [], body: [] },
};

/** The text search configuration of a locale (see the migration): an added locale gets `simple`. */
export const CONFIG_OF_LOCALE: Record<string, string> = {
  fr: 'ia_fr',
  de: 'ia_de',
  en: 'ia_en',
  lb: 'ia_lb',
};
export const configOf = (locale: string): string => CONFIG_OF_LOCALE[locale] ?? 'ia_lb';

function metaOf(strapi: Core.Strapi, uid: string) {
  const meta = strapi.db.metadata.get(uid as never);
  const column = (attribute: string) =>
    (meta.attributes[attribute] as { columnName?: string } | undefined)?.columnName ?? attribute;
  return { meta, table: meta.tableName, column };
}

/**
 * SELECT of the index rows of `type` (published rows only; `documentIds` narrows it), as text
 * columns: title, place (weight B), label (C), body (D), site slug and name. Identifiers come from
 * Strapi's metadata, values are bindings.
 */
function sourceQuery(strapi: Core.Strapi, knex: Knex, type: SearchType, documentIds?: string[]) {
  const { meta, table, column } = metaOf(strapi, uidOf(type));
  const fields = FIELDS[type];
  const draftAndPublish = Boolean(
    (strapi.contentType(uidOf(type) as never) as { options?: { draftAndPublish?: boolean } }).options
      ?.draftAndPublish,
  );
  const e = (attribute: string) => knex.ref(`e.${column(attribute)}`);
  const textOf = (attributes: string[]) =>
    attributes.length === 0
      ? knex.raw("''")
      : knex.raw(
          `concat_ws(' ', ${attributes.map(() => '??').join(', ')})`,
          attributes.map((a) => `e.${column(a)}`),
        );

  const query = knex({ e: table }).select({
    type: knex.raw('?', [type]),
    document_id: e('documentId'),
    locale: e('locale'),
    slug: e('slug'),
    title: knex.raw("coalesce(??, '')", [`e.${column(fields.title)}`]),
    body: textOf(fields.body),
  });

  // The site of a project: its name, commune and quarter in the project's locale (else French).
  if (type === 'project') {
    const site = metaOf(strapi, uidOf('site'));
    const link = (
      meta.attributes.site as {
        joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
      }
    ).joinTable;
    const siteRow = knex
      .select({
        site_slug: `s.${site.column('slug')}`,
        site_name: `s.${site.column('name')}`,
        place: knex.raw("concat_ws(' ', ??, ??, ??)", [
          `s.${site.column('name')}`,
          `s.${site.column('commune')}`,
          `s.${site.column('quarter')}`,
        ]),
      })
      .from({ l: link.name })
      .join({ t: site.table }, `t.id`, `l.${link.inverseJoinColumn.name}`)
      .join({ s: site.table }, `s.${site.column('documentId')}`, `t.${site.column('documentId')}`)
      .whereRaw('?? = ??', [`l.${link.joinColumn.name}`, 'e.id'])
      .orderByRaw('(?? = ??) DESC, (?? = ?) DESC', [
        `s.${site.column('locale')}`,
        `e.${column('locale')}`,
        `s.${site.column('locale')}`,
        DEFAULT_LOCALE,
      ])
      .limit(1);
    query
      .joinRaw(`LEFT JOIN LATERAL (${siteRow.toQuery()}) AS site ON true`)
      .select('site.site_slug', 'site.site_name', { place: 'site.place' });
  } else {
    query.select({
      site_slug: knex.raw('NULL'),
      site_name: knex.raw('NULL'),
      place: textOf(fields.place),
    });
  }

  // The kind or theme label in the entry's locale (else French), from the vocabulary's terms.
  const vocabulary = VOCABULARY[type];
  if (vocabulary) {
    const term = metaOf(strapi, 'api::term.term');
    const label = knex
      .select({ label: `t.${term.column('label')}` })
      .from({ t: term.table })
      .where(`t.${term.column('group')}`, vocabulary.group)
      .whereRaw('?? = ??', [`t.${term.column('key')}`, `e.${column(vocabulary.attribute)}`])
      .orderByRaw('(?? = ??) DESC, (?? = ?) DESC', [
        `t.${term.column('locale')}`,
        `e.${column('locale')}`,
        `t.${term.column('locale')}`,
        DEFAULT_LOCALE,
      ])
      .limit(1);
    query.joinRaw(`LEFT JOIN LATERAL (${label.toQuery()}) AS term ON true`).select({ label: 'term.label' });
  } else {
    query.select({ label: knex.raw("''") });
  }

  if (draftAndPublish) query.whereNotNull(`e.${column('publishedAt')}`);
  if (documentIds) query.whereIn(`e.${column('documentId')}`, documentIds);
  return query;
}

/** INSERT … SELECT of the index rows of `type` (of `documentIds` only, when given). */
async function insertRows(strapi: Core.Strapi, knex: Knex, type: SearchType, documentIds?: string[]) {
  if (isPostgres(strapi)) {
    const source = sourceQuery(strapi, knex, type, documentIds).toQuery();
    const config = `(CASE s.locale ${Object.entries(CONFIG_OF_LOCALE)
      .map(([locale, name]) => `WHEN '${locale}' THEN '${name}'`)
      .join(' ')} ELSE 'ia_lb' END)::regconfig`;
    // Markdown's emphasis, heading and code marks are not words; `[[` and `]]` mark the snippets.
    await knex.raw(`
      INSERT INTO ${TABLE} (type, document_id, locale, config, slug, title, site_slug, site_name, body, names, vector)
      SELECT type, document_id, locale, config, slug, title, site_slug, site_name, body,
             lower(unaccent(concat_ws(' ', title, place))),
             setweight(to_tsvector(config, title), 'A') ||
             setweight(to_tsvector(config, coalesce(place, '')), 'B') ||
             setweight(to_tsvector(config, coalesce(label, '')), 'C') ||
             setweight(to_tsvector(config, body), 'D')
      FROM (
        SELECT s.type, s.document_id, s.locale, ${config} AS config, s.slug, s.title, s.site_slug,
               s.site_name, s.place, s.label,
               regexp_replace(regexp_replace(regexp_replace(coalesce(s.body, ''), '[*_#>\`~]+', '', 'g'), '\\[\\[+', '[', 'g'), '\\]\\]+', ']', 'g') AS body
        FROM (${source}) AS s
      ) AS src
      ON CONFLICT (type, document_id, locale) DO NOTHING`);
    return;
  }
  // SQLite: LIKE over one folded text (src/search/sqlite.ts); folding is done in JavaScript.
  const rows = await sqliteSource(strapi, knex, type, documentIds);
  for (const row of rows) {
    const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
    await knex(TABLE)
      .insert({
        type: row.type,
        document_id: row.document_id,
        locale: row.locale,
        slug: row.slug,
        title: text(row.title),
        site_slug: row.site_slug ?? null,
        site_name: row.site_name ?? null,
        body: text(row.body),
        names: fold(`${text(row.title)} ${text(row.place)}`),
        folded: fold([row.title, row.place, row.label, row.body].map(text).join(' ')),
      })
      .onConflict(['type', 'document_id', 'locale'])
      .ignore();
  }
}

/**
 * The rows of sourceQuery for SQLite, which has no LATERAL join: the entries, then their sites and
 * labels looked up in JavaScript (development data is small).
 */
async function sqliteSource(
  strapi: Core.Strapi,
  knex: Knex,
  type: SearchType,
  documentIds?: string[],
): Promise<Row[]> {
  const { meta, table, column } = metaOf(strapi, uidOf(type));
  const fields = FIELDS[type];
  const draftAndPublish = Boolean(
    (strapi.contentType(uidOf(type) as never) as { options?: { draftAndPublish?: boolean } }).options
      ?.draftAndPublish,
  );
  const query = knex(table).select('*');
  if (draftAndPublish) query.whereNotNull(column('publishedAt'));
  if (documentIds) query.whereIn(column('documentId'), documentIds);
  const entries: Row[] = await query;
  const text = (row: Row | undefined, attributes: string[]) =>
    attributes
      .map((attribute) => row?.[column(attribute)])
      .filter((value) => value !== null && value !== undefined && value !== '')
      .join(' ');
  const inLocale = <T>(byLocale: Map<string, T> | undefined, locale: string) =>
    byLocale?.get(locale) ?? byLocale?.get(DEFAULT_LOCALE);

  // Vocabulary labels by key, then locale.
  const labels = new Map<string, Map<string, string>>();
  const vocabulary = VOCABULARY[type];
  if (vocabulary) {
    const term = metaOf(strapi, 'api::term.term');
    const terms: Row[] = await knex(term.table).select('*').where(term.column('group'), vocabulary.group);
    for (const row of terms) {
      const key = String(row[term.column('key')]);
      if (!labels.has(key)) labels.set(key, new Map());
      labels.get(key)!.set(String(row[term.column('locale')]), String(row[term.column('label')] ?? ''));
    }
  }

  // A project's site: its document by the project row's id, then its rows by locale.
  const siteOfRow = new Map<string, string>();
  const sites = new Map<string, Map<string, Row>>();
  const site = metaOf(strapi, uidOf('site'));
  if (type === 'project') {
    const link = (
      meta.attributes.site as {
        joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
      }
    ).joinTable;
    const links: Row[] = await knex({ l: link.name })
      .select({ row: `l.${link.joinColumn.name}`, document_id: `s.${site.column('documentId')}` })
      .join({ s: site.table }, 's.id', `l.${link.inverseJoinColumn.name}`);
    for (const row of links) siteOfRow.set(String(row.row), String(row.document_id));
    for (const row of (await knex(site.table).select('*')) as Row[]) {
      const documentId = String(row[site.column('documentId')]);
      if (!sites.has(documentId)) sites.set(documentId, new Map());
      sites.get(documentId)!.set(String(row[site.column('locale')]), row);
    }
  }

  return entries.map((entry) => {
    const locale = String(entry[column('locale')]);
    const siteRow = inLocale(sites.get(siteOfRow.get(String(entry.id)) ?? ''), locale);
    return {
      type,
      document_id: entry[column('documentId')],
      locale,
      slug: entry[column('slug')] ?? null,
      title: entry[column(fields.title)] ?? '',
      body: text(entry, fields.body),
      site_slug: siteRow ? siteRow[site.column('slug')] : null,
      site_name: siteRow ? siteRow[site.column('name')] : null,
      place: siteRow
        ? ['name', 'commune', 'quarter'].map((a) => siteRow[site.column(a)] ?? '').join(' ')
        : text(entry, fields.place),
      label: vocabulary
        ? (inLocale(labels.get(String(entry[column(vocabulary.attribute)])), locale) ?? '')
        : '',
    };
  });
}

/** Lower case, accents removed, anything but letters and digits a space (SQLite's folding). */
export const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Rewrites the index rows of these documents of `type` (all of the type's when not given). */
export async function reindex(
  strapi: Core.Strapi,
  knex: Knex,
  type: SearchType,
  documentIds?: string[],
): Promise<void> {
  if (documentIds && documentIds.length === 0) return;
  if (isPostgres(strapi)) {
    // Two writes of one document (publish fr, unpublish de) rewrite its rows one after the other:
    // otherwise each could delete what it saw and insert from its own snapshot, and the second's
    // insert would leave the first's stale row (an unpublished version found). The type's key,
    // shared by document rewrites and exclusive for a whole-type rewrite, then each document's,
    // always in this order (no deadlock between rewrites). Held until the write commits.
    await knex.raw(
      `SELECT ${documentIds ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(hashtext(?))`,
      [`search:${type}`],
    );
    if (documentIds)
      await knex.raw(
        'SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT k FROM unnest(?::text[]) AS k ORDER BY k) AS keys',
        [[...new Set(documentIds)].map((documentId) => `search:${type}:${documentId}`)],
      );
  }
  const remove = knex(TABLE).where('type', type);
  if (documentIds) remove.whereIn('document_id', documentIds);
  await remove.delete();
  await insertRows(strapi, knex, type, documentIds);
}

/** Rebuilds the whole index in one transaction (bootstrap). */
export async function rebuildIndex(strapi: Core.Strapi): Promise<void> {
  await strapi.db.connection.transaction(async (trx) => {
    if (isPostgres(strapi)) await trx.raw('SELECT pg_advisory_xact_lock(?)', [ADVISORY_LOCK_KEY]);
    await trx(TABLE).delete();
    for (const type of SEARCH_TYPES) await insertRows(strapi, trx, type);
  });
  // Every row was just replaced: without this, the planner keeps the statistics of the table it
  // saw last (and skips the GIN index), and the indexes carry every replaced row until
  // autovacuum passes. Measured at 20,000 projects: 20 ms per search before, 9 ms after.
  if (isPostgres(strapi)) await strapi.db.connection.raw(`VACUUM (ANALYZE) ${TABLE}`);
}

// ---------------------------------------------------------------------------------------------
// The write path

const TYPE_OF_UID = new Map<string, SearchType>(SEARCH_TYPES.map((type) => [uidOf(type), type]));

/** documentIds of the projects linked to any row of the site `documentId`. */
async function projectsOfSite(strapi: Core.Strapi, knex: Knex, documentId: string): Promise<string[]> {
  const project = metaOf(strapi, uidOf('project'));
  const site = metaOf(strapi, uidOf('site'));
  const link = (
    project.meta.attributes.site as {
      joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
    }
  ).joinTable;
  const rows: Row[] = await knex({ l: link.name })
    .distinct({ document_id: `p.${project.column('documentId')}` })
    .join({ p: project.table }, 'p.id', `l.${link.joinColumn.name}`)
    .join({ s: site.table }, 's.id', `l.${link.inverseJoinColumn.name}`)
    .where(`s.${site.column('documentId')}`, documentId);
  return rows.map((row) => String(row.document_id));
}

/**
 * After a vocabulary write: the entries of the term's key are rewritten (their label changed), or,
 * when the write does not say which term it was, every entry of the types using vocabularies.
 */
async function reindexTerm(
  strapi: Core.Strapi,
  knex: Knex,
  term: { group?: string; key?: string } | null,
): Promise<void> {
  for (const [name, vocabulary] of Object.entries(VOCABULARY)) {
    const type = name as SearchType;
    if (!term?.group || !term.key) {
      await reindex(strapi, knex, type);
      continue;
    }
    if (term.group !== vocabulary.group) continue;
    const { table, column } = metaOf(strapi, uidOf(type));
    const rows: Row[] = await knex(table)
      .distinct({ document_id: column('documentId') })
      .where(column(vocabulary.attribute), term.key);
    await reindex(
      strapi,
      knex,
      type,
      rows.map((row) => String(row.document_id)),
    );
  }
}

/** The Document Service middleware that keeps the index (registered in src/index.ts). */
export function indexWrites(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    const type = TYPE_OF_UID.get(context.uid);
    const isTerm = (context.uid as string) === 'api::term.term';
    if ((!type && !isTerm) || !WRITE_ACTIONS.has(context.action)) return next();
    return strapi.db.transaction(async ({ trx }) => {
      const knex = trx as unknown as Knex;
      const params = context.params as { documentId?: string };
      // A site's projects before the write too: a deleted site's projects lose its name.
      const before =
        type === 'site' && params.documentId ? await projectsOfSite(strapi, knex, params.documentId) : [];
      const result = await next();
      if (isPostgres(strapi)) await knex.raw('SELECT pg_advisory_xact_lock_shared(?)', [ADVISORY_LOCK_KEY]);
      if (isTerm) {
        await reindexTerm(strapi, knex, result as { group?: string; key?: string } | null);
        return result;
      }
      const documentId =
        params.documentId ?? (result as { documentId?: string } | null | undefined)?.documentId ?? undefined;
      if (!documentId || !type) return result;
      await reindex(strapi, knex, type, [documentId]);
      if (type === 'site') {
        const projects = [...new Set([...before, ...(await projectsOfSite(strapi, knex, documentId))])];
        await reindex(strapi, knex, 'project', projects);
      }
      return result;
    });
  };
}

/** Document Service middleware, in register (src/index.ts). */
export function registerSearch(strapi: Core.Strapi): void {
  strapi.documents.use(indexWrites(strapi));
  // Writes that do not go through the Document Service: deleting a locale in the settings (the
  // i18n plugin deletes its entries with strapi.db.query), and data transfers (lifecycles
  // disabled, enabled again when done). Both rare: the whole index is rebuilt, then the response
  // cache (which holds search answers) forgets what it holds.
  const rebuild = (why: string) =>
    rebuildIndex(strapi).catch((error: Error) => {
      strapi.log.error(`Search: index rebuild after ${why} failed: ${error.message}`);
    });
  strapi.db.lifecycles.subscribe({
    models: ['plugin::i18n.locale'],
    async afterDelete() {
      await rebuild('a locale was deleted');
      await cacheOf(strapi).bump();
    },
  });
  afterDataTransfer(strapi, () => rebuild('a data transfer'));
}

/** Table, extensions and configurations (idempotent), then a full rebuild: bootstrap. */
export async function bootstrapSearch(strapi: Core.Strapi): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const migration = require(path.join(strapi.dirs.app.root, 'database', 'migrations', MIGRATION)) as {
    up: (knex: Knex) => Promise<void>;
  };
  await migration.up(strapi.db.connection);
  await rebuildIndex(strapi);
  // Other instances (a shared Redis cache) may hold answers from the index before this rebuild.
  await cacheOf(strapi).bump();
}
