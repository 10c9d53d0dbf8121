/**
 * Strapi's data transfer switches the database lifecycles off for the whole process while it runs:
 * the remote runner (`/admin/transfer/runner/push` and `/pull`, what `strapi transfer --to/--from`
 * connects to, with a transfer token) from the moment its WebSocket opens until it closes, and
 * `strapi import`/`export` in their own process. With them off, `src/security/published-only.ts`
 * does not run: a public reader of this instance would get drafts through relations while a
 * partner copies production to a staging server. And the response cache does not see the
 * transfer's writes, nor does the search index (they bypass the Document Service too).
 *
 * So, while they are off (`transferRunning`):
 * - the content API (`/api/...`, GraphQL) answers 503 with `Retry-After` in Strapi's error shape
 *   (global::data-transfer-guard), a request that was already running when the transfer started
 *   included, and `/_ready` answers 503 naming `dataTransfer`, so that the load balancer sends
 *   readers to the other instances (each process has its own switch);
 * - `atDataTransferStart` hooks run (the response cache forgets what in-flight requests computed);
 * - when they are on again, what must catch up runs (`afterDataTransfer` hooks: the search index
 *   is rebuilt, then the response cache forgets), and the content API opens when it is done.
 *
 * Strapi keeps one on/off flag: when two transfers overlap, the first to end turns the lifecycles
 * on while the second still writes. The content API opens then (the published-only rule runs
 * again), and every `enable` schedules a catch-up, so the second one's writes are caught up when
 * it ends.
 *
 * Strapi gives no event for either moment: this wraps `strapi.db.lifecycles.disable` and `enable`
 * (each still calls Strapi's). It is a security wrap, listed in src/fast-path/README.md, with no off
 * switch; `assertDataTransfersWatched` runs at boot and refuses to start if it is not in place.
 */
import type { Core } from '@strapi/strapi';
import { within } from '../utils/within';

type Hook = () => Promise<unknown>;

/** A catch-up hook that has not finished after this long is abandoned (logged) and the API opens. */
const HOOK_TIMEOUT_MS = 5 * 60 * 1000;

interface TransferState {
  /** Strapi's lifecycles are off (mirrors Strapi's own flag). */
  disabled: boolean;
  /** Incremented at every `disable`: a request that saw another value overlapped a transfer. */
  epoch: number;
  /** A catch-up is scheduled or running. */
  catchingUp: boolean;
  /** An `enable` arrived while a catch-up was running: one more runs after it. */
  again: boolean;
  startHooks: Hook[];
  hooks: Hook[];
  lastHooks: Hook[];
  disable: () => void;
  enable: () => void;
}

/**
 * Per Strapi instance, kept on globalThis: the app runs from dist/ while scripts and tests may load
 * this module from src/, and both copies must see the same watch.
 */
const STATES = Symbol.for('inter-actions.data-transfer.states');
const globals = globalThis as unknown as Record<symbol, WeakMap<Core.Strapi, TransferState> | undefined>;
const states = (globals[STATES] ??= new WeakMap<Core.Strapi, TransferState>());

async function runHooks(strapi: Core.Strapi, hooks: Hook[], what: string): Promise<void> {
  for (const hook of hooks) {
    try {
      await within(Promise.resolve().then(hook), HOOK_TIMEOUT_MS);
    } catch (error) {
      strapi.log.error(
        `Data transfer: ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

async function catchUp(strapi: Core.Strapi, state: TransferState): Promise<void> {
  do {
    state.again = false;
    // In order: the search index is rebuilt, then the response cache forgets.
    await runHooks(strapi, [...state.hooks, ...state.lastHooks], 'catching up');
  } while (state.again);
  state.catchingUp = false;
  strapi.log.info('Data transfer ended: the search index and the response cache have caught up.');
}

/** Installs the watch (register, before anything subscribes to `afterDataTransfer`). */
export function watchDataTransfers(strapi: Core.Strapi): void {
  if (states.has(strapi)) return;
  const lifecycles = strapi.db.lifecycles;
  const strapiDisable = lifecycles.disable.bind(lifecycles);
  const strapiEnable = lifecycles.enable.bind(lifecycles);
  const state: TransferState = {
    disabled: false,
    epoch: 0,
    catchingUp: false,
    again: false,
    startHooks: [],
    hooks: [],
    lastHooks: [],
    disable: () => {
      state.epoch += 1;
      const first = !state.disabled;
      state.disabled = true;
      strapiDisable();
      if (!first) return;
      strapi.log.warn(
        'Data transfer running: lifecycles are off; the content API of this process answers 503 until it ends.',
      );
      void runHooks(strapi, state.startHooks, 'starting');
    },
    enable: () => {
      strapiEnable();
      state.disabled = false;
      // Every end of a transfer is caught up (a second, overlapping one wrote after the first
      // ended); one that ends during a catch-up gets one more run after it.
      if (state.catchingUp) {
        state.again = true;
        return;
      }
      state.catchingUp = true;
      void catchUp(strapi, state);
    },
  };
  lifecycles.disable = state.disable;
  lifecycles.enable = state.enable;
  states.set(strapi, state);
}

/**
 * True while a data transfer has the lifecycles of this process switched off, and until what it
 * wrote has been caught up.
 */
export function transferRunning(strapi: Core.Strapi): boolean {
  const state = states.get(strapi);
  return state !== undefined && (state.disabled || state.catchingUp);
}

/** Changes whenever a transfer starts: a request that saw two values overlapped one. */
export function transferEpoch(strapi: Core.Strapi): number {
  return states.get(strapi)?.epoch ?? 0;
}

function stateOf(strapi: Core.Strapi): TransferState {
  const state = states.get(strapi);
  if (!state) throw new Error('src/security/data-transfer: watchDataTransfers() has not run');
  return state;
}

/** `hook` runs when a data transfer switches the lifecycles off. */
export function atDataTransferStart(strapi: Core.Strapi, hook: Hook): void {
  stateOf(strapi).startHooks.push(hook);
}

/**
 * `hook` runs after a data transfer (which writes with lifecycles disabled) has ended, in the order
 * hooks were added; `last` hooks after all others (the response cache forgets once the rest has
 * caught up).
 */
export function afterDataTransfer(strapi: Core.Strapi, hook: Hook, { last = false } = {}): void {
  const state = stateOf(strapi);
  (last ? state.lastHooks : state.hooks).push(hook);
}

/** Boot self-check: Strapi's switches are still ours to watch. Throws (the server does not start). */
export function assertDataTransfersWatched(strapi: Core.Strapi): void {
  const state = states.get(strapi);
  const lifecycles = strapi.db.lifecycles;
  const reason = !state
    ? 'watchDataTransfers() has not run'
    : lifecycles.disable !== state.disable || lifecycles.enable !== state.enable
      ? 'strapi.db.lifecycles.disable/enable were replaced after the watch was installed'
      : typeof lifecycles.run !== 'function'
        ? 'strapi.db.lifecycles.run is missing'
        : undefined;
  if (reason)
    throw new Error(
      `Data transfers are not watched (${reason}): public reads would lose their published-only rule during a transfer. See src/security/data-transfer.ts.`,
    );
}
