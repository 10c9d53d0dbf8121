/**
 * Prometheus metrics (src/ops/metrics.ts) at `/metrics`, for a scraper only:
 * - on the main port with `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time);
 *   without METRICS_TOKEN the path does not exist (404);
 * - or on METRICS_PORT, a second HTTP server that answers `/metrics` alone: bound to HOST with the
 *   same Bearer check when METRICS_TOKEN is set too, to 127.0.0.1 without a token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { opsStateOf } from '../ops/state';

export interface MetricsConfig {
  token?: string;
  port?: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the Authorization header carries the token, compared without leaking its length or content. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const offered = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(offered), digest(token));
}

export default (config: MetricsConfig, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const token = config.token || '';
  const state = opsStateOf(strapi);
  const { registry } = state.metrics;

  if (config.port) {
    // Without a token nothing guards the port but where it listens: loopback only, then.
    const host = config.token ? strapi.config.get<string>('server.host', '0.0.0.0') : '127.0.0.1';
    const server = http.createServer(async (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
        return;
      }
      if (token && !bearerMatches(req.headers.authorization, token)) {
        res
          .writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' })
          .end('Unauthorized');
        return;
      }
      try {
        const body = await registry.metrics();
        res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(body);
      } catch (error) {
        strapi.log.error(`Metrics: ${(error as Error).message}`);
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error');
      }
    });
    server.on('error', (error) =>
      strapi.log.error(`Metrics server on port ${config.port}: ${error.message}`),
    );
    server.listen(config.port, host);
    state.metricsServer = server;
  }

  return async (ctx, next) => {
    if (ctx.path !== '/metrics' || !token || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    if (!bearerMatches(ctx.get('Authorization'), token)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new errors.UnauthorizedError('A valid metrics token is required');
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  };
};
