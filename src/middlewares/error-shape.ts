/**
 * Errors that would otherwise leave as a 500 or in a shape of their own, mapped to Strapi's error
 * shape `{ data: null, error: { status, name, message, details } }` with the right status:
 * - a value PostgreSQL cannot read as its column's type (`filters[foundedYear][$eq]=abc`): 400;
 * - a malformed JSON body (400) or an oversize one (413), raised by the body parser;
 * - the database unreachable (down, restarting, pool exhausted): 503 at once, so callers retry
 *   instead of waiting; the pool reconnects by itself when the database returns.
 * Sits right after `strapi::errors`, which formats what this throws.
 */
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
 * A filter value that does not fit its column: PostgreSQL's SQLSTATE class 22 (data exception), or
 * the "Expected a valid Number, got abc" that @strapi/database's field converters throw first.
 */
const isDataException = (error: MaybeDbError) =>
  (typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code)) ||
  (error.name === 'Error' && /^Expected a valid \w+, got /.test(error.message ?? ''));

/** An operator where @strapi/database does not take it (`filters[slug][$or]=x`); it throws a plain Error. */
const isMisplacedOperator = (error: MaybeDbError) =>
  error.name === 'Error' && /^Undefined (attribute level )?operator /.test(error.message ?? '');

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

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  try {
    await next();
  } catch (caught) {
    const error = caught as MaybeDbError;
    if (isDatabaseUnavailable(error)) {
      ctx.status = 503;
      ctx.set('Retry-After', '5');
      ctx.body = {
        data: null,
        error: {
          status: 503,
          name: 'ServiceUnavailableError',
          message: 'The database is unavailable; retry in a few seconds',
          details: {},
        },
      };
      return;
    }
    if (isDataException(error)) {
      throw new errors.ValidationError(
        `Invalid value in the query: ${error.message ?? 'not of the field’s type'}`,
      );
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
