/**
 * Once per `npm run test:e2e`: a fresh PostgreSQL database and the built app started on it with
 * `strapi start` in production mode (the admin panel as staff get it), seeded at boot. The tests
 * read its address from E2E_BASE_URL; global-teardown.ts stops it and drops the database.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createDatabase,
  databaseUrl,
  newRunPrefix,
  serverUrl,
  withAdminClient,
} from '../../support/database';
import { randomSecrets } from '../../../src/utils/secrets';
import { APP_DIR, spawnStrapi, waitForHealth, type ServerProcess } from '../../support/server-process';
import { smtpEnv, startMailbox, type Mailbox } from '../../support/smtp';

declare global {
  var e2eServer: ServerProcess | undefined;
  var e2eMailbox: Mailbox | undefined;
}

export default async function globalSetup(): Promise<void> {
  try {
    await withAdminClient((client) => client.query('SELECT 1'));
  } catch (error) {
    process.stderr.write(`\nPostgreSQL is not reachable at ${serverUrl()}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  if (!existsSync(path.join(APP_DIR, 'dist', 'build', 'index.html'))) {
    process.stderr.write('\nThe admin panel is not built: run `npm run build` (npm run test:e2e does).\n');
    process.exit(1);
  }

  const prefix = newRunPrefix();
  const database = `${prefix}_e2e`;
  await createDatabase(database);
  process.env.TEST_RUN_PREFIX = prefix;

  // A real SMTP server; each message it receives is kept as a JSON file in E2E_MAIL_DIR, where the
  // tests (another module registry) read what staff would find in their mailbox.
  const mailDir = mkdtempSync(path.join(os.tmpdir(), 'ia-e2e-mail-'));
  let mails = 0;
  globalThis.e2eMailbox = await startMailbox((mail) => {
    mails += 1;
    writeFileSync(path.join(mailDir, `${String(mails).padStart(4, '0')}.json`), JSON.stringify(mail));
  });
  process.env.E2E_MAIL_DIR = mailDir;

  const server = await spawnStrapi({
    env: {
      NODE_ENV: 'production',
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: databaseUrl(database),
      SEED_ON_BOOT: 'true',
      // The browser speaks plain HTTP to 127.0.0.1; in production a TLS proxy sits in front.
      REQUIRE_HTTPS: 'false',
      ...smtpEnv(globalThis.e2eMailbox),
      ...randomSecrets(),
    },
  });
  globalThis.e2eServer = server;
  await waitForHealth(server, 120_000);
  process.env.E2E_BASE_URL = `http://127.0.0.1:${server.port}`;
}
