/**
 * The OpenAPI schemas of the content types' entries and of their query parameters, precise enough
 * for generated clients (openapi-typescript + openapi-fetch) to need no casts:
 * - `<Type>Fields`: an entry's own fields, as a populate of it returns them; required fields and
 *   the system ones non-null, the others nullable;
 * - `<Type>`: what the type's routes return by default, with the relations and components its
 *   router pins (src/routes/populate.ts, PINNED_POPULATE) populated and required, and the other
 *   populatable fields optional (present when `populate` names them);
 * - `<Type>Filters`: Strapi's `filters` for every field, with the operators of its type, and for
 *   relations the target's filters; an unknown field or operator is refused (additionalProperties).
 */
import { PINNED_POPULATE, type PopulateDefault } from '../routes/populate';

export type Schema = Record<string, unknown>;
export interface Attribute {
  type: string;
  required?: boolean;
  enum?: string[];
  relation?: string;
  target?: string;
  component?: string;
  repeatable?: boolean;
  multiple?: boolean;
  private?: boolean;
}
export interface Model {
  uid: string;
  kind: string;
  info: { singularName: string; pluralName: string };
  attributes: Record<string, Attribute>;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
export const pascal = (name: string) =>
  name.replace(/(^|[-_.])(\w)/g, (_, __, letter: string) => letter.toUpperCase());

const SCALARS: Record<string, Schema> = {
  string: { type: 'string' },
  text: { type: 'string' },
  richtext: { type: 'string' },
  uid: { type: 'string' },
  email: { type: 'string' },
  integer: { type: 'integer' },
  biginteger: { type: 'string' },
  float: { type: 'number' },
  decimal: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  time: { type: 'string' },
  datetime: { type: 'string', format: 'date-time' },
  timestamp: { type: 'string', format: 'date-time' },
  json: {},
  blocks: { type: 'array' },
};

/** Fields Strapi fills on every entry it returns: never null in a published answer. */
const SYSTEM_FIELDS = new Set(['createdAt', 'updatedAt', 'publishedAt', 'locale']);
/** Relations Strapi adds to every type: admin users and other locales, never returned. */
const HIDDEN = new Set(['createdBy', 'updatedBy', 'localizations']);
const POPULATABLE = new Set(['relation', 'component', 'media', 'dynamiczone']);

const IDENTIFIERS: Record<string, Schema> = {
  id: {
    type: 'integer',
    description: 'Row number of this version: changes when the entry is republished; do not store it.',
  },
  documentId: {
    type: 'string',
    description: 'The stable key of the entry across versions and locales: the one to store.',
  },
};
const SLUG_NOTE = 'Readable key for URLs; staff can edit it, so store documentId.';

const visible = (name: string, attribute: Attribute) =>
  !attribute.private && !HIDDEN.has(name) && !attribute.target?.startsWith('admin::');

/** The scalar fields of a type or component (no relations, components or media). */
export function scalarNames(attributes: Record<string, Attribute>): string[] {
  return Object.entries(attributes)
    .filter(([name, attribute]) => visible(name, attribute) && !POPULATABLE.has(attribute.type))
    .filter(([, attribute]) => attribute.type === 'enumeration' || SCALARS[attribute.type])
    .map(([name]) => name);
}

/** The relation, component and media fields `populate` may name. */
export function populatableNames(attributes: Record<string, Attribute>): string[] {
  return Object.entries(attributes)
    .filter(([name, attribute]) => visible(name, attribute) && POPULATABLE.has(attribute.type))
    .map(([name]) => name);
}

function scalarSchema(name: string, attribute: Attribute): Schema {
  const schema: Schema =
    attribute.type === 'enumeration'
      ? { type: 'string', enum: attribute.enum }
      : { ...SCALARS[attribute.type] };
  if (attribute.type === 'uid') schema.description = SLUG_NOTE;
  return attribute.required || SYSTEM_FIELDS.has(name) ? schema : nullable(schema);
}

/** An object of the named scalar fields, every one present (null where the schema allows it). */
function fieldsObject(attributes: Record<string, Attribute>, names: string[], base: Record<string, Schema>) {
  const properties: Record<string, Schema> = { ...base };
  for (const name of names) {
    properties[name] = scalarSchema(name, attributes[name]);
    const image = name.endsWith('Alt') ? name.slice(0, -'Alt'.length) : '';
    if (attributes[image]?.type === 'media')
      properties[name].description =
        `The alternative text of the ${image} image in the locale of the answer (the image itself is ` +
        `shared by the locales): the img element's alt. Every published version with the image has one.`;
  }
  return { type: 'object', required: Object.keys(properties), properties };
}

/** The value of a populated field, `Fields` being the schema of the target's own fields. */
function populatedSchema(attribute: Attribute, target: Schema): Schema {
  if (attribute.type === 'relation') {
    return /ToMany$/.test(attribute.relation ?? '') ? { type: 'array', items: target } : nullable(target);
  }
  const many = attribute.repeatable || attribute.multiple;
  return many ? { type: 'array', items: target } : nullable(target);
}

type Load = (uid: string) => { attributes: Record<string, Attribute> } | undefined;
/** The content types the document describes: relations to others are left out. */
export type Described = Set<string>;

/** `<Type>Fields` and `<Type>` of a content type. */
export function entrySchemas(model: Model, load: Load, described: Described): Record<string, Schema> {
  const name = pascal(model.info.singularName);
  const attributes = model.attributes;
  const fields = fieldsObject(attributes, scalarNames(attributes), IDENTIFIERS);
  const pinned: PopulateDefault = PINNED_POPULATE.get(model.uid) ?? {};

  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const field of populatableNames(attributes)) {
    const attribute = attributes[field];
    const choice = pinned[field];
    if (attribute.type === 'relation' && !described.has(attribute.target ?? '')) continue;
    let target: Schema;
    if (attribute.type === 'relation') {
      const targetAttributes = load(attribute.target ?? '')?.attributes ?? {};
      const targetName = pascal(attribute.target?.split('.').pop() ?? '');
      // A pinned `{ fields: [...] }` returns those fields and the identifiers only.
      target =
        typeof choice === 'object' && choice.fields
          ? fieldsObject(targetAttributes, choice.fields, IDENTIFIERS)
          : ref(`${targetName}Fields`);
    } else if (attribute.type === 'media') {
      target = ref('Media');
    } else {
      target = ref(pascal(attribute.component ?? ''));
    }
    const alt =
      attribute.type === 'media' && `${field}Alt` in attributes
        ? ` Its alternative text, per locale: ${field}Alt.`
        : '';
    properties[field] = {
      ...populatedSchema(attribute, target),
      description:
        (choice ? 'Populated by default.' : `Present only when populate names it (populate=${field}).`) + alt,
    };
    if (choice) required.push(field);
  }

