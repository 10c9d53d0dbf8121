/** Runs callbacks on Strapi's GraphQL schema once it is built, with the extension it was built from. */
import type { Core } from '@strapi/strapi';
import { GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { expectFunction, firstReason, serviceOf } from './patch';

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

export interface ModelType<M> {
  model: M;
  typeName: string;
  type: GraphQLObjectType;
}

/** Every content type and component with its object type in `schema`. */
export function modelTypes<M extends { modelType: string }>(strapi: Core.Strapi, schema: GraphQLSchema) {
  const { naming } = strapi.plugin('graphql').service('utils');
  const models = [
    ...Object.values(strapi.contentTypes),
    ...Object.values(strapi.components),
  ] as unknown as M[];
  const found: ModelType<M>[] = [];
  for (const model of models) {
    const typeName: string =
      model.modelType === 'component' ? naming.getComponentName(model) : naming.getTypeName(model);
    const type = schema.getType(typeName);
    if (type instanceof GraphQLObjectType) found.push({ model, typeName, type });
  }
  return found;
}

/** The self-check of the two services `whenSchemaBuilt` wraps. */
export function checkSchemaHooks(strapi: Core.Strapi): string | undefined {
  return firstReason(
    expectFunction('graphql extension.generate', serviceOf(strapi, 'graphql', 'extension')?.generate, 1),
    expectFunction(
      'graphql content-api.buildSchema',
      serviceOf(strapi, 'graphql', 'content-api')?.buildSchema,
    ),
    expectFunction(
      'graphql utils.naming.getTypeName',
      (serviceOf(strapi, 'graphql', 'utils')?.naming as { getTypeName?: unknown } | undefined)?.getTypeName,
      1,
    ),
  );
}
