/**
 * The search's shapes, shared by the PostgreSQL search (./search.ts) and the SQLite one
 * (./sqlite.ts), which search.ts calls: in a module of their own, so neither imports the other.
 */
import type { SearchType } from './index';

export interface SearchQuery {
  q: string;
  locale: string;
  types: SearchType[];
  page: number;
  pageSize: number;
}

export interface SearchHit {
  type: SearchType;
  documentId: string;
  slug: string | null;
  title: string;
  /** Plain text; matched words between `[[` and `]]`. HTML-escape it, then replace the markers. */
  snippet: string;
  score: number;
  /** The locale of the text found: the one asked for, or French when the entry has no such version. */
  locale: string;
  site?: { slug: string; name: string };
}

export interface SearchResult {
  data: SearchHit[];
  total: number;
}

/** Around the matched words of a snippet. */
export const SNIPPET_MARKERS = { start: '[[', stop: ']]' } as const;