  return {
    [`${name}Fields`]: fields,
    [name]: {
      allOf: [ref(`${name}Fields`), { type: 'object', required, properties }],
    },
  };
}

/** A component's schema: its scalar fields (the project's components nest no further). */
export function componentSchema(attributes: Record<string, Attribute>): Schema {
  return fieldsObject(attributes, scalarNames(attributes), { id: { type: 'integer' } });
}

const list = (items: Schema): Schema => ({ type: 'array', items });
const operators = (value: Schema, extra: string[] = []): Schema => {
  const properties: Record<string, Schema> = {
    $eq: value,
    $ne: value,
    $in: list(value),
    $notIn: list(value),
    $null: { type: 'boolean' },
    $notNull: { type: 'boolean' },
  };
  for (const operator of extra) {
    properties[operator] = operator === '$between' ? { ...list(value), minItems: 2, maxItems: 2 } : value;
  }
  return { type: 'object', additionalProperties: false, properties };
};
const TEXT = ['$eqi', '$nei', '$contains', '$containsi', '$notContains', '$notContainsi'];
const TEXT_MORE = ['$startsWith', '$startsWithi', '$endsWith', '$endsWithi'];
const ORDER = ['$lt', '$lte', '$gt', '$gte', '$between'];

/** The operator objects, shared by every field of a kind. */
export const FILTER_SCHEMAS: Record<string, Schema> = {
  StringFilter: operators({ type: 'string' }, [...TEXT, ...TEXT_MORE, ...ORDER]),
  IntegerFilter: operators({ type: 'integer' }, ORDER),
  NumberFilter: operators({ type: 'number' }, ORDER),
  DateTimeFilter: operators({ type: 'string' }, ORDER),
  BooleanFilter: operators({ type: 'boolean' }),
};

function scalarFilter(attribute: Attribute): Schema | undefined {
  if (attribute.type === 'enumeration') return operators({ type: 'string', enum: attribute.enum });
  const type = SCALARS[attribute.type]?.type;
  if (attribute.type === 'date' || attribute.type === 'datetime' || attribute.type === 'timestamp')
    return ref('DateTimeFilter');
  if (type === 'string') return ref('StringFilter');
  if (type === 'integer') return ref('IntegerFilter');
  if (type === 'number') return ref('NumberFilter');
  if (type === 'boolean') return ref('BooleanFilter');
  return undefined;
}

/** `<Type>Filters`: a field's operators, a relation's target filters, and $and / $or / $not. */
export function filtersSchema(model: Model, described: Described): Schema {
  const name = pascal(model.info.singularName);
  const properties: Record<string, Schema> = {
    id: ref('IntegerFilter'),
    documentId: ref('StringFilter'),
  };
  for (const [field, attribute] of Object.entries(model.attributes)) {
    if (!visible(field, attribute) || field === 'locale') continue;
    if (attribute.type === 'relation') {
      if (!described.has(attribute.target ?? '')) continue;
      properties[field] = ref(`${pascal(attribute.target?.split('.').pop() ?? '')}Filters`);
      continue;
    }
    const filter = scalarFilter(attribute);
    if (filter) properties[field] = filter;
  }
  properties.$and = list(ref(`${name}Filters`));
  properties.$or = list(ref(`${name}Filters`));
  properties.$not = ref(`${name}Filters`);
  return { type: 'object', additionalProperties: false, properties };
}

/** The `populate` a route of the type accepts: names, a list of names, or an object of them. */
export function populateParameterSchema(model: Model, load: Load): Schema {
  const names = populatableNames(model.attributes);
  if (names.length === 0) return { type: 'string', enum: ['*'] };
  const byName: Record<string, Schema> = {};
  for (const field of names) {
    const attribute = model.attributes[field];
    const target = attribute.type === 'relation' ? attribute.target : attribute.component;
    const targetFields = target ? scalarNames(load(target)?.attributes ?? {}) : [];
    byName[field] = {
      anyOf: [
        { type: 'boolean', enum: [true] },
        {
          type: 'object',
          additionalProperties: false,
          properties: targetFields.length ? { fields: list({ type: 'string', enum: targetFields }) } : {},
        },
      ],
    };
  }
  return {
    anyOf: [
      { type: 'string', enum: ['*', ...names] },
      list({ type: 'string', enum: names }),
      { type: 'object', additionalProperties: false, properties: byName },
    ],
  };
}

/** The `fields` a route of the type accepts. */
export const fieldsParameterSchema = (model: Model): Schema =>
  list({ type: 'string', enum: scalarNames(model.attributes) });
