/**
 * What a filter may cost: relation conditions as semi-joins, and bounds on what is left.
 *
 * Strapi turns every relation key of a `where` into LEFT JOINs (a link table, then the target)
 * under SELECT DISTINCT, a new chain for each occurrence: six `$or` branches through two relations
 * joined twelve tables, and the rows they multiplied took the 15 s statement timeout at 2,000
 * projects. Here, for the content API, each relation condition becomes a semi-join instead,
 * `id IN (SELECT owner FROM link WHERE target IN (SELECT id FROM target WHERE ...))`, which
 * PostgreSQL runs once (a hashed subplan, or a semi-join), so the cost of a filter is the sum of its
 * conditions, not their product. It goes through Strapi's own where syntax (`$in` takes a knex
 * query; the target's conditions are processed by Strapi's query builder), from the
 * `strapi.db.lifecycles` subscriber of ./published-only.ts.
 *
 * The answer is the one Strapi's joins give, exactly (tests/relation-filters.test.ts compares the
 * two on generated filters). Strapi's semantics are those of the joined rows: a root row matches
 * when some combination of its related rows (or, for a row without related rows, the LEFT JOIN's
 * row of NULLs) makes the condition true. Hence:
 * - `$not` is pushed down to the relation (`NOT (funders.name = x)` is "some funder is not named
 *   x", not "no funder is named x"), through `$and`/`$or` by De Morgan's laws, which hold in SQL's
 *   three-valued logic;
 * - when the condition is true on a row of NULLs (`{ funders: { id: { $null: true } } }`, "has no
 *   funder"), entries without related rows match too.
 *
 * What stays bounded (400 naming the limit, before any SQL runs), for every content API caller:
 * see FILTER_LIMITS. A path may cross at most MAX_RELATION_HOPS relations (./published-only.ts).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

export const FILTER_LIMITS = Object.freeze({
  /** Relations and components crossed in one filter, all paths together (`funders.projects.x` is 2). */
  crossings: 8,
  /** Text conditions (`$contains`, `$startsWith`, `$endsWith`, `$eqi` and their negations) beyond a relation. */
  textBeyondRelation: 4,
  /**
   * Field conditions in one filter: each operator on a field is one; the values of a list are not
   * counted, nor conditions on `locale` and `publishedAt`, which the server adds to every read.
   */
  conditions: 50,
});

/** Fields the Document Service and the published-only rule add conditions on, to every read. */
const SERVER_FIELDS = new Set(['locale', 'publishedAt']);

const TEXT_OPERATORS = new Set([
  '$contains',
  '$containsi',
  '$notContains',
  '$notContainsi',
  '$startsWith',
  '$startsWithi',
  '$endsWith',
  '$endsWithi',
  '$eqi',
  '$nei',
]);
const GROUPS = new Set(['$and', '$or']);

type Where = unknown;
type Record_ = Record<string, unknown>;
interface JoinColumnShape {
  name: string;
  referencedColumn: string;
}
interface JoinTableShape {
  name: string;
  joinColumn: JoinColumnShape;
  inverseJoinColumn: JoinColumnShape;
  on?: Record<string, unknown>;
  morphColumn?: { idColumn: JoinColumnShape; typeColumn: { name: string } };
}
interface Attribute {
  type: string;
  relation?: string;
  target?: string;
  morphBy?: string;
  joinTable?: JoinTableShape;
}
interface Meta {
  attributes: Record<string, Attribute>;
}
/** The small part of knex used here: a query builder that can be a subquery. */
interface SubQuery {
  select(...columns: string[]): SubQuery;
  distinct(...columns: string[]): SubQuery;
  where(column: string, value: unknown): SubQuery;
  whereIn(column: string, values: unknown): SubQuery;
  whereNotNull(column: string): SubQuery;
}

/**
 * The items of a group, for counting and reasoning. Strapi refuses a group that is not a list (400,
 * "Operator $or must be an array"), and the rewrite leaves one as it is.
 */
const list = (value: unknown): Where[] => (Array.isArray(value) ? value : [value]);

