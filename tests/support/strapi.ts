/**
 * Boots one Strapi per test file on its own copy of the seeded template database (or on an empty
 * database), and gives supertest an HTTP handle on it. Strapi runs in the jest worker's own realm
 * (tests/support/native.js, through the environment tests/support/environment.js), so its modules
 * are loaded once per worker.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import supertest from 'supertest';
import { createDatabase, databaseUrl } from './database';

const appDir = path.resolve(__dirname, '..', '..');
const distDir = path.join(appDir, 'dist');
let databases = 0;

interface Native {
  boot(options: {
    appDir: string;
    distDir: string;
    env: Record<string, string>;
  }): Promise<{ strapi: Core.Strapi; stop: () => Promise<void> }>;
  appModule(distDir: string, name: string): unknown;
}

function native(): Native {
  const door = (globalThis as { __appNative?: Native }).__appNative;
  if (!door) throw new Error('tests/support/environment.js is not the test environment (jest.config.js)');
  return door;
}

/**
 * The app's own instance of module `src/<name>` (its compiled copy, as the booted Strapi runs it):
 * for modules that keep state per Strapi instance (caches, patches, listeners). Stateless helpers
 * may be imported from src/ directly.
 */
export function appModule<T>(name: string): T {
  return native().appModule(distDir, name) as T;
}

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

  // The test file's own process.env (a copy) holds what global setup and the file set.
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  Object.assign(env, { DATABASE_URL: databaseUrl(databaseName), LOG_LEVEL: 'warn' }, options.env);
  const { strapi, stop } = await native().boot({ appDir, distDir, env });

  return {
    strapi,
    databaseName,
    http: () => supertest.agent(strapi.server.httpServer),
    stop,
  };
}

/**
 * Makes the app listen on a free loopback port, for clients that need a URL rather than supertest
 * (fetch, a generated client, Strapi's transfer CLI); its origin, `http://127.0.0.1:<port>`.
 */
export async function listen(app: TestApp): Promise<string> {
  const server = app.strapi.server.httpServer;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
