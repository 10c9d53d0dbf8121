/**
 * Readers who may not read drafts see published versions only, along every relation path.
 *
 * Strapi keeps a draft row and a published row per document of a draft & publish type, and
 * relations link rows of both kinds. Its Document Service restricts the root of a read to the
 * requested `status`, and passes that status to what it populates; but
 * - a type without draft & publish (site, funder) accepted `status=draft` and populated drafts;
 * - a relation filter (`/api/sites?filters[projects][title][$containsi]=...`) joined every row of
 *   the target, drafts included, and answered whether a draft matched: an oracle on draft text;
 * - a sort along a relation ordered by draft values;
 * - GraphQL relation fields take a `status` argument of their own.
 *
 * The rule is applied once, beneath all of these, at the database layer: a lifecycle subscriber
 * (`strapi.db.lifecycles`, Strapi's public hook) rewrites every read (`findMany`, `findOne`,
 * `count`) made while a content API request of such a reader is served, REST and GraphQL alike:
 * - the queried draft & publish type itself is restricted to published rows;
 * - in `where`, every hop into a draft & publish type is restricted to published rows;
 * - in `populate`, every draft & publish target is restricted to published rows, at every level
 *   (a condition on `publishedAt` there, which is how GraphQL passes `status` on, is replaced);
 * - `orderBy` may not pass through a draft & publish type, nor order by `status` (400).
 * It also bounds the cost of relation paths for every content API caller: `where` and `orderBy`
 * may cross at most MAX_RELATION_HOPS relations (400 beyond, before any SQL runs), and each
 * relation condition of a `where` becomes a semi-join under the bounds of ./relation-filters.ts.
 *
 * Who may read drafts is `mayReadDrafts` in ../permissions/publication.ts (the editor role).
 */
import type { Core } from '@strapi/strapi';
import { contentTypes, errors } from '@strapi/utils';
import { contentApiState, mayReadDrafts } from '../permissions/publication';
import { asRelationCondition, relationFiltersAsSemiJoins } from './relation-filters';

/** Relations a filter or sort may cross: `filters[funders][projects][title]` is two. */
export const MAX_RELATION_HOPS = 2;

const READS = new Set(['beforeFindMany', 'beforeFindOne', 'beforeCount']);
const GROUP_OPERATORS = new Set(['$and', '$or']);
const PUBLISHED = Object.freeze({ publishedAt: Object.freeze({ $notNull: true }) });

type Where = unknown;
type Attribute = { type: string; target?: string; relation?: string };
type Meta = { attributes: Record<string, Attribute> };
type PopulateEntry = {
  where?: Where;
  populate?: unknown;
  orderBy?: unknown;
  on?: Record<string, unknown>;
  [key: string]: unknown;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

interface Walk {
  strapi: Core.Strapi;
  /** Restrict draft & publish targets to published rows (readers who may not read drafts). */
  publishedOnly: boolean;
}

const metaOf = (walk: Walk, uid: string) => walk.strapi.db.metadata.get(uid) as unknown as Meta;

function hasDraftAndPublish(walk: Walk, uid: string): boolean {
  const model = walk.strapi.getModel(uid as never);
  return Boolean(model && contentTypes.hasDraftAndPublish(model as never));
}

const relationTarget = (attribute: Attribute | undefined): string | undefined =>
  attribute?.type === 'relation' && typeof attribute.target === 'string' ? attribute.target : undefined;

const tooDeep = (what: string) =>
  new errors.ValidationError(`Invalid ${what}: a path may cross at most ${MAX_RELATION_HOPS} relations`, {
    source: 'query',
    param: what === 'sort' ? 'sort' : 'filters',
  });

const andPublished = (where: Where): Where =>
  where === undefined || (isRecord(where) && Object.keys(where).length === 0)
    ? PUBLISHED
    : { $and: [where, PUBLISHED] };

/** `where` on `uid` with every relation hop into a draft & publish type restricted, and its depth checked. */
export function rewriteWhere(walk: Walk, uid: string, where: Where, hops = 0): Where {
  if (Array.isArray(where)) return where.map((item) => rewriteWhere(walk, uid, item, hops));
  if (!isRecord(where)) return where;
  const meta = metaOf(walk, uid);
  const rewritten: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(where)) {
    if (GROUP_OPERATORS.has(key) || key === '$not') {
      rewritten[key] = rewriteWhere(walk, uid, value, hops);
      continue;
    }
    const target = relationTarget(meta?.attributes[key]);
    if (!target) {
      rewritten[key] = value;
      continue;
    }
    const isContentType = walk.strapi.contentTypes[target as never] !== undefined;
    // Components are stored as relations too, but crossing one is no hop between documents.
    const nextHops = isContentType ? hops + 1 : hops;
    if (nextHops > MAX_RELATION_HOPS) throw tooDeep('filters');
    const condition = rewriteWhere(walk, target, asRelationCondition(value), nextHops);
    rewritten[key] =
      walk.publishedOnly && hasDraftAndPublish(walk, target) ? andPublished(condition) : condition;
  }
  return rewritten;
}

