/**
 * GraphQL's authentication mutations (users-permissions: `login`, `register`, `forgotPassword`,
 * `resetPassword`, `changePassword`, `emailConfirmation`) draw on the per-client budget of the REST
 * routes (global::auth-rate-limit), one point per mutation field, aliases and fragments included.
 * Strapi's own GraphQL limiter keys on the e-mail in the arguments, so fifteen aliased
 * `forgotPassword` with fifteen addresses, sent again and again, were all accepted where the REST
 * route answers 429 after the budget. An Apollo plugin (config/plugins.ts): over budget, the whole
 * operation is refused before it runs, with HTTP 429, `Retry-After` and code TOO_MANY_REQUESTS.
 */
import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import type { Core } from '@strapi/strapi';
import { GraphQLError, Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { chargeAuthAttempts, TOO_MANY } from '../middlewares/auth-rate-limit';

const AUTH_MUTATIONS = new Set([
  'login',
  'register',
  'forgotPassword',
  'resetPassword',
  'changePassword',
  'emailConfirmation',
]);

/** Root fields of `selectionSet` that are authentication mutations (fragments followed once). */
export function countAuthFields(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (AUTH_MUTATIONS.has(selection.name.value)) count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countAuthFields(selection.selectionSet, fragments, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) count += countAuthFields(fragment.selectionSet, fragments, seen);
    }
  }
  return count;
}

interface StrapiContext extends BaseContext {
  koaContext?: { request: { ip: string } };
}

export const authMutationsLimitPlugin: ApolloServerPlugin<StrapiContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, document, contextValue }) {
        if (operation?.operation !== 'mutation') return;
        const fragments = new Map(
          document.definitions
            .filter(
              (definition): definition is FragmentDefinitionNode =>
                definition.kind === Kind.FRAGMENT_DEFINITION,
            )
            .map((fragment) => [fragment.name.value, fragment]),
        );
        const points = countAuthFields(operation.selectionSet, fragments);
        const client = contextValue.koaContext?.request.ip;
        if (points === 0 || !client) return;
        const wait = await chargeAuthAttempts((globalThis as { strapi: Core.Strapi }).strapi, client, points);
        if (wait === undefined) return;
        throw new GraphQLError(TOO_MANY, {
          extensions: {
            code: 'TOO_MANY_REQUESTS',
            http: { status: 429, headers: new HeaderMap([['retry-after', String(wait)]]) },
          },
        });
      },
    };
  },
};
