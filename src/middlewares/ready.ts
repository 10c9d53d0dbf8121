/**
 * `/_ready`, the readiness check of the load balancer (deploy/haproxy.cfg): 200 when boot has
 * finished, PostgreSQL answers a `select 1` and Redis answers a PING (when REDIS_URL is set);
 * 503 otherwise, naming the failing part, from the moment a SIGTERM is received (the instance
 * drains), and while a data transfer runs in this process (its content API answers 503 then:
 * src/security/data-transfer.ts). `/_health` (Strapi's) stays the liveness check: the process answers.
 *
 * The answer is a small JSON document, `{ status, checks: { boot, database, redis, dataTransfer } }`, never
 * cached; the reason of a failure goes to the log (one warning per 10 s), not to the caller.
 */
import type { Core } from '@strapi/strapi';
import { opsRedis } from '../ops/redis';
import { opsStateOf } from '../ops/state';
import { transferRunning } from '../security/data-transfer';
import { within } from '../utils/within';

const CHECK_TIMEOUT_MS = 1000;

type Outcome = 'ok' | 'failed' | 'timeout' | 'not configured' | 'starting' | 'shutting down';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  let lastWarning = 0;
  const check = async (name: string, work: () => Promise<unknown>): Promise<Outcome> => {
    try {
      await within(work(), CHECK_TIMEOUT_MS);
      return 'ok';
    } catch (error) {
      if (Date.now() - lastWarning > 10_000) {
        lastWarning = Date.now();
        strapi.log.warn(`Not ready: ${name} (${(error as Error).message})`);
      }
      return (error as { timeout?: boolean }).timeout ? 'timeout' : 'failed';
    }
  };

  return async (ctx, next) => {
    if (ctx.path !== '/_ready') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const state = opsStateOf(strapi);
    const redis = opsRedis(strapi);
    const [database, redisOutcome] = await Promise.all([
      check('database', () => strapi.db.connection.raw('select 1')),
      redis ? check('redis', () => redis.ping()) : Promise.resolve<Outcome>('not configured'),
    ]);
    const boot: Outcome = state.shuttingDown ? 'shutting down' : strapi.isLoaded ? 'ok' : 'starting';
    const dataTransfer = transferRunning(strapi) ? 'running' : 'none';
    const ready =
      boot === 'ok' &&
      database === 'ok' &&
      (redisOutcome === 'ok' || redisOutcome === 'not configured') &&
      dataTransfer === 'none';
    ctx.status = ready ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      status: ready ? 'ok' : 'unavailable',
      checks: { boot, database, redis: redisOutcome, dataTransfer },
    };
  };
};
