/**
 * The body of a delivery: the change as the feed gives it, plus the entry as the public REST API
 * returns it (`data` of `GET /api/<type>s/<documentId>?locale=<locale>`, with the route's default
 * populate and the public sanitization) when the change is a publication and the entry is still
 * published; otherwise `entry` is null.
 */
import type { Core, UID } from '@strapi/strapi';
import type { ChangeEvent } from '../changes';

export interface DeliveryBody {
  /** The event's id (the same in X-Inter-Actions-Event-Id): deliveries may repeat, dedupe by it. */
  id: string;
  /** The feed's cursor of this change (GET /api/changes?since=<cursor> continues after it). */
  cursor: string;
  type: string;
  action: string;
  documentId: string;
  locale: string;
  at: string;
  entry: Record<string, unknown> | null;
}

type RouteConfig = { middlewares?: unknown[] };
interface Route {
  method: string;
  path: string;
  handler: unknown;
  config?: RouteConfig;
}

/** The populate the public route of `uid` uses by default: its pinned populate (src/routes/populate.ts). */
async function defaultPopulate(strapi: Core.Strapi, uid: string, kind: string): Promise<unknown> {
  const name = uid.split('.').pop() as string;
  const api = strapi.api(uid.slice('api::'.length).split('.')[0]) as unknown as {
    routes?: Record<string, { routes?: Route[] }>;
  };
  const action = kind === 'singleType' ? 'find' : 'findOne';
  const routes = Object.values(api?.routes ?? {}).flatMap((router) => router.routes ?? []);
  const route = routes.find(
    (r) => r.method === 'GET' && String(r.handler) === `api::${name}.${name}.${action}`,
  );
  const ctx = { query: {} as Record<string, unknown> };
  for (const middleware of route?.config?.middlewares ?? []) {
    if (typeof middleware === 'function') await middleware(ctx, async () => undefined);
  }
  return ctx.query.populate ?? {};
}

export async function publicEntry(
  strapi: Core.Strapi,
  event: ChangeEvent,
): Promise<Record<string, unknown> | null> {
  if (event.action !== 'published') return null;
  const uid = `api::${event.type}.${event.type}` as UID.ContentType;
  const model = strapi.getModel(uid) as unknown as { kind: string } | undefined;
  if (!model) return null;
  const populate = await defaultPopulate(strapi, uid, model.kind);
  const documents = strapi.documents(uid) as unknown as {
    findOne(params: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  };
  const entry = await documents.findOne({
    documentId: event.documentId,
    locale: event.locale,
    status: 'published',
    populate,
  });
  if (!entry) return null;
  const sanitized = await strapi.contentAPI.sanitize.output(entry, strapi.getModel(uid), { auth: undefined });
  return sanitized as Record<string, unknown>;
}

export async function deliveryBody(strapi: Core.Strapi, event: ChangeEvent): Promise<DeliveryBody> {
  return {
    id: event.cursor,
    cursor: event.cursor,
    type: event.type,
    action: event.action,
    documentId: event.documentId,
    locale: event.locale,
    at: event.at,
    entry: await publicEntry(strapi, event),
  };
}
