import type { Core } from '@strapi/strapi';

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
  graphql: {
    config: {
      endpoint: '/graphql',
      shadowCRUD: true,
      // The sandbox is a development aid; production serves the endpoint alone.
      landingPage: env('NODE_ENV') !== 'production',
      depthLimit: 7,
      amountLimit: 100,
      defaultLimit: 25,
      maxLimit: 100,
      apolloServer: { introspection: env('NODE_ENV') !== 'production' },
    },
  },
});
