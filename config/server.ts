import type { Core } from '@strapi/strapi';
import { findSecretProblem } from '../src/utils/secrets';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => {
  // Secrets default to '' so that Strapi names a missing one in development too.
  // In production a missing or placeholder secret stops the start with one line naming it.
  if (env('NODE_ENV') === 'production') {
    const problem = findSecretProblem(process.env);
    if (problem) throw new Error(`Refusing to start in production: ${problem}`);
  }

  return {
    host: env('HOST', '0.0.0.0'),
    port: env.int('PORT', 1337),
    app: { keys: env.array('APP_KEYS', []) },
  };
};
