/** Runs callbacks on Strapi's GraphQL schema once it is built, with the extension it was built from. */
import type { Core } from '@strapi/strapi';
import type { GraphQLSchema } from 'graphql';

export interface Extension {
  resolvers?: Record<string, Record<string, unknown>>;
  resolversConfig?: Record<string, unknown>;
}

type Callback = (schema: GraphQLSchema, extension: Extension) => void;

const callbacks = new WeakMap<Core.Strapi, Callback[]>();

export function whenSchemaBuilt(strapi: Core.Strapi, callback: Callback): void {
  const registered = callbacks.get(strapi);
  if (registered) {
    registered.push(callback);
    return;
  }
  const list = [callback];
  callbacks.set(strapi, list);

  const graphql = strapi.plugin('graphql');
  // The extension generated while the schema is built: its resolvers and resolver configuration.
  const extensionService = graphql.service('extension');
  const generate = extensionService.generate.bind(extensionService);
  let extension: Extension = {};
  extensionService.generate = (options: unknown) => (extension = generate(options));

  const contentApi = graphql.service('content-api');
  const buildSchema = contentApi.buildSchema.bind(contentApi);
  contentApi.buildSchema = () => {
    const schema = buildSchema() as GraphQLSchema;
    for (const run of list) run(schema, extension);
    return schema;
  };
}
