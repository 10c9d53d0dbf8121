import path from 'path';
import type { Core } from '@strapi/strapi';

interface UrlParts {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
}

/** The parts of a postgres:// URL that it sets (undefined for those it leaves out), or undefined. */
function parseDatabaseUrl(text: string): UrlParts | undefined {
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined; // pg reports a malformed URL itself
  }
  const part = (value: string) => (value ? decodeURIComponent(value) : undefined);
  return {
    host: part(url.hostname.replace(/^\[|\]$/g, '')),
    port: url.port ? Number(url.port) : undefined,
    database: part(url.pathname.replace(/^\//, '')),
    user: part(url.username),
    password: part(url.password),
  };
}

// PostgreSQL is the production database and the one every test runs on. SQLite is the embedded
// default so that `npm install && npm run develop` works on a machine with nothing installed.
export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const client = env.oneOf('DATABASE_CLIENT', ['postgres', 'sqlite'], 'sqlite');

  if (client === 'postgres') {
    const ssl = env.bool('DATABASE_SSL', false);
    // DATABASE_URL wins over the separate variables (pg reads it first); its parts are spelled out
    // as well, so that what Strapi shows (the start-up banner's database name) is what is used.
    const url = parseDatabaseUrl(env('DATABASE_URL', ''));
    return {
      connection: {
        client: 'postgres',
        connection: {
          connectionString: env('DATABASE_URL'),
          host: url?.host ?? env('DATABASE_HOST', '127.0.0.1'),
          port: url?.port ?? env.int('DATABASE_PORT', 5432),
          database: url?.database ?? env('DATABASE_NAME', 'strapi'),
          user: url?.user ?? env('DATABASE_USERNAME', 'postgres'),
          password: url?.password ?? env('DATABASE_PASSWORD', ''),
          ssl: ssl ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) } : false,
          schema: env('DATABASE_SCHEMA', 'public'),
          // No statement may hold a connection for long: a costly query is cancelled by PostgreSQL
          // (the request answers 503) instead of keeping the pool from everyone else.
          statement_timeout: env.int('DATABASE_STATEMENT_TIMEOUT', 15000),
        },
        pool: {
          min: env.int('DATABASE_POOL_MIN', 0),
          max: env.int('DATABASE_POOL_MAX', 10),
        },
        // Short, so that requests fail fast (503) while the database is unreachable, not hang.
        acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 5000),
      },
    };
  }

  // `DATABASE_FILENAME=` (empty) in .env must not override the default: env() returns '' then.
  // Paths are relative to the project root (this file runs from dist/config/).
  const filename = env('DATABASE_FILENAME', '') || '.tmp/data.db';
  return {
    connection: {
      client: 'sqlite',
      connection: { filename: path.resolve(__dirname, '..', '..', filename) },
      useNullAsDefault: true,
    },
  };
};
