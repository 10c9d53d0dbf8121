import type { Core } from '@strapi/strapi';
import { winston } from '@strapi/logger';

/**
 * Strapi's logger (winston), configured: LOG_FORMAT=json writes one JSON object per line (for a
 * log collector), with a timestamp and, for every line written while a request runs, its request
 * id (global::request-log), errors included. The default, `text`, is Strapi's own format.
 * The level is LOG_LEVEL (config/server.ts).
 */
const withRequestId = winston.format((info) => {
  const context = (globalThis as { strapi?: Core.Strapi }).strapi?.requestContext?.get() as
    { state?: { requestId?: string } } | undefined;
  const requestId = context?.state?.requestId;
  if (requestId && !info.requestId) info.requestId = requestId;
  return info;
});

// eslint-disable-next-line no-control-regex
const ANSI = /[\u001b\u009b][[()#;?]*(?:[0-9]{1,4}(?:;[0-9]{0,4})*)?[0-9A-ORZcf-nqry=><]/g;
const withoutColors = winston.format((info) => {
  if (typeof info.message === 'string') info.message = info.message.replace(ANSI, '');
  return info;
});

export default ({ env }: Core.Config.Shared.ConfigParams) => {
  if (env.oneOf('LOG_FORMAT', ['text', 'json'], 'text') !== 'json') return {};
  return {
    format: winston.format.combine(
      withoutColors(),
      winston.format.errors({ stack: true }),
      withRequestId(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports: [new winston.transports.Console()],
  };
};
