/** The timeline as a GraphQL query, `timeline(locale)`, beside REST's GET /api/timeline. */
import type { Core } from '@strapi/strapi';
import { TIMELINE_SHAPES } from '../api/timeline/services/timeline';
import { parseLocaleQuery } from '../i18n/locale-query';
import { graphqlTypeDefs } from '../utils/shapes';

// The types come from the service's shapes (src/utils/shapes.ts): they cannot drift from it.
const typeDefs = /* GraphQL */ `
  ${graphqlTypeDefs(TIMELINE_SHAPES)}
  extend type Query {
    timeline(locale: I18NLocaleCode): Timeline!
  }
`;

export function registerTimelineQuery(strapi: Core.Strapi): void {
  strapi
    .plugin('graphql')
    .service('extension')
    .use(() => ({
      typeDefs,
      resolvers: {
        Query: {
          timeline: {
            resolve: async (_parent: unknown, args: { locale?: string }) =>
              strapi
                .service('api::timeline.timeline')
                .build(await parseLocaleQuery(strapi, args.locale ? { locale: args.locale } : {})),
          },
        },
      },
      // The same permission as the REST route: the public role and read-only tokens have it.
      resolversConfig: { 'Query.timeline': { auth: { scope: ['api::timeline.timeline.find'] } } },
    }));
}
