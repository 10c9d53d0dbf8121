/**
 * Tables this app keeps beside Strapi's, and their daily pruning: the helpers the history, the
 * audit log and the review share at boot.
 */
import path from 'node:path';
import type { Core } from '@strapi/strapi';

type Knex = Core.Strapi['db']['connection'];
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs a file of database/migrations again (its `up` is idempotent: Strapi runs it once before
 * its schema sync, and scripts or tests may start from a database made before the file existed).
 */
export async function ensureTables(strapi: Core.Strapi, file: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const migration = require(path.join(strapi.dirs.app.root, 'database', 'migrations', file)) as {
    up: (knex: Knex) => Promise<void>;
  };
  await migration.up(strapi.db.connection);
}

/** A whole number of days from an environment value, `fallback` when unset or not a positive number. */
export function envDays(value: string | undefined, fallback: number): number {
  const days = Number.parseInt(value ?? '', 10);
  return Number.isFinite(days) && days > 0 ? days : fallback;
}

const timers = new WeakMap<Core.Strapi, Map<string, NodeJS.Timeout>>();

/** Runs `prune` now (awaited), then every day on this instance; a failure is logged, not thrown. */
export async function pruneDaily(
  strapi: Core.Strapi,
  what: string,
  prune: () => Promise<unknown>,
): Promise<void> {
  const run = () =>
    prune().catch((error: unknown) => {
      strapi.log.warn(`${what}: pruning failed (${String(error)})`);
    });
  await run();
  const own = timers.get(strapi) ?? new Map<string, NodeJS.Timeout>();
  timers.set(strapi, own);
  clearInterval(own.get(what));
  const timer = setInterval(() => void run(), DAY_MS);
  timer.unref();
  own.set(what, timer);
}

/** Stops the daily pruning of `what`. */
export function stopPruning(strapi: Core.Strapi, what: string): void {
  const own = timers.get(strapi);
  clearInterval(own?.get(what));
  own?.delete(what);
}
