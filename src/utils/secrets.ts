import { randomBytes } from 'node:crypto';
/** The secrets Strapi needs, checked once when the server configuration loads. */
export const SECRET_NAMES = [
  'APP_KEYS',
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
] as const;

/** The value .env.example carries for every secret; scripts/ensure-env.js replaces it. */
export const SECRET_PLACEHOLDER = 'change-me';

/**
 * Returns the first problem with the secrets, or null. A secret is unusable when it is missing,
 * empty, or still holds the placeholder (in any of its comma-separated parts, for APP_KEYS).
 */
export function findSecretProblem(environment: NodeJS.ProcessEnv): string | null {
  for (const name of SECRET_NAMES) {
    const value = environment[name];
    if (value === undefined || value.trim() === '') {
      return `${name} is missing or empty: set it in the environment (see .env.example)`;
    }
    if (value.split(',').some((part) => part.trim() === SECRET_PLACEHOLDER || part.trim() === '')) {
      return `${name} still holds the placeholder from .env.example: generate a random value`;
    }
  }
  return null;
}

/** Fresh random values for every secret (tests and the benchmark; never written anywhere). */
export function randomSecrets(): Record<string, string> {
  const random = () => randomBytes(24).toString('base64');
  return Object.fromEntries(
    SECRET_NAMES.map((name) => [name, name === 'APP_KEYS' ? `${random()},${random()}` : random()]),
  );
}
