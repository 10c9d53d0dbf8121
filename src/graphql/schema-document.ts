/**
 * The GraphQL schema as SDL at `GET /graphql/schema.graphql`, for code generators and IDEs while
 * introspection is off in production (config/plugins.ts).
 *
 * It is the schema the Apollo server serves, captured when the server loads it (an Apollo plugin,
 * listed in config/plugins.ts), so it cannot drift from the endpoint. Strapi builds one schema for
 * every caller: who may read what is decided when a field resolves, never by hiding types, so this
 * document shows nobody more than introspection would show anyone in development. Private
 * attributes are not in it (Strapi leaves them out of the types).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Core } from '@strapi/strapi';
import { lexicographicSortSchema, printSchema } from 'graphql';
import type { Context } from 'koa';

export const SCHEMA_PATH = '/graphql/schema.graphql';

// One GraphQL schema per process, as there is one Apollo server.
let document: string | undefined;

/** Apollo plugin: prints the served schema, sorted so that the document diffs well. */
export const schemaDocumentPlugin: ApolloServerPlugin = {
  async serverWillStart() {
    return {
      schemaDidLoadOrUpdate({ apiSchema }) {
        document = printSchema(lexicographicSortSchema(apiSchema));
      },
    };
  },
};

export function registerSchemaDocument(strapi: Core.Strapi): void {
  strapi.server.routes([
    {
      method: 'GET',
      path: SCHEMA_PATH,
      handler: (ctx: Context) => {
        if (document === undefined) {
          ctx.status = 503;
          ctx.body = 'The GraphQL schema is not loaded yet.';
          return;
        }
        ctx.type = 'text/plain; charset=utf-8';
        ctx.set('Content-Disposition', 'inline; filename="schema.graphql"');
        ctx.body = document;
      },
      // Public: the same document for every caller (see above).
      config: { auth: false },
    },
  ] as never);
}
