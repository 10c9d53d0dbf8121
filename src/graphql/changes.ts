/**
 * The change feed as a GraphQL query, `changes(since, types, locale, pageSize)`, beside REST's
 * GET /api/changes: the same parameters, rules and errors (a pruned cursor is a GoneError).
 */
import type { Core } from '@strapi/strapi';
import { readFeed } from '../changes';
import { parseFeedQuery } from '../changes/query';

const typeDefs = /* GraphQL */ `
  type ChangeFeedEvent {
    cursor: String!
    type: String!
    documentId: String!
    locale: String!
    action: String!
    at: String!
  }
  type ChangeFeed {
    data: [ChangeFeedEvent!]!
    next: String!
    hasMore: Boolean!
  }
  extend type Query {
    changes(since: String, types: [String!], locale: I18NLocaleCode, pageSize: Int): ChangeFeed!
  }
`;

interface Args {
  since?: string | null;
  types?: string[] | null;
  locale?: string | null;
  pageSize?: number | null;
}

export function registerChangesQuery(strapi: Core.Strapi): void {
  strapi
    .plugin('graphql')
    .service('extension')
    .use(() => ({
      typeDefs,
      resolvers: {
        Query: {
          changes: {
            resolve: async (_parent: unknown, args: Args) => {
              const query = Object.fromEntries(
                Object.entries(args).filter(([, value]) => value !== undefined && value !== null),
              );
              return readFeed(strapi, await parseFeedQuery(strapi, query, 'graphql'));
            },
          },
        },
      },
      // The same permission as the REST route: the public role and read-only tokens have it.
      resolversConfig: { 'Query.changes': { auth: { scope: ['api::change.change.find'] } } },
    }));
}
