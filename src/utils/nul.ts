/**
 * PostgreSQL's text cannot hold the NUL character (U+0000): a string with one that reaches a query
 * fails there ("invalid byte sequence for encoding UTF8: 0x00"), which answered 500 (REST) or
 * INTERNAL_SERVER_ERROR (GraphQL). Such input is refused with a 400 before: in the query string
 * (global::query-guard), in a request body (global::body-guard) and in a GraphQL request
 * (its document's `\u0000` escapes, its variables and extensions: body-guard's plugin).
 */

/** The path (`filters.slug.$eq`) of the first key or string value holding a NUL, if any. */
export function findNul(value: unknown): string | undefined {
  // Iterative: a deeply nested body cannot overflow the stack.
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return path || '(the value)';
      continue;
    }
    if (current === null || typeof current !== 'object' || ArrayBuffer.isView(current)) continue;
    for (const key of Object.keys(current)) {
      const child = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return child;
      pending.push({ value: (current as Record<string, unknown>)[key], path: child });
    }
  }
  return undefined;
}

/** Whether a GraphQL document writes a NUL in a string literal (`\u0000`, any case of hex digits). */
export const documentHasNul = (document: unknown) =>
  typeof document === 'string' && /\\u0{4}|\\u\{0+\}/i.test(document);

export const nulRefusal = (where: string, path: string) =>
  `Invalid ${where}: a text holds a NUL character (\\u0000), which cannot be stored or searched (at ${path})`;
