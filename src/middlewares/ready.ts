/**
 * `/_ready`, the readiness check of the load balancer (deploy/haproxy.cfg): whether this instance
 * can serve. 200 when boot has finished and PostgreSQL answers; 503 from the moment a SIGTERM is
 * received (the instance drains), while a data transfer runs in this process (its content API
 * answers 503 then: src/security/data-transfer.ts), and when PostgreSQL cannot be reached.
 * `/_health` (Strapi's) stays the liveness check: the process answers.
 *
 * A busy pool is load, not unreadiness: ten expensive requests holding every pooled connection
 * used to make this check wait for a connection, time out, and take every instance out of the
 * balancer at once, cached answers included. PostgreSQL is asked on a connection of this check's
 * own, outside the pool (and its answer reused for a second), so the check says whether the
 * database answers, not whether the pool has a free connection. Load is shed by
 * global::bulkhead instead. Redis is reported but does not decide: without it the instance
 * serves, uncached, with per-instance limits (src/cache, src/ops/redis.ts).
 *
 * The answer is a small JSON document,
 * `{ status: 'ok' | 'degraded' | 'unavailable', checks: { boot, database, redis, dataTransfer } }`,
 * never cached; the reason of a failure goes to the log (one warning per 10 s), not to the caller.
 */
import type { Core } from '@strapi/strapi';
import { Client, type ClientConfig } from 'pg';
import { opsRedis } from '../ops/redis';
import { opsStateOf } from '../ops/state';
import { transferRunning } from '../security/data-transfer';
import { within } from '../utils/within';

const CHECK_TIMEOUT_MS = 1000;
/** How long a database answer is reused: the balancer's checks of both instances cost one query. */
const REUSE_MS = 1000;

type Outcome = 'ok' | 'failed' | 'timeout' | 'not configured' | 'starting' | 'shutting down';

/** `select 1` on a connection of the check's own (PostgreSQL), or through the pool (SQLite). */
function databaseProbe(strapi: Core.Strapi) {
  let client: Client | undefined;
  const close = () => {
    const closing = client;
    client = undefined;
    closing?.end().catch(() => undefined);
  };
  const probe = async () => {
    if (strapi.db.dialect.client !== 'postgres') return strapi.db.connection.raw('select 1');
    if (!client) {
      const settings = (strapi.db.connection.client as { connectionSettings: ClientConfig })
        .connectionSettings;
      const fresh = new Client({ ...settings, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
      fresh.on('error', () => {
        if (client === fresh) close();
      });
      client = fresh;
      await fresh.connect();
    }
    return client.query('select 1');
  };
  return {
    probe: () =>
      probe().catch((error: unknown) => {
        // A broken or half-open connection is dropped; the next check opens a new one.
        close();
        throw error;
      }),
    close,
  };
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  let lastWarning = 0;
  const check = async (name: string, work: () => Promise<unknown>): Promise<Outcome> => {
    try {
      await within(work(), CHECK_TIMEOUT_MS);
      return 'ok';
    } catch (error) {
      if (Date.now() - lastWarning > 10_000) {
        lastWarning = Date.now();
        strapi.log.warn(`Readiness check: ${name} does not answer (${(error as Error).message})`);
      }
      return (error as { timeout?: boolean }).timeout ? 'timeout' : 'failed';
    }
  };
  const database = databaseProbe(strapi);
  // Its connection closes with the instance (stopOps).
  opsStateOf(strapi).readinessProbe = database;
  let recent: { at: number; outcome: Promise<Outcome> } | undefined;
  const databaseOutcome = () => {
    if (!recent || Date.now() - recent.at > REUSE_MS)
      recent = { at: Date.now(), outcome: check('database', database.probe) };
    return recent.outcome;
  };
  return async (ctx, next) => {
    if (ctx.path !== '/_ready') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const state = opsStateOf(strapi);
    const redis = opsRedis(strapi);
    const [databaseState, redisState] = await Promise.all([
      databaseOutcome(),
      redis ? check('redis', () => redis.ping()) : Promise.resolve<Outcome>('not configured'),
    ]);
    const boot: Outcome = state.shuttingDown ? 'shutting down' : strapi.isLoaded ? 'ok' : 'starting';
    const dataTransfer = transferRunning(strapi) ? 'running' : 'none';
    const ready = boot === 'ok' && databaseState === 'ok' && dataTransfer === 'none';
    const degraded = redisState !== 'ok' && redisState !== 'not configured';
    ctx.status = ready ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      status: ready ? (degraded ? 'degraded' : 'ok') : 'unavailable',
      checks: { boot, database: databaseState, redis: redisState, dataTransfer },
    };
  };
};
