/**
 * Data ten times larger (and more): the SQL statements a public read sends do not grow with the
 * data. Every read below is counted on the seed (knex's `query` events, as in
 * tests/performance.test.ts), then again after bench/dataset.js's insert of the benchmark's 2,000
 * projects (with their 100 sites and 50 funders, fr and de, draft and published, linked as Strapi
 * links them: about seventy times the seed's projects), and the counts must be the same; the whole
 * CSV, which reads its rows in batches of 1,000, one statement more per batch.
 *
 * The reads are generated from the schemas: for every collection type with a public REST API, its
 * list (the route's default populate, then `populate=*`), one entry by documentId and one by slug;
 * the same lists in GraphQL; and the partner listing (JSON page and the whole CSV).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startStrapi, type TestApp } from './support/strapi';
import { statementsDuring } from './support/sql';
import { BATCH_SIZE } from '../src/api/listing/services/listing';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dataset = require('../bench/dataset.js') as {
  DEFAULT_PROJECTS: number;
  sizesFor(projects: number): { projects: number; sites: number; funders: number; fundersPerProject: number };
  insertDataset(
    knex: unknown,
    sizes: ReturnType<typeof dataset.sizesFor>,
  ): Promise<{ projects: number; sites: number; funders: number }>;
};

const API_DIR = path.resolve(__dirname, '..', 'src', 'api');

interface PublicType {
  singular: string;
  plural: string;
  /** The GraphQL query of the list (Strapi names it after the plural, camelCased). */
  graphqlList: string;
  hasSlug: boolean;
}

/** Collection types with a REST route of their own (src/api/<api>/routes/<name>.ts). */
const TYPES: PublicType[] = fs.readdirSync(API_DIR).flatMap((api) => {
  const typesDir = path.join(API_DIR, api, 'content-types');
  if (!fs.existsSync(typesDir)) return [];
  return fs.readdirSync(typesDir).flatMap((name) => {
    const schema = JSON.parse(fs.readFileSync(path.join(typesDir, name, 'schema.json'), 'utf8')) as {
      kind: string;
      info: { singularName: string; pluralName: string };
      attributes: Record<string, unknown>;
    };
    const routed = ['ts', 'js'].some((ext) =>
      fs.existsSync(path.join(API_DIR, api, 'routes', `${name}.${ext}`)),
    );
    if (schema.kind !== 'collectionType' || !routed) return [];
    return [
      {
        singular: schema.info.singularName,
        plural: schema.info.pluralName,
        graphqlList: schema.info.pluralName.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()),
        hasSlug: 'slug' in schema.attributes,
      },
    ];
  });
});

const WHOLE_CSV = 'partner listing, whole CSV (bench S4)';

interface Read {
  name: string;
  run: () => Promise<void>;
}

let app: TestApp;
/** An entry of each type, chosen on the seed and read again after the insert. */
const picked: Record<string, { documentId: string; slug?: string }> = {};
const small = new Map<string, number>();
const large = new Map<string, number>();
/** Rows of the partner listing per type, on the seed and after the insert. */
const smallRows = new Map<string, number>();
const largeRows = new Map<string, number>();
let inserted: { projects: number; sites: number; funders: number };

/** Runs `request` and returns the SQL statements the server sent meanwhile. */
const statementsOf = (request: () => Promise<unknown>) => statementsDuring(app, request);

const get =
  (url: string, query: Record<string, unknown> = {}) =>
  async () => {
    const response = await app.http().get(url).query(query);
    expect({ url, status: response.status }).toEqual({ url, status: 200 });
  };

const graphql = (query: string) => async () => {
  const response = await app.http().post('/graphql').send({ query });
  expect({ query, errors: response.body.errors }).toEqual({ query, errors: undefined });
};

