'use strict';

/**
 * Translation status (src/translations, issue 26 section 1): for each document and locale other
 * than French, the SHA-256 of each localized text field of the French draft when that locale's
 * version was last saved or marked checked (JSON: field -> hex). A French field whose fingerprint
 * differs now is « à mettre à jour » in that locale.
 *
 * Strapi runs this file once, before its schema sync; src/translations/index.ts calls `up` again
 * at bootstrap. `IF NOT EXISTS` makes both idempotent, and Strapi's schema sync leaves tables it did
 * not create alone. PostgreSQL in production and tests; SQLite in development.
 */
async function up(knex) {
  const client = knex.client.config.client;
  const sqlite = client === 'sqlite' || client === 'sqlite3' || client === 'better-sqlite3';
  await knex.raw(`CREATE TABLE IF NOT EXISTS translation_baselines (
    uid text NOT NULL,
    document_id text NOT NULL,
    locale text NOT NULL,
    fingerprints ${sqlite ? 'text' : 'jsonb'} NOT NULL,
    reason text NOT NULL,
    updated_by integer,
    updated_at ${sqlite ? 'text' : 'timestamptz'} NOT NULL,
    PRIMARY KEY (uid, document_id, locale)
  )`);
}

module.exports = { up };
