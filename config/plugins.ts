import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import type { Core } from '@strapi/strapi';
import type { ValidationContext, GraphQLError } from 'graphql';
import { formatGraphqlError } from '../src/graphql/format-error';
import { graphiqlLandingPage } from '../src/graphql/ide';
import { schemaDocumentPlugin } from '../src/graphql/schema-document';
import { authMutationsLimitPlugin } from '../src/graphql/auth-limit';
import { prototypeKeysPlugin } from '../src/middlewares/body-guard';
import { cancelledStatementsPlugin } from '../src/middlewares/error-shape';
import { GRAPHQL_LIMITS } from '../src/middlewares/graphql-bounds';
import { ALLOWED_MIME_TYPES, uploadHeaders } from '../src/extensions/upload/allowed-types';

const MB = 1024 * 1024;
const GRAPHQL_DEPTH_LIMIT = 7;

/** graphql-armor's rules report a refused query as a validation error (400), not thrown (500). */
const REPORT = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/**
 * E-mail through an SMTP relay (SMTP_HOST...), or, without one, nodemailer's JSON transport, which
 * sends nothing anywhere: no MX lookup or connection leaves the server (src/extensions/email warns
 * at boot). The sendmail provider Strapi used by default looked the recipient's domain up and
 * failed with a 500 for every known address in POST /api/auth/forgot-password.
 */
function emailConfig(env: Core.Config.Shared.ConfigParams['env']) {
  const host = env('SMTP_HOST', '');
  const secure = env.bool('SMTP_SECURE', false);
  const user = env('SMTP_USER', '');
  return {
    provider: 'nodemailer',
    providerOptions: host
      ? {
          host,
          port: env.int('SMTP_PORT', secure ? 465 : 587),
          secure,
          ...(user ? { auth: { user, pass: env('SMTP_PASSWORD', '') } } : {}),
        }
      : { jsonTransport: true },
    settings: {
      defaultFrom: env('EMAIL_FROM', 'Inter-Actions <no-reply@localhost>'),
      ...(env('EMAIL_REPLY_TO', '') ? { defaultReplyTo: env('EMAIL_REPLY_TO') } : {}),
    },
  };
}

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  email: { config: emailConfig(env) },
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
      // /uploads serves images inline and every other file as a download (attachment).
      providerOptions: { localServer: { setHeaders: uploadHeaders } },
      // Images and PDF only (src/extensions/upload/allowed-types.ts): no SVG or HTML (scripts served
      // from our origin) and no executables.
      security: {
        allowedTypes: ALLOWED_MIME_TYPES,
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
      // GraphiQL from this server (src/graphql/ide.ts), a development aid like introspection;
      // production serves the endpoint and /graphql/schema.graphql alone.
      landingPage: env('NODE_ENV') !== 'production' ? graphiqlLandingPage : false,
      depthLimit: GRAPHQL_DEPTH_LIMIT,
      amountLimit: 100,
      defaultLimit: 25,
      maxLimit: 100,
      // Strapi appends these lists to its own (its depth rule, its root-arguments plugin).
      apolloServer: {
        introspection: env('NODE_ENV') !== 'production',
        // No SQL, stack trace or internal message in an answer (src/graphql/format-error.ts).
        formatError: formatGraphqlError(),
        includeStacktraceInErrorResponses: env('NODE_ENV') !== 'production',
        // global::graphql-bounds refuses longer documents before Apollo; this bounds its parser too.
        parseOptions: { maxTokens: GRAPHQL_LIMITS.tokens },
        // The endpoint's own CORS answered `*` to every origin; strapi::cors (config/middlewares.ts)
        // applies CORS_ORIGINS to /graphql as to /api.
        cors: false,
        // Apollo's cache-control plugin computed a cache policy field by field for every answer
        // (a fifth of a GraphQL list's CPU time), only to send `no-store`: the schema has no
        // cache hints. global::http-cache sends that header instead.
        // prototypeKeysPlugin: `constructor` and the like refused in variables, as in any body.
        // schemaDocumentPlugin: the served schema as SDL (src/graphql/schema-document.ts).
        // authMutationsLimitPlugin: login, registration and password mutations draw on the REST
        // routes' per-client budget (src/graphql/auth-limit.ts).
        // cancelledStatementsPlugin: a statement timeout answers REST's 503 (src/middlewares/error-shape.ts).
        plugins: [
          ApolloServerPluginCacheControlDisabled(),
          prototypeKeysPlugin,
          schemaDocumentPlugin,
          authMutationsLimitPlugin,
          cancelledStatementsPlugin,
        ],
        validationRules: [
          maxAliasesRule({ n: 15, ...REPORT }),
          // What one request may cost, counted from its text: 1 per scalar field, 2 per object
          // field plus its selection, which counts double at each level of nesting, as nested
          // lists multiply the rows read. The shapes of the tests and the benchmark cost 18 to 56
          // (a project page with every field and relation: 126); 15 aliases of
          // sites { projects { funders { projects { funders { projects { title } } } } } } cost
          // 2,850 (4.7 MB of answer on the seed data) and are refused, as are 3 of them (570).
          costLimitRule({ maxCost: 500, objectCost: 2, scalarCost: 1, depthCostFactor: 2, ...REPORT }),
        ],
      },
    },
  },
});
