/**
 * The watch of tests/support/pg-overlap.js, which fails `npm test` when this app's code sends a
 * query to a pg client already executing one (pg's deprecation warning, an error in pg 9): it
 * sees a real overlap, and blames the code that made the queries run at once, not every code on
 * the stack.
 */
import path from 'node:path';
import { responsibleFrame } from './support/pg-overlap';
import { APP_DIR } from './support/server-process';
import { appModule, startStrapi, type TestApp } from './support/strapi';

type Counts = { ours: number; others: number; written: number };
let app: TestApp;

beforeAll(async () => {
  app = await startStrapi();
});

afterAll(async () => {
  await app?.stop();
});

const watch = () =>
  appModule<{ Client: { prototype: { query: Record<symbol, Counts | undefined> } } }>('../node_modules/pg')
    .Client.prototype.query[Symbol.for('inter-actions.pg-overlap')];

it('is installed in the worker, on the pg the app uses', () => {
  expect(watch()).toEqual({
    ours: expect.any(Number),
    others: expect.any(Number),
    written: expect.any(Number),
  });
});

it('sees two queries at once on a transaction’s client, and blames their Promise.all (here, a test’s)', async () => {
  const before = { ...watch()! };
  const knex = app.strapi.db.connection;
  await app.strapi.db.transaction(async ({ trx }) =>
    Promise.all([knex.raw('SELECT pg_sleep(0.05)').transacting(trx), knex.raw('SELECT 1').transacting(trx)]),
  );
  expect(watch()!.others).toBeGreaterThan(before.others);
  expect(watch()!.ours).toBe(before.ours);
});

describe('the frame blamed', () => {
  const ours = path.join(APP_DIR, 'dist', 'src', 'search', 'index.js');
  const strapi = path.join(
    APP_DIR,
    'node_modules',
    '@strapi',
    'database',
    'dist',
    'query',
    'helpers',
    'populate',
    'apply.js',
  );
  const knex = path.join(APP_DIR, 'node_modules', 'knex', 'lib', 'client.js');

  it('is the caller of the innermost Promise.all, though a middleware of ours awaits further out', () => {
    const stack = [
      'Error: a query sent to a busy pg client',
      `    at Client_PG.query (${knex}:154:12)`,
      '    at async Promise.all (index 1)',
      `    at async applyPopulate (${strapi}:645:5)`,
      `    at async ${ours}:362:28`,
    ].join('\n');
    expect(responsibleFrame(stack)).toBe(`at async applyPopulate (${strapi}:645:5)`);
  });

  it('is ours when our code makes the Promise.all', () => {
    const stack = [
      'Error: a query sent to a busy pg client',
      `    at Client_PG.query (${knex}:154:12)`,
      '    at async Promise.all (index 0)',
      `    at async labels (${ours}:143:23)`,
    ].join('\n');
    expect(responsibleFrame(stack)).toBe(`at async labels (${ours}:143:23)`);
  });

  it('without a Promise.all, is the innermost frame outside knex, pg and Strapi’s database layer', () => {
    const stack = [
      'Error: a query sent to a busy pg client',
      `    at Client_PG.query (${knex}:154:12)`,
      `    at Object.execute (${strapi}:543:30)`,
      `    at fireAndForget (${ours}:10:3)`,
    ].join('\n');
    expect(responsibleFrame(stack)).toBe(`at fireAndForget (${ours}:10:3)`);
  });
});
