/**
 * What a filter may cost (issue 23, section 1): relation conditions are semi-joins
 * (src/security/relation-filters.ts), bounded, with the answers Strapi's joins give.
 *
 * Everything is generated from the schemas: every relation path of one and two hops of every
 * content type (and the components' fields), every operator class, alone, negated and in groups.
 * - Equivalence: each generated `where` gives the same rows and count through Strapi's own joins
 *   (a query outside any request, which nothing rewrites) and through the semi-joins.
 * - Bounds: the worst accepted shapes answer 200 and one step beyond answers 400 naming the limit,
 *   in REST and GraphQL, for an anonymous reader and a read-only token.
 * - SQL shape: the statements of those worst accepted filters join nothing and select nothing
 *   DISTINCT at their root; each relation condition is one `IN (SELECT DISTINCT ...)`.
 * - Plan at the bench's scale (20,000 projects, bench/dataset.js): PostgreSQL runs every subquery
 *   of the worst accepted shapes once (a hashed subplan or a join), never once per row. How long
 *   they take is measured by `npm run bench` (row S9), not here.
 */
import { Client } from 'pg';
import { createCallers, type Callers } from './support/callers';
import { createDatabase, databaseUrl } from './support/database';
import { seededRandom } from './support/random';
import {
  FILTERABLE_TEXT_TYPES,
  relationPaths,
  walkSchemas,
  type ContentTypeInfo,
  type RelationPath,
  type Schema,
} from './support/schema-walk';
import { statementsDuring } from './support/sql';
import { appModule, startStrapi, type TestApp } from './support/strapi';

type Where = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const qs = require('qs') as { stringify(value: unknown, options: { encodeValuesOnly: boolean }): string };
/** A REST query string as Strapi's parser reads it (lists with their indices). */
const query = (value: unknown) => qs.stringify(value, { encodeValuesOnly: true });
const relationFilters = appModule<typeof import('../src/security/relation-filters')>(
  'src/security/relation-filters',
);
const { FILTER_LIMITS } = relationFilters;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dataset = require('../bench/dataset.js') as {
  sizesFor(projects: number): { projects: number; sites: number; funders: number; fundersPerProject: number };
  insertDataset(knex: unknown, sizes: ReturnType<typeof dataset.sizesFor>): Promise<unknown>;
};

/** A where along `names` ending in `leaf`: `{ a: { b: leaf } }`. */
const along = (names: string[], leaf: Where): Where =>
  names.reduceRight<Where>((inner, name) => ({ [name]: inner }), leaf);

/** The first filterable, public text field of a type, if any. */
function textFieldOf(type: ContentTypeInfo | undefined): string | undefined {
  if (!type) return undefined;
  return Object.entries(type.attributes).find(
    ([name, attribute]) =>
      FILTERABLE_TEXT_TYPES.has(attribute.type) &&
      !attribute.private &&
      !['slug'].includes(name) &&
      attribute.type !== 'uid',
  )?.[0];
}

/** Paths of one and two relations from `uid`, and into its components' text fields. */
function pathsFrom(schema: Schema, uid: string): { names: string[]; target: string; component?: boolean }[] {
  const relations = [1, 2]
    .flatMap((hops) => relationPaths(schema, uid, hops))
    .filter((path: RelationPath) => path.hops.every((hop) => hop.name !== 'localizations'))
    .map((path) => ({ names: path.hops.map((hop) => hop.name), target: path.target }));
  const type = schema.byUid.get(uid);
  const components = Object.entries(type?.components ?? {}).map(([name, component]) => ({
    names: [name],
    target: component.uid,
    component: true,
  }));
  return [...relations, ...components];
}

let app: TestApp;
let schema: Schema;

