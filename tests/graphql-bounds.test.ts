/**
 * Issue 23, section 3: GraphQL documents that blocked the event loop. The penetration test's
 * documents, each limit at its bound and one past it, GET and batched bodies, variables nested
 * 20,000 deep, and a statement timeout reached through GraphQL; the project's own queries still
 * answer.
 *
 * A refusal in Strapi's error shape (`{ data: null, error }`) comes from global::graphql-bounds:
 * Apollo answers in GraphQL's (`{ errors }`), so such an answer shows that Apollo never parsed the
 * document. Some refused documents end in a syntax error that only a reader going to the end
 * would meet.
 */
import { getIntrospectionQuery } from 'graphql';
import { Client } from 'pg';
import { GRAPHQL_LIMITS } from '../src/middlewares/graphql-bounds';
import { databaseUrl } from './support/database';
import { startStrapi, type TestApp } from './support/strapi';

let app: TestApp;

beforeAll(async () => {
  // Short enough for the timeout test to wait on a locked table for a second only.
  app = await startStrapi({ env: { DATABASE_STATEMENT_TIMEOUT: '1000' } });
});

afterAll(async () => {
  await app?.stop();
});

type Limit = keyof typeof GRAPHQL_LIMITS | 'variablesDepth';

const refusal = (limit: Limit) => ({
  data: null,
  error: {
    status: 400,
    name: 'ValidationError',
    message: expect.any(String),
    details: { limit, max: GRAPHQL_LIMITS[limit === 'variablesDepth' ? 'depth' : limit] },
  },
});

/** A JSON body sent as written (supertest's JSON.stringify overflows on deep variables). */
const postRaw = (body: string) =>
  app.http().post('/graphql').set('Content-Type', 'application/json').send(body);
const post = (query: string, variables?: object) => postRaw(JSON.stringify({ query, variables }));
/** GET needs a header a browser form cannot send (Apollo's CSRF prevention). */
const get = (params: Record<string, string>) =>
  app
    .http()
    .get(`/graphql?${new URLSearchParams(params)}`)
    .set('Apollo-Require-Preflight', 'true');

const repeat = (text: string, count: number, separator = ' ') => Array(count).fill(text).join(separator);
const names = (count: number) => Array.from({ length: count }, (_, index) => index.toString(36));

/** The penetration test's documents, each just under the 1 MB body limit. */
const ATTACKS: [string, string][] = [
  [
    '80,000 variable definitions',
    `query (${names(80_000)
      .map((name) => `$v${name}: Int`)
      .join(' ')}) { __typename }`,
  ],
  ['90,000 __typename', `{ ${repeat('__typename', 90_000)} }`],
  [
    '40,000 operations',
    names(40_000)
      .map((name) => `query Q${name} { __typename }`)
      .join(' '),
  ],
  ['100,000 duplicate variables', `query (${repeat('$a: Int', 100_000)}) { __typename }`],
];

/** `{"and":[` nested `levels` times, as a JSON text (JSON.stringify cannot write 20,000 levels). */
const nestedFilters = (levels: number) => `${'{"and":['.repeat(levels)}{}${']}'.repeat(levels)}`;
const FILTERED = 'query ($f: ProjectFiltersInput) { projects(filters: $f) { title } }';

describe("the penetration test's documents answer 400 before Apollo parses them", () => {
  it.each(ATTACKS)('%s', async (_, query) => {
    expect(query.length).toBeGreaterThan(700_000);
    const response = await post(query);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(refusal('length'));
  });

  it('four at once, beside a legitimate query that is answered', async () => {
    const [legit, ...refused] = await Promise.all([
      post('{ projects(pagination: { pageSize: 2 }) { title } }'),
      ...ATTACKS.map(([, query]) => post(query)),
    ]);
    expect(refused.map((response) => [response.status, response.body.error?.details?.limit])).toEqual(
      ATTACKS.map(() => [400, 'length']),
    );
    expect(legit.status).toBe(200);
    expect(legit.body.data.projects).toHaveLength(2);
  });

  it.each([
    [
      'variables',
      'variable definitions',
      (count: number) =>
        `query (${names(count)
          .map((name) => `$v${name}: Int`)
          .join(' ')}) { __typename }`,
    ],
    ['tokens', '__typename', (count: number) => `{ ${repeat('__typename', count)} }`],
    [
      'definitions',
      'operations',
      (count: number) =>
        names(count)
          .map((name) => `query Q${name} { __typename }`)
          .join(' '),
    ],
  ])(
    'within the length, past the %s (%s), and not read to the syntax error at its end',
    async (limit, _, build) => {
      const query = `${build(3_000).slice(0, GRAPHQL_LIMITS.length - 2)} )`;
      const response = await post(query);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(refusal(limit as Limit));
    },
  );

  it('variables nested 20,000 deep', async () => {
    const response = await postRaw(
      `{"query":${JSON.stringify(FILTERED)},"variables":{"f":${nestedFilters(20_000)}}}`,
    );
    expect(response.status).toBe(400);
    expect(response.body).toEqual(refusal('variablesDepth'));
    expect(response.body.error.message).toContain('$f');
  });
});

