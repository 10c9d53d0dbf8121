/**
 * The search itself, over `search_index` (./index.ts). PostgreSQL: one statement for the word
 * search, and a second, typo-tolerant one (pg_trgm) only when the first finds fewer than
 * TYPO_THRESHOLD entries (none): at most 2 statements per request. SQLite: LIKE (./sqlite.ts).
 *
 * The query text is never query syntax: it is cut into words (letters and digits) here, and each
 * word reaches PostgreSQL as a bound value of a text array, turned into lexemes by
 * plainto_tsquery (which takes no operators); the only tsquery text built is from those lexemes.
 * Per word: its stem in the requested locale's configuration OR in French (the fallback rows are
 * French), and for the last word also any word it begins ("Krounebi" finds Krounebierg). Words
 * are ANDed. A word that is a stop word of the locale is dropped; a query whose words are all
 * stop words of the locale or of French (the text every locale falls back to: « le la les de
 * des » searched in English or Luxembourgish) finds nothing, the typo-tolerant pass included.
 */
import type { Core } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { configOf, TABLE, type SearchType } from './index';
import { searchSqlite } from './sqlite';
import { SNIPPET_MARKERS, type SearchHit, type SearchQuery, type SearchResult } from './types';

export { SNIPPET_MARKERS, type SearchHit, type SearchQuery, type SearchResult } from './types';

/**
 * Fewer word-search hits than this (none) and the typo-tolerant search runs instead: it scans
 * every row's trigrams, so it runs only when the words found nothing (the judged set keeps its
 * precision with 1 as with 3; a common word with one match no longer pays the scan).
 */
export const TYPO_THRESHOLD = 1;
export const MAX_WORDS = 12;
/** A last word shorter than this is matched whole, not as a prefix (one letter matches most words). */
export const PREFIX_MIN_LENGTH = 3;

/**
 * Luxembourgish has no stop-word list in PostgreSQL (its configuration is `simple`): the commonest
 * function words, so that a query of them alone finds nothing as in the other languages.
 */
const LB_STOP_WORDS = new Set(
  'a an als at bei d de dat datt déi dee den der des dës e en et fir iwwer mat mir mä net no och op sech si sinn um vu vum vun wéi zu zum'.split(
    ' ',
  ),
);

/**
 * French function words PostgreSQL's French list lacks (it has « le », « la », not « les »): dropped
 * in every locale, as the French stop words are (the French text is every locale's fallback).
 */
const FR_STOP_WORDS_MISSING = new Set(['les']);

/** The words of `q`: runs of letters and digits, in order, at most MAX_WORDS. */
export function wordsOf(q: string, locale: string): string[] {
  const words =
    q
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const kept = words.filter(
    (word) => !FR_STOP_WORDS_MISSING.has(word) && !(locale === 'lb' && LB_STOP_WORDS.has(word)),
  );
  return kept.slice(0, MAX_WORDS);
}

type Row = Record<string, unknown>;

const HEADLINE_OPTIONS = `StartSel=${SNIPPET_MARKERS.start}, StopSel=${SNIPPET_MARKERS.stop}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "`;

/**
 * The statement, as a CTE chain: `words` (each word's alternatives), `q` (the ANDed tsquery),
 * `hits` (matching rows in the locale or its French fallback, scored), `page`, then the snippets
 * for the page's rows only. `typos` switches the filter to "each word matches, or is
 * trigram-similar to a word of the title or place".
 */
