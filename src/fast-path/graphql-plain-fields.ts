/**
 * Plain fields resolved as graphql-js resolves them, without Strapi's per-field wrapper.
 *
 * Strapi wraps the resolver of every field of every type, scalars included, in an async function
 * that checks auth, builds a policy context and runs the field's middlewares and policies. For a
 * scalar attribute with no resolver configuration (no auth scope, policy or middleware) all of
 * that ends in reading the property of the parent, yet it costs promises and objects for every
 * field of every entry: most of a GraphQL list's CPU time. Such fields get back graphql-js's
 * default resolver, which reads the same property. Relations, media, components and dynamic zones,
 * the root types, and any field that a resolver or a resolver configuration names keep Strapi's
 * wrapper (relations carry an auth scope there).
 */
import type { Core } from '@strapi/strapi';
import type { GraphQLSchema } from 'graphql';
import { checkSchemaHooks, modelTypes, whenSchemaBuilt, type Extension } from './graphql-schema';
import type { FastPathPatch } from './patch';

const WRAPPED_TYPES = new Set(['relation', 'media', 'component', 'dynamiczone']);

export function resolvePlainFieldsDirectly(strapi: Core.Strapi) {
  whenSchemaBuilt(strapi, (schema, extension) => unwrapPlainFields(strapi, schema, extension));
}

type Model = { modelType: string; attributes: Record<string, { type: string }> };

function unwrapPlainFields(strapi: Core.Strapi, schema: GraphQLSchema, extension: Extension) {
  for (const { model, typeName, type } of modelTypes<Model>(strapi, schema)) {
    const fields = type.getFields();
    const plain = Object.entries(model.attributes)
      .filter(([, attribute]) => !WRAPPED_TYPES.has(attribute.type))
      .map(([name]) => name);
    for (const name of ['documentId', ...plain]) {
      const configured =
        extension.resolvers?.[typeName]?.[name] !== undefined ||
        extension.resolversConfig?.[`${typeName}.${name}`] !== undefined;
      if (fields[name] && !configured) fields[name].resolve = undefined;
    }
  }
}

export const patch: FastPathPatch = {
  name: 'graphql-plain-fields',
  check: checkSchemaHooks,
  apply: resolvePlainFieldsDirectly,
};
