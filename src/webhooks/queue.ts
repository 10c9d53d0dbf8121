/**
 * The delivery queue: pg-boss on the application's PostgreSQL database (schema `pgboss`), so
 * deliveries survive a crash or a restart and several instances share them.
 *
 * One job means "deliver the pending changes of subscription S" (singleton key S; policy `short`:
 * at most one such job waits at a time). It takes a PostgreSQL advisory lock on S, so one instance
 * at a time delivers to S, in the feed's order (which keeps the order per document), from the
 * subscription's cursor (./store.ts), moving it after each answered change. A failed attempt
 * throws: pg-boss retries the job with exponential backoff over at least 24 hours
 * (./settings.ts), and while that retry waits, no other job of S delivers (the backoff holds).
 * A job is sent after each commit that recorded changes (src/changes onChangesCommitted), at boot,
 * and every minute for every active subscription that is behind (a crash between a commit and its
 * send loses nothing).
 */
import type { Core } from '@strapi/strapi';
import PgBoss from 'pg-boss';
import pg from 'pg';
import { onChangesCommitted, readChanges, type ChangeEvent } from '../changes';
import { attempt, type AttemptOutcome } from './deliver';
import { deliveryBody } from './payload';
import { retryLimitFor, webhookSettings, type WebhookSettings } from './settings';
import { advanceCursor, readState, subscriptionsBehind } from './store';
import { DELIVERY_UID, matches, SUBSCRIPTION_UID, type Subscription } from './subscriptions';

export const DELIVER_QUEUE = 'webhook-deliveries';
export const SWEEP_QUEUE = 'webhook-sweep';
const BOSS_SCHEMA = 'pgboss';
/** Advisory lock class of webhook deliveries ("IAWH"); the object is hashtext(subscription). */
const LOCK_CLASS = 0x49415748;
/** A run hands over to a new job after this long, so that other subscriptions get their turn. */
const RUN_SECONDS = 60;
const BATCH = 100;
/** Longest a job may stay active before pg-boss counts it as failed (a crashed instance). */
const EXPIRE_SECONDS = 10 * 60;

const JSON_OIDS = new Set([114, 3802]); // json, jsonb
const JSON_PARSERS = {
  getTypeParser: (oid: number, format?: string) =>
    JSON_OIDS.has(oid) && format !== 'binary'
      ? (value: string) => JSON.parse(value)
      : pg.types.getTypeParser(oid, format as 'text'),
};

interface JobData {
  subscription: string;
}

interface Runtime {
  boss: PgBoss;
  locks: pg.Pool;
  settings: WebhookSettings;
  workers: string[];
  /** Sends started by hooks that do not wait for them (nudge, commit listener): stop awaits them. */
  pending: Set<Promise<unknown>>;
  /** stopQueue has begun: hooks start no new sends (the sweep of a running instance catches up). */
  stopping: boolean;
}

/** Runs `send` so that stopping the queue waits for it (the script that wrote exits right after). */
function tracked(runtime: Runtime, send: () => Promise<void>): Promise<void> {
  if (runtime.stopping) return Promise.resolve();
  const promise = send();
  runtime.pending.add(promise);
  const forget = () => runtime.pending.delete(promise);
  promise.then(forget, forget);
  return promise;
}

const runtimes = new WeakMap<Core.Strapi, Runtime>();

function connectionOptions(strapi: Core.Strapi): pg.PoolConfig {
  const config = strapi.config.get('database.connection') as {
    connection?: pg.PoolConfig & { schema?: string };
  };
  const { connectionString, host, port, database, user, password, ssl } = config.connection ?? {};
  return { connectionString, host, port, database, user, password, ssl };
}

const subscriptions = (strapi: Core.Strapi) =>
  strapi.db.query(SUBSCRIPTION_UID as never) as unknown as {
    findOne(params: unknown): Promise<Subscription | null>;
    findMany(params: unknown): Promise<Subscription[]>;
  };

