import { rmSync } from 'node:fs';
import { dropDatabasesWithPrefix } from '../../support/database';

export default async function globalTeardown(): Promise<void> {
  await globalThis.e2eServer?.stop();
  await globalThis.e2eMailbox?.close();
  if (process.env.E2E_MAIL_DIR) rmSync(process.env.E2E_MAIL_DIR, { recursive: true, force: true });
  const prefix = process.env.TEST_RUN_PREFIX;
  if (prefix) await dropDatabasesWithPrefix(prefix);
}
