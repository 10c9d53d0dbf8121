import fs from 'node:fs';
import { dropDatabasesWithPrefix } from './database';
import { read } from './pg-overlap';

export default async function globalTeardown(): Promise<void> {
  const prefix = process.env.TEST_RUN_PREFIX;
  if (prefix) await dropDatabasesWithPrefix(prefix);

  // pg's "client.query() when the client is already executing a query": ours fails the run.
  const report = process.env.PG_OVERLAP_REPORT;
  if (!report) return;
  const { ours, others } = read(report);
  if (others > 0)
    process.stderr.write(
      `\npg: ${others} queries sent to a busy client from Strapi's code or the tests' (not this app's)\n`,
    );
  if (ours.length === 0) fs.rmSync(report, { force: true });
  else {
    const places = [...new Set(ours.map((overlap) => overlap.at))];
    throw new Error(
      `pg: ${ours.length} queries sent to a client already executing one, from this app's code ` +
        `(tests/support/pg-overlap.js; every stack in ${report}); run them one after the other:\n${places.join('\n')}`,
    );
  }
}