/** Whether a failed job of `subscription` waits for its retry (its backoff must hold). */
async function retryWaiting(runtime: Runtime, subscription: string, except?: string): Promise<boolean> {
  const { rows } = await runtime.boss
    .getDb()
    .executeSql(
      `SELECT 1 FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND singleton_key = $2 AND state = 'retry' AND id::text <> $3 LIMIT 1`,
      [DELIVER_QUEUE, subscription, except ?? ''],
    );
  return rows.length > 0;
}

/** Queues a delivery run of `subscription` (nothing if one waits already). */
export async function sendDelivery(strapi: Core.Strapi, subscription: string): Promise<void> {
  const runtime = runtimes.get(strapi);
  if (!runtime) return;
  if (await retryWaiting(runtime, subscription)) return;
  const retryDelay = runtime.settings.retryDelaySeconds;
  await runtime.boss.send(DELIVER_QUEUE, { subscription } satisfies JobData, {
    singletonKey: subscription,
    retryLimit: retryLimitFor(retryDelay),
    retryDelay,
    retryBackoff: true,
    expireInSeconds: EXPIRE_SECONDS,
  });
  for (const worker of runtime.workers) runtime.boss.notifyWorker(worker);
}

/** Fire and forget (logged): for hooks that must not fail a write. */
export function nudge(strapi: Core.Strapi, subscription: string): void {
  const runtime = runtimes.get(strapi);
  if (!runtime) return;
  tracked(runtime, () => sendDelivery(strapi, subscription)).catch((error: Error) =>
    strapi.log.error(`Webhooks: could not queue a delivery run of ${subscription}: ${error.message}`),
  );
}

async function activeSubscriptions(strapi: Core.Strapi): Promise<Subscription[]> {
  return subscriptions(strapi).findMany({ where: { active: true } });
}

/** Queues a run for every active subscription that is behind the feed. */
async function sweep(strapi: Core.Strapi): Promise<void> {
  const active = await activeSubscriptions(strapi);
  for (const documentId of await subscriptionsBehind(
    strapi,
    active.map((s) => s.documentId),
  ))
    await sendDelivery(strapi, documentId);
}

async function onCommitted(strapi: Core.Strapi, events: ChangeEvent[]): Promise<void> {
  for (const subscription of await activeSubscriptions(strapi)) {
    if (events.some((event) => matches(subscription.events, event.type, event.action)))
      await sendDelivery(strapi, subscription.documentId);
  }
}

/** The delivery log: one entry per subscription and change, updated at each attempt. */
async function logAttempt(
  strapi: Core.Strapi,
  subscription: Subscription,
  event: ChangeEvent,
  outcome: AttemptOutcome | { kind: 'abandoned'; status?: number; error: string },
): Promise<void> {
  const log = strapi.documents(DELIVERY_UID as never) as unknown as {
    create(params: unknown): Promise<unknown>;
    update(params: unknown): Promise<unknown>;
  };
  const existing = (await strapi.db.query(DELIVERY_UID as never).findOne({
    where: { subscription: subscription.documentId, changeId: event.id },
    select: ['documentId', 'attempts'],
  })) as { documentId: string; attempts: number | null } | null;
  const now = new Date().toISOString();
  const outcomeName = outcome.kind === 'failed' ? 'retrying' : outcome.kind;
  const data = {
    partner: subscription.name.slice(0, 120),
    subscription: subscription.documentId,
    eventId: event.cursor,
    changeId: event.id,
    change: `${event.type} ${event.documentId} ${event.locale} ${event.action}`.slice(0, 200),
    outcome: outcomeName,
    attempts: (existing?.attempts ?? 0) + (outcome.kind === 'abandoned' ? 0 : 1),
    responseStatus: 'status' in outcome ? (outcome.status ?? null) : null,
    lastError: 'error' in outcome ? outcome.error.slice(0, 2000) : null,
    lastAttemptAt: now,
    ...(outcome.kind === 'delivered' ? { deliveredAt: now } : {}),
  };
  if (existing) await log.update({ documentId: existing.documentId, data });
  else await log.create({ data });
}

class DeliveryFailed extends Error {}

