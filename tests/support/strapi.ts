/**
 * Boots one Strapi per test file, in-process, on its own copy of the seeded template database
 * (or on an empty database), and gives supertest an HTTP handle on it.
 */
import path from 'node:path';
import { createStrapi, type Core } from '@strapi/strapi';
import supertest from 'supertest';
import { settle } from '../../src/utils/settle';
import { createDatabase, databaseUrl } from './database';

const appDir = path.resolve(__dirname, '..', '..');
const distDir = path.join(appDir, 'dist');
let databases = 0;

export interface TestApp {
  strapi: Core.Strapi;
  http: () => supertest.Agent;
  databaseName: string;
  stop: () => Promise<void>;
}

export interface StartOptions {
  /** `seeded` (default) copies the template with the seed content; `empty` starts from nothing. */
  database?: 'seeded' | 'empty';
  /** Boot on this existing database of the run instead (e.g. one a test restored a backup into). */
  databaseName?: string;
  /** Extra environment for this boot (restored on stop). */
  env?: Record<string, string>;
}

export async function startStrapi(options: StartOptions = {}): Promise<TestApp> {
  const prefix = process.env.TEST_RUN_PREFIX;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!prefix || !template) throw new Error('tests/support/global-setup.ts did not run');

  databases += 1;
  const databaseName =
    options.databaseName ??
    `${prefix}_${process.pid}_${path.basename(expect.getState().testPath ?? 'x', '.test.ts').replace(/\W/g, '_')}_${databases}`;
  if (!options.databaseName)
    await createDatabase(databaseName, options.database === 'empty' ? undefined : template);

  const previous = { ...process.env };
  Object.assign(process.env, { DATABASE_URL: databaseUrl(databaseName), LOG_LEVEL: 'warn' }, options.env);

  const strapi = await createStrapi({ appDir, distDir }).load();
  strapi.server.mount();

  return {
    strapi,
    databaseName,
    http: () => supertest.agent(strapi.server.httpServer),
    stop: async () => {
      await settle(strapi);
      await strapi.destroy();
      process.env = previous;
    },
  };
}
