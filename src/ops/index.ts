/**
 * Operations: readiness, request ids and logs, metrics and graceful shutdown (issue 19).
 * registerOps runs first in register (src/index.ts); stopOps in destroy.
 *
 * Graceful shutdown. Strapi's own SIGTERM handler (`strapi start`) calls strapi.destroy() at once,
 * which destroys every open connection, requests in flight included. registerOps puts a drain in
 * front of it: on SIGTERM the instance stops accepting connections and answers 503 on /_ready,
 * lets the requests in flight finish (at most SHUTDOWN_GRACE_MS), and only then hands over to
 * Strapi's handler, which destroys Strapi (plugins, our destroy: queue, Redis, cache; the HTTP
 * server; the database pool) and exits with code 0.
 */
import type { Core } from '@strapi/strapi';
import { closeAdminRateLimitStores } from './admin-rate-limit-store';
import { createMetrics } from './metrics';
import { closeOpsRedis } from './redis';
import { opsStateOf, setOpsState, type OpsState } from './state';

export const SHUTDOWN_GRACE_MS = 10_000;

async function drain(strapi: Core.Strapi, state: OpsState): Promise<void> {
  state.shuttingDown = true;
  const server = strapi.server.httpServer;
  strapi.log.info(
    `SIGTERM: refusing new connections, finishing ${state.inFlight.size} request(s) in flight (at most ${SHUTDOWN_GRACE_MS / 1000} s)`,
  );
  // Keep-alive connections close once their answer is sent.
  for (const response of state.inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
  // Stops listening at once and closes the idle keep-alive connections; busy ones finish.
  server.close(() => {});
  state.metricsServer?.close(() => {});
  const deadline = Date.now() + SHUTDOWN_GRACE_MS;
  while (state.inFlight.size > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  if (state.inFlight.size > 0)
    strapi.log.warn(
      `SIGTERM: ${state.inFlight.size} request(s) still running after ${SHUTDOWN_GRACE_MS / 1000} s are cut`,
    );
}

export function registerOps(strapi: Core.Strapi): void {
  const state: OpsState = { inFlight: new Set(), shuttingDown: false, metrics: createMetrics(strapi) };
  setOpsState(strapi, state);

  strapi.server.httpServer.on('request', (_request, response) => {
    state.inFlight.add(response);
    if (state.shuttingDown) response.setHeader('Connection', 'close');
    response.once('close', () => state.inFlight.delete(response));
  });

  // The listeners present now are Strapi's (createStrapi registers them): they run after the drain.
  const handOver = process.listeners('SIGTERM');
  process.removeAllListeners('SIGTERM');
  let received = false;
  process.on('SIGTERM', () => {
    if (received) return;
    received = true;
    void drain(strapi, state).finally(() => {
      for (const listener of handOver) (listener as (signal: NodeJS.Signals) => void)('SIGTERM');
    });
  });
}

export async function stopOps(strapi: Core.Strapi): Promise<void> {
  const state = opsStateOf(strapi);
  state.shuttingDown = true;
  state.readinessProbe?.close();
  const server = state.metricsServer;
  if (server?.listening) await new Promise((resolve) => server.close(resolve));
  server?.closeAllConnections();
  await closeOpsRedis(strapi);
  await closeAdminRateLimitStores();
}