const isRecord = (value: unknown): value is Record_ =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** A relation's condition on the related row: an id, an operator on ids, or conditions. */
export function asRelationCondition(value: Where): Where {
  if (!isRecord(value)) return { id: value };
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0].startsWith('$') && !GROUPS.has(keys[0]) && keys[0] !== '$not')
    return { id: value };
  return value;
}

interface Walk {
  strapi: Core.Strapi;
  crossings: number;
  textBeyondRelation: number;
  conditions: number;
}

const metaOf = (walk: Walk, uid: string) => walk.strapi.db.metadata.get(uid) as unknown as Meta | undefined;

const relationOf = (meta: Meta | undefined, key: string): Attribute | undefined => {
  const attribute = meta?.attributes[key];
  return attribute?.type === 'relation' && typeof attribute.target === 'string' ? attribute : undefined;
};

const overLimit = (what: string, limit: number) =>
  new errors.ValidationError(`Invalid filters: ${what} (at most ${limit} in one filter)`, {
    source: 'query',
    param: 'filters',
    limit,
  });

// ---------------------------------------------------------------------------------------------
// Counting: the bounds, checked on the whole filter before anything is built.

function countScalar(walk: Walk, value: unknown, beyondRelation: boolean): void {
  if (!isRecord(value)) {
    walk.conditions += 1;
    return;
  }
  for (const [operator, operand] of Object.entries(value)) {
    if (operator === '$not') {
      countScalar(walk, operand, beyondRelation);
      continue;
    }
    walk.conditions += 1;
    if (beyondRelation && TEXT_OPERATORS.has(operator)) walk.textBeyondRelation += 1;
  }
}

function count(walk: Walk, uid: string, where: Where, beyondRelation: boolean): void {
  if (Array.isArray(where)) return where.forEach((item) => count(walk, uid, item, beyondRelation));
  if (!isRecord(where)) return;
  const meta = metaOf(walk, uid);
  for (const [key, value] of Object.entries(where)) {
    if (GROUPS.has(key) || key === '$not') {
      count(walk, uid, value, beyondRelation);
      continue;
    }
    const relation = relationOf(meta, key);
    if (!relation) {
      if (!SERVER_FIELDS.has(key)) countScalar(walk, value, beyondRelation);
      continue;
    }
    walk.crossings += 1;
    count(walk, relation.target as string, asRelationCondition(value), true);
  }
}

/** Throws a 400 when `where` on `uid` goes over one of FILTER_LIMITS. */
export function checkFilterCost(strapi: Core.Strapi, uid: string, where: Where): void {
  const walk: Walk = { strapi, crossings: 0, textBeyondRelation: 0, conditions: 0 };
  count(walk, uid, where, false);
  if (walk.crossings > FILTER_LIMITS.crossings)
    throw overLimit(`${walk.crossings} crossings of a relation or component`, FILTER_LIMITS.crossings);
  if (walk.textBeyondRelation > FILTER_LIMITS.textBeyondRelation)
    throw overLimit(
      `${walk.textBeyondRelation} text conditions beyond a relation`,
      FILTER_LIMITS.textBeyondRelation,
    );
  if (walk.conditions > FILTER_LIMITS.conditions)
    throw overLimit(`${walk.conditions} conditions`, FILTER_LIMITS.conditions);
}

// ---------------------------------------------------------------------------------------------
// Truth on a row of NULLs, in SQL's three-valued logic: true, false, or undefined (unknown),
// computed as Strapi's where.js would make the SQL (e.g. `$null: x` tests x's JS truthiness).

type Truth = boolean | undefined;
const not = (value: Truth): Truth => (value === undefined ? undefined : !value);
function and(values: Truth[]): Truth {
  if (values.includes(false)) return false;
  return values.includes(undefined) ? undefined : true;
}
function or(values: Truth[]): Truth {
  if (values.includes(true)) return true;
  return values.includes(undefined) ? undefined : false;
}

