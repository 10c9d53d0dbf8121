import path from 'node:path';
import type { Core } from '@strapi/strapi';

const MIGRATION = '2026.11.25T00.00.00.index-public-filters.js';

/** The indexes of the public filters, on a database whose tables the schema sync has just made. */
export async function ensureIndexes(strapi: Core.Strapi): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const migration = require(path.join(strapi.dirs.app.root, 'database', 'migrations', MIGRATION)) as {
    up: (knex: Core.Strapi['db']['connection']) => Promise<void>;
  };
  await migration.up(strapi.db.connection);
}
