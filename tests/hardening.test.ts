/**
 * Bad input, known Strapi attacks and bounds, as regression tests over HTTP: every malformed
 * request gets a 4xx in Strapi's error shape, and nothing private leaves through a public route.
 */
import { createHmac } from 'node:crypto';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { createQueryFuzzer } from './support/fuzz';
import { startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser, type ApiUser } from './support/users';

let app: TestApp;
let superAdmin: AdminSession;
let editor: ApiUser;
const SECRETS: string[] = [];

beforeAll(async () => {
  app = await startStrapi();
  superAdmin = await registerFirstAdmin(app);
  editor = await createApiUser(app, 'editor');
  // What must never leave through a public route: admin emails and every stored hash or token.
  const admins = await app.strapi.db.query('admin::user').findMany({ select: ['email', 'password'] });
  const users = await app.strapi.db
    .query('plugin::users-permissions.user')
    .findMany({ select: ['email', 'password'] });
  SECRETS.push(
    ...admins.flatMap((admin: { email: string; password: string }) => [admin.email, admin.password]),
  );
  SECRETS.push(...users.map((user: { password: string }) => user.password));
});

afterAll(async () => {
  await app?.stop();
});

const STRAPI_ERROR = (status: number) => ({
  data: null,
  error: { status, name: expect.any(String), message: expect.any(String), details: expect.anything() },
});

function expectNoLeak(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/); // a whole bcrypt hash
  expect(text).not.toMatch(/resetPasswordToken|registrationToken/);
}

