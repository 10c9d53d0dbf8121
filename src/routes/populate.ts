/**
 * What a route populates, pinned per route from the content type's schema: with no `populate` in
 * the query, the route's default; with one, any direct relation, component or media field of the
 * type, one level deep. Deeper populates (a nested `populate`, `on`, or `site.projects`) and
 * unknown fields answer 400, so no request can ask for an unbounded tree.
 *
 * It also checks the shape of `sort`, which needs the same schema: an object may nest only under a
 * relation or component (`sort[site][name]=asc`); under a plain field (`sort[title][x]=asc`)
 * Strapi 5.54 failed with a TypeError and answered 500.
 *
 * Each route states its default in a line (src/api/<type>/routes/<type>.ts):
 *   find: { middlewares: [pinPopulate('api::project.project', { site: true })] }
 * A route without it takes any populate: tests/derived-lists.test.ts sends a two-level populate to
 * every GET route of every API and expects 400.
 *
 * A helper of the routers, not a middleware of its own: Strapi loads every file of
 * src/middlewares as a global middleware, so this one lives here.
 */
import type { UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';

export type PopulateDefault = Record<string, true | { fields?: string[]; populate?: never }>;

const POPULATABLE = new Set(['relation', 'component', 'media', 'dynamiczone']);
/** Relations Strapi adds to every type; their targets are admin users or other locales. */
const SYSTEM_RELATIONS = new Set(['createdBy', 'updatedBy', 'localizations']);
/** What may qualify one populated field: it may not populate further. */
const ONE_LEVEL_KEYS = new Set(['fields', 'filters', 'sort', 'count']);

const invalid = (message: string) => new errors.ValidationError(`Invalid populate: ${message}`);

/** Checks an explicit populate against the type's direct fields; throws a 400 when it is not allowed. */
export function assertOneLevel(populate: unknown, allowed: Set<string>, typeName: string): void {
  const checkName = (name: string) => {
    if (name.includes('.')) throw invalid(`"${name}" is deeper than one level`);
    if (!allowed.has(name))
      throw invalid(`"${name}" is not a relation, component or media field of ${typeName}`);
  };

  if (populate === '*' || populate === true || populate === 'true') return;
  if (typeof populate === 'string') return populate.split(',').forEach((name) => checkName(name.trim()));
  if (Array.isArray(populate)) {
    for (const name of populate) {
      if (typeof name !== 'string') throw invalid('a list must hold field names');
      checkName(name);
    }
    return;
  }
  if (typeof populate === 'object' && populate !== null) {
    for (const [name, value] of Object.entries(populate)) {
      checkName(name);
      if (value === true || value === 'true' || value === '*') continue;
      if (typeof value !== 'object' || value === null) throw invalid(`"${name}" must be true or an object`);
      for (const key of Object.keys(value)) {
        if (key === 'populate' || key === 'on') throw invalid(`"${name}.${key}" is deeper than one level`);
        if (!ONE_LEVEL_KEYS.has(key)) throw invalid(`"${name}.${key}" is not allowed`);
      }
    }
    return;
  }
  throw invalid('expected a field name, a list of names or an object');
}

type Model = {
  info: { singularName: string };
  attributes: Record<string, { type: string; target?: string; component?: string }>;
};

/** Throws a 400 when a sort object nests under a field that is no relation or component. */
export function assertSortShape(
  sort: unknown,
  model: Model,
  load: (uid: string) => Model | undefined,
  depth = 0,
): void {
  if (depth > 5 || sort === null || typeof sort !== 'object') return;
  if (Array.isArray(sort)) return sort.forEach((item) => assertSortShape(item, model, load, depth + 1));
  for (const [name, value] of Object.entries(sort)) {
    if (value === null || typeof value !== 'object') continue;
    const attribute = model.attributes[name];
    const nested =
      attribute?.type === 'relation'
        ? attribute.target
        : attribute?.type === 'component'
          ? attribute.component
          : undefined;
    const target = nested ? load(nested) : undefined;
    if (!target)
      throw new errors.ValidationError(
        `Invalid sort: "${name}" of ${model.info.singularName} takes asc or desc, not an object`,
      );
    assertSortShape(value, target, load, depth + 1);
  }
}

/**
 * Each type's pinned default, as its router stated it: the OpenAPI document (src/openapi) reads it
 * to describe the populated shape every route returns, so that the two cannot differ.
 */
export const PINNED_POPULATE = new Map<string, PopulateDefault>();

export function pinPopulate(uid: UID.ContentType, defaults: PopulateDefault = {}) {
  PINNED_POPULATE.set(uid, defaults);
  let allowed: Set<string> | undefined;
  return async (ctx: Context, next: Next) => {
    const model = strapi.getModel(uid) as Model;
    allowed ??= new Set(
      Object.entries(model.attributes)
        .filter(([name, attribute]) => POPULATABLE.has(attribute.type) && !SYSTEM_RELATIONS.has(name))
        .filter(([, attribute]) => !attribute.target?.startsWith('admin::'))
        .map(([name]) => name),
    );
    const query = ctx.query as Record<string, unknown>;
    assertSortShape(
      query.sort,
      model,
      (target) => strapi.getModel(target as UID.Schema) as Model | undefined,
    );
    if (query.populate === undefined) {
      query.populate = defaults;
    } else {
      assertOneLevel(query.populate, allowed, model.info.singularName);
    }
    await next();
  };
}
