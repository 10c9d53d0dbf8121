/**
 * How GraphQL errors leave the server: Apollo's `formatError`, set in config/plugins.ts in place
 * of the GraphQL plugin's own.
 *
 * The plugin's formatter turned an unexpected error into "Internal Server Error" but copied the
 * original error's name and message into `extensions.error`: a query that made PostgreSQL fail
 * (`slug: { eq: "a\u0000b" }`) sent the whole SQL statement to the client, in production too.
 * Here, as the plugin does, Strapi's own errors (validation, not found, forbidden...) keep their
 * message, code and details, which are written for the client, and GraphQL's errors (syntax,
 * validation, limits) stay as Apollo formats them. Anything else is logged on the server and
 * answers the generic message with only a code: no SQL, stack trace or internal message.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { errors } from '@strapi/utils';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

type Formatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** The codes the GraphQL plugin gives Strapi's errors (`STRAPI_NOT_FOUND_ERROR`...). */
function codeOf(error: errors.ApplicationError | errors.HttpError): string {
  if (error instanceof errors.ForbiddenError || error instanceof errors.UnauthorizedError) return 'FORBIDDEN';
  if (error instanceof errors.ValidationError) return 'BAD_USER_INPUT';
  const snake = (error.name || 'Unknown').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return `STRAPI_${snake}`;
}

export function formatGraphqlError(): Formatter {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    if (original instanceof errors.ApplicationError || original instanceof errors.HttpError) {
      const { name, message, details } = original as errors.ApplicationError;
      return {
        message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { error: { name, message, details }, code: codeOf(original) },
      };
    }
    // Syntax and validation errors, the depth, alias and cost limits: GraphQL's own messages.
    if (original instanceof GraphQLError) return formatted;

    strapi.log.error(original instanceof Error ? original : String(original));
    return {
      message: 'Internal Server Error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
