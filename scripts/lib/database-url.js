// The PostgreSQL connection URL from the same variables as config/database.ts.
'use strict';
const path = require('node:path');

function loadEnv() {
  // Like Strapi, read .env without overriding what the environment already sets.
  require('dotenv').config({ path: path.resolve(__dirname, '..', '..', '.env'), quiet: true });
}

function postgresUrl(env = process.env) {
  if ((env.DATABASE_CLIENT || 'sqlite') !== 'postgres') {
    throw new Error('Backups are for PostgreSQL: set DATABASE_CLIENT=postgres and its connection variables');
  }
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const url = new URL('postgres://localhost');
  url.hostname = env.DATABASE_HOST || '127.0.0.1';
  url.port = env.DATABASE_PORT || '5432';
  url.username = env.DATABASE_USERNAME || 'postgres';
  url.password = env.DATABASE_PASSWORD || '';
  url.pathname = `/${env.DATABASE_NAME || 'strapi'}`;
  if (env.DATABASE_SSL === 'true') url.searchParams.set('sslmode', 'require');
  return url.toString();
}

module.exports = { loadEnv, postgresUrl };
