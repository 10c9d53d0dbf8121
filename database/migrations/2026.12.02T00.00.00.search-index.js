'use strict';

/**
 * The search index (src/search, GET /api/search): one row per published entry and locale of the
 * five searchable types, rewritten by the write path in the write's own transaction.
 *
 * On PostgreSQL it also needs the extensions `unaccent` (accent folding) and `pg_trgm` (typo
 * tolerance), and four text search configurations that fold accents before stemming: ia_fr,
 * ia_de, ia_en (the French, German and English Snowball stemmers) and ia_lb (Luxembourgish has
 * no stemmer in PostgreSQL: `simple`, accents folded). Both extensions are "trusted" since
 * PostgreSQL 13: a user with the CREATE privilege on the database may create them; otherwise the
 * boot stops with the error below, naming the statements a superuser has to run.
 *
 * Strapi runs this file once, before its schema sync; src/search/index.ts calls `up` again at
 * bootstrap. Every statement is idempotent.
 */
const CONFIGS = { ia_fr: 'french_stem', ia_de: 'german_stem', ia_en: 'english_stem', ia_lb: 'simple' };

async function createExtensions(knex) {
  for (const name of ['unaccent', 'pg_trgm']) {
    try {
      await knex.raw(`CREATE EXTENSION IF NOT EXISTS ${name}`);
    } catch (error) {
      const database = knex.client.config.connection?.database ?? 'the database';
      throw new Error(
        `Search needs the PostgreSQL extension "${name}" and this database user may not create it ` +
          `(${error.message}). As a superuser, run in ${database}: ` +
          'CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm;',
      );
    }
  }
}

async function createConfigurations(knex) {
  for (const [name, dictionary] of Object.entries(CONFIGS)) {
    const exists = await knex.raw('SELECT 1 FROM pg_ts_config WHERE cfgname = ?', [name]);
    if (exists.rows.length > 0) continue;
    await knex.raw(`CREATE TEXT SEARCH CONFIGURATION ${name} (COPY = simple)`);
    await knex.raw(
      `ALTER TEXT SEARCH CONFIGURATION ${name} ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, ${dictionary}`,
    );
  }
}

async function up(knex) {
  const client = knex.client.config.client;
  const sqlite = client === 'sqlite' || client === 'sqlite3' || client === 'better-sqlite3';
  if (sqlite) {
    // Matching on SQLite is LIKE over `folded` (src/search/sqlite.ts): no vector, no extension.
    await knex.raw(`CREATE TABLE IF NOT EXISTS search_index (
      type text NOT NULL,
      document_id text NOT NULL,
      locale text NOT NULL,
      slug text,
      title text NOT NULL,
      site_slug text,
      site_name text,
      body text NOT NULL DEFAULT '',
      names text NOT NULL DEFAULT '',
      folded text NOT NULL DEFAULT '',
      PRIMARY KEY (type, document_id, locale)
    )`);
    return;
  }
  await createExtensions(knex);
  await createConfigurations(knex);
  await knex.raw(`CREATE TABLE IF NOT EXISTS search_index (
    type text NOT NULL,
    document_id text NOT NULL,
    locale text NOT NULL,
    config regconfig NOT NULL,
    slug text,
    title text NOT NULL,
    site_slug text,
    site_name text,
    body text NOT NULL DEFAULT '',
    names text NOT NULL DEFAULT '',
    vector tsvector NOT NULL,
    PRIMARY KEY (type, document_id, locale)
  )`);
  await knex.raw('CREATE INDEX IF NOT EXISTS search_index_vector_idx ON search_index USING gin (vector)');
  await knex.raw(
    'CREATE INDEX IF NOT EXISTS search_index_names_trgm_idx ON search_index USING gin (names gin_trgm_ops)',
  );
}

module.exports = { up };
