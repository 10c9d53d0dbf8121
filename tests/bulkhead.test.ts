/**
 * Load shedding (issue 23, section 2): a saturated pool does not make an instance unready, and
 * expensive requests draw on a bounded share of the pool and a few per client, refused at once
 * beyond it (src/middlewares/bulkhead.ts, src/middlewares/ready.ts).
 *
 * Requests are made to wait by a lock the test holds on the projects table (a second connection),
 * so that each one holds a pooled connection for as long as the test wants, whatever the machine.
 */
import { Client } from 'pg';
import supertest from 'supertest';
import { databaseUrl } from './support/database';
import { appModule, startStrapi, type TestApp } from './support/strapi';

const POOL = 5; // DATABASE_POOL_MAX: the expensive share is floor(5 × 0.4) = 2
const PER_CLIENT = 1;
const { expensiveClass } =
  appModule<typeof import('../src/middlewares/bulkhead')>('src/middlewares/bulkhead');

let app: TestApp;
let lock: Client;

const RELATION_FILTER = '/api/projects?filters%5Bfunders%5D%5Bname%5D%5B%24containsi%5D=commune';
const from = (client: string) => ({ 'X-Forwarded-For': client });

beforeAll(async () => {
  app = await startStrapi({
    env: {
      RESPONSE_CACHE: 'false',
      DATABASE_POOL_MAX: String(POOL),
      BULKHEAD_POOL_SHARE: '0.4',
      BULKHEAD_PER_CLIENT: String(PER_CLIENT),
      TRUST_PROXY: 'true',
      TRUSTED_PROXY_HOPS: '1',
    },
  });
  lock = new Client({ connectionString: databaseUrl(app.databaseName) });
  await lock.connect();
});

afterAll(async () => {
  await lock?.end();
  await app?.stop();
});

/**
 * Runs `work` while the projects table is locked; once the lock is released, waits for the
 * answers `work` left running and returns them.
 */
async function whileLocked(
  work: () => Promise<Promise<supertest.Response>[]>,
): Promise<supertest.Response[]> {
  await lock.query('BEGIN');
  await lock.query('LOCK TABLE projects IN ACCESS EXCLUSIVE MODE');
  let held: Promise<supertest.Response>[] = [];
  try {
    held = await work();
  } finally {
    await lock.query('COMMIT');
  }
  return Promise.all(held);
}