function operatorOnNull(operator: string, operand: unknown): Truth {
  const nonArray = !['$in', '$notIn', '$between'].includes(operator);
  // where.js applies a non-list operator to each value of a list, joined by OR.
  if (Array.isArray(operand) && nonArray) return or(operand.map((item) => operatorOnNull(operator, item)));
  switch (operator) {
    case '$null':
      return Boolean(operand);
    case '$notNull':
      return !operand;
    case '$eq':
    case '$eqi':
      return operand === null ? true : undefined;
    case '$ne':
    case '$nei':
      return operand === null ? false : undefined;
    case '$not':
      return not(columnOnNull(operand));
    case '$in':
      // knex writes `1 = 0` for an empty list.
      return Array.isArray(operand) && operand.length === 0 ? false : undefined;
    case '$notIn':
      return Array.isArray(operand) && operand.length === 0 ? true : undefined;
    default:
      return undefined;
  }
}

function columnOnNull(value: unknown): Truth {
  if (!isRecord(value)) {
    // A list is `IN (...)`; a single value `= value`, which knex writes `IS NULL` for null.
    if (Array.isArray(value)) return value.length === 0 ? false : undefined;
    return value === null ? true : undefined;
  }
  return and(Object.entries(value).map(([operator, operand]) => operatorOnNull(operator, operand)));
}

