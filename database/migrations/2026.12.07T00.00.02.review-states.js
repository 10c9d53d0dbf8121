'use strict';

/**
 * The review stage of each document and locale (src/review, issue 25 section 2): « En cours »
 * (`draft`, also when there is no row), « À relire » (`review`) or « Approuvé » (`approved`).
 *
 * Strapi runs this file once, before its schema sync; src/review/index.ts calls `up` again at
 * bootstrap. `IF NOT EXISTS` makes both idempotent, and Strapi's schema sync leaves tables it did
 * not create alone. PostgreSQL in production and tests; SQLite in development.
 */
async function up(knex) {
  const client = knex.client.config.client;
  const sqlite = client === 'sqlite' || client === 'sqlite3' || client === 'better-sqlite3';
  await knex.raw(`CREATE TABLE IF NOT EXISTS review_states (
    uid text NOT NULL,
    document_id text NOT NULL,
    locale text NOT NULL,
    stage text NOT NULL,
    comment text,
    submitted_by integer,
    updated_by integer,
    updated_at ${sqlite ? 'text' : 'timestamptz'} NOT NULL,
    PRIMARY KEY (uid, document_id, locale)
  )`);
  await knex.raw('CREATE INDEX IF NOT EXISTS review_states_stage_idx ON review_states (stage, updated_at)');
  // The mails of the moves (src/review/mail.ts): what waits to be sent, and when each recipient
  // last got one (at most one every 10 minutes).
  await knex.raw(`CREATE TABLE IF NOT EXISTS review_mail_outbox (
    id ${sqlite ? 'integer PRIMARY KEY AUTOINCREMENT' : 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY'},
    recipient_id integer NOT NULL,
    kind text NOT NULL,
    uid text NOT NULL,
    document_id text NOT NULL,
    locale text NOT NULL,
    title text,
    comment text,
    created_at ${sqlite ? 'text' : 'timestamptz'} NOT NULL,
    sent_at ${sqlite ? 'text' : 'timestamptz'}
  )`);
  await knex.raw(
    'CREATE INDEX IF NOT EXISTS review_mail_outbox_waiting_idx ON review_mail_outbox (sent_at, id)',
  );
  await knex.raw(`CREATE TABLE IF NOT EXISTS review_mail_log (
    recipient_id integer PRIMARY KEY,
    last_sent_at ${sqlite ? 'text' : 'timestamptz'} NOT NULL
  )`);
}

module.exports = { up };
