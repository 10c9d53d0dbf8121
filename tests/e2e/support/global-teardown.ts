import { dropDatabasesWithPrefix } from '../../support/database';

export default async function globalTeardown(): Promise<void> {
  await globalThis.e2eServer?.stop();
  const prefix = process.env.TEST_RUN_PREFIX;
  if (prefix) await dropDatabasesWithPrefix(prefix);
}
