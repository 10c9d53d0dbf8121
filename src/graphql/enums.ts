/**
 * One spelling of enumeration values: GraphQL reads and writes the keys REST, the listings, the
 * vocabulary, the timeline and every filter use (`youth-house`).
 *
 * Strapi's GraphQL plugin makes each enumeration attribute a GraphQL enum, whose value names cannot
 * hold a dash: it answered `youth_house`, and filters (which Strapi types as strings) took only
 * `youth-house`, so filtering with the value just read silently returned nothing. Here, through the
 * plugin's extension service (nexus type extensions, a public extension point), each enumeration
 * field of every content type and component is a String in the output type and in the input type,
 * its description listing the allowed keys. The ENUM_* types, then unused, leave the schema
 * (Strapi prunes unused types). A key outside the list is refused by Strapi's own validation, with
 * the same 400 ValidationError as in REST (BAD_USER_INPUT in GraphQL).
 */
import type { Core } from '@strapi/strapi';
import { contentTypes } from '@strapi/utils';

interface Attribute {
  type: string;
  enum?: string[];
  required?: boolean;
  private?: boolean;
}
interface Model {
  uid: string;
  modelType: 'contentType' | 'component';
  attributes: Record<string, Attribute>;
}
interface Naming {
  getTypeName(model: Model): string;
  getComponentName(model: Model): string;
  getContentTypeInputName(model: Model): string;
  getComponentInputName(model: Model): string;
}
interface FieldSettings {
  hasOutputEnabled(): boolean;
  hasInputEnabled(): boolean;
}
interface Extension {
  shadowCRUD(uid: string): { isDisabled(): boolean; field(name: string): FieldSettings };
  use(configure: (context: { nexus: Nexus; typeRegistry: { has(name: string): boolean } }) => unknown): void;
}
interface Block {
  string(name: string, options: { description: string }): void;
  nonNull: Block;
}
interface Nexus {
  extendType(config: { type: string; definition(t: Block): void }): unknown;
  extendInputType(config: { type: string; definition(t: Block): void }): unknown;
}

/** Every enumeration attribute of a content type or component, by model. */
export function enumerationFields(strapi: Core.Strapi): { model: Model; fields: [string, Attribute][] }[] {
  const models = [
    ...Object.values(strapi.contentTypes),
    ...Object.values(strapi.components),
  ] as unknown as Model[];
  return models
    .map((model) => ({
      model,
      fields: Object.entries(model.attributes).filter(([, attribute]) => attribute.type === 'enumeration'),
    }))
    .filter(({ fields }) => fields.length > 0);
}

const describe = (attribute: Attribute) => `One of: ${(attribute.enum ?? []).join(', ')}.`;

export function registerEnumSpelling(strapi: Core.Strapi): void {
  const graphql = strapi.plugin('graphql');
  const extension = graphql.service('extension') as Extension;
  extension.use(({ nexus, typeRegistry }) => {
    const { naming } = graphql.service('utils') as { naming: Naming };
    const types: unknown[] = [];
    for (const { model, fields } of enumerationFields(strapi)) {
      if (extension.shadowCRUD(model.uid).isDisabled()) continue;
      const component = model.modelType === 'component';
      const output = component ? naming.getComponentName(model) : naming.getTypeName(model);
      const input = component ? naming.getComponentInputName(model) : naming.getContentTypeInputName(model);
      const settings = (name: string) => extension.shadowCRUD(model.uid).field(name);
      // The fields Strapi's builders add (plugin-graphql services/builders/type.js, input.js):
      // public and not disabled in the output, writable and not disabled in the input.
      const shown = fields.filter(
        ([name, attribute]) => !attribute.private && settings(name).hasOutputEnabled(),
      );
      const written = fields.filter(
        ([name]) =>
          contentTypes.isWritableAttribute(model as never, name) && settings(name).hasInputEnabled(),
      );
      if (typeRegistry.has(output) && shown.length) {
        types.push(
          nexus.extendType({
            type: output,
            definition(t) {
              for (const [name, attribute] of shown)
                (attribute.required ? t.nonNull : t).string(name, { description: describe(attribute) });
            },
          }),
        );
      }
      if (typeRegistry.has(input) && written.length) {
        types.push(
          nexus.extendInputType({
            type: input,
            definition(t) {
              for (const [name, attribute] of written) t.string(name, { description: describe(attribute) });
            },
          }),
        );
      }
    }
    return { types };
  });
}
