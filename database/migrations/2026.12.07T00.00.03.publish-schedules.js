'use strict';

/**
 * Scheduled publishing (src/schedules, issue 25 section 3): « Publier » or « Retirer » of a
 * document in one locale (or `*`, every locale) at a time. A pg-boss job runs each one; this table
 * is what staff see and what makes a run happen once (the job locks the `pending` row with
 * `FOR UPDATE SKIP LOCKED` and publishes in that transaction, then marks it `done`: a second job, a
 * second instance or a retry finds nothing to do).
 *
 * Strapi runs this file once, before its schema sync; src/schedules/index.ts calls `up` again at
 * bootstrap. `IF NOT EXISTS` makes both idempotent, and Strapi's schema sync leaves tables it did
 * not create alone. PostgreSQL in production and tests; SQLite in development (no runs there:
 * pg-boss needs PostgreSQL).
 */
async function up(knex) {
  const client = knex.client.config.client;
  const sqlite = client === 'sqlite' || client === 'sqlite3' || client === 'better-sqlite3';
  const time = sqlite ? 'text' : 'timestamptz';
  await knex.raw(`CREATE TABLE IF NOT EXISTS publish_schedules (
    id ${sqlite ? 'integer PRIMARY KEY AUTOINCREMENT' : 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY'},
    uid text NOT NULL,
    document_id text NOT NULL,
    locale text NOT NULL,
    action text NOT NULL,
    run_at ${time} NOT NULL,
    status text NOT NULL,
    created_by integer NOT NULL,
    created_at ${time} NOT NULL,
    done_at ${time},
    outcome text
  )`);
  await knex.raw(
    'CREATE INDEX IF NOT EXISTS publish_schedules_status_idx ON publish_schedules (status, run_at)',
  );
  await knex.raw(
    'CREATE INDEX IF NOT EXISTS publish_schedules_document_idx ON publish_schedules (uid, document_id)',
  );
}

module.exports = { up };
