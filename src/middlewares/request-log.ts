/**
 * First in the chain (in place of strapi::logger): gives every request an id, logs one line per
 * request once it is answered and counts it in the metrics.
 *
 * The id is the caller's X-Request-Id when it is a sane token (a proxy's or a partner's id), else
 * a new UUID; it is echoed in the X-Request-Id response header, and every log line written while
 * the request runs carries it in JSON logs (config/logger.ts), errors included.
 *
 * With LOG_FORMAT=json the line is a JSON object with the route template (never the raw URL, which
 * may carry search terms), the status, the duration in ms and the response cache outcome. Text
 * logs (the default) keep Strapi's own line. `/_health`, `/_ready` and `/metrics` are polled by
 * machines: they are neither logged above debug level nor counted.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { opsStateOf } from '../ops/state';
import { routeTemplates } from '../ops/routes';

export interface RequestLogConfig {
  format?: 'json' | 'text';
}

const SANE_ID = /^[A-Za-z0-9._-]{1,64}$/;
const PROBES = new Set(['/_health', '/_ready', '/metrics']);

/**
 * The URL as logged: the values of parameters that carry a secret (the admin panel's reset
 * `code` and invitation `registrationToken`, e-mail confirmation codes, tokens) are replaced.
 */
const SECRET_PARAMETERS = /([?&](?:code|registrationToken|confirmation|token|access_token)=)[^&#]*/gi;
export const redacted = (url: string) => url.replace(SECRET_PARAMETERS, '$1[redacted]');

export default (config: RequestLogConfig, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const json = config.format === 'json';
  const templateOf = routeTemplates(strapi);
  const { metrics } = opsStateOf(strapi);

  return async (ctx, next) => {
    const offered = ctx.get('X-Request-Id');
    const requestId = SANE_ID.test(offered) ? offered : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const durationMs = Math.round(ms * 10) / 10;
      const cache = ctx.state.cache as string | undefined;
      if (PROBES.has(ctx.path)) {
        strapi.log.debug(`${ctx.method} ${ctx.path} (${Math.ceil(ms)} ms) ${ctx.status}`);
      } else {
        const route = templateOf(ctx);
        const labels = { method: ctx.method, route, status: String(ctx.status) };
        metrics.requests.inc(labels);
        metrics.durations.observe(labels, ms / 1000);
        if (cache) metrics.cache.inc({ outcome: cache });
        if (json) {
          strapi.log.http(`${ctx.method} ${route} ${ctx.status}`, {
            requestId,
            method: ctx.method,
            route,
            status: ctx.status,
            durationMs,
            ...(cache ? { cache } : {}),
          });
        } else {
          strapi.log.http(`${ctx.method} ${redacted(ctx.url)} (${Math.ceil(ms)} ms) ${ctx.status}`);
        }
      }
    }
  };
};