const READS: Read[] = [
  ...TYPES.flatMap((type): Read[] => [
    {
      name: `REST list of ${type.plural}`,
      run: get(`/api/${type.plural}`, { pagination: { pageSize: 25 } }),
    },
    {
      name: `REST list of ${type.plural}, populate=*`,
      run: get(`/api/${type.plural}`, { pagination: { pageSize: 25 }, populate: '*' }),
    },
    {
      name: `REST one ${type.singular} by documentId`,
      run: () => get(`/api/${type.plural}/${picked[type.plural].documentId}`)(),
    },
    ...(type.hasSlug
      ? [
          {
            name: `REST one ${type.singular} by slug`,
            run: () => get(`/api/${type.plural}`, { filters: { slug: { $eq: picked[type.plural].slug } } })(),
          },
        ]
      : []),
    {
      name: `GraphQL list of ${type.plural}`,
      run: graphql(`{ ${type.graphqlList}(pagination: { pageSize: 25 }) { documentId } }`),
    },
  ]),
  {
    name: 'GraphQL list of projects with site and funders (bench S3)',
    run: graphql(
      '{ projects(pagination: { pageSize: 25 }) { documentId title slug foundedYear site { name slug } funders { name slug } } }',
    ),
  },
  { name: 'partner listing, JSON page', run: get('/api/listings/projects') },
  { name: WHOLE_CSV, run: get('/api/listings/projects.csv') },
];

/**
 * Each read once to warm up (the first after boot also reads settings), then counted three times:
 * the fewest is the steady cost. A write anywhere in between (a background job's, the seed's
 * memos expiring) makes the next request read the memoized settings again, one statement more,
 * at any data size.
 */
async function countAll(into: Map<string, number>, rows: Map<string, number>): Promise<void> {
  for (const type of ['project', 'service']) {
    const listed = await app.http().get('/api/listings/projects').query({ type, pageSize: 1 }).expect(200);
    rows.set(type, listed.body.meta.pagination.total as number);
  }
  for (const read of READS) {
    await read.run();
    const counts: number[] = [];
    for (let run = 0; run < 3; run += 1) counts.push((await statementsOf(read.run)).length);
    into.set(read.name, Math.min(...counts));
  }
}

beforeAll(async () => {
  app = await startStrapi({ env: { RESPONSE_CACHE: 'false' } });
  for (const type of TYPES) {
    const response = await app
      .http()
      .get(`/api/${type.plural}`)
      .query({ pagination: { pageSize: 1 } });
    expect(response.status).toBe(200);
    const [entry] = response.body.data as { documentId: string; slug?: string }[];
    if (!entry) throw new Error(`the seed has no published ${type.singular}`);
    picked[type.plural] = { documentId: entry.documentId, slug: entry.slug };
  }
  await countAll(small, smallRows);
  inserted = await dataset.insertDataset(
    app.strapi.db.connection,
    dataset.sizesFor(dataset.DEFAULT_PROJECTS),
  );
  await countAll(large, largeRows);
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

describe('SQL statements per request, on the seed and with the benchmark dataset added', () => {
  it('covers the public collection types, and the data did grow', async () => {
    expect(TYPES.map((type) => type.plural)).toEqual(
      expect.arrayContaining(['projects', 'sites', 'funders']),
    );
    expect(inserted).toMatchObject({ projects: 2000, sites: 100, funders: 50 });
    const listed = await app
      .http()
      .get('/api/projects')
      .query({ pagination: { pageSize: 1 } });
    expect(listed.body.meta.pagination.total).toBeGreaterThan(2000);
    const csv = await app.http().get('/api/listings/projects.csv');
    expect(csv.text.split('\n').length).toBeGreaterThan(2000);
  });

  it.each(READS.filter((read) => read.name !== WHOLE_CSV).map((read) => [read.name]))(
    '%s: as many statements as on the seed',
    (name) => {
      expect(small.get(name)).toBeGreaterThan(0);
      expect({ name, statements: large.get(name) }).toEqual({ name, statements: small.get(name) });
    },
  );

  it(`${WHOLE_CSV}: one statement more per ${BATCH_SIZE} rows read, and nothing else`, () => {
    // A download reads its rows in keyset batches (src/api/listing/services/listing.ts), one
    // statement per batch of each type: a slow client holds no connection and no long statement.
    const batches = (rows: Map<string, number>) =>
      [...rows.values()].reduce((sum, count) => sum + Math.floor(count / BATCH_SIZE) + 1, 0);
    expect(largeRows.get('project')).toBeGreaterThan(BATCH_SIZE);
    expect(small.get(WHOLE_CSV)).toBeGreaterThan(0);
    expect(large.get(WHOLE_CSV)).toBe(
      (small.get(WHOLE_CSV) as number) + batches(largeRows) - batches(smallRows),
    );
  });
});
