/** The timeline as a GraphQL query, `timeline(locale)`, beside REST's GET /api/timeline. */
import type { Core } from '@strapi/strapi';
import { parseLocaleQuery } from '../i18n/locale-query';

const typeDefs = /* GraphQL */ `
  type TimelineKind {
    key: String!
    label: String!
  }
  type TimelineSite {
    slug: String!
    name: String!
    commune: String!
  }
  type TimelineEntry {
    type: String!
    documentId: String!
    slug: String
    title: String!
    locale: String!
    year: Int!
    kind: TimelineKind
    site: TimelineSite
    summary: String
    partner: String
    formerName: String
    legalForm: String
    sectors: [String!]
  }
  type TimelineFunder {
    slug: String!
    name: String!
    kind: String!
  }
  type TimelineOrganisation {
    name: String!
    legalForm: String
    foundedYear: Int!
    mission: String
    independence: String
    history: String
    neighbourhoodIntro: String
    socialIntro: String
    funders: [TimelineFunder!]!
  }
  type Timeline {
    locale: String!
    organisation: TimelineOrganisation
    entries: [TimelineEntry!]!
  }
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
            resolve: (_parent: unknown, args: { locale?: string }) =>
              strapi
                .service('api::timeline.timeline')
                .build(parseLocaleQuery(args.locale ? { locale: args.locale } : {})),
          },
        },
      },
      // The same permission as the REST route: the public role and read-only tokens have it.
      resolversConfig: { 'Query.timeline': { auth: { scope: ['api::timeline.timeline.find'] } } },
    }));
}
