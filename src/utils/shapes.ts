/**
 * The shapes of the project's own answers (the timeline, the listing row) are each written once,
 * as zod objects beside the service that builds them: the service takes its TypeScript types from
 * them (`z.infer`), and the GraphQL type definitions and the OpenAPI schemas are built from them
 * here, so the three cannot describe different fields.
 *
 * Only what those shapes use is supported: strings (enumerations become GraphQL `String`),
 * integers, booleans, lists, nested shapes and `.nullable()`; anything else throws at boot.
 */
import { z } from 'zod';

/** Named shapes: the name is the GraphQL type's and the OpenAPI component's. */
export type Shapes = Record<string, z.ZodObject>;

/** GraphQL SDL: one `type` per shape; a field holding another shape names that shape's type. */
export function graphqlTypeDefs(shapes: Shapes): string {
  const names = new Map<unknown, string>(Object.entries(shapes).map(([name, shape]) => [shape, name]));

  const typeOf = (schema: z.ZodType, where: string): string => {
    if (schema instanceof z.ZodNullable) {
      const inner = typeOf(schema.unwrap() as z.ZodType, where);
      return inner.slice(0, -1);
    }
    let type: string;
    if (schema instanceof z.ZodString || schema instanceof z.ZodEnum) type = 'String';
    else if (schema instanceof z.ZodNumber) type = schema.isInt ? 'Int' : 'Float';
    else if (schema instanceof z.ZodBoolean) type = 'Boolean';
    else if (schema instanceof z.ZodArray) type = `[${typeOf(schema.element as z.ZodType, where)}]`;
    else if (schema instanceof z.ZodObject && names.has(schema)) type = names.get(schema) as string;
    else throw new Error(`src/utils/shapes.ts: ${where} has no GraphQL type (name nested objects)`);
    return `${type}!`;
  };

  return Object.entries(shapes)
    .map(([name, shape]) => {
      const fields = Object.entries(shape.shape).map(
        ([field, schema]) => `    ${field}: ${typeOf(schema as z.ZodType, `${name}.${field}`)}`,
      );
      return `  type ${name} {\n${fields.join('\n')}\n  }`;
    })
    .join('\n');
}

const SAFE_INTEGER_BOUNDS = [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 takes them), one per shape, each referring to the others
 * through `ref(name)`. Every key is required (a null stands for "none") and no other key appears.
 */
export function jsonSchemas(shapes: Shapes, ref: (name: string) => string): Record<string, object> {
  const registry = z.registry<{ id: string }>();
  for (const [name, shape] of Object.entries(shapes)) registry.add(shape, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    uri: ref,
    override: ({ jsonSchema }) => {
      // zod's implied bounds of an integer and its date-time pattern say nothing to a reader.
      if (jsonSchema.minimum === SAFE_INTEGER_BOUNDS[0]) delete jsonSchema.minimum;
      if (jsonSchema.maximum === SAFE_INTEGER_BOUNDS[1]) delete jsonSchema.maximum;
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
    },
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [name, rest];
    }),
  );
}
