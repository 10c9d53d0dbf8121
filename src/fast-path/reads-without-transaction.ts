/**
 * Reads of the Document Service without a transaction of their own.
 *
 * Strapi wraps every Document Service call in `strapi.db.transaction`, reads included, which costs
 * a BEGIN and a COMMIT around each list and each count (4 of the 11 statements of a REST list).
 * Under PostgreSQL's default isolation (READ COMMITTED) every statement takes its own snapshot,
 * inside a transaction or not, so a read-only transaction adds round trips and consistency
 * nothing. This middleware marks read actions; `strapi.db.transaction` then runs their callback
 * directly, unless a transaction is already open (a read made inside a write keeps that write's
 * transaction and sees its uncommitted rows).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core, Modules } from '@strapi/strapi';
import { expectFunction, firstReason, type FastPathPatch } from './patch';

const READS = new Set(['findMany', 'findFirst', 'findOne', 'count']);
const reading = new AsyncLocalStorage<boolean>();

type Transaction = Core.Strapi['db']['transaction'];

export function readsWithoutTransaction(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  const db = strapi.db;
  const transaction: Transaction = db.transaction.bind(db);
  const direct = {
    trx: undefined,
    commit: async () => {},
    rollback: async () => {},
    onCommit: (callback: () => void) => callback(),
    onRollback: () => {},
  };
  db.transaction = ((callback?: (params: typeof direct) => unknown) => {
    if (callback && reading.getStore() === true && !db.inTransaction())
      return Promise.resolve(callback(direct));
    return transaction(callback as never);
  }) as Transaction;

  return (context, next) => reading.run(READS.has(context.action), next);
}

export const patch: FastPathPatch = {
  name: 'reads-without-transaction',
  check: (strapi) =>
    firstReason(
      expectFunction('strapi.db.transaction', strapi.db?.transaction, 1),
      expectFunction('strapi.db.inTransaction', strapi.db?.inTransaction),
      expectFunction('strapi.documents.use', strapi.documents?.use, 1),
    ),
  // A Document Service middleware, registered after the rules' (src/index.ts registers the fast
  // path last), so that it wraps only the call that reaches the database.
  apply: (strapi) => strapi.documents.use(readsWithoutTransaction(strapi)),
};