describe('each limit: a document at it is read, one past it refused', () => {
  const max = GRAPHQL_LIMITS;
  /** A document with `count` of what the limit counts (Apollo refuses most of them, for other reasons). */
  const cases: [Limit, (count: number) => string][] = [
    ['length', (count) => `{ __typename }${' '.repeat(count - '{ __typename }'.length)}`],
    ['tokens', (count) => `{ ${repeat('__typename', count - 2)} }`],
    // `{` and `(` around `count - 2` brackets
    ['depth', (count) => `{ __typename(x: ${'['.repeat(count - 2)}1${']'.repeat(count - 2)}) }`],
    [
      'definitions',
      (count) =>
        names(count)
          .map((name) => `query Q${name} { __typename }`)
          .join(' '),
    ],
    [
      'variables',
      (count) =>
        `query (${names(count)
          .map((name) => `$v${name}: Int`)
          .join(' ')}) { __typename }`,
    ],
    ['directives', (count) => `{ __typename ${repeat('@include(if: true)', count)} }`],
  ];

  it.each(cases)('%s', async (limit, build) => {
    const bound = max[limit as keyof typeof max];
    const at = await post(build(bound));
    expect(at.body.error).toBeUndefined(); // Apollo's answer, whatever it is
    expect(at.body.errors ?? at.body.data).toBeDefined();
    const past = await post(build(bound + 1));
    expect(past.status).toBe(400);
    expect(past.body).toEqual(refusal(limit));
  });

  it('variables', async () => {
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const at = await postRaw(`{"query":"{ __typename }","variables":{"deep":${nested(max.depth)}}}`);
    expect([at.status, at.body]).toEqual([200, { data: { __typename: 'Query' } }]);
    const past = await postRaw(`{"query":"{ __typename }","variables":{"deep":${nested(max.depth + 1)}}}`);
    expect(past.status).toBe(400);
    expect(past.body).toEqual(refusal('variablesDepth'));
  });
});

describe('GET and batched bodies are bounded too', () => {
  it('GET: the document in the URL, and its variables', async () => {
    const tokens = await get({ query: `{ ${repeat('__typename', GRAPHQL_LIMITS.tokens)} }` });
    expect(tokens.status).toBe(400);
    expect(tokens.body).toEqual(refusal('tokens'));
    const deep = await get({ query: FILTERED, variables: `{"f":${nestedFilters(100)}}` });
    expect(deep.status).toBe(400);
    expect(deep.body).toEqual(refusal('variablesDepth'));
  });

  it('a batched body is checked document by document (Apollo refuses batches anyway)', async () => {
    const body = JSON.stringify([
      { query: '{ __typename }' },
      { query: `{ ${repeat('__typename', 1_500)} }` },
    ]);
    const response = await postRaw(body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(refusal('tokens'));
    const small = await postRaw(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(small.status).toBe(400);
    expect(small.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('a statement timeout through GraphQL answers as REST does', () => {
  it('503 with Retry-After, in the same shape and words as REST', async () => {
    // A second connection holds the projects table: each read waits until PostgreSQL cancels it.
    const lock = new Client({ connectionString: databaseUrl(app.databaseName) });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE projects IN ACCESS EXCLUSIVE MODE');
      const [graphql, rest] = await Promise.all([
        post('{ projects(filters: { title: { eq: "statement-timeout" } }) { title } }'),
        app.http().get('/api/projects?filters[title][$eq]=statement-timeout'),
      ]);
      expect(rest.status).toBe(503);
      expect(rest.body.error.name).toBe('ServiceUnavailableError');
      expect(graphql.status).toBe(503);
      expect(graphql.headers['retry-after']).toBe(rest.headers['retry-after']);
      expect(Number(graphql.headers['retry-after'])).toBeGreaterThan(0);
      expect(graphql.body).toEqual(rest.body);
    } finally {
      await lock.query('ROLLBACK');
      await lock.end();
    }
    expect((await post('{ projects(pagination: { pageSize: 1 }) { title } }')).status).toBe(200);
  });
});

describe("the project's own queries still answer", () => {
  it.each([
    [
      'the timeline',
      '{ timeline(locale: "en") { locale entries { type year title site { name } } organisation { name } } }',
    ],
    [
      'search',
      '{ search(q: "maison", locale: "fr", types: ["project", "site"], pagination: { page: 1, pageSize: 10 }) { data { type title snippet site { name } } pagination { total } } }',
    ],
    [
      'a list with filters, sort and pagination',
      `{ projects(filters: { and: [{ foundedYear: { gte: 1979 } }, { or: [{ kind: { eq: "youth-house" } }, { site: { slug: { ne: "x" } } }] }] },
          sort: ["title:asc"], pagination: { page: 1, pageSize: 25 }, locale: "de") { documentId title slug foundedYear site { name slug } funders { name slug } } }`,
    ],
    [
      'a connection with its page info',
      '{ sites_connection(pagination: { page: 2, pageSize: 5 }) { nodes { name projects(pagination: { limit: 3 }) { title } } pageInfo { page pageSize total pageCount } } }',
    ],
    [
      'variables, fragments and directives',
      `query Sites($locale: I18NLocaleCode, $withProjects: Boolean!) { sites(locale: $locale) { ...Site projects @include(if: $withProjects) { title } } }
       fragment Site on Site { __typename documentId name slug }`,
    ],
    [
      "GraphiQL's introspection query",
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      }),
    ],
  ])('%s', async (_, query) => {
    const response = await post(query, { locale: 'en', withProjects: true });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(Object.values(response.body.data).every((value) => value !== null)).toBe(true);
  });

  it('GET with variables', async () => {
    const response = await get({
      query:
        'query ($f: ProjectFiltersInput) { projects(filters: $f, pagination: { pageSize: 3 }) { title } }',
      variables: JSON.stringify({
        f: { and: [{ foundedYear: { gte: 1900 } }, { or: [{ slug: { ne: 'x' } }] }] },
      }),
    });
    expect(response.status).toBe(200);
    expect(response.body.data.projects).toHaveLength(3);
  });
});
