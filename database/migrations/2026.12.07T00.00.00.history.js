'use strict';

/**
 * The history of documents (src/history, issue 25 section 1): one row per saved version of a
 * document in a locale, its values as JSON, who saved it and how.
 *
 * Strapi runs this file once, before its schema sync; src/history/index.ts calls `up` again at
 * bootstrap. `IF NOT EXISTS` makes both idempotent, and Strapi's schema sync leaves tables it did
 * not create alone. PostgreSQL in production and tests; SQLite in development.
 */
async function up(knex) {
  const client = knex.client.config.client;
  const sqlite = client === 'sqlite' || client === 'sqlite3' || client === 'better-sqlite3';
  const id = sqlite ? 'integer PRIMARY KEY AUTOINCREMENT' : 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY';
  const json = sqlite ? 'text' : 'jsonb';
  const now = sqlite
    ? "text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
    : 'timestamptz NOT NULL DEFAULT now()';
  await knex.raw(`CREATE TABLE IF NOT EXISTS history_versions (
    id ${id},
    uid text NOT NULL,
    document_id text NOT NULL,
    locale text NOT NULL,
    status text NOT NULL,
    action text NOT NULL,
    source text NOT NULL,
    author ${json},
    changed_fields ${json} NOT NULL,
    data ${json} NOT NULL,
    labels ${json} NOT NULL,
    created_at ${now}
  )`);
  await knex.raw(
    'CREATE INDEX IF NOT EXISTS history_versions_document_idx ON history_versions (uid, document_id, locale, id)',
  );
  await knex.raw('CREATE INDEX IF NOT EXISTS history_versions_created_idx ON history_versions (created_at)');
}

module.exports = { up };