function statement(typos: boolean): string {
  const match = typos
    ? // The first word's condition alone can use the two GIN indexes; then every word's.
      `(s.vector @@ (SELECT alt FROM words ORDER BY ord LIMIT 1)
        OR (SELECT folded FROM words ORDER BY ord LIMIT 1) <% s.names)
       AND NOT EXISTS (SELECT 1 FROM words k WHERE NOT (s.vector @@ k.alt OR k.folded <% s.names))`
    : `s.vector @@ q.query`;
  const typoScore = typos
    ? `+ (SELECT coalesce(sum(word_similarity(k.folded, s.names)), 0) FROM words k)`
    : '';
  return `
    WITH raw AS (
      SELECT ord, w, plainto_tsquery(CAST(? AS regconfig), w) AS ql, plainto_tsquery('ia_fr', w) AS qf
      FROM unnest(string_to_array(?, ' ')) WITH ORDINALITY AS t(w, ord)
    ), words AS (
      SELECT ord, lower(unaccent(w)) AS folded,
             ql || qf || CASE WHEN ord = ? AND char_length(w) >= ${PREFIX_MIN_LENGTH} THEN to_tsquery('simple', quote_literal(lower(unaccent(w))) || ':*')
                              ELSE ql END AS alt
      FROM raw WHERE numnode(ql) > 0 AND numnode(qf) > 0
    ), q AS (
      SELECT string_agg('(' || alt::text || ')', ' & ' ORDER BY ord)::tsquery AS query,
             ' ' || trim(regexp_replace(lower(unaccent(?)), '[^[:alnum:]]+', ' ', 'g')) || ' ' AS phrase
      FROM words HAVING count(*) > 0
    ), hits AS (
      SELECT s.type, s.document_id, s.locale, s.slug, s.title, s.site_slug, s.site_name, s.body, s.config,
             ts_rank('{0.1, 0.2, 0.4, 1.0}', s.vector, q.query)
             + CASE WHEN ts_filter(s.vector, '{a}') @@ q.query THEN 1 ELSE 0 END
             + CASE WHEN t.padded = q.phrase THEN 2 WHEN position(q.phrase IN t.padded) > 0 THEN 1 ELSE 0 END
             ${typoScore} AS score
      FROM ${TABLE} s CROSS JOIN q
      CROSS JOIN LATERAL (
        SELECT ' ' || trim(regexp_replace(lower(unaccent(s.title)), '[^[:alnum:]]+', ' ', 'g')) || ' ' AS padded
      ) t
      WHERE ${match}
        AND s.type = ANY(string_to_array(?, ','))
        AND (s.locale = ? OR (s.locale = ? AND NOT EXISTS (
          SELECT 1 FROM ${TABLE} x WHERE x.type = s.type AND x.document_id = s.document_id AND x.locale = ?)))
    ), page AS (
      SELECT * FROM hits ORDER BY score DESC, title, type, document_id LIMIT ? OFFSET ?
    )
    SELECT (SELECT count(*) FROM hits) AS total, (SELECT count(*) FROM words) AS kept, page.*,
           ts_headline(page.config, CASE WHEN page.body = '' THEN regexp_replace(regexp_replace(page.title, '\\[\\[+', '[', 'g'), '\\]\\]+', ']', 'g') ELSE page.body END, q.query,
                       '${HEADLINE_OPTIONS}') AS snippet
    FROM (SELECT 1) AS one
    LEFT JOIN (page CROSS JOIN q) ON true
    ORDER BY page.score DESC, page.title, page.type, page.document_id`;
}

const toHit = (row: Row): SearchHit => ({
  type: row.type as SearchType,
  documentId: String(row.document_id),
  slug: row.slug === null || row.slug === undefined ? null : String(row.slug),
  title: String(row.title),
  snippet: String(row.snippet ?? ''),
  score: Math.round(Number(row.score) * 10000) / 10000,
  locale: String(row.locale),
  ...(row.site_slug ? { site: { slug: String(row.site_slug), name: String(row.site_name ?? '') } } : {}),
});

async function run(strapi: Core.Strapi, query: SearchQuery, words: string[], typos: boolean) {
  // Positional bindings, in the order of the statement; words are letters and digits only, so the
  // space-joined list splits back exactly.
  const result = (await strapi.db.connection.raw(statement(typos), [
    configOf(query.locale),
    words.join(' '),
    words.length,
    words.join(' '),
    query.types.join(','),
    query.locale,
    DEFAULT_LOCALE,
    query.locale,
    query.pageSize,
    (query.page - 1) * query.pageSize,
  ])) as { rows: Row[] };
  const rows = result.rows;
  const total = rows.length > 0 ? Number(rows[0].total ?? 0) : 0;
  // Words left once the stop words are out: none, and the typo-tolerant search has nothing to do.
  const kept = rows.length > 0 ? Number(rows[0].kept ?? 0) : 0;
  return { total, kept, data: rows.filter((row) => row.document_id !== null).map(toHit) };
}

export async function search(strapi: Core.Strapi, query: SearchQuery): Promise<SearchResult> {
  const words = wordsOf(query.q, query.locale);
  if (words.length === 0) return { data: [], total: 0 };
  if (strapi.db.dialect.client !== 'postgres') return searchSqlite(strapi, query, words);
  const found = await run(strapi, query, words, false);
  if (found.total >= TYPO_THRESHOLD || found.kept === 0) return { data: found.data, total: found.total };
  const tolerant = await run(strapi, query, words, true);
  const best = tolerant.total >= found.total ? tolerant : found;
  return { data: best.data, total: best.total };
}

export interface SearchPage {
  data: SearchHit[];
  meta: {
    pagination: { page: number; pageSize: number; pageCount: number; total: number };
    query: { q: string; locale: string; types: SearchType[] };
  };
}

/** The answer of GET /api/search and GraphQL `search`. */
export async function searchPage(strapi: Core.Strapi, query: SearchQuery): Promise<SearchPage> {
  const { data, total } = await search(strapi, query);
  return {
    data,
    meta: {
      pagination: {
        page: query.page,
        pageSize: query.pageSize,
        pageCount: Math.ceil(total / query.pageSize),
        total,
      },
      query: { q: query.q, locale: query.locale, types: query.types },
    },
  };
}
