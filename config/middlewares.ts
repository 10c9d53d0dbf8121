import type { Core } from '@strapi/strapi';

/** Origins allowed to call the API from a browser: CORS_ORIGINS, else localhost in development. */
const DEVELOPMENT_ORIGINS = ['http://localhost:1337', 'http://localhost:3000', 'http://localhost:5173'];

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => {
  const production = env('NODE_ENV') === 'production';
  const corsOrigins = env.array('CORS_ORIGINS', production ? [] : DEVELOPMENT_ORIGINS).filter(Boolean);
  return [
    'strapi::logger',
    'strapi::errors',
    { name: 'global::require-https', config: { enabled: env.bool('REQUIRE_HTTPS', production) } },
    'strapi::security',
    { name: 'strapi::cors', config: { origin: corsOrigins } },
    'strapi::poweredBy',
    { name: 'global::http-cache', config: { maxAge: env.int('HTTP_CACHE_MAX_AGE', 60) } },
    'strapi::query',
    'strapi::body',
    'strapi::session',
    'strapi::favicon',
    'strapi::public',
  ];
};
