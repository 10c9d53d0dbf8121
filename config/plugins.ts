import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import type { Core } from '@strapi/strapi';

const MB = 1024 * 1024;
const GRAPHQL_DEPTH_LIMIT = 7;

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET', ''),
      jwt: { expiresIn: env('JWT_EXPIRES_IN', '7d') },
      // Registration accepts username, email and password only: any other key (role, confirmed,
      // blocked...) is refused with 400. Whether it is open at all: ALLOW_REGISTRATION (src/index.ts).
      register: { allowedFields: [] },
    },
  },
  upload: {
    config: {
      sizeLimit: env.int('UPLOAD_MAX_MB', 10) * MB,
      // Images and documents only: no SVG or HTML (scripts served from our origin) and no executables.
      security: {
        allowedTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif', 'application/pdf'],
        deniedTypes: [
          'image/svg+xml',
          'text/html',
          'application/xhtml+xml',
          'application/javascript',
          'application/x-msdownload',
          'application/x-sh',
          'application/x-executable',
        ],
      },
    },
  },
  graphql: {
    config: {
      endpoint: '/graphql',
      shadowCRUD: true,
      // The sandbox is a development aid; production serves the endpoint alone.
      landingPage: env('NODE_ENV') !== 'production',
      depthLimit: GRAPHQL_DEPTH_LIMIT,
      amountLimit: 100,
      defaultLimit: 25,
      maxLimit: 100,
      // Strapi appends these lists to its own (its depth rule, its root-arguments plugin).
      apolloServer: {
        introspection: env('NODE_ENV') !== 'production',
        // Apollo's cache-control plugin computed a cache policy field by field for every answer
        // (a fifth of a GraphQL list's CPU time), only to send `no-store`: the schema has no
        // cache hints. global::http-cache sends that header instead.
        plugins: [ApolloServerPluginCacheControlDisabled()],
        validationRules: [
          maxAliasesRule({
            n: 15,
            // Reported as a validation error (400), not thrown (which Apollo answers with a 500).
            propagateOnRejection: false,
            onReject: [(context, error) => context?.reportError(error)],
          }),
        ],
      },
    },
  },
});
