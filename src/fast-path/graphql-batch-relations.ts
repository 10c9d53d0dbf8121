/**
 * GraphQL relations loaded in one query per relation and request, not one per parent entry.
 *
 * Strapi's association resolver calls `strapi.db.query(uid).load(parent, field, query)` for every
 * parent, i.e. two SQL statements per parent and relation (45 for ten projects with their site
 * and funders). Within a GraphQL request, those calls are gathered by DataLoader (one per content
 * type) and answered by one `findMany` of all the parents with every relation asked populated: one
 * statement for the parents and one per relation. Strapi applies a populate's
 * limit and offset to all parents together, so they are taken out of the batched query and applied
 * to each parent's list afterwards, which keeps each parent's answer what it was.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import DataLoader from 'dataloader';
import { expectFunction, type FastPathPatch } from './patch';

type Entity = { id: number | string };
type Populate = { limit?: number; offset?: number; count?: boolean; [key: string]: unknown };
type Load = (uid: string, entity: Entity, fields: string | string[], populate?: unknown) => Promise<unknown>;

/** A load as the association resolver asks it. */
export type LoadCall = { uid: string; entity: Entity; fields: string | string[]; populate?: unknown };

/** One relation of one parent, as the batch gathers it. */
interface Wanted {
  id: Entity['id'];
  field: string;
  /** The query without limit and offset, and its JSON (what tells two queries apart). */
  query: Record<string, unknown>;
  queryKey: string;
}

interface Scope {
  /** Per content type: the relation loads of this request, gathered over a tick. */
  loaders: Map<string, DataLoader<Wanted, unknown, string>>;
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

/** Instances on which the batching is applied (the middleware opens a scope only there). */
const applied = new WeakSet<Core.Strapi>();
export const relationBatchingApplied = (strapi: Core.Strapi) => applied.has(strapi);

export function batchRelationLoads(strapi: Core.Strapi) {
  applied.add(strapi);
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
    const queryKey = keyOf(populate, query);
    if (queryKey === undefined) return load(uid, entity, fields, populate);
    let loader = loaders.get(uid);
    if (!loader) {
      loader = new DataLoader((wanted) => loadMany(strapi, uid, wanted), {
        // Gather every parent of the list: their resolvers reach here over several ticks.
        batchScheduleFn: (callback) => setImmediate(callback),
        cacheKeyFn: ({ id, field, queryKey }) => `${field}\u0000${queryKey}\u0000${id}`,
      });
      loaders.set(uid, loader);
    }
    const wanted = { id: entity.id, field: fields, query, queryKey };
    return loader.load(wanted).then((related) => {
      if (!Array.isArray(related)) return related;
      const start = offset ?? 0;
      return related.slice(start, limit === undefined || limit < 0 ? undefined : start + limit);
    });
  };
}

/**
 * The JSON of a query, once per query object (the entries of a list share theirs); undefined for
 * a query that is not plain data (a knex subquery of Strapi's publication filters), which is then
 * loaded unbatched, as Strapi would.
 */
const queryKeys = new WeakMap<object, string | undefined>();
const jsonOf = (query: Record<string, unknown>): string | undefined => {
  try {
    return JSON.stringify(query);
  } catch {
    return undefined;
  }
};
function keyOf(populate: unknown, query: Record<string, unknown>): string | undefined {
  if (typeof populate !== 'object' || populate === null) return jsonOf(query);
  if (queryKeys.has(populate)) return queryKeys.get(populate);
  const key = jsonOf(query);
  queryKeys.set(populate, key);
  return key;
}

/**
 * The relations of a batch in as few statements as the database layer allows: the parents once,
 * with every relation asked populated, and one statement per relation. A relation asked with two
 * different queries (aliases with other arguments) takes a second round.
 */
async function loadMany(strapi: Core.Strapi, uid: string, wanted: readonly Wanted[]): Promise<unknown[]> {
  const groups = new Map<string, Wanted[]>();
  for (const item of wanted) {
    const group = `${item.field}\u0000${item.queryKey}`;
    const list = groups.get(group);
    if (list) list.push(item);
    else groups.set(group, [item]);
  }
  const rounds: Map<string, Wanted[]>[] = [];
  for (const list of groups.values()) {
    const field = list[0].field;
    let round = rounds.find((candidate) => !candidate.has(field));
    if (!round) rounds.push((round = new Map()));
    round.set(field, list);
  }

  const found = new Map<string, unknown>();
  for (const round of rounds) {
    const ids = new Set<Entity['id']>();
    const populate: Record<string, unknown> = {};
    for (const [field, list] of round) {
      const { query } = list[0];
      populate[field] = Object.keys(query).length > 0 ? query : true;
      for (const item of list) ids.add(item.id);
    }
    const rows = (await strapi.db.query(uid as never).findMany({
      select: ['id'],
      where: { id: { $in: [...ids] } },
      populate,
    })) as Record<string, unknown>[];
    for (const [field, list] of round)
      for (const row of rows) found.set(`${field}\u0000${list[0].queryKey}\u0000${row.id}`, row[field]);
  }
  // As Strapi's load: null for a parent that no longer exists.
  return wanted.map(({ id, field, queryKey }) => {
    const key = `${field}\u0000${queryKey}\u0000${id}`;
    return found.has(key) ? found.get(key) : null;
  });
}

export const patch: FastPathPatch = {
  name: 'graphql-batch-relations',
  check: (strapi) =>
    expectFunction(
      'strapi.db.entityManager.load',
      (strapi.db?.entityManager as unknown as { load?: unknown } | undefined)?.load,
      4,
    ),
  apply: batchRelationLoads,
};
