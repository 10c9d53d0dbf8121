/**
 * Which requests are the content API's: REST under the API prefix (`/api/...`) and GraphQL at its
 * endpoint (`/graphql`). One predicate for every middleware that guards, caches, sheds or opens the
 * content API (CORS, the data transfer guard, the query checks, the caches, the bulkhead): decided
 * in several places, the forms drifted (`/api` alone, `/graphql/...`). global::canonical-path has
 * refused every other letter case and `/graphql/` before any of them runs, so the exact forms
 * below are the only ones that reach a controller.
 */
import type { Core } from '@strapi/strapi';

export interface ContentApiPaths {
  /** The REST prefix with its trailing slash: `/api/`. */
  rest: string;
  /** The GraphQL endpoint: `/graphql`. */
  graphql: string;
  isRest(path: string): boolean;
  isGraphql(path: string): boolean;
  /** REST or GraphQL. */
  is(path: string): boolean;
}

/** The predicate for the given prefixes (Strapi's defaults: the configuration files use these). */
export function contentApiPaths(restPrefix = '/api', graphqlEndpoint = '/graphql'): ContentApiPaths {
  const rest = `${restPrefix}/`;
  const isRest = (path: string) => path.startsWith(rest);
  const isGraphql = (path: string) => path === graphqlEndpoint;
  return { rest, graphql: graphqlEndpoint, isRest, isGraphql, is: (path) => isRest(path) || isGraphql(path) };
}

/** The predicate for this app's configured prefixes (`api.rest.prefix`, the GraphQL endpoint). */
export const contentApiPathsOf = (strapi: Core.Strapi): ContentApiPaths =>
  contentApiPaths(
    strapi.config.get<string>('api.rest.prefix', '/api'),
    strapi.config.get<string>('plugin::graphql.endpoint', '/graphql'),
  );
