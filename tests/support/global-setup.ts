/**
 * Once per `jest` run: checks that PostgreSQL answers, compiles the app to dist/ when it is out of
 * date, and builds a seeded template database that every test file copies (tests/support/strapi.ts).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { randomSecrets } from '../../src/utils/secrets';
import { createDatabase, databaseUrl, newRunPrefix, serverUrl, withAdminClient } from './database';

const appDir = path.resolve(__dirname, '..', '..');

export default async function globalSetup(): Promise<void> {
  try {
    await withAdminClient((client) => client.query('SELECT 1'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `\nPostgreSQL is not reachable at TEST_DATABASE_URL=${serverUrl()} (${reason}); start it or set TEST_DATABASE_URL.\n`,
    );
    process.exit(1);
  }

  const prefix = newRunPrefix();
  const template = `${prefix}_seed`;
  // Visible to every test file (jest copies process.env after global setup) and to teardown.
  // Secrets for the test run only: random, never written anywhere.
  Object.assign(process.env, randomSecrets(), {
    TEST_RUN_PREFIX: prefix,
    TEST_TEMPLATE_DATABASE: template,
    // Queries sent to a busy pg client from our code, recorded by every worker and the seed.
    PG_OVERLAP_REPORT: path.join(os.tmpdir(), `${prefix}-pg-overlap.jsonl`),
    DATABASE_CLIENT: 'postgres',
    STRAPI_TELEMETRY_DISABLED: 'true',
    SEED_ON_BOOT: 'false',
    // The generated crawls send eight requests at once from one address (loopback): the bulkhead's
    // production settings would shed them. tests/bulkhead.test.ts and the cluster test run it with
    // its own settings.
    BULKHEAD_POOL_SHARE: '1',
    BULKHEAD_PER_CLIENT: '64',
  });

  const started = Date.now();
  await createDatabase(template);
  // Compiles dist/ when a source is newer (scripts/lib/compiled-dist.js) and imports the seed into
  // the template, as `npm run seed` does.
  const output = execFileSync(
    process.execPath,
    ['-r', path.join(__dirname, 'pg-overlap-preload.js'), path.join(appDir, 'scripts', 'seed.js')],
    {
      cwd: appDir,
      env: { ...process.env, DATABASE_URL: databaseUrl(template), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    },
  );
  const compiled = output.includes('Compiling') ? 'compiled dist/ and ' : '';
  process.stderr.write(
    `\nglobal setup: ${compiled}seeded the template database in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