function truthOnNull(walk: Walk, uid: string, where: Where): Truth {
  if (Array.isArray(where)) return and(where.map((item) => truthOnNull(walk, uid, item)));
  if (!isRecord(where)) return undefined;
  const meta = metaOf(walk, uid);
  return and(
    Object.entries(where).map(([key, value]): Truth => {
      if (key === '$and') return and(list(value).map((item) => truthOnNull(walk, uid, item)));
      if (key === '$or') return or(list(value).map((item) => truthOnNull(walk, uid, item)));
      if (key === '$not') return not(truthOnNull(walk, uid, value));
      const relation = relationOf(meta, key);
      // A row of NULLs joins nothing further: its related rows are rows of NULLs too.
      if (relation) return truthOnNull(walk, relation.target as string, asRelationCondition(value));
      return columnOnNull(value);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The rewrite.

/** Whether `where` crosses a relation anywhere (not counting what lies beyond the first one). */
function crossesRelation(walk: Walk, uid: string, where: Where): boolean {
  if (Array.isArray(where)) return where.some((item) => crossesRelation(walk, uid, item));
  if (!isRecord(where)) return false;
  const meta = metaOf(walk, uid);
  return Object.entries(where).some(([key, value]) =>
    GROUPS.has(key) || key === '$not' ? crossesRelation(walk, uid, value) : Boolean(relationOf(meta, key)),
  );
}

/**
 * NOT `where`, with the negation pushed down to fields and relations: De Morgan through groups and
 * through the implicit AND of an object's keys, into a relation's condition (Strapi's joins test
 * the NOT on each related row).
 */
function negate(walk: Walk, uid: string, where: Where): Where {
  if (Array.isArray(where)) return { $or: where.map((item) => negate(walk, uid, item)) };
  if (!isRecord(where)) return { $not: where };
  const meta = metaOf(walk, uid);
  const branches = Object.entries(where).map(([key, value]): Where => {
    if (key === '$and') return { $or: list(value).map((item) => negate(walk, uid, item)) };
    if (key === '$or') return { $and: list(value).map((item) => negate(walk, uid, item)) };
    if (key === '$not') return value;
    if (relationOf(meta, key)) return { [key]: { $not: asRelationCondition(value) } };
    return { $not: { [key]: value } };
  });
  return branches.length === 1 ? branches[0] : { $or: branches };
}

/** The ids of `target` rows where `where` holds, as a subquery. */
function targetIds(walk: Walk, target: string, where: Where, column: string): SubQuery {
  const query = walk.strapi.db.queryBuilder(target as never) as unknown as {
    select(column: string): { where(where: Where): { getKnexQuery(): SubQuery } };
  };
  return query
    .select(column)
    .where(rewrite(walk, target, where))
    .getKnexQuery();
}

const table = (walk: Walk, name: string) =>
  (walk.strapi.db as unknown as { getConnection(table: string): SubQuery }).getConnection(name);

/**
 * `{ rel: condition }` on `uid` as a semi-join on the link table, or undefined where Strapi's join
 * is kept (a relation without a link table: a column on the row itself, which multiplies nothing).
 */
function semiJoin(walk: Walk, uid: string, key: string, relation: Attribute, condition: Where): Where {
  const target = relation.target as string;
  let owners: SubQuery;
  let ownersWithAny: SubQuery;
  let ownerColumn: string;
  if (relation.joinTable && !relation.joinTable.morphColumn) {
    // Link tables of relations and components; `on` names a component's field.
    const { name, joinColumn, inverseJoinColumn, on = {} } = relation.joinTable;
    const link = () => {
      const query = table(walk, name).distinct(joinColumn.name);
      for (const [column, value] of Object.entries(on)) query.where(column, value);
      return query;
    };
    owners = link().whereIn(
      inverseJoinColumn.name,
      targetIds(walk, target, condition, inverseJoinColumn.referencedColumn),
    );
    ownersWithAny = link().whereNotNull(joinColumn.name);
    ownerColumn = joinColumn.referencedColumn;
  } else if (relation.relation?.startsWith('morph') && relation.morphBy) {
    // Media: the file's morph table names the entry by id, type and field.
    const joinTable = (metaOf(walk, target)?.attributes[relation.morphBy] as Attribute | undefined)
      ?.joinTable;
    if (!joinTable?.morphColumn) return undefined;
    const { name, joinColumn, morphColumn } = joinTable;
    const link = () =>
      table(walk, name)
        .distinct(morphColumn.idColumn.name)
        .where(morphColumn.typeColumn.name, uid)
        .where('field', key);
    owners = link().whereIn(joinColumn.name, targetIds(walk, target, condition, joinColumn.referencedColumn));
    ownersWithAny = link().whereNotNull(morphColumn.idColumn.name);
    ownerColumn = morphColumn.idColumn.referencedColumn;
  } else {
    return undefined;
  }
  // DISTINCT: PostgreSQL sizes an `IN (subquery)` under OR by the rows it expects; one row per link
  // (400,000 at 20,000 projects) does not fit in work_mem, and the subquery was then scanned again
  // for every entry (minutes); one per owner (80,000) is hashed once (tens of milliseconds).
  const some = { [ownerColumn]: { $in: owners } };
  // Strapi's LEFT JOIN gives an entry without related rows one row of NULLs.
  if (truthOnNull(walk, target, condition) !== true) return some;
  return { $or: [some, { [ownerColumn]: { $notIn: ownersWithAny } }] };
}

/** `where` on `uid` with every relation condition a semi-join. */
function rewrite(walk: Walk, uid: string, where: Where): Where {
  if (Array.isArray(where)) return where.map((item) => rewrite(walk, uid, item));
  if (!isRecord(where) || !crossesRelation(walk, uid, where)) return where;
  // A group that is not a list: Strapi refuses the filter (400); it is left as it is.
  if ([...GROUPS].some((group) => group in where && !Array.isArray(where[group]))) return where;
  const meta = metaOf(walk, uid);
  const kept: Record_ = {};
  const semiJoins: Where[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (GROUPS.has(key)) {
      const items = (value as Where[]).map((item) => rewrite(walk, uid, item));
      if (key === '$and') semiJoins.push(...items);
      else kept.$or = items;
      continue;
    }
    if (key === '$not') {
      if (crossesRelation(walk, uid, value)) semiJoins.push(rewrite(walk, uid, negate(walk, uid, value)));
      else kept.$not = value;
      continue;
    }
    const relation = relationOf(meta, key);
    const joined = relation && semiJoin(walk, uid, key, relation, asRelationCondition(value));
    if (joined) semiJoins.push(joined);
    else kept[key] = value;
  }
  return semiJoins.length === 0 ? kept : { ...kept, $and: semiJoins };
}

/**
 * `where` on `uid` with its relation conditions as semi-joins (same answers as Strapi's joins),
 * after checking FILTER_LIMITS (400).
 */
export function relationFiltersAsSemiJoins(strapi: Core.Strapi, uid: string, where: Where): Where {
  checkFilterCost(strapi, uid, where);
  return rewrite({ strapi, crossings: 0, textBeyondRelation: 0, conditions: 0 }, uid, where);
}
