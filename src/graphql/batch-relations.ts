/**
 * GraphQL relations loaded in one query per relation and request, not one per parent entry.
 *
 * Strapi's association resolver calls `strapi.db.query(uid).load(parent, field, query)` for every
 * parent, i.e. two SQL statements per parent and relation (45 for ten projects with their site
 * and funders). Within a GraphQL request, those calls are gathered by DataLoader and answered by
 * one `findMany` of all the parents with that relation populated. Strapi applies a populate's
 * limit and offset to all parents together, so they are taken out of the batched query and applied
 * to each parent's list afterwards, which keeps each parent's answer what it was.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import DataLoader from 'dataloader';

type Entity = { id: number | string };
type Populate = { limit?: number; offset?: number; count?: boolean; [key: string]: unknown };
type Load = (uid: string, entity: Entity, fields: string | string[], populate?: unknown) => Promise<unknown>;

/** A load as the association resolver asks it. */
export type LoadCall = { uid: string; entity: Entity; fields: string | string[]; populate?: unknown };

interface Scope {
  loaders: Map<string, DataLoader<Entity['id'], unknown>>;
  /** Told of the loads made under `withLoadsSeen` (see shared-relations.ts); may narrow the query. */
  seeLoad?: (call: LoadCall) => unknown;
}

// One AsyncLocalStorage for both: each instance adds a cost to every promise of the process.
const requestScope = new AsyncLocalStorage<Scope>();

/** Runs `next` with a batching scope of its own (one per GraphQL request). */
export const withRelationBatching = <T>(next: () => Promise<T>) =>
  requestScope.run({ loaders: new Map() }, next);

/**
 * Runs `next` in the request's batching scope, telling `seeLoad` of every relation load it makes;
 * what `seeLoad` returns, if anything, is the query that load runs instead.
 */
export function withLoadsSeen<T>(seeLoad: (call: LoadCall) => unknown, next: () => T): T {
  const scope = requestScope.getStore();
  return scope ? requestScope.run({ loaders: scope.loaders, seeLoad }, next) : next();
}

export function batchRelationLoads(strapi: Core.Strapi) {
  const entityManager = strapi.db.entityManager as unknown as { load: Load };
  const load: Load = entityManager.load.bind(entityManager);

  entityManager.load = (uid, entity, fields, populate) => {
    const scope = requestScope.getStore();
    if (scope?.seeLoad) populate = scope.seeLoad({ uid, entity, fields, populate }) ?? populate;
    const loaders = scope?.loaders;
    const options = (populate && typeof populate === 'object' ? populate : {}) as Populate;
    if (!loaders || typeof fields !== 'string' || entity?.id === undefined || options.count)
      return load(uid, entity, fields, populate);

    const { limit, offset, ...query } = options;
    const key = JSON.stringify([uid, fields, query]);
    let loader = loaders.get(key);
    if (!loader) {
      loader = new DataLoader((ids) => loadMany(strapi, uid, fields, query, ids), {
        // Gather every parent of the list: their resolvers reach here over several ticks.
        batchScheduleFn: (callback) => setImmediate(callback),
      });
      loaders.set(key, loader);
    }
    return loader.load(entity.id).then((related) => {
      if (!Array.isArray(related)) return related;
      const start = offset ?? 0;
      return related.slice(start, limit === undefined || limit < 0 ? undefined : start + limit);
    });
  };
}

async function loadMany(
  strapi: Core.Strapi,
  uid: string,
  field: string,
  query: Record<string, unknown>,
  ids: readonly Entity['id'][],
): Promise<unknown[]> {
  const rows = (await strapi.db.query(uid as never).findMany({
    select: ['id'],
    where: { id: { $in: [...ids] } },
    populate: { [field]: Object.keys(query).length > 0 ? query : true },
  })) as Record<string, unknown>[];
  const byId = new Map(rows.map((row) => [row.id, row[field]]));
  // As Strapi's load: null for a parent that no longer exists.
  return ids.map((id) => (byId.has(id) ? byId.get(id) : null));
}
