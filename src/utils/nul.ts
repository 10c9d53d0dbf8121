/**
 * PostgreSQL's text cannot hold the NUL character (U+0000): a string with one that reaches a query
 * fails there ("invalid byte sequence for encoding UTF8: 0x00"), which answered 500 (REST) or
 * INTERNAL_SERVER_ERROR (GraphQL). Such input is refused with a 400 before: in the query string
 * (global::query-guard), in a request body (global::body-guard) and in a GraphQL request
 * (its document's `\u0000` escapes, its variables and extensions: body-guard's plugin).
 */
import { findPath } from './find-path';

const holdsNul = (text: unknown) => typeof text === 'string' && text.includes('\u0000');

/** The path (`filters.slug.$eq`) of the first key or string value holding a NUL, if any. */
export const findNul = (value: unknown): string | undefined => {
  const path = findPath(value, (key, child) => holdsNul(key) || holdsNul(child));
  return path === '' ? '(the value)' : path;
};

/** Whether a GraphQL document writes a NUL in a string literal (`\u0000`, any case of hex digits). */
export const documentHasNul = (document: unknown) =>
  typeof document === 'string' && /\\u0{4}|\\u\{0+\}/i.test(document);

export const nulRefusal = (where: string, path: string) =>
  `Invalid ${where}: a text holds a NUL character (\\u0000), which cannot be stored or searched (at ${path})`;
