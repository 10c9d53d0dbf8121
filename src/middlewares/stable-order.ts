/**
 * Entries in REST answers carry their relations, components and media in the order of their
 * content type's schema, so that the same content is always the same bytes (and the same ETag).
 *
 * Strapi populates an entry's relations and components concurrently (`Promise.all` over the
 * populated fields in @strapi/database) and each one is added to the entry when its query returns:
 * a project came back as `{ ..., "site": {...}, "funders": [...] }` or as `{ ..., "funders": [...],
 * "site": {...} }` depending on which query PostgreSQL finished first, so two identical answers
 * could get different ETags and the response cache kept whichever came first. Here, after the
 * controller, every populated field of every entry (and of the entries it holds) is put after the
 * entry's other fields, in schema order; the other fields keep the order Strapi gave them (its
 * own, from the table's columns). The items of a to-many relation were already in a stable order:
 * the order set in the admin panel (the join table's order column).
 *
 * GraphQL needs none of this: its answers follow the order of the query's selection.
 * Sits inside global::response-cache and global::http-cache, which store and hash what it leaves.
 */
import type { Core, UID } from '@strapi/strapi';

type Attribute = { type: string; target?: string; component?: string };
type Model = { attributes: Record<string, Attribute> };

/** The populated fields of a model, in schema order, with the model of what each holds. */
interface Plan {
  names: Set<string>;
  fields: { name: string; target?: string }[];
}

const POPULATED = new Set(['relation', 'component', 'media', 'dynamiczone']);
const MAX_DEPTH = 10;

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const plans = new Map<string, Plan | null>();

  const planOf = (uid: string): Plan | null => {
    let plan = plans.get(uid);
    if (plan === undefined) {
      const model = strapi.getModel(uid as UID.Schema) as Model | undefined;
      const fields = Object.entries(model?.attributes ?? {})
        .filter(([, attribute]) => POPULATED.has(attribute.type))
        .map(([name, attribute]) => ({
          name,
          target:
            attribute.type === 'media' ? 'plugin::upload.file' : (attribute.target ?? attribute.component),
        }));
      plan = fields.length > 0 ? { names: new Set(fields.map((field) => field.name)), fields } : null;
      plans.set(uid, plan);
    }
    return plan;
  };

  const order = (value: unknown, uid: string | undefined, depth: number): unknown => {
    if (!uid || depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => order(item, uid, depth));
    const plan = planOf(uid);
    if (!plan) return value;
    const entry = value as Record<string, unknown>;
    const ordered: Record<string, unknown> = {};
    for (const key of Object.keys(entry)) if (!plan.names.has(key)) ordered[key] = entry[key];
    for (const { name, target } of plan.fields)
      if (name in entry) ordered[name] = order(entry[name], target, depth + 1);
    return ordered;
  };

  return async (ctx, next) => {
    await next();
    // The content type of a core route: its handler is `api::project.project.find`.
    const handler = (ctx.state.route as { handler?: unknown } | undefined)?.handler;
    if (typeof handler !== 'string' || !handler.includes('::')) return;
    const body = ctx.body as { data?: unknown; pipe?: unknown } | null | undefined;
    if (!body || typeof body !== 'object' || Buffer.isBuffer(body) || typeof body.pipe === 'function') return;
    if (!('data' in body)) return;
    const uid = handler.slice(0, handler.lastIndexOf('.'));
    if (!planOf(uid)) return;
    ctx.body = { ...body, data: order(body.data, uid, 0) };
  };
};
