/**
 * Prometheus metrics (prom-client), one registry per Strapi instance. Labels are bounded: the
 * route is the router's template (`/api/projects/:id`), or `unmatched`, never the raw URL.
 */
import type { Core } from '@strapi/strapi';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { queueDepth } from '../webhooks';

export interface OpsMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  durations: Histogram<'method' | 'route' | 'status'>;
  cache: Counter<'outcome'>;
}

type PoolLike = { numUsed?: () => number; numPendingAcquires?: () => number; numFree?: () => number };

const poolOf = (strapi: Core.Strapi): PoolLike | undefined =>
  (strapi.db?.connection as unknown as { client?: { pool?: PoolLike } } | undefined)?.client?.pool;

export function createMetrics(strapi: Core.Strapi): OpsMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route template and status',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const cache = new Counter({
    name: 'response_cache_requests_total',
    help: 'Content API reads by response cache outcome (HIT, SHARED: served from the cache; MISS: computed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of ['HIT', 'SHARED', 'MISS']) cache.inc({ outcome }, 0);
  new Gauge({
    name: 'db_pool_connections_in_use',
    help: 'Database connections in use (knex pool)',
    registers: [registry],
    collect() {
      this.set(poolOf(strapi)?.numUsed?.() ?? 0);
    },
  });
  new Gauge({
    name: 'db_pool_connections_waiting',
    help: 'Requests waiting for a database connection (knex pool)',
    registers: [registry],
    collect() {
      this.set(poolOf(strapi)?.numPendingAcquires?.() ?? 0);
    },
  });
  new Gauge({
    name: 'db_pool_connections_free',
    help: 'Idle database connections (knex pool)',
    registers: [registry],
    collect() {
      this.set(poolOf(strapi)?.numFree?.() ?? 0);
    },
  });
  // Partner webhooks' delivery queue (0 where webhooks are off: SQLite).
  new Gauge({
    name: 'webhook_queue_depth',
    help: 'Partner webhook deliveries waiting in the queue',
    registers: [registry],
    async collect() {
      this.set(await queueDepth(strapi).catch(() => 0));
    },
  });
  return { registry, requests, durations, cache };
}
