import type { Core } from '@strapi/strapi';
import { contentApiOrigins } from '../src/middlewares/cors-scope';

/** Origins allowed to call the API from a browser: CORS_ORIGINS, else localhost in development. */
const DEVELOPMENT_ORIGINS = ['http://localhost:1337', 'http://localhost:3000', 'http://localhost:5173'];
const MB = 1024 * 1024;

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => {
  const production = env('NODE_ENV') === 'production';
  const corsOrigins = env.array('CORS_ORIGINS', production ? [] : DEVELOPMENT_ORIGINS).filter(Boolean);
  const uploadLimit = env.int('UPLOAD_MAX_MB', 10) * MB;
  // The order is part of correctness; each line says why its middleware stands where it does.
  return [
    // First: every request gets its id and is logged and counted, with the status it finally got
    // (in place of strapi::logger: JSON lines with LOG_FORMAT=json, Strapi's text line otherwise).
    { name: 'global::request-log', config: { format: env.oneOf('LOG_FORMAT', ['text', 'json'], 'text') } },
    // The load balancer's readiness check, answered here: before the HTTPS check (it probes over
    // plain HTTP), before global::error-shape (which would turn its 503 into a database error) and
    // before anything cached or rate-limited. It throws nothing.
    'global::ready',
    // The audit log's record of admin API writes (src/audit): outside strapi::errors, to see the
    // status each request finally got.
    'global::audit',
    // Formats what any later middleware throws into Strapi's error shape.
    'strapi::errors',
    // Maps database and body-parser errors to 4xx/503 before strapi::errors formats them.
    'global::error-shape',
    // Before anything keyed on the path (rate limit, caches, query checks): /API/... is a 404.
    'global::canonical-path',
    // Before any work: a production request that did not come through the TLS proxy is refused.
    { name: 'global::require-https', config: { enabled: env.bool('REQUIRE_HTTPS', production) } },
    // Before anything cached or computed: while a data transfer has Strapi's lifecycles off (and
    // with them the published-only rule of public reads), the content API answers 503.
    'global::data-transfer-guard',
    // /metrics for the scraper (METRICS_TOKEN), or on its own port (METRICS_PORT).
    {
      name: 'global::metrics',
      config: { token: env('METRICS_TOKEN', ''), port: env.int('METRICS_PORT', 0) },
    },
    // Security headers on every answer, the cached ones included.
    {
      name: 'strapi::security',
      config: {
        contentSecurityPolicy: {
          directives: {
            // What the admin panel and our pages load: images from here, data: and blob: (the
            // panel's previews of files being uploaded), not Strapi's https://market-assets.strapi.io
            // (its Marketplace is a link to market.strapi.io in 5.54). A string, not a list:
            // Strapi completes a shorter list from its own, item by item (lodash's defaultsDeep).
            'img-src': "'self' data: blob:",
            // Strapi's default, kept: the media field's "Add new assets" > "From URL" fetches the
            // address from the browser (@strapi/upload's urlsToAssets).
            'connect-src': "'self' https:",
          },
        },
      },
    },
    // CORS headers only for an allowed origin on the content API (CORS_ORIGINS, not /admin):
    // global::cors-scope removes those strapi::cors sets for a request without an Origin.
    { name: 'global::cors-scope', config: { origins: corsOrigins } },
    // Browser apps may read the validator, the download name and the date of the data (issue 18).
    {
      name: 'strapi::cors',
      config: {
        origin: contentApiOrigins(corsOrigins),
        expose: ['ETag', 'Content-Disposition', 'Last-Modified'],
      },
    },
    // No strapi::poweredBy: responses do not name the stack (X-Powered-By).
    // Before the body is parsed or a password checked: an attempt over budget costs nothing.
    {
      name: 'global::auth-rate-limit',
      config: {
        max: env.int('AUTH_RATE_LIMIT_MAX', 20),
        windowMinutes: env.int('AUTH_RATE_LIMIT_WINDOW_MINUTES', 5),
      },
    },
    // Wraps the response cache, so that cached answers get their ETag and 304s too.
    { name: 'global::http-cache', config: { maxAge: env.int('HTTP_CACHE_MAX_AGE', 0) } },
    // Before the query is parsed and checked: a hit costs no further work.
    'global::response-cache',
    // Inside the cache: what is stored is already in schema order.
    'global::stable-order',
    // Parses the query string (qs), which the checks below read.
    'strapi::query',
    'global::query-guard',
    // Around GraphQL requests only: the relation-batching scope of src/fast-path.
    'global::graphql-batch',
    {
      name: 'strapi::body',
      config: {
        jsonLimit: '1mb',
        formLimit: '1mb',
        textLimit: '1mb',
        formidable: { maxFileSize: uploadLimit },
      },
    },
    // Right after the body is parsed, before any route reads it.
    'global::body-guard',
    // The edit view's help texts in the admin user's language (the configuration the panel reads).
    'global::help-language',
    // GraphQL documents and variables past their bounds refused before Apollo parses them; after
    // body-guard, which leaves GraphQL bodies (this parses them) to its Apollo plugin.
    'global::graphql-bounds',
    // Expensive requests (downloads, search, relation filters, such GraphQL) on a bounded share of
    // the pool and a few per client; after the cache (hits cost nothing) and every check above.
    {
      name: 'global::bulkhead',
      config: {
        share: env.float('BULKHEAD_POOL_SHARE', 0.4),
        perClient: env.int('BULKHEAD_PER_CLIENT', 2),
      },
    },
    'strapi::session',
    'strapi::favicon',
    // Before strapi::public, which would otherwise answer / with the admin redirect.
    'global::home-page',
    'strapi::public',
  ];
};
