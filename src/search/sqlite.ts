/**
 * Search on SQLite (the development default): the same API with simpler matching. Each word must
 * appear, accents and case folded, somewhere in the entry's folded text (LIKE '%word%', so a word's
 * beginning or middle matches too); no stemming, no typo tolerance, no stop words but
 * Luxembourgish ones. Ranking: title equal to the query, title containing it, then the number of
 * words found in the title or place. Snippets are the start of the text, words marked alike.
 */
import type { Core } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { fold, TABLE, type SearchType } from './index';
import { SNIPPET_MARKERS, type SearchQuery, type SearchResult } from './types';

type Row = Record<string, string | null>;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The first 200 characters of `text`, words starting with a query word marked. */
function snippet(text: string, words: string[]): string {
  const short = text.length > 200 ? `${text.slice(0, 200)} …` : text;
  return short.replace(/[\p{L}\p{N}]+/gu, (word) =>
    words.some((w) => fold(word).startsWith(w))
      ? `${SNIPPET_MARKERS.start}${word}${SNIPPET_MARKERS.stop}`
      : word,
  );
}

export async function searchSqlite(
  strapi: Core.Strapi,
  query: SearchQuery,
  words: string[],
): Promise<SearchResult> {
  const folded = words.map((word) => fold(word)).filter((word) => word.length > 0);
  const knex = strapi.db.connection;
  const rows: Row[] = await knex(TABLE)
    .whereIn('type', query.types)
    .where((builder) => {
      builder
        .where('locale', query.locale)
        .orWhere((fallback) =>
          fallback
            .where('locale', DEFAULT_LOCALE)
            .whereNotExists(
              knex(`${TABLE} as x`)
                .select(knex.raw('1'))
                .whereRaw(
                  `x.type = ${TABLE}.type AND x.document_id = ${TABLE}.document_id AND x.locale = ?`,
                  [query.locale],
                ),
            ),
        );
    })
    .where((builder) => {
      for (const word of folded) builder.whereRaw("folded LIKE ? ESCAPE '\\'", [`%${escapeLike(word)}%`]);
    });
  const phrase = folded.join(' ');
  const scored = rows.map((row) => {
    const title = fold(row.title ?? '');
    const names = row.names ?? '';
    const score =
      (title === phrase ? 3 : title.includes(phrase) ? 2 : 0) +
      folded.filter((word) => names.includes(word)).length / folded.length;
    return { row, score };
  });
  scored.sort((a, b) => b.score - a.score || String(a.row.title).localeCompare(String(b.row.title)));
  const start = (query.page - 1) * query.pageSize;
  return {
    total: scored.length,
    data: scored.slice(start, start + query.pageSize).map(({ row, score }) => ({
      type: row.type as SearchType,
      documentId: String(row.document_id),
      slug: row.slug,
      title: String(row.title),
      snippet: snippet(row.body || String(row.title), folded),
      score,
      locale: String(row.locale),
      ...(row.site_slug ? { site: { slug: row.site_slug, name: row.site_name ?? '' } } : {}),
    })),
  };
}
