'use strict';

/**
 * The audit log (src/audit, issue 25 section 4):
 * - audit_log: one row per security-relevant action, append-only, each row's hash chained to the
 *   previous row's;
 * - audit_log_anchor: one row, the last pruned entry (its id and hash, and their HMAC under the
 *   log's key), from which the chain of what is left is verified.
 *
 * Strapi runs this file once, before its schema sync; src/audit/index.ts calls `up` again at
 * bootstrap. `IF NOT EXISTS` makes both idempotent, and Strapi's schema sync leaves tables it did
 * not create alone. PostgreSQL in production and tests; SQLite in development.
 */
async function up(knex) {
  const client = knex.client.config.client;
  const sqlite = client === 'sqlite' || client === 'sqlite3' || client === 'better-sqlite3';
  const id = sqlite ? 'integer PRIMARY KEY AUTOINCREMENT' : 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY';
  const json = sqlite ? 'text' : 'jsonb';
  const time = sqlite ? 'text' : 'timestamptz';
  await knex.raw(`CREATE TABLE IF NOT EXISTS audit_log (
    id ${id},
    at ${time} NOT NULL,
    action text NOT NULL,
    actor ${json},
    ip text,
    object ${json},
    summary text,
    prev_hash text NOT NULL,
    hash text NOT NULL
  )`);
  await knex.raw('CREATE INDEX IF NOT EXISTS audit_log_at_idx ON audit_log (at)');
  await knex.raw('CREATE INDEX IF NOT EXISTS audit_log_action_idx ON audit_log (action, id)');
  await knex.raw(`CREATE TABLE IF NOT EXISTS audit_log_anchor (
    id integer PRIMARY KEY CHECK (id = 1),
    through_id ${sqlite ? 'integer' : 'bigint'} NOT NULL,
    hash text NOT NULL,
    mac text NOT NULL
  )`);
}

module.exports = { up };
