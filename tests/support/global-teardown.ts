import { dropDatabasesWithPrefix } from './database';

export default async function globalTeardown(): Promise<void> {
  const prefix = process.env.TEST_RUN_PREFIX;
  if (prefix) await dropDatabasesWithPrefix(prefix);
}