/** One job: delivers the pending changes of a subscription, in order, until none is left. */
async function runDelivery(
  strapi: Core.Strapi,
  runtime: Runtime,
  job: PgBoss.JobWithMetadata<JobData>,
): Promise<void> {
  // Strapi sets pg's JSON parsers globally to leave JSON as text: pg-boss's `data` may be a string.
  const data = (typeof job.data === 'string' ? JSON.parse(job.data) : job.data) as JobData;
  const documentId = data.subscription;
  if (typeof documentId !== 'string') return;
  const subscription = await subscriptions(strapi).findOne({ where: { documentId } });
  if (!subscription?.active) return;
  // A failed job of this subscription waits for its retry: it carries the backoff; this one yields.
  if (await retryWaiting(runtime, documentId, job.id)) return;

  // Nobody could check a signature yet: the changes wait until the secret is shown (the panel's
  // button sends a run then).
  if (!(await readState(strapi, documentId)).secretShown) return;

  const client = await runtime.locks.connect();
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
      LOCK_CLASS,
      documentId,
    ]);
    // Another instance delivers to this subscription now; it reads to the end of the feed.
    if (!rows[0]?.locked) return;
    try {
      await deliverPending(strapi, runtime, job, subscription);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, documentId]);
    }
  } finally {
    client.release();
  }
}

async function deliverPending(
  strapi: Core.Strapi,
  runtime: Runtime,
  job: PgBoss.JobWithMetadata<JobData>,
  subscription: Subscription,
): Promise<void> {
  const started = Date.now();
  const { settings } = runtime;
  for (;;) {
    const state = await readState(strapi, subscription.documentId);
    let cursor = state.deliveredId;
    const events = await readChanges(strapi, { afterId: cursor, limit: BATCH });
    if (events.length === 0) return;
    for (const event of events) {
      if (matches(subscription.events, event.type, event.action)) {
        const rawBody = JSON.stringify(await deliveryBody(strapi, event));
        const { secrets } = await readState(strapi, subscription.documentId);
        const outcome = await attempt({
          url: subscription.url,
          eventId: event.cursor,
          rawBody,
          secrets,
          timeoutMs: settings.timeoutSeconds * 1000,
          urlOptions: settings,
        });
        if (outcome.kind === 'failed') {
          if (job.retryCount >= job.retryLimit) {
            // Retried for more than a day: the subscription is paused; re-activating it resumes here.
            await logAttempt(strapi, subscription, event, outcome);
            await logAttempt(strapi, subscription, event, {
              kind: 'abandoned',
              status: outcome.status,
              error: `${outcome.error}; retried for over 24 hours: subscription deactivated`,
            });
            await strapi
              .documents(SUBSCRIPTION_UID as never)
              .update({ documentId: subscription.documentId, data: { active: false } as never });
            strapi.log.warn(
              `Webhooks: ${subscription.name} failed for over 24 hours; the subscription is deactivated.`,
            );
            return;
          }
          await logAttempt(strapi, subscription, event, outcome);
          throw new DeliveryFailed(`${subscription.name}: change ${event.id}: ${outcome.error}`);
        }
        await logAttempt(strapi, subscription, event, outcome);
        if (outcome.kind === 'rejected')
          strapi.log.warn(`Webhooks: ${subscription.name} refused change ${event.id}: ${outcome.error}`);
      }
      // Moves only if nobody rewound the cursor meanwhile (a resend): then start again from there.
      if (!(await advanceCursor(strapi, subscription.documentId, cursor, event.id))) break;
      cursor = event.id;
    }
    if (Date.now() - started > RUN_SECONDS * 1000) {
      // Hand over: the next run goes to the end of the queue, after other subscriptions' runs.
      await sendDelivery(strapi, subscription.documentId);
      return;
    }
  }
}

