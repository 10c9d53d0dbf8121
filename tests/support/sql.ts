/** The SQL statements a Strapi booted for a test sends to its database. */
import type { TestApp } from './strapi';

/** The SQL statements the app runs while `work` runs. */
export async function statementsDuring(app: TestApp, work: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const listener = (query: { sql: string }) => statements.push(query.sql);
  app.strapi.db.connection.client.on('query', listener);
  try {
    await work();
  } finally {
    app.strapi.db.connection.client.removeListener('query', listener);
  }
  return statements;
}
