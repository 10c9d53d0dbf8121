/**
 * The fast read path: every replacement or patch of a Strapi internal, registered from here.
 *
 * Each patch (./patch.ts) checks at boot that what it replaces has the shape it expects; on a
 * mismatch it is not applied, Strapi's own behaviour stays, and one warning names the patch and
 * the reason. `FAST_PATH=off` applies none of them (correctness never depends on them: CI runs
 * the functional tests that way too). The inventory, with what each relies on, why, its check and
 * its equivalence test, is README.md in this folder.
 *
 * `FAST_PATH_SELF_CHECK_FAIL=<name>,...` (or `all`) makes those checks fail, for the tests of the
 * fallback; it is not for production.
 */
import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import { patch as graphqlBatchRelations } from './graphql-batch-relations';
import { patch as graphqlPlainFields } from './graphql-plain-fields';
import { patch as graphqlSharedRelations } from './graphql-shared-relations';
import { patch as memoizedSettings } from './memoized-settings';
import { patch as outputSanitizer } from './output-sanitizer';
import type { FastPathPatch } from './patch';
import { patch as queryChecks } from './query-checks';
import { patch as readsWithoutTransaction } from './reads-without-transaction';

/** In the order they are applied (a patch comes after those it requires). */
export const PATCHES: FastPathPatch[] = [
  memoizedSettings,
  readsWithoutTransaction,
  queryChecks,
  outputSanitizer,
  graphqlBatchRelations,
  graphqlPlainFields,
  graphqlSharedRelations,
];

export type PatchStatus = 'applied' | 'off' | `not applied: ${string}`;

/** Kept on the instance itself: tests read it from the compiled app through the sources. */
const STATUS = Symbol.for('inter-actions.fast-path.status');
type WithStatus = { [STATUS]?: Map<string, PatchStatus> };

/** What became of each patch at this instance's boot. */
export function fastPathStatus(strapi: Core.Strapi): Record<string, PatchStatus> {
  return Object.fromEntries((strapi as unknown as WithStatus)[STATUS] ?? []);
}

export const fastPathEnabled = (): boolean =>
  !['off', 'false', '0'].includes(env('FAST_PATH', 'on').toLowerCase());

export async function registerFastPath(strapi: Core.Strapi): Promise<void> {
  const status = new Map<string, PatchStatus>();
  (strapi as unknown as WithStatus)[STATUS] = status;
  if (!fastPathEnabled()) {
    for (const patch of PATCHES) status.set(patch.name, 'off');
    strapi.log.info('[fast-path] FAST_PATH=off: Strapi’s own read path, no patch applied');
    return;
  }
  const failing = new Set(env.array('FAST_PATH_SELF_CHECK_FAIL', []).map((name) => name.trim()));
  for (const patch of PATCHES) {
    let reason: string | undefined;
    const missing = (patch.requires ?? []).filter((name) => status.get(name) !== 'applied');
    if (missing.length > 0) reason = `needs ${missing.join(', ')}, which is not applied`;
    else if (failing.has(patch.name) || failing.has('all'))
      reason = 'self-check failure simulated (FAST_PATH_SELF_CHECK_FAIL)';
    else {
      try {
        reason = await patch.check(strapi);
      } catch (error) {
        reason = `self-check threw: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (reason !== undefined) {
      status.set(patch.name, `not applied: ${reason}`);
      strapi.log.warn(
        `[fast-path] ${patch.name} not applied (${reason}); Strapi’s own behaviour stays in place`,
      );
      continue;
    }
    patch.apply(strapi);
    status.set(patch.name, 'applied');
  }
}
