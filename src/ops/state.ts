/** What the operations code knows of one Strapi instance: requests in flight, shutdown, metrics. */
import type { Core } from '@strapi/strapi';
import type { Server, ServerResponse } from 'node:http';
import type { OpsMetrics } from './metrics';

export interface OpsState {
  /** Responses not yet finished or aborted, as the HTTP server counts them. */
  inFlight: Set<ServerResponse>;
  /** SIGTERM received: /_ready answers 503, new connections are refused. */
  shuttingDown: boolean;
  metrics: OpsMetrics;
  /** The METRICS_PORT server, if any. */
  metricsServer?: Server;
  /** /_ready's own database connection (src/middlewares/ready.ts). */
  readinessProbe?: { close(): void };
}

const states = new WeakMap<Core.Strapi, OpsState>();

export function opsStateOf(strapi: Core.Strapi): OpsState {
  const state = states.get(strapi);
  if (!state) throw new Error('src/ops: registerOps() has not run');
  return state;
}

export function setOpsState(strapi: Core.Strapi, state: OpsState): void {
  states.set(strapi, state);
}