/** Throws a 400 when `orderBy` crosses too many relations, or (published only) a draft & publish type. */
export function checkOrderBy(walk: Walk, uid: string, orderBy: unknown, hops = 0): void {
  if (Array.isArray(orderBy)) return orderBy.forEach((item) => checkOrderBy(walk, uid, item, hops));
  if (walk.publishedOnly && orderBy === 'status') throw draftOrder('status');
  if (!isRecord(orderBy)) return;
  const meta = metaOf(walk, uid);
  for (const [key, value] of Object.entries(orderBy)) {
    if (walk.publishedOnly && key === 'status') throw draftOrder('status');
    const target = relationTarget(meta?.attributes[key]);
    if (!target) continue;
    const isContentType = walk.strapi.contentTypes[target as never] !== undefined;
    const nextHops = isContentType ? hops + 1 : hops;
    if (nextHops > MAX_RELATION_HOPS) throw tooDeep('sort');
    if (walk.publishedOnly && hasDraftAndPublish(walk, target)) throw draftOrder(key);
    checkOrderBy(walk, target, value, nextHops);
  }
}

const draftOrder = (name: string) =>
  new errors.ValidationError(
    `Invalid sort: "${name}" cannot be sorted on here (it would order by unpublished content)`,
    { source: 'query', param: 'sort' },
  );

/** The populate tree of `uid` in object form, with every draft & publish target restricted. */
export function rewritePopulate(walk: Walk, uid: string, populate: unknown): unknown {
  if (populate === undefined || populate === null || populate === false) return populate;
  const meta = metaOf(walk, uid);
  if (!meta) return populate;
  let map: Record<string, unknown>;
  if (populate === true || populate === '*') {
    map = Object.fromEntries(
      Object.entries(meta.attributes)
        .filter(([, attribute]) => attribute.type === 'relation')
        .map(([name]) => [name, true]),
    );
  } else if (Array.isArray(populate)) {
    map = {};
    for (const path of populate) {
      if (typeof path !== 'string') continue;
      const [root, ...rest] = path.split('.');
      if (rest.length === 0) {
        map[root] ??= true;
      } else {
        const entry: PopulateEntry = isRecord(map[root]) ? (map[root] as PopulateEntry) : {};
        entry.populate = [rest.join('.'), ...((entry.populate as string[] | undefined) ?? [])];
        map[root] = entry;
      }
    }
  } else if (isRecord(populate)) {
    map = populate;
  } else {
    return populate;
  }

  const rewritten: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(map)) {
    const attribute = meta.attributes[name];
    const target = relationTarget(attribute);
    if (!target) {
      // Polymorphic relations: restrict each possible target named in `on`.
      if (attribute?.type === 'relation' && isRecord(value) && isRecord(value.on)) {
        const on = Object.fromEntries(
          Object.entries(value.on).map(([onUid, onValue]) => [onUid, rewriteEntry(walk, onUid, onValue)]),
        );
        rewritten[name] = { ...value, on };
      } else {
        rewritten[name] = value;
      }
      continue;
    }
    rewritten[name] = rewriteEntry(walk, target, value);
  }
  return rewritten;
}

/** One populated relation of target `uid`: `true` or an entry with where, populate, orderBy. */
function rewriteEntry(walk: Walk, uid: string, value: unknown): unknown {
  if (value === false) return value;
  const entry: PopulateEntry = isRecord(value) ? { ...(value as PopulateEntry) } : {};
  const restrict = walk.publishedOnly && hasDraftAndPublish(walk, uid);
  let where = entry.where === undefined ? undefined : rewriteWhere(walk, uid, entry.where);
  // GraphQL's relation resolver turns the root query's `status` into a condition on publishedAt
  // here; for these readers `status` asks for nothing, so the published versions are answered.
  if (restrict && isRecord(where) && 'publishedAt' in where) {
    const { publishedAt: _ignored, ...rest } = where;
    where = rest;
  }
  if (restrict) where = andPublished(where);
  if (where !== undefined) entry.where = relationFiltersAsSemiJoins(walk.strapi, uid, where);
  if (entry.orderBy !== undefined) checkOrderBy(walk, uid, entry.orderBy);
  if (entry.populate !== undefined) entry.populate = rewritePopulate(walk, uid, entry.populate);
  if (!restrict && value === true) return true;
  return entry;
}

interface ReadEvent {
  action: string;
  model: { uid: string };
  params?: Record<string, unknown>;
}

/** Rewrites `params` of a read of `uid` in place (the entity manager runs the same object). */
export function rewriteRead(walk: Walk, uid: string, params: Record<string, unknown>): void {
  let where = params.where === undefined ? undefined : rewriteWhere(walk, uid, params.where);
  if (walk.publishedOnly && hasDraftAndPublish(walk, uid)) where = andPublished(where);
  if (where !== undefined) params.where = relationFiltersAsSemiJoins(walk.strapi, uid, where);
  if (params.orderBy !== undefined) checkOrderBy(walk, uid, params.orderBy);
  if (params.populate !== undefined) params.populate = rewritePopulate(walk, uid, params.populate);
}

export function publishedOnlyForReaders(strapi: Core.Strapi): void {
  strapi.db.lifecycles.subscribe((lifecycleEvent) => {
    const event = lifecycleEvent as unknown as ReadEvent;
    if (!READS.has(event.action) || !event.params) return;
    const state = contentApiState(strapi);
    if (!state) return;
    rewriteRead({ strapi, publishedOnly: !mayReadDrafts(state) }, event.model.uid, event.params);
  });
}
