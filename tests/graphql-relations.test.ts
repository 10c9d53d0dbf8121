/**
 * src/fast-path/graphql-shared-relations.ts: GraphQL relation fields prepared once per request, field and
 * arguments answer exactly what Strapi's per-entry resolvers answer, for every caller.
 */
import { SHARING_DISABLED } from '../src/fast-path/graphql-shared-relations';
import { createCallers, type Callers } from './support/callers';
import { startStrapi, type TestApp } from './support/strapi';

let app: TestApp;
let callers: Callers;

beforeAll(async () => {
  app = await startStrapi({ env: { RESPONSE_CACHE: 'false' } });
  callers = await createCallers(app, 'GraphQL relations test');
});

afterAll(async () => {
  await app?.stop();
});

const QUERIES = {
  listWithRelations: `{ projects(pagination: { pageSize: 50 }) {
    documentId title site { name slug } funders { name slug } } }`,
  relationArguments: `{ projects(pagination: { pageSize: 50 }) {
    title funders(sort: "name:desc", pagination: { limit: 2 }) { name }
    site { name projects(filters: { foundedYear: { gt: 1990 } }, sort: "title") { title } } } }`,
  aliasesWithOtherArguments: `{ projects(pagination: { pageSize: 50 }) {
    title up: funders(sort: "name:asc") { name } down: funders(sort: "name:desc") { name slug } } }`,
  aliasesWithOtherSelections: `{ projects(pagination: { pageSize: 50 }) {
    title a: site { name } b: site { slug documentId } } }`,
  fragmentsAndTypename: `{ projects(pagination: { pageSize: 50 }) {
    title site { __typename ... on Site { name } } funders { ...F } } }
    fragment F on Funder { slug kind }`,
  componentUnderRelation: `{ projects(pagination: { pageSize: 50 }) { title site { name location { latitude } } } }`,
  twoRootFields: `{ fr: projects(pagination: { pageSize: 50 }) { title site { name } }
    de: projects(locale: "de", pagination: { pageSize: 50 }) { title site { name } funders { name } } }`,
  nested: `{ sites(pagination: { pageSize: 50 }) { name projects { title funders { name } site { slug } } }
    services(pagination: { pageSize: 50 }) { name funders { name } } }`,
  connection: `{ projects(pagination: { pageSize: 50 }) { title funders_connection { nodes { name slug } } } }`,
};
// The same relation field under two root queries whose status its load inherits.
const DRAFTS = `{ drafts: projects(status: DRAFT, pagination: { pageSize: 50 }) { title publishedAt site { name publishedAt } funders { name } }
  published: projects(pagination: { pageSize: 50 }) { title publishedAt site { name publishedAt } funders { name } } }`;

async function ask(query: string, headers: Record<string, string> = {}) {
  const response = await app.http().post('/graphql').set(headers).send({ query });
  return { status: response.status, body: response.body };
}

/** The same request with Strapi's resolvers for every entry, then with the shared preparation. */
async function bothWays(query: string, headers: Record<string, string> = {}) {
  const flags = app.strapi as unknown as Record<symbol, boolean>;
  flags[SHARING_DISABLED] = true;
  try {
    const strapi = await ask(query, headers);
    flags[SHARING_DISABLED] = false;
    const shared = await ask(query, headers);
    return { strapi, shared };
  } finally {
    flags[SHARING_DISABLED] = false;
  }
}

describe('GraphQL relations prepared once per field', () => {
  it.each(Object.entries(QUERIES))('answer %s as Strapi does, for every caller', async (_name, query) => {
    for (const headers of Object.values(callers.headers)) {
      const { strapi, shared } = await bothWays(query, headers);
      expect(strapi.status).toBe(200);
      expect(strapi.body.errors).toBeUndefined();
      expect(JSON.stringify(shared.body)).toBe(JSON.stringify(strapi.body));
      const lists = Object.values(strapi.body.data as Record<string, unknown[]>);
      expect(lists.some((list) => list.length > 5)).toBe(true);
    }
  });

  it('answer drafts and published entries to an editor as Strapi does', async () => {
    const { strapi, shared } = await bothWays(DRAFTS, callers.headers.editor);
    expect(strapi.body.errors).toBeUndefined();
    const { drafts, published } = strapi.body.data;
    expect(drafts.length).toBeGreaterThan(5);
    expect(drafts.every((project: { publishedAt: unknown }) => project.publishedAt === null)).toBe(true);
    expect(published.every((project: { publishedAt: unknown }) => project.publishedAt !== null)).toBe(true);
    expect(JSON.stringify(shared.body)).toBe(JSON.stringify(strapi.body));
  });

  it('refuse a relation the caller may not read, entry by entry, as Strapi does', async () => {
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    const grant = await permissions.findOne({
      where: { action: 'api::funder.funder.find', role: { type: 'public' } },
      populate: ['role'],
    });
    await permissions.delete({ where: { id: grant.id } });
    try {
      const { strapi, shared } = await bothWays(QUERIES.listWithRelations);
      const projects = strapi.body.data?.projects ?? [];
      expect(projects.length).toBeGreaterThan(5);
      expect(strapi.body.errors).toHaveLength(projects.length);
      expect(strapi.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(JSON.stringify(shared.body)).toBe(JSON.stringify(strapi.body));
    } finally {
      await permissions.create({ data: { action: grant.action, role: grant.role.id } });
    }
  });

  it('prepare each field once per request and read only the selected columns', async () => {
    const sanitize = app.strapi.contentAPI.sanitize;
    const installed = sanitize.query;
    const asked: string[] = [];
    sanitize.query = ((query: unknown, schema: { uid: string }, options: unknown) => {
      asked.push(schema.uid);
      return installed(query as never, schema as never, options as never);
    }) as never;
    const statements: string[] = [];
    const listener = (query: { sql: string }) => statements.push(query.sql);
    app.strapi.db.connection.client.on('query', listener);
    try {
      const { body } = await ask(QUERIES.listWithRelations);
      const projects = body.data.projects.length;
      expect(projects).toBeGreaterThan(20);
      // One for the list, one per relation field: not one per project and field.
      expect(asked.sort()).toEqual(['api::funder.funder', 'api::project.project', 'api::site.site']);
    } finally {
      sanitize.query = installed;
      app.strapi.db.connection.client.off('query', listener);
    }
    const funders = statements.find((sql) => sql.includes('"public"."funders"'));
    expect(funders).toMatch(/"t0"\."id", "t0"\."name", "t0"\."slug"/);
    expect(funders).not.toContain('"t0".*');
  });

  it('are sent with Cache-Control: no-store (Apollo cache-control plugin off)', async () => {
    const response = await app.http().post('/graphql').send({ query: QUERIES.listWithRelations });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
