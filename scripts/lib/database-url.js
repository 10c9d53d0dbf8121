// The database of the command-line scripts, from the same variables as config/database.ts: the line
// each script prints to name it (never its password), the refusal of a production run without
// PostgreSQL, and the PostgreSQL URL for pg_dump and pg_restore.
'use strict';
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const LOAD_ENV_FILE = 'set -a; . /etc/inter-actions-cms.env; set +a';

function loadEnv() {
  // Like Strapi, read .env without overriding what the environment already sets.
  require('dotenv').config({ path: path.join(ROOT, '.env'), quiet: true });
}

/** What config/database.ts connects to: PostgreSQL's host, port, name and user, or SQLite's file. */
function databaseOf(env = process.env) {
  // config/database.ts takes any other value of DATABASE_CLIENT for its default, SQLite.
  if (env.DATABASE_CLIENT !== 'postgres') {
    return { client: 'sqlite', filename: path.resolve(ROOT, env.DATABASE_FILENAME || '.tmp/data.db') };
  }
  let url;
  try {
    url = env.DATABASE_URL ? new URL(env.DATABASE_URL) : undefined;
  } catch {
    url = undefined; // pg reports a malformed URL itself
  }
  const part = (value) => (value ? decodeURIComponent(value) : undefined);
  return {
    client: 'postgres',
    host: part(url?.hostname.replace(/^\[|\]$/g, '')) ?? env.DATABASE_HOST ?? '127.0.0.1',
    port: (url?.port || undefined) ?? env.DATABASE_PORT ?? '5432',
    database: part(url?.pathname.replace(/^\//, '')) ?? env.DATABASE_NAME ?? 'strapi',
    user: part(url?.username) ?? env.DATABASE_USERNAME ?? 'postgres',
  };
}

/** One line naming the database (no password), as the scripts print it before any work. */
function describeDatabase(env = process.env) {
  const database = databaseOf(env);
  if (database.client === 'sqlite') {
    const why = env.DATABASE_CLIENT ? `DATABASE_CLIENT=${env.DATABASE_CLIENT}` : 'DATABASE_CLIENT is not set';
    return `Database: SQLite, file ${database.filename} (${why})`;
  }
  return `Database: PostgreSQL, database ${database.database} on ${database.host}:${database.port} as ${database.user}`;
}

/** Why a production run must not use this database (SQLite, or PostgreSQL named nowhere), if so. */
function productionProblem(env = process.env) {
  if (env.NODE_ENV !== 'production') return undefined;
  if (env.DATABASE_CLIENT !== 'postgres') {
    const set = env.DATABASE_CLIENT ? `is "${env.DATABASE_CLIENT}"` : 'is not set';
    return `Refusing to run in production on SQLite: DATABASE_CLIENT ${set}. Set DATABASE_CLIENT=postgres and DATABASE_URL, e.g. from the instance's environment file: ${LOAD_ENV_FILE}`;
  }
  if (!env.DATABASE_URL && !env.DATABASE_NAME) {
    return `Refusing to run in production without a database: neither DATABASE_URL nor DATABASE_NAME is set, e.g. from the instance's environment file: ${LOAD_ENV_FILE}`;
  }
  return undefined;
}

/**
 * Reads .env, stops a production run without PostgreSQL (one line, exit code 1), and prints which
 * database the script works on: every script calls it before anything else.
 */
function announceDatabase(env = process.env) {
  loadEnv();
  const problem = productionProblem(env);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  console.log(describeDatabase(env));
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

/**
 * pg_dump's and pg_restore's `--dbname` and environment: the URL without its password, which goes
 * in PGPASSWORD (a command line is visible to every user of the machine, and is quoted whole in
 * the error of a command that failed).
 */
function postgresCommand(env = process.env) {
  const url = new URL(postgresUrl(env));
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { dbname: url.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

module.exports = {
  loadEnv,
  databaseOf,
  describeDatabase,
  productionProblem,
  announceDatabase,
  postgresUrl,
  postgresCommand,
};
