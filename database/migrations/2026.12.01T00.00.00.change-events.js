'use strict';

/**
 * The change feed's tables (src/changes, GET /api/changes):
 * - change_events: one row per change to published content, its id assigned in commit order;
 * - change_events_pruned: one row, the highest id pruned (older cursors answer 410).
 *
 * Strapi runs this file once, before its schema sync; src/changes/index.ts calls `up` again at
 * bootstrap. `IF NOT EXISTS` makes both idempotent, and Strapi's schema sync leaves tables it did
 * not create alone. PostgreSQL in production and tests; SQLite in development.
 */
async function up(knex) {
  const client = knex.client.config.client;
  const sqlite = client === 'sqlite' || client === 'sqlite3' || client === 'better-sqlite3';
  if (sqlite) {
    await knex.raw(`CREATE TABLE IF NOT EXISTS change_events (
      id integer PRIMARY KEY AUTOINCREMENT,
      type text NOT NULL,
      document_id text NOT NULL,
      locale text NOT NULL,
      action text NOT NULL,
      at text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )`);
    await knex.raw(`CREATE TABLE IF NOT EXISTS change_events_pruned (
      id integer PRIMARY KEY CHECK (id = 1),
      through_id integer NOT NULL
    )`);
  } else {
    await knex.raw(`CREATE TABLE IF NOT EXISTS change_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      type text NOT NULL,
      document_id text NOT NULL,
      locale text NOT NULL,
      action text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`);
    await knex.raw(`CREATE TABLE IF NOT EXISTS change_events_pruned (
      id integer PRIMARY KEY CHECK (id = 1),
      through_id bigint NOT NULL
    )`);
  }
  await knex.raw('CREATE INDEX IF NOT EXISTS change_events_at_idx ON change_events (at)');
  await knex.raw('CREATE INDEX IF NOT EXISTS change_events_type_id_idx ON change_events (type, id)');
}

module.exports = { up };
