/** One walk over a parsed body or query, for the checks that refuse a key or a value in it. */

/**
 * The path (`data.title`) of the first place in `value` where `found(key, child)` holds, walking
 * keys and values depth first; `''` for `value` itself. Iterative, so that a deeply nested body
 * (the 1 MB limit allows 500,000 levels) cannot overflow the stack.
 */
export function findPath(
  value: unknown,
  found: (key: string, child: unknown) => boolean,
): string | undefined {
  if (found('', value)) return '';
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (current === null || typeof current !== 'object' || ArrayBuffer.isView(current)) continue;
    for (const key of Object.keys(current)) {
      const child = (current as Record<string, unknown>)[key];
      const at = path ? `${path}.${key}` : key;
      if (found(key, child)) return at;
      pending.push({ value: child, path: at });
    }
  }
  return undefined;
}
