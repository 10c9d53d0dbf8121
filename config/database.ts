import path from 'path';
import type { Core } from '@strapi/strapi';

// PostgreSQL is the production database and the one every test runs on. SQLite is the embedded
// default so that `npm install && npm run develop` works on a machine with nothing installed.
export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const client = env.oneOf('DATABASE_CLIENT', ['postgres', 'sqlite'], 'sqlite');

  if (client === 'postgres') {
    const ssl = env.bool('DATABASE_SSL', false);
    return {
      connection: {
        client: 'postgres',
        connection: {
          connectionString: env('DATABASE_URL'),
          host: env('DATABASE_HOST', '127.0.0.1'),
          port: env.int('DATABASE_PORT', 5432),
          database: env('DATABASE_NAME', 'strapi'),
          user: env('DATABASE_USERNAME', 'postgres'),
          password: env('DATABASE_PASSWORD', ''),
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
