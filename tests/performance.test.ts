/**
 * What a read costs the database, counted through knex's `query` events: the number of SQL
 * statements per request must not grow with the page size or with the relations asked for.
 */
import { startStrapi, type TestApp } from './support/strapi';
import { statementsDuring } from './support/sql';

let app: TestApp;

const EXTRA_PROJECTS = 80;

beforeAll(async () => {
  app = await startStrapi({ env: { RESPONSE_CACHE: 'false' } });
  // 29 seeded + 80 more, so that a page of 100 is full.
  const sites = await app.strapi.documents('api::site.site').findMany({ locale: 'fr', limit: 5 });
  const funders = await app.strapi.documents('api::funder.funder').findMany({ locale: 'fr', limit: 6 });
  const projects = app.strapi.documents('api::project.project');
  for (let index = 0; index < EXTRA_PROJECTS; index += 1) {
    const created = await projects.create({
      locale: 'fr',
      data: {
        title: `Projet de charge ${index}`,
        slug: `projet-de-charge-${index}`,
        kind: 'youth-house',
        foundedYear: 1980 + (index % 40),
        site: sites[index % sites.length].documentId,
        funders: [funders[index % 6].documentId, funders[(index + 1) % 6].documentId],
      } as never,
    });
    await projects.publish({ documentId: created.documentId, locale: 'fr' });
  }
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

/** Runs `request` and returns the SQL statements the server sent meanwhile. */
const statementsOf = (request: () => Promise<unknown>) => statementsDuring(app, request);

const listProjects = (pageSize: number) => async () => {
  const response = await app
    .http()
    .get('/api/projects')
    .query({ pagination: { pageSize }, populate: { site: true, funders: { fields: ['name', 'slug'] } } });
  expect(response.status).toBe(200);
  expect(response.body.data.length).toBe(pageSize);
};

const graphqlProjects = (pageSize: number) => async () => {
  const response = await app
    .http()
    .post('/graphql')
    .send({
      query: `{ projects(pagination: { pageSize: ${pageSize} }) { documentId title slug foundedYear site { name slug } funders { name slug } } }`,
    });
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data.projects.length).toBe(pageSize);
};

describe('SQL statements per request', () => {
  it.each([10, 100])('REST list of projects with site and funders, page size %i', async (pageSize) => {
    await listProjects(5)(); // warm: the first request after boot also reads settings
    const statements = await statementsOf(listProjects(pageSize));
    expect(statements.length).toBeLessThanOrEqual(5);
  });

  it.each([10, 100])('GraphQL list of projects with site and funders, page size %i', async (pageSize) => {
    await graphqlProjects(5)();
    const statements = await statementsOf(graphqlProjects(pageSize));
    expect(statements.length).toBeLessThanOrEqual(5);
  });
});

describe('GraphQL relations loaded in batches', () => {
  const restList = async () => {
    const response = await app
      .http()
      .get('/api/projects')
      .query({
        pagination: { pageSize: 100 },
        populate: { site: true, funders: { fields: ['name', 'slug'] } },
      })
      .expect(200);
    return response.body.data as { slug: string; site: { slug: string }; funders: { slug: string }[] }[];
  };

  it('gives every project its own site and funders, as REST does', async () => {
    const response = await app
      .http()
      .post('/graphql')
      .send({ query: '{ projects(pagination: { pageSize: 100 }) { slug site { slug } funders { slug } } }' });
    expect(response.body.errors).toBeUndefined();
    const expected = (await restList()).map((project) => ({
      slug: project.slug,
      site: { slug: project.site.slug },
      funders: project.funders.map((funder) => ({ slug: funder.slug })),
    }));
    expect(expected.some((project) => project.funders.length > 1)).toBe(true);
    expect(response.body.data.projects).toEqual(expected);
  });

  it('applies the limit and start of a relation to each parent, not to the batch', async () => {
    const response = await app.http().post('/graphql').send({
      query:
        '{ projects(pagination: { pageSize: 100 }) { slug funders(pagination: { start: 1, limit: 1 }) { slug } } }',
    });
    expect(response.body.errors).toBeUndefined();
    const expected = (await restList()).map((project) => ({
      slug: project.slug,
      funders: project.funders.slice(1, 2).map((funder) => ({ slug: funder.slug })),
    }));
    expect(expected.filter((project) => project.funders.length === 1).length).toBeGreaterThan(50);
    expect(response.body.data.projects).toEqual(expected);
  });
});

describe('indexes of the public filters (database/migrations/)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const migration = require('../database/migrations/2026.11.25T00.00.00.index-public-filters.js') as {
    INDEXES: Record<string, string[][]>;
    indexName: (table: string, columns: string[]) => string;
  };
  const expected = Object.entries(migration.INDEXES).flatMap(([table, indexes]) =>
    indexes.map((columns) => migration.indexName(table, columns)),
  );

  it('exist after boot, the schema sync notwithstanding', async () => {
    const { rows } = await app.strapi.db.connection.raw(
      'SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()',
    );
    const present = new Set(rows.map((row: { indexname: string }) => row.indexname));
    expect(expected.filter((name) => !present.has(name))).toEqual([]);
    expect(expected.length).toBeGreaterThanOrEqual(20);
  });

  it.each([
    ['projects', "slug = 'maison-des-jeunes-mersch'", 'ia_projects_slug_idx'],
    ['projects', "locale = 'fr' AND published_at IS NOT NULL", 'ia_projects_locale_published_at_idx'],
    ['sites', "commune = 'Mersch'", 'ia_sites_commune_idx'],
  ])('%s WHERE %s can use %s', async (table, where, index) => {
    const plan = await app.strapi.db.connection.transaction(async (trx) => {
      // Small tables are read whole; forbid that to see whether the index serves the filter.
      await trx.raw('SET LOCAL enable_seqscan = off');
      const { rows } = await trx.raw(`EXPLAIN SELECT id FROM ${table} WHERE ${where}`);
      return rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain(index);
  });
});