beforeAll(async () => {
  app = await startStrapi({ env: { RESPONSE_CACHE: 'false' } });
  schema = await walkSchemas(app.strapi);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

describe('relation conditions as semi-joins give the answers of Strapi’s joins', () => {
  /** Leaves on the target of a path, with values taken from its rows so that some match. */
  async function leavesFor(target: string, component: boolean): Promise<Where[]> {
    const attributes = component
      ? (schema.components[target]?.attributes ?? {})
      : (schema.byUid.get(target)?.attributes ?? {});
    const text = Object.entries(attributes).find(
      ([, attribute]) => FILTERABLE_TEXT_TYPES.has(attribute.type) && !attribute.private,
    )?.[0];
    const rows = (await app.strapi.db.query(target as never).findMany({ limit: 4 })) as Record<
      string,
      unknown
    >[];
    const ids = rows.map((row) => row.id);
    const leaves: Where[] = [
      { id: { $null: true } },
      { id: { $notNull: true } },
      { id: { $in: ids.slice(0, 2) } },
      { id: { $notIn: [] } },
      { id: { $ne: null } },
      { id: ids[0] ?? 0 },
    ];
    if (text) {
      const value = rows.map((row) => row[text]).find((found) => typeof found === 'string') as
        string | undefined;
      const part = value ? value.slice(1, 4) : 'zz';
      leaves.push(
        { [text]: { $containsi: part } },
        { [text]: { $notContainsi: part } },
        { [text]: { $eq: value ?? 'none' } },
        { [text]: { $null: true } },
        { [text]: { $not: { $eq: value ?? 'none' } } },
      );
    }
    return leaves;
  }

  const idsOf = async (uid: string, where: Where) => {
    const rows = (await app.strapi.db.query(uid as never).findMany({ where, select: ['id'] })) as {
      id: number;
    }[];
    return rows.map((row) => row.id).sort((a, b) => a - b);
  };

  it('for every path of one and two relations (and components) of every type, every operator class, alone, negated, published only and in groups', async () => {
    const random = seededRandom(20261207);
    const mismatches: string[] = [];
    let cases = 0;
    let nonEmpty = 0;
    for (const type of schema.types) {
      const paths = pathsFrom(schema, type.uid);
      const atoms: Where[] = [];
      const shapes: Where[] = [];
      for (const path of paths) {
        const leaves = await leavesFor(path.target, Boolean(path.component));
        leaves.forEach((leaf, index) => {
          const atom = along(path.names, leaf);
          atoms.push(atom);
          shapes.push(atom);
          // Every operator class negated and, into a draft & publish type, published only, on a
          // rotation over the paths (all of them on every path would be thousands of queries).
          if ((index + paths.indexOf(path)) % 3 === 0) shapes.push({ $not: atom });
          if ((index + paths.indexOf(path)) % 4 === 0 && schema.byUid.get(path.target)?.draftAndPublish)
            shapes.push(along(path.names, { $and: [leaf, { publishedAt: { $notNull: true } }] }));
        });
      }
      for (let index = 0; index < Math.min(15, atoms.length); index += 1) {
        const pick = () => random.pick(atoms);
        shapes.push(
          { $or: [pick(), pick()] },
          { $and: [pick(), pick()] },
          { $not: { $or: [pick(), pick()] } },
          { ...pick(), ...pick() },
          { $or: [pick(), { $not: { $and: [pick(), pick()] } }] },
        );
      }
      for (const where of shapes) {
        cases += 1;
        const expected = await idsOf(type.uid, where);
        const actual = await idsOf(
          type.uid,
          relationFilters.relationFiltersAsSemiJoins(app.strapi, type.uid, where) as Where,
        );
        if (expected.length > 0) nonEmpty += 1;
        if (JSON.stringify(expected) !== JSON.stringify(actual))
          mismatches.push(`${type.uid} ${JSON.stringify(where)}: joins ${expected} semi-joins ${actual}`);
        if (cases % 10 === 0) {
          const counted = await app.strapi.db.query(type.uid as never).count({
            where: relationFilters.relationFiltersAsSemiJoins(app.strapi, type.uid, where) as Where,
          });
          if (counted !== expected.length) mismatches.push(`${type.uid} count ${JSON.stringify(where)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // The generated set says something: many cases, and a good share that match some rows.
    expect(cases).toBeGreaterThan(700);
    expect(nonEmpty).toBeGreaterThan(cases / 4);
  }, 300_000);
});

/** Collection types with a public REST list and at least one path of two relations. */
function typesWithPaths(): { type: ContentTypeInfo; path: { names: string[]; target: string } }[] {
  return schema.types
    .filter((type) => type.kind === 'collectionType')
    .flatMap((type) => {
      const twoHops = pathsFrom(schema, type.uid).filter(
        (path) => path.names.length === 2 && textFieldOf(schema.byUid.get(path.target)),
      );
      return twoHops.length > 0 ? [{ type, path: twoHops[0] }] : [];
    });
}

/** `branches` branches of `$or`, each the path ending in a text condition. */
function orOf(names: string[], field: string, branches: number, operator = '$containsi'): Where {
  return {
    $or: Array.from({ length: branches }, (_, index) =>
      along(names, { [field]: { [operator]: `z${index}q` } }),
    ),
  };
}

/** The same filter as GraphQL's `filters` argument (operators without `$`, `or`/`and`). */
function graphqlFilter(where: unknown): string {
  if (Array.isArray(where)) return `[${where.map(graphqlFilter).join(', ')}]`;
  if (where && typeof where === 'object')
    return `{ ${Object.entries(where)
      .map(([key, value]) => `${key.replace(/^\$/, '')}: ${graphqlFilter(value)}`)
      .join(', ')} }`;
  return JSON.stringify(where);
}

describe('the bounds of a filter, in REST and GraphQL, for every caller', () => {
  let callers: Callers;
  beforeAll(async () => {
    callers = await createCallers(app, 'relation-filter-bounds');
  });

  const rest = (type: ContentTypeInfo, where: Where, headers: Record<string, string>) =>
    app
      .http()
      .get(
        `${type.restBase}?${query({ filters: where, fields: ['documentId'], pagination: { pageSize: 1 } })}`,
      )
      .set(headers);

  const graphql = (type: ContentTypeInfo, where: Where, headers: Record<string, string>) =>
    app
      .http()
      .post('/graphql')
      .set(headers)
      .send({
        query: `{ ${type.graphql.findQuery}(filters: ${graphqlFilter(where)}, pagination: { pageSize: 1 }) { documentId } }`,
      });

  it('the worst accepted shapes answer 200; one crossing, text condition or condition more, a 400 naming the limit', async () => {
    const found = typesWithPaths();
    expect(found.length).toBeGreaterThanOrEqual(3);
    const failures: string[] = [];
    for (const { type, path } of found) {
      const field = textFieldOf(schema.byUid.get(path.target)) as string;
      const first = type.relations.find((relation) => relation.name === path.names[0])?.target as string;
      const firstField = textFieldOf(schema.byUid.get(first)) ?? 'slug';
      const ownField = textFieldOf(type) ?? 'slug';
      const branches = FILTER_LIMITS.crossings / path.names.length;
      const textBranches = Math.min(branches, FILTER_LIMITS.textBeyondRelation);
      const scalars = (count: number) => ({
        $or: Array.from({ length: count }, (_, index) => ({ [ownField]: { $ne: `v${index}` } })),
      });
      const cases: { where: Where; limit?: number }[] = [
        // The worst accepted: every crossing, every text condition beyond a relation.
        { where: orOf(path.names, field, textBranches) },
        { where: orOf(path.names, field, branches, '$eq') },
        { where: scalars(FILTER_LIMITS.conditions) },
        // One more.
        { where: orOf(path.names, field, branches + 1, '$eq'), limit: FILTER_LIMITS.crossings },
        {
          where: orOf([path.names[0]], firstField, FILTER_LIMITS.textBeyondRelation + 1),
          limit: FILTER_LIMITS.textBeyondRelation,
        },
        { where: scalars(FILTER_LIMITS.conditions + 1), limit: FILTER_LIMITS.conditions },
      ];
      for (const { where, limit } of cases) {
        for (const [caller, headers] of Object.entries(callers.headers)) {
          if (caller === 'editor') continue;
          const restAnswer = await rest(type, where, headers);
          const gqlAnswer = await graphql(type, where, headers);
          const label = `${type.uid} ${caller} ${JSON.stringify(where).slice(0, 120)}`;
          if (limit === undefined) {
            if (restAnswer.status !== 200)
              failures.push(`REST ${label}: ${restAnswer.status} ${restAnswer.text}`);
            if (gqlAnswer.body.errors)
              failures.push(`GraphQL ${label}: ${JSON.stringify(gqlAnswer.body.errors)}`);
          } else {
            const message = `at most ${limit} in one filter`;
            if (restAnswer.status !== 400 || !String(restAnswer.body.error?.message).includes(message))
              failures.push(`REST ${label}: ${restAnswer.status} ${restAnswer.text}`);
            const error = gqlAnswer.body.errors?.[0];
            if (error?.extensions?.code !== 'BAD_USER_INPUT' || !String(error.message).includes(message))
              failures.push(`GraphQL ${label}: ${gqlAnswer.text}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('the statements of the worst accepted filters join nothing at their root: one IN (SELECT DISTINCT ...) per relation condition', async () => {
    const failures: string[] = [];
    for (const { type, path } of typesWithPaths()) {
      const field = textFieldOf(schema.byUid.get(path.target)) as string;
      const branches = Math.min(
        FILTER_LIMITS.crossings / path.names.length,
        FILTER_LIMITS.textBeyondRelation,
      );
      const where = orOf(path.names, field, branches);
      for (const send of [rest, graphql]) {
        const statements = await statementsDuring(app, async () => {
          const answer = await send(type, where, {});
          expect(answer.status).toBe(200);
        });
        const filtered = statements.filter((sql) => sql.includes('in (select distinct'));
        expect(filtered.length).toBeGreaterThan(0);
        for (const sql of filtered) {
          const root = sql.slice(0, sql.indexOf(' where '));
          if (/ join | distinct /i.test(root)) failures.push(`${type.uid}: ${root}`);
          const semiJoins = sql.split('in (select distinct').length - 1;
          if (semiJoins !== branches * path.names.length)
            failures.push(
              `${type.uid}: ${semiJoins} semi-joins for ${branches * path.names.length} crossings`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('at the bench’s scale (20,000 projects)', () => {
  let client: Client;
  const databaseName = `${process.env.TEST_RUN_PREFIX}_${process.pid}_relation_filters_big`;

  /** The subqueries a plan runs once per row: a SubPlan its expressions use without "hashed". */
  const perRowSubplans = (plan: unknown): string[] =>
    [...JSON.stringify(plan).matchAll(/(hashed )?SubPlan \d+\)/g)]
      .filter((match) => !match[1])
      .map((match) => match[0]);

  beforeAll(async () => {
    // The seeded template plus bench/dataset.js's 20,000 projects, 1,000 sites and 500 funders.
    await createDatabase(databaseName, process.env.TEST_TEMPLATE_DATABASE);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const knex = (require('knex') as (config: unknown) => { destroy(): Promise<void> })({
      client: 'pg',
      connection: databaseUrl(databaseName),
    });
    try {
      await dataset.insertDataset(knex, dataset.sizesFor(20_000));
    } finally {
      await knex.destroy();
    }
    client = new Client({ connectionString: databaseUrl(databaseName) });
    await client.connect();
    await client.query('ANALYZE');
  }, 240_000);

  afterAll(async () => {
    await client?.end();
  });

  it('PostgreSQL runs every subquery of the worst accepted filter of every path once, REST and GraphQL, list and count', async () => {
    const failures: string[] = [];
    let explained = 0;
    for (const type of schema.types.filter((candidate) => candidate.kind === 'collectionType')) {
      for (const path of pathsFrom(schema, type.uid)) {
        const attributes = path.component
          ? schema.components[path.target]?.attributes
          : schema.byUid.get(path.target)?.attributes;
        const field = Object.entries(attributes ?? {}).find(
          ([, attribute]) => FILTERABLE_TEXT_TYPES.has(attribute.type) && !attribute.private,
        )?.[0];
        if (!field) continue;
        const branches = Math.min(
          Math.floor(FILTER_LIMITS.crossings / path.names.length),
          FILTER_LIMITS.textBeyondRelation,
        );
        const where = orOf(path.names, field, branches);
        // The statements are the same at any size: made on the seed, planned at 20,000 projects.
        const queries: { sql: string; bindings: unknown[] }[] = [];
        const listener = (query: { sql: string; bindings: unknown[] }) => {
          if (query.sql.includes('in (select distinct')) queries.push(query);
        };
        app.strapi.db.connection.client.on('query', listener);
        try {
          const rest = await app
            .http()
            .get(
              `${type.restBase}?${query({ filters: where, fields: ['documentId'], pagination: { pageSize: 25 } })}`,
            );
          expect(rest.status).toBe(200);
          const graphql = await app
            .http()
            .post('/graphql')
            .send({
              query: `{ ${type.graphql.findQuery}(filters: ${graphqlFilter(where)}, pagination: { pageSize: 25 }) { documentId } }`,
            });
          expect(graphql.body.errors).toBeUndefined();
        } finally {
          app.strapi.db.connection.client.removeListener('query', listener);
        }
        if (queries.length < 2) failures.push(`${type.uid} ${path.names.join('.')}: no semi-join`);
        for (const { sql, bindings } of queries) {
          explained += 1;
          const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, bindings);
          const perRow = perRowSubplans(rows[0]['QUERY PLAN']);
          if (perRow.length > 0) failures.push(`${type.uid} ${path.names.join('.')}: ${perRow.join(', ')}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(explained).toBeGreaterThan(50);
  }, 240_000);

  it('the check above can fail: without DISTINCT, the same subquery at this scale runs once per row', async () => {
    const sql =
      'select "t0"."id" from "public"."projects" as "t0" where "t0"."locale" = $1 and ("t0"."id" in ' +
      '(select "project_id" from "public"."projects_funders_lnk") or "t0"."id" in ' +
      '(select "project_id" from "public"."projects_site_lnk"))';
    const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, ['fr']);
    expect(perRowSubplans(rows[0]['QUERY PLAN']).length).toBeGreaterThan(0);
  });
});