export async function startQueue(strapi: Core.Strapi): Promise<void> {
  if (strapi.db.dialect.client !== 'postgres') {
    strapi.log.warn('Webhooks: partner webhooks need PostgreSQL; they are off on this database.');
    return;
  }
  const settings = webhookSettings();
  const connection = connectionOptions(strapi);
  const boss = new PgBoss({
    ...(connection as PgBoss.DatabaseOptions),
    // Strapi makes pg's global parsers leave JSON as text; pg-boss needs its jobs' JSON parsed.
    ...({ types: JSON_PARSERS } as object),
    schema: BOSS_SCHEMA,
    application_name: 'inter-actions-webhooks',
    max: settings.concurrency + 3,
  });
  boss.on('error', (error: Error) => strapi.log.error(`Webhooks (pg-boss): ${error.message}`));
  await boss.start();
  await boss.createQueue(DELIVER_QUEUE, { name: DELIVER_QUEUE, policy: 'short' });
  await boss.createQueue(SWEEP_QUEUE, { name: SWEEP_QUEUE, policy: 'short', retryLimit: 0 });
  await boss.schedule(SWEEP_QUEUE, '* * * * *', {}, { singletonKey: 'sweep' });

  const locks = new pg.Pool({
    ...connection,
    max: settings.concurrency,
    application_name: 'inter-actions-webhook-locks',
  });
  locks.on('error', (error) => strapi.log.error(`Webhooks (locks): ${error.message}`));
  const runtime: Runtime = { boss, locks, settings, workers: [], pending: new Set(), stopping: false };
  runtimes.set(strapi, runtime);

  onChangesCommitted(strapi, (events) =>
    runtimes.get(strapi) === runtime ? tracked(runtime, () => onCommitted(strapi, events)) : undefined,
  );
  // A script's process (WEBHOOK_WORKERS=false) only queues: a worker there would take deliveries
  // of the server's changes and be cut off mid-attempt when the script exits.
  if (!settings.workers) return;

  for (let index = 0; index < settings.concurrency; index += 1) {
    runtime.workers.push(
      await boss.work<JobData>(DELIVER_QUEUE, { batchSize: 1, includeMetadata: true }, async (jobs) => {
        for (const job of jobs) {
          try {
            await runDelivery(strapi, runtime, job);
          } catch (error) {
            if (!(error instanceof DeliveryFailed))
              strapi.log.error(`Webhooks: delivery run failed: ${(error as Error).stack ?? error}`);
            throw error;
          }
        }
      }),
    );
  }
  await boss.work(SWEEP_QUEUE, async () => sweep(strapi));
  // What was left behind by a stop or a crash.
  sweep(strapi).catch((error: Error) => strapi.log.error(`Webhooks: sweep failed: ${error.message}`));
}

/**
 * The job engine this queue runs on, for the other jobs of the application (scheduled publishing,
 * src/schedules): its pg-boss, and whether this process runs workers (a script only queues).
 * Undefined before the queue started, after it stopped, and on SQLite.
 */
export function jobEngine(strapi: Core.Strapi): { boss: PgBoss; workers: boolean } | undefined {
  const runtime = runtimes.get(strapi);
  return runtime ? { boss: runtime.boss, workers: runtime.settings.workers } : undefined;
}

/** Delivery jobs waiting to run (created or waiting for a retry), for /metrics; 0 when off. */
export async function queueDepth(strapi: Core.Strapi): Promise<number> {
  const runtime = runtimes.get(strapi);
  return runtime ? runtime.boss.getQueueSize(DELIVER_QUEUE) : 0;
}

export async function stopQueue(strapi: Core.Strapi): Promise<void> {
  const runtime = runtimes.get(strapi);
  if (!runtime) return;
  // Sends queued by the last writes go out before pg-boss closes its pool (a script writes and
  // exits at once: its sends were cut off with "Cannot destructure property 'rows'"). Bounded: a
  // send that cannot finish is dropped, and the one-minute sweep of any running instance queues
  // the run again (a subscription behind the feed is never forgotten).
  runtime.stopping = true;
  const waiting = [...runtime.pending];
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = await Promise.race([
    Promise.allSettled(waiting).then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), runtime.settings.timeoutSeconds * 1000);
    }),
  ]).finally(() => clearTimeout(timer));
  if (gaveUp)
    strapi.log.warn(
      `Webhooks: ${runtime.pending.size} delivery run(s) not queued at stop; the sweep will queue them.`,
    );
  runtimes.delete(strapi);
  // Running deliveries may finish (their attempt is bounded); then the connections close.
  await runtime.boss.stop({
    graceful: true,
    wait: true,
    timeout: (runtime.settings.timeoutSeconds + 5) * 1000,
  });
  await runtime.locks.end();
}
