import type { Core } from '@strapi/strapi';
import { withoutTrailingSlashes } from '../src/utils/public-url';
import { findSecretProblem } from '../src/utils/secrets';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => {
  const production = env('NODE_ENV') === 'production';
  // Secrets default to '' so that Strapi names a missing one in development too.
  // In production a missing or placeholder secret stops the start with one line naming it.
  if (production) {
    const problem = findSecretProblem(process.env);
    if (problem) {
      // One line, not a stack trace: the operator's next step is to set the variable.
      process.stderr.write(`Refusing to start in production: ${problem}\n`);
      process.exit(1);
    }
  }

  return {
    host: env('HOST', '0.0.0.0'),
    port: env.int('PORT', 1337),
    app: { keys: env.array('APP_KEYS', []) },
    // The public URL (behind the TLS proxy in production), used in links and admin redirects.
    url: withoutTrailingSlashes(env('PUBLIC_URL', '')),
    // Behind a reverse proxy, trust its X-Forwarded-* headers, so that a request that reached the
    // proxy over HTTPS counts as secure (users-permissions sets secure cookies on login).
    // The client address (what every rate limit keys on, ours and Strapi's) is the one the last
    // trusted proxy saw: of X-Forwarded-For, only the TRUSTED_PROXY_HOPS rightmost entries count,
    // which our proxies appended; whatever a client writes to the left of them, in X-Real-IP or in
    // Forwarded changes nothing (Koa reads X-Forwarded-For alone).
    proxy: { koa: env.bool('TRUST_PROXY', production), maxIpsCount: env.int('TRUSTED_PROXY_HOPS', 1) },
    // No outbound network at start: the update check asks the npm registry unless turned off.
    logger: {
      updates: { enabled: env.bool('STRAPI_UPDATE_CHECK', false) },
      // JSON logs (config/logger.ts) are for a collector: no start-up banner (a table on stdout).
      startup: { enabled: env('LOG_FORMAT', 'text') !== 'json' },
      config: {
        level: env.oneOf('LOG_LEVEL', ['error', 'warn', 'info', 'http', 'verbose', 'debug'], 'http'),
      },
    },
  };
};
