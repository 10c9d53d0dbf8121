import type { Core } from '@strapi/strapi';

/** Origins allowed to call the API from a browser: CORS_ORIGINS, else localhost in development. */
const DEVELOPMENT_ORIGINS = ['http://localhost:1337', 'http://localhost:3000', 'http://localhost:5173'];
const MB = 1024 * 1024;

/**
 * Cross-origin calls are for the content API alone: REST under /api/ and GraphQL. The admin panel
 * and its plugins' routes (/admin, /content-manager, /upload...) are same-origin only: with the
 * origins applied to every path, a page on a website in CORS_ORIGINS could call POST
 * /admin/access-token with the visitor's admin session cookie and read the admin token it returned.
 * (global::canonical-path has already refused any other letter case of these paths.)
 */
const contentApiOnly =
  (origins: string[]) =>
  (ctx: { path: string }): string[] =>
    ctx.path.startsWith('/api/') || ctx.path === '/graphql' ? origins : [];

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => {
  const production = env('NODE_ENV') === 'production';
  const corsOrigins = env.array('CORS_ORIGINS', production ? [] : DEVELOPMENT_ORIGINS).filter(Boolean);
  const uploadLimit = env.int('UPLOAD_MAX_MB', 10) * MB;
  return [
    'strapi::logger',
    'strapi::errors',
    'global::error-shape',
    'global::canonical-path',
    { name: 'global::require-https', config: { enabled: env.bool('REQUIRE_HTTPS', production) } },
    'strapi::security',
    { name: 'strapi::cors', config: { origin: contentApiOnly(corsOrigins) } },
    // No strapi::poweredBy: responses do not name the stack (X-Powered-By).
    {
      name: 'global::auth-rate-limit',
      config: {
        max: env.int('AUTH_RATE_LIMIT_MAX', 20),
        windowMinutes: env.int('AUTH_RATE_LIMIT_WINDOW_MINUTES', 5),
      },
    },
    { name: 'global::http-cache', config: { maxAge: env.int('HTTP_CACHE_MAX_AGE', 0) } },
    'global::response-cache',
    'global::stable-order',
    'strapi::query',
    'global::query-guard',
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
    'global::body-guard',
    'strapi::session',
    'strapi::favicon',
    'global::home-page',
    'strapi::public',
  ];
};
