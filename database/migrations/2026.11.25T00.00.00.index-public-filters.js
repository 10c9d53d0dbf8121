'use strict';

/**
 * Indexes on the columns that the public API filters and sorts on (README, "Filters"). Strapi
 * itself indexes only ids, document ids and the join tables' keys.
 *
 * Strapi runs this file once, before it syncs the tables with the schemas: on an existing database
 * it adds the indexes; on a new one the tables do not exist yet, so src/bootstrap/indexes.ts calls
 * `up` again after the sync. `IF NOT EXISTS` makes both idempotent; the schema sync leaves indexes
 * it did not create alone.
 */
const INDEXES = {
  projects: [['locale', 'published_at'], ['slug'], ['kind'], ['founded_year'], ['updated_at'], ['title']],
  services: [['locale', 'published_at'], ['slug'], ['theme'], ['founded_year'], ['updated_at']],
  sites: [['locale', 'published_at'], ['slug'], ['commune'], ['name']],
  funders: [['locale', 'published_at'], ['slug'], ['kind'], ['name']],
  enterprises: [['locale', 'published_at'], ['slug']],
  terms: [['locale', 'published_at'], ['group'], ['group', 'key']],
};

const indexName = (table, columns) => `ia_${table}_${columns.join('_')}_idx`;

async function up(knex) {
  for (const [table, indexes] of Object.entries(INDEXES)) {
    if (!(await knex.schema.hasTable(table))) continue;
    for (const columns of indexes) {
      const list = columns.map(() => '??').join(', ');
      await knex.raw(`CREATE INDEX IF NOT EXISTS ?? ON ?? (${list})`, [
        indexName(table, columns),
        table,
        ...columns,
      ]);
    }
  }
}

module.exports = { up, INDEXES, indexName };