/** Waits until `count` statements of the app wait on the lock. */
async function waiting(count: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { rows } = await lock.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
      [app.databaseName],
    );
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${count} statements never waited on the lock`);
}

/** Sends `request` now; its answer comes later. */
const started = (request: supertest.Test): Promise<supertest.Response> =>
  request.then((response) => response);

describe('expensive requests', () => {
  it('are told apart from cheap ones without a schema: downloads, search, filters through a relation or component, such GraphQL', () => {
    const ctx = (path: string, query: Record<string, unknown> = {}, method = 'GET', body?: unknown) =>
      ({ path, query, method, request: { body } }) as never;
    expect(expensiveClass(ctx('/api/listings/projects.csv'))).toBe('download');
    expect(expensiveClass(ctx('/api/listings/projects.xlsx'))).toBe('download');
    expect(expensiveClass(ctx('/api/search', { q: 'gare' }))).toBe('search');
    expect(expensiveClass(ctx('/api/projects', { filters: { funders: { name: { $eq: 'x' } } } }))).toBe(
      'relation filter',
    );
    expect(expensiveClass(ctx('/api/projects', { filters: { contact: { email: { $eq: 'x' } } } }))).toBe(
      'relation filter',
    );
    expect(
      expensiveClass(
        ctx('/api/projects', { filters: { $or: [{ title: { $eq: 'a' } }, { site: { slug: 'b' } }] } }),
      ),
    ).toBe('relation filter');
    // Cheap: plain lists, operators on the type's own fields, an id through a relation is still a crossing.
    expect(expensiveClass(ctx('/api/projects'))).toBeUndefined();
    expect(
      expensiveClass(ctx('/api/projects', { filters: { title: { $containsi: 'x' }, foundedYear: 1990 } })),
    ).toBe(undefined);
    expect(expensiveClass(ctx('/api/listings/projects'))).toBeUndefined();
    const graphql = (query: string, variables?: unknown) =>
      expensiveClass(ctx('/graphql', {}, 'POST', { query, variables }));
    expect(graphql('{ projects(filters: { funders: { name: { eq: "x" } } }) { title } }')).toBe('graphql');
    expect(
      graphql('query($f: ProjectFiltersInput) { projects(filters: $f) { title } }', {
        f: { site: { slug: { eq: 'x' } } },
      }),
    ).toBe('graphql');
    expect(graphql('{ search(q: "gare") { total } }')).toBe('graphql');
    expect(graphql('{ projects(filters: { title: { eq: "x" } }) { title site { name } } }')).toBeUndefined();
  });

  it('hold at most their share of the pool and a few per client; beyond, 503 or 429 at once with Retry-After, while cheap reads and /_ready answer 200', async () => {
    const answers = await whileLocked(async () => {
      // Two expensive requests (the instance's share) from two clients wait on the lock.
      const held = [
        started(app.http().get(RELATION_FILTER).set(from('198.51.100.1'))),
        started(app.http().get(`${RELATION_FILTER}&pagination%5BpageSize%5D=2`).set(from('198.51.100.2'))),
      ];
      await waiting(2);
      // A third client: the share is taken, 503 at once.
      const busy = await app
        .http()
        .get(`${RELATION_FILTER}&pagination%5BpageSize%5D=3`)
        .set(from('198.51.100.3'));
      expect(busy.status).toBe(503);
      expect(busy.headers['retry-after']).toBe('1');
      expect(busy.body.error).toMatchObject({ status: 503, name: 'ServiceUnavailableError' });
      expect(busy.body.error.message).toMatch(/busy with costly requests/);
      // A client already running one: 429 at once.
      const greedy = await app
        .http()
        .get(`${RELATION_FILTER}&pagination%5BpageSize%5D=4`)
        .set(from('198.51.100.1'));
      expect(greedy.status).toBe(429);
      expect(greedy.headers['retry-after']).toBe('1');
      expect(greedy.body.error.name).toBe('RateLimitError');
      // Cheap reads of another table still find a connection, and the instance stays ready.
      expect((await app.http().get('/api/sites').set(from('198.51.100.3'))).status).toBe(200);
      expect((await app.http().get('/_ready')).status).toBe(200);
      // GraphQL through a relation is the same class of work.
      const graphql = await app
        .http()
        .post('/graphql')
        .set(from('198.51.100.5'))
        .send({ query: '{ projects(filters: { funders: { name: { containsi: "x" } } }) { title } }' });
      expect(graphql.status).toBe(503);
      return held;
    });
    for (const answer of answers) expect(answer.status).toBe(200);
    // Shares are given back: the same clients are served again.
    expect((await app.http().get(RELATION_FILTER).set(from('198.51.100.1'))).status).toBe(200);
    expect((await app.http().get(RELATION_FILTER).set(from('198.51.100.3'))).status).toBe(200);
  });
});

describe('readiness', () => {
  it('a pool with every connection busy is load, not unreadiness: /_ready answers 200 at once', async () => {
    const answers = await whileLocked(async () => {
      // Cheap reads of the locked table, from distinct clients: each holds a pooled connection.
      const held = Array.from({ length: POOL }, (_, index) =>
        started(
          app
            .http()
            .get(`/api/projects?pagination%5BpageSize%5D=${index + 1}`)
            .set(from(`203.0.113.${index + 1}`)),
        ),
      );
      await waiting(POOL);
      const ready = await app.http().get('/_ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
      return held;
    });
    for (const answer of answers) expect(answer.status).toBe(200);
  });
});