describe('bad input gets a clear 4xx in Strapi’s error shape', () => {
  it.each([
    ['an unknown query parameter', '/api/projects?colour=red', 400, 'colour'],
    ['an unknown filter operator', '/api/projects?filters[title][$like]=x', 400, '$like'],
    ['a filter on an unknown field', '/api/projects?filters[colour][$eq]=x', 400, 'colour'],
    ['a number filter given text', '/api/projects?filters[foundedYear][$eq]=abc', 400, 'Number'],
    ['a text operator on a number', '/api/projects?filters[foundedYear][$contains]=19', 400, 'operator'],
    ['a date filter given text', '/api/projects?filters[updatedAt][$gt]=yesterday', 400, 'date'],
    ['filters that are no object', '/api/projects?filters=abc', 400, 'filters'],
    ['a sort on an unknown field', '/api/projects?sort=colour', 400, 'colour'],
    ['unknown fields', '/api/projects?fields[0]=colour', 400, 'colour'],
    ['a negative page', '/api/projects?pagination[page]=-1', 400, 'pagination[page]'],
    ['a page size of zero', '/api/projects?pagination[pageSize]=0', 400, 'pagination[pageSize]'],
    ['a page that is text', '/api/projects?pagination[page]=first', 400, 'pagination[page]'],
    ['an unknown locale', '/api/projects?locale=xx', 400, 'xx'],
    ['an unknown locale on one entry', '/api/sites/abc?locale=xx', 400, 'xx'],
    ['an unknown status', '/api/projects?status=archived', 400, 'archived'],
    ['a populate too deep', '/api/projects?populate[site][populate][projects]=true', 400, 'deeper'],
    ['an unknown document id', '/api/projects/doesnotexist', 404, 'Not Found'],
    ['a prototype name as a field', '/api/projects?fields[0]=__proto__', 400, '__proto__'],
    ['an operator in place of a value', '/api/projects?filters[slug][$or]=x', 400, '$or'],
    ['a search given as an object', '/api/projects?_q[title]=x', 400, '_q'],
    ['$or that is no list', '/api/projects?filters[$or][$eq]=null', 400, '$or'],
    ['$and that is a string', '/api/projects?filters[$and]=x', 400, '$and'],
    ['a condition that is no object', '/api/projects?filters[$or][0]=x', 400, 'Where'],
    ['$between with one value', '/api/projects?filters[foundedYear][$between]=1990', 400, '$between'],
    [
      '$between with three values',
      '/api/projects?filters[foundedYear][$between][0]=1&filters[foundedYear][$between][1]=2&filters[foundedYear][$between][2]=3',
      400,
      '$between',
    ],
    ['two locales', '/api/projects?locale=fr&locale=de', 400, 'locale'],
    ['pagination that is no object', '/api/projects?pagination=all', 400, 'pagination'],
    ['a sort given as an object', '/api/projects?sort[title][x]=asc', 400, 'sort'],
    ['a populate that is a number', '/api/projects?populate[site]=7', 400, 'site'],
    ['an unknown listing parameter', '/api/listings/projects?colour=red', 400, 'colour'],
    ['a bad timeline locale', '/api/timeline?locale=klingon', 400, 'klingon'],
  ])('%s', async (_, url, status, named) => {
    const response = await app.http().get(url);
    expect(response.status).toBe(status);
    expect(response.body).toEqual(STRAPI_ERROR(status));
    expect(response.body.error.message).toContain(named);
  });

  it('a filter value that happens to be a prototype name is plain data', async () => {
    const response = await app.http().get('/api/projects?filters[title][$containsi]=constructor').expect(200);
    expect(response.body.data).toEqual([]);
  });

  it('invalid JSON in a body', async () => {
    const response = await app
      .http()
      .post('/api/projects')
      .set(bearer(editor))
      .set('Content-Type', 'application/json')
      .send('{"data": {"title": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(STRAPI_ERROR(400));
  });

  it('a body that is not JSON (wrong content type)', async () => {
    const before = await app.strapi.db.query('api::project.project').count();
    const response = await app
      .http()
      .post('/api/projects')
      .set(bearer(editor))
      .set('Content-Type', 'text/plain')
      .send('title=hello');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(STRAPI_ERROR(400));
    expect(await app.strapi.db.query('api::project.project').count()).toBe(before);
  });

  it('an oversize body: 413', async () => {
    const response = await app
      .http()
      .post('/api/projects')
      .set(bearer(editor))
      .send({ data: { title: 'x'.repeat(2 * 1024 * 1024) } });
    expect(response.status).toBe(413);
    expect(response.body).toEqual(STRAPI_ERROR(413));
  });

  it('a write with a field of the wrong type', async () => {
    const response = await app
      .http()
      .post('/api/services')
      .set(bearer(editor))
      .send({ data: { name: 'X', slug: 'x', theme: 'job-coaching', foundedYear: ['not', 'a', 'number'] } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(STRAPI_ERROR(400));
  });

  it.each([
    ['malformed', '{ projects { '],
    ['an unknown field', '{ projects { colour } }'],
    ['a wrong argument type', '{ projects(filters: { foundedYear: { eq: "abc" } }) { title } }'],
    ['an unknown locale', '{ projects(locale: "xx") { title } }'],
  ])('GraphQL: %s', async (_, query) => {
    const response = await app.http().post('/graphql').send({ query });
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    expect(response.body.errors.length).toBeGreaterThan(0);
    expect(response.body.errors[0].extensions.code).toMatch(
      /GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/,
    );
  });
});

describe('private fields through relations are refused, whatever the hidden value', () => {
  // The answer must not depend on the guessed value, or it would leak it one character at a time.
  const sameAnswer = async (build: (guess: string) => string) => {
    const answers = [];
    for (const guess of ['$2a$10$', 'zzz', superAdmin.email, 'first']) {
      const response = await app.http().get(build(encodeURIComponent(guess)));
      answers.push({ status: response.status, body: response.body });
    }
    expect(answers[0].status).toBe(400);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  };

  it.each([
    ['filters[createdBy][password][$startsWith]'],
    ['filters[updatedBy][email][$eq]'],
    ['filters[createdBy][resetPasswordToken][$startsWith]'],
    ['filters[createdBy][email][$containsi]'],
  ])('CVE-2023-22894: %s', async (key) => {
    await sameAnswer((guess) => `/api/projects?${key}=${guess}`);
  });

  it.each([
    ['filters[site][createdBy][password][$startsWith]'],
    ['filters[funders][updatedBy][email][$startsWith]'],
    ['filters[$or][0][createdBy][email][$startsWith]'],
    ['filters[$and][0][site][createdBy][password][$startsWith]'],
  ])('CVE-2023-22894: through a relation or a logical operator: %s', async (key) => {
    await sameAnswer((guess) => `/api/projects?${key}=${guess}`);
  });

  it.each([
    ['filters[updatedBy][t1.password][$startsWith]'],
    ['filters[site][t1.password][$startsWith]'],
    ['filters[t0.password][$startsWith]'],
    ['filters[created_by_id][$eq]'],
    ['filters[admin_users.email][$startsWith]'],
  ])('CVE-2023-34235: table-alias and column keys: %s', async (key) => {
    await sameAnswer((guess) => `/api/projects?${key}=${guess}`);
  });

  it.each([
    ['sort=createdBy.email'],
    ['sort[0]=createdBy.password:asc'],
    ['populate[createdBy]=true'],
    ['populate[site][populate][createdBy]=true'],
    ['fields[0]=createdBy'],
  ])('CVE-2024-56143: sorting and populating onto the creator: %s', async (query) => {
    const response = await app.http().get(`/api/projects?${query}`);
    expect(response.status).toBe(400);
    expectNoLeak(response.text);
  });

  it.each([
    ['where[createdBy][email][$eq]'],
    ['where[createdBy][password][$startsWith]'],
    ['lookup[createdBy][password]'],
    ['_q[createdBy][email]'],
  ])('CVE-2026-27886: unknown top-level query parameters: %s', async (key) => {
    await sameAnswer((guess) => `/api/projects?${key}=${guess}`);
  });

  it('GraphQL exposes no creator field to filter or select', async () => {
    const response = await app.http().post('/graphql').send({
      query:
        '{ projects(filters: { createdBy: { email: { startsWith: "a" } } }) { title createdBy { email } } }',
    });
    expect(response.status).toBe(400);
    expectNoLeak(response.text);
  });
});

describe('bounds', () => {
  it('a page of 100000 rows gets at most the maximum (100)', async () => {
    const body = (await app.http().get('/api/projects?pagination[pageSize]=100000').expect(200)).body;
    expect(body.meta.pagination.pageSize).toBe(100);
    const limited = (await app.http().get('/api/projects?pagination[limit]=100000').expect(200)).body;
    expect(limited.meta.pagination.limit).toBe(100);
  });

  it('GraphQL caps a list at the maximum', async () => {
    const response = await app
      .http()
      .post('/graphql')
      .send({ query: '{ projects_connection(pagination: { limit: 100000 }) { pageInfo { pageSize } } }' });
    expect(response.body.data.projects_connection.pageInfo.pageSize).toBeLessThanOrEqual(100);
  });

  it('a 12-deep GraphQL query is refused', async () => {
    let selection = 'title';
    for (let depth = 0; depth < 6; depth += 1) selection = `site { projects { ${selection} } }`;
    const response = await app
      .http()
      .post('/graphql')
      .send({ query: `{ projects { ${selection} } }` });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/depth/);
  });

  it('a GraphQL query with too many aliases is refused; a few are fine', async () => {
    const aliases = (count: number) =>
      Array.from({ length: count }, (_, index) => `a${index}: projects { title }`).join(' ');
    const many = await app
      .http()
      .post('/graphql')
      .send({ query: `{ ${aliases(40)} }` });
    expect(many.status).toBe(400);
    expect(many.body.errors[0].message).toMatch(/alias/i);
    const few = await app
      .http()
      .post('/graphql')
      .send({ query: `{ ${aliases(3)} }` });
    expect(few.body.errors).toBeUndefined();
  });
});

describe('authentication', () => {
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = (header: object, payload: object, sign: (input: string) => string) => {
    const input = `${base64url(header)}.${base64url(payload)}`;
    return `${input}.${sign(input)}`;
  };
  const hmac = (algorithm: string) => (input: string) =>
    createHmac(algorithm, process.env.JWT_SECRET as string)
      .update(input)
      .digest('base64url');
  const claims = () => ({
    id: editor.id,
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 600,
  });

  it('a correctly signed HS256 token is accepted (the control)', async () => {
    const good = token({ alg: 'HS256', typ: 'JWT' }, claims(), hmac('sha256'));
    await app.http().get('/api/users/me').set('Authorization', `Bearer ${good}`).expect(200);
  });

  it('a token with alg "none" is refused', async () => {
    const none = token({ alg: 'none', typ: 'JWT' }, claims(), () => '');
    const response = await app.http().get('/api/users/me').set('Authorization', `Bearer ${none}`);
    expect(response.status).toBe(401);
  });

  it('a token signed with another algorithm (HS512) is refused', async () => {
    const other = token({ alg: 'HS512', typ: 'JWT' }, claims(), hmac('sha512'));
    const response = await app.http().get('/api/users/me').set('Authorization', `Bearer ${other}`);
    expect(response.status).toBe(401);
  });
});

describe('mass assignment', () => {
  const newProject = async (extra: Record<string, unknown>) => {
    const site = (await app.http().get('/api/sites').expect(200)).body.data[0].documentId;
    return app
      .http()
      .post('/api/projects')
      .set(bearer(editor))
      .send({
        data: {
          title: 'Assigned',
          slug: `assigned-${Object.keys(extra)[0]}`,
          kind: 'youth-house',
          foundedYear: 2020,
          site,
          ...extra,
        },
      });
  };

  it.each(['createdBy', 'updatedBy'])(
    'an editor cannot set %s: refused with 400, nothing written',
    async (field) => {
      const adminUser = await app.strapi.db
        .query('admin::user')
        .findOne({ where: { email: superAdmin.email } });
      const before = await app.strapi.db.query('api::project.project').count();
      const response = await newProject({ [field]: adminUser.id });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(field);
      expect(await app.strapi.db.query('api::project.project').count()).toBe(before);
    },
  );

  it('an editor cannot publish by setting publishedAt: the entry stays a draft', async () => {
    const response = await newProject({ publishedAt: '2020-01-01T00:00:00.000Z' });
    expect(response.status).toBe(201);
    expect(response.body.data.publishedAt).toBeNull();
    const published = await app.strapi.db
      .query('api::project.project')
      .count({ where: { documentId: response.body.data.documentId, publishedAt: { $notNull: true } } });
    expect(published).toBe(0);
    await app.http().get(`/api/projects/${response.body.data.documentId}`).expect(404);
  });

  it('an editor cannot change a user’s role, confirmed or blocked', async () => {
    const other = await createApiUser(app, 'authenticated');
    const response = await app
      .http()
      .put(`/api/users/${other.id}`)
      .set(bearer(editor))
      .send({ role: 1, confirmed: false, blocked: true });
    expect(response.status).toBe(403);
    const stored = await app.strapi.db
      .query('plugin::users-permissions.user')
      .findOne({ where: { id: other.id }, populate: ['role'] });
    expect(stored).toMatchObject({ confirmed: true, blocked: false, role: { type: 'authenticated' } });
  });
});

describe('security headers and uploads', () => {
  it('responses carry a CSP and frame options, and do not name the stack', async () => {
    const response = await app.http().get('/api/projects').expect(200);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  describe('the media library', () => {
    let communication: AdminSession;
    const PNG = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );

    beforeAll(async () => {
      communication = await createAdminUser(app, superAdmin, 'communication', 'uploader');
    });

    const upload = (file: Buffer, filename: string, contentType: string) =>
      app.http().post('/upload').set(communication.headers).attach('files', file, { filename, contentType });

    it('accepts an image', async () => {
      const response = await upload(PNG, 'pixel.png', 'image/png');
      expect(response.status).toBe(201);
    });

    it.each([
      [
        'an SVG',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'x.svg',
        'image/svg+xml',
      ],
      [
        'an HTML page',
        Buffer.from('<!doctype html><html><script>alert(1)</script></html>'),
        'x.html',
        'text/html',
      ],
      [
        'an executable',
        Buffer.concat([Buffer.from('MZ'), Buffer.alloc(512)]),
        'x.exe',
        'application/x-msdownload',
      ],
    ])('refuses %s', async (_, file, filename, contentType) => {
      const before = await app.strapi.db.query('plugin::upload.file').count();
      const response = await upload(file, filename, contentType);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(await app.strapi.db.query('plugin::upload.file').count()).toBe(before);
    });

    it('refuses an HTML page disguised as an image (no PNG signature in its bytes)', async () => {
      const html = Buffer.from('<!doctype html><html><script>alert(1)</script></html>');
      const before = await app.strapi.db.query('plugin::upload.file').count();
      const response = await upload(html, 'x.png', 'image/png');
      expect(response.status).toBe(400);
      expect(await app.strapi.db.query('plugin::upload.file').count()).toBe(before);
    });

    it('refuses a file over the size limit with 413', async () => {
      const big = Buffer.concat([PNG, Buffer.alloc(11 * 1024 * 1024)]);
      const response = await upload(big, 'big.png', 'image/png');
      expect(response.status).toBe(413);
    });
  });
});

describe('fuzz: generated queries to every public route (seed 20261125)', () => {
  // Routes and field names come from the running app's schemas (tests/support/fuzz.ts).
  let fuzzer: ReturnType<typeof createQueryFuzzer>;
  let random: ReturnType<typeof createQueryFuzzer>['random'];
  beforeAll(() => {
    fuzzer = createQueryFuzzer(app.strapi, 20261125);
    random = fuzzer.random;
  });

  it('300 requests: never a 5xx, never a leak, always Strapi’s error shape on 4xx', async () => {
    const statuses: Record<number, number> = {};
    for (let index = 0; index < 300; index += 1) {
      const url = fuzzer.restUrl();
      const response = await app.http().get(url);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      expect({ url, status: response.status < 500 }).toEqual({ url, status: true });
      expectNoLeak(response.text);
      if (response.status >= 400)
        expect({ url, body: response.body }).toEqual({ url, body: STRAPI_ERROR(response.status) });
    }
    // The generator reaches both sides: accepted queries and refused ones.
    expect(statuses[200]).toBeGreaterThan(10);
    expect(statuses[400]).toBeGreaterThan(10);
  });

  it('100 generated GraphQL queries: never a 5xx, never a leak', async () => {
    const TYPES = ['projects', 'services', 'sites', 'funders', 'enterprises'];
    const SELECTIONS = [
      'title',
      'name',
      'slug',
      'createdBy { email }',
      'site { name }',
      'funders { slug }',
      'locale',
    ];
    for (let index = 0; index < 100; index += 1) {
      const args = random.chance(0.5)
        ? `(locale: "${random.pick(['fr', 'de', 'xx'])}", pagination: { limit: ${random.pick([1, 10, 1000, -1])} })`
        : '';
      const query = `{ ${random.pick(TYPES)}${args} { ${random.pick(SELECTIONS)} ${random.pick(SELECTIONS)} } }`;
      const response = await app.http().post('/graphql').send({ query });
      expect({ query, status: response.status < 500 }).toEqual({ query, status: true });
      expectNoLeak(response.text);
    }
  });
});
