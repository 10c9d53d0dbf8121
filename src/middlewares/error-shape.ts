/**
 * Errors that would otherwise leave as a 500 or in a shape of their own, mapped to Strapi's error
 * shape `{ data: null, error: { status, name, message, details } }` with the right status:
 * - a value PostgreSQL cannot read as its column's type (`filters[foundedYear][$eq]=abc`): 400;
 * - a malformed JSON body (400) or an oversize one (413), raised by the body parser;
 * - a statement cancelled by PostgreSQL's `statement_timeout` (DATABASE_STATEMENT_TIMEOUT): 503,
 *   through GraphQL too (`cancelledStatementsPlugin` below);
 * - the database unreachable (down, restarting, pool exhausted): 503 at once, so callers retry
 *   instead of waiting; the pool reconnects by itself when the database returns. Strapi's own
 *   authentication swallows database errors into a 401, so while the pool cannot open a
 *   connection, any error answer becomes the 503 it really is.
 * Sits right after `strapi::errors`, which formats what this throws.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

interface MaybeDbError {
  code?: string;
  name?: string;
  message?: string;
  status?: number;
  expose?: boolean;
}

/**
 * A filter that does not fit its column: PostgreSQL's SQLSTATE class 22 (data exception: a value
 * of the wrong type) or 42883 (no such operator for the type: `$contains` on a number or a date),
 * or the "Expected a valid Number, got abc" that @strapi/database's field converters throw first.
 */
const isDataException = (error: MaybeDbError) =>
  (typeof error.code === 'string' && (/^22[0-9A-Z]{3}$/.test(error.code) || error.code === '42883')) ||
  (error.name === 'Error' && /^Expected a valid \w+, got /.test(error.message ?? ''));

/**
 * Filters of the wrong shape, which @strapi/database's where helpers reject with a plain Error while
 * building the query (so only their text identifies them): an operator where none is taken
 * (`filters[slug][$or]=x`), a logical operator that is no list (`filters[$or][$eq]=x`), a
 * condition that is no object (`filters[$or][0]=x`). The fuzz test in tests/hardening.test.ts
 * finds any new one after an upgrade.
 */
const FILTER_SHAPE_ERRORS = [
  /^Undefined (attribute level )?operator /,
  /^Operator \$\w+ must be an array/,
  /^Where must be an array or an object/,
];
const isMisplacedOperator = (error: MaybeDbError) =>
  error.name === 'Error' && FILTER_SHAPE_ERRORS.some((pattern) => pattern.test(error.message ?? ''));

/** PostgreSQL SQLSTATE classes 08 (connection exception) and 57P (shutdown), and socket errors. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
]);
export const isDatabaseUnavailable = (error: MaybeDbError): boolean =>
  (typeof error.code === 'string' && (UNAVAILABLE_CODES.has(error.code) || error.code.startsWith('08'))) ||
  error.name === 'KnexTimeoutError' ||
  /Connection terminated|Timeout acquiring a connection/i.test(error.message ?? '');

/** SQLSTATE 57014: the statement was cancelled (here: it ran longer than statement_timeout). */
export const isCancelled = (error: MaybeDbError) => error.code === '57014';
const CANCELLED = 'The query took too long and was cancelled; narrow it or retry later';

/** GraphQL requests in which a statement was cancelled (Apollo answered them 200 by itself). */
const cancelledInGraphql = new WeakSet<object>();

const originalOf = (error: unknown): MaybeDbError => {
  let current = error as { originalError?: unknown };
  while (current?.originalError) current = current.originalError as { originalError?: unknown };
  return (current ?? {}) as MaybeDbError;
};

/**
 * Apollo answers a resolver's error itself, with HTTP 200 and INTERNAL_SERVER_ERROR: a cancelled
 * statement marks its request, to which the middleware below then gives REST's 503 (config/plugins.ts).
 */
export const cancelledStatementsPlugin: ApolloServerPlugin<BaseContext & { koaContext?: object }> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors: found, contextValue }) {
        const ctx = contextValue.koaContext;
        if (ctx && found.some((error) => isCancelled(originalOf(error)))) cancelledInGraphql.add(ctx);
      },
    };
  },
};

/** A 503 in Strapi's error shape, with Retry-After (also global::data-transfer-guard's answer). */
export function unavailable(
  ctx: { status: number; body: unknown; set(name: string, value: string): void },
  message = 'The database is unavailable; retry in a few seconds',
  retryAfterSeconds = 5,
) {
  ctx.status = 503;
  ctx.set('Retry-After', String(retryAfterSeconds));
  ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message, details: {} } };
}

export async function databaseAnswers(strapi: Core.Strapi): Promise<boolean> {
  try {
    await strapi.db.connection.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

interface PoolEvents {
  on(event: 'createFail' | 'createSuccess', listener: () => void): void;
}

/** Whether the connection pool's last attempt to open a connection failed (tarn's events). */
export function poolHealth(strapi: Core.Strapi): () => boolean {
  let down = false;
  let watching = false;
  return () => {
    if (!watching) {
      const pool = (strapi.db.connection.client as { pool?: PoolEvents }).pool;
      pool?.on('createFail', () => (down = true));
      pool?.on('createSuccess', () => (down = false));
      watching = Boolean(pool);
    }
    return down;
  };
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const databaseDown = poolHealth(strapi);
  return async (ctx, next) => {
    try {
      await next();
      if (cancelledInGraphql.has(ctx)) {
        unavailable(ctx, CANCELLED);
        return;
      }
      // Authentication answers 401 or 403 itself (without throwing) when its queries fail: such an
      // answer is checked against the database before it leaves. A 503 already says "retry" (the
      // bulkhead's and the transfer guard's are immediate: checking the pool would make them wait).
      if (ctx.status === 401 || ctx.status === 403 || (ctx.status >= 500 && ctx.status !== 503)) {
        if (databaseDown() || !(await databaseAnswers(strapi))) unavailable(ctx);
      }
    } catch (caught) {
      const error = caught as MaybeDbError;
      if (isCancelled(error)) {
        unavailable(ctx, CANCELLED);
        return;
      }
      if (isDatabaseUnavailable(error) || databaseDown()) {
        unavailable(ctx);
        return;
      }
      if (isDataException(error)) {
        // PostgreSQL's message quotes the whole statement; its reason is after the last " - ".
        const reason = (error.message ?? '').split(' - ').pop() || 'not of the field’s type';
        throw new errors.ValidationError(`Invalid value or operator in the query: ${reason}`);
      }
      if (isMisplacedOperator(error)) throw new errors.ValidationError(`Invalid filters: ${error.message}`);
      if (error.status === 413) throw new errors.PayloadTooLargeError(error.message);
      // The body parser's errors (malformed JSON...) carry status 400 but not Strapi's shape.
      if (error.status === 400 && !(caught instanceof errors.ApplicationError)) {
        throw new errors.ValidationError(`Invalid request body: ${error.message}`);
      }
      throw caught;
    }
  };
};
