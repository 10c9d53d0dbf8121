/**
 * Search as a GraphQL query, `search(q, locale, types, pagination)`, beside REST's GET /api/search:
 * the same parameters, rules, errors and results (src/search).
 */
import type { Core } from '@strapi/strapi';
import { parseSearchQuery } from '../search/query';
import { searchPage } from '../search/search';

const typeDefs = /* GraphQL */ `
  type SearchHitSite {
    slug: String!
    name: String!
  }
  type SearchHit {
    type: String!
    documentId: String!
    slug: String
    title: String!
    "Plain text, matched words between [[ and ]]: HTML-escape it, then replace the markers."
    snippet: String!
    score: Float!
    locale: String!
    site: SearchHitSite
  }
  type SearchPagination {
    page: Int!
    pageSize: Int!
    pageCount: Int!
    total: Int!
  }
  type SearchResults {
    data: [SearchHit!]!
    pagination: SearchPagination!
  }
  extend type Query {
    search(q: String!, locale: I18NLocaleCode, types: [String!], pagination: PaginationArg): SearchResults!
  }
`;

interface Args {
  q: string;
  locale?: string | null;
  types?: string[] | null;
  pagination?: {
    page?: number | null;
    pageSize?: number | null;
    start?: number | null;
    limit?: number | null;
  } | null;
}

export function registerSearchQuery(strapi: Core.Strapi): void {
  strapi
    .plugin('graphql')
    .service('extension')
    .use(() => ({
      typeDefs,
      resolvers: {
        Query: {
          search: {
            resolve: async (_parent: unknown, args: Args) => {
              // page/pageSize only; start/limit are refused by name like any unknown parameter.
              const query = Object.fromEntries(
                Object.entries({
                  q: args.q,
                  locale: args.locale,
                  types: args.types,
                  ...(args.pagination ?? {}),
                }).filter(([, value]) => value !== undefined && value !== null),
              );
              const page = await searchPage(strapi, await parseSearchQuery(strapi, query, 'graphql'));
              return { data: page.data, pagination: page.meta.pagination };
            },
          },
        },
      },
      // The same permission as the REST route: the public role and read-only tokens have it.
      resolversConfig: { 'Query.search': { auth: { scope: ['api::search.search.find'] } } },
    }));
}
