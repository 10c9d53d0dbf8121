/**
 * The holes a penetration test of a production build found (issue 13, section 6 and part of 5),
 * each as a regression test over HTTP against Strapi booted on its own copy of the seed database:
 * paths in another letter case, GraphQL errors carrying SQL, the password-reset oracle and e-mail,
 * CORS on the admin panel, uploads disguised as images, prototype names in bodies, the X-Cache
 * header, the response cache's memory, the order of fields in answers, and the cost of a GraphQL
 * query. The numbers in the describe titles are the items of the fix.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { UID } from '@strapi/strapi';
import type { Response } from 'supertest';
import { entrySize, memoryBackend, redisBackend, type CacheBackend } from '../src/cache/backend';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { freePort, spawnRedis } from './support/server-process';
import { appModule, startStrapi, type TestApp } from './support/strapi';
import { statementsDuring } from './support/sql';
import { bearer, createApiUser, type ApiUser } from './support/users';
import { PNG } from './support/images';

const APP_DIR = path.resolve(__dirname, '..');
const ORIGIN = 'https://www.example.org';
// Each test makes more logins and password requests than the production budget allows.
const TEST_ENV = { CORS_ORIGINS: ORIGIN, AUTH_RATE_LIMIT_MAX: '10000' };

const STRAPI_ERROR = (status: number) => ({
  data: null,
  error: { status, name: expect.any(String), message: expect.any(String), details: expect.anything() },
});

const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const HTML = Buffer.from('<!doctype html><html><script>alert(1)</script></html>');

/** 15 aliases of relations nested six deep: 4.7 MB of answer on the seed data before the cost limit. */
const ABUSIVE_QUERY = `{ ${Array.from(
  { length: 15 },
  (_, index) => `a${index}: sites { projects { funders { projects { funders { projects { title } } } } } }`,
).join(' ')} }`;

/** The cache backend the booted app uses: the compiled module Strapi loaded, not the source. */
function backendOf(app: TestApp): CacheBackend {
  return appModule<typeof import('../src/cache')>('src/cache').cacheOf(app.strapi);
}

type Model = { attributes: Record<string, { type: string }> };

const countFiles = (app: TestApp) => app.strapi.db.query('plugin::upload.file').count();

describe('with the default configuration', () => {
  let app: TestApp;
  let editor: ApiUser;
  let communication: AdminSession;
  let bootOutput = '';
  // An admin panel asset whose name has capitals, as Vite names them (see item 1).
  const buildDir = path.join(APP_DIR, 'dist', 'build');
  const madeBuildDir = !fs.existsSync(buildDir);
  const asset = path.join(buildDir, 'Holes-AbC123.js');

  beforeAll(async () => {
    fs.mkdirSync(buildDir, { recursive: true });
    fs.writeFileSync(asset, 'export const holes = 1;\n');
    if (madeBuildDir)
      fs.writeFileSync(path.join(buildDir, 'index.html'), '<!doctype html><title>admin</title>');
    // What the boot logs. Strapi's logger (winston) writes to the console's streams, which are the
    // process's own when jest runs one test file and jest's buffer when it runs several.
    const written: string[] = [];
    const { _stdout, _stderr } = console as unknown as Record<string, NodeJS.WriteStream | undefined>;
    const streams = new Set([process.stdout, process.stderr, _stdout, _stderr]);
    const spies = [...streams]
      .filter((stream): stream is NodeJS.WriteStream => Boolean(stream))
      .map((stream) =>
        jest.spyOn(stream, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true)),
      );
    try {
      app = await startStrapi({ env: TEST_ENV });
    } finally {
      for (const spy of spies) spy.mockRestore();
      bootOutput = written.join('');
    }
    editor = await createApiUser(app, 'editor');
    communication = await createAdminUser(app, await registerFirstAdmin(app), 'communication', 'holes');
    // A content API role allowed to upload (none is by default): the editor's, for this app only.
    const role = await app.strapi.db
      .query('plugin::users-permissions.role')
      .findOne({ where: { type: 'editor' } });
    await app.strapi.db
      .query('plugin::users-permissions.permission')
      .create({ data: { action: 'plugin::upload.content-api.upload', role: role.id } });
  });

  afterAll(async () => {
    await app?.stop();
    fs.rmSync(madeBuildDir ? buildDir : asset, { recursive: true, force: true });
  });

  const get = (url: string) => app.http().get(url);
  const graphql = (query: string, variables?: object) =>
    app.http().post('/graphql').send({ query, variables });

  describe('1. only the canonical letter case of /api, /graphql and /admin is routed', () => {
    it.each([
      ['GET', '/API/projects?pagination[page]=-1'],
      ['GET', '/Api/projects'],
      ['POST', '/GraphQL'],
      ['POST', '/GRAPHQL'],
      ['GET', '/ADMIN/init'],
      ['POST', '/Admin/login'],
      ['GET', '/ADMIN/Holes-AbC123.js'],
    ])('%s %s answers 404 in Strapi’s error shape', async (method, url) => {
      const request =
        method === 'GET' ? app.http().get(url) : app.http().post(url).send({ query: '{ __typename }' });
      const response = await request;
      expect(response.status).toBe(404);
      expect(response.body).toEqual(STRAPI_ERROR(404));
    });

    it('the canonical paths answer as before, the admin panel’s assets with capitals included', async () => {
      const refused = await get('/api/projects?pagination[page]=-1');
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain('pagination[page]');
      expect((await app.http().post('/graphql').send({ query: '{ __typename }' })).body).toEqual({
        data: { __typename: 'Query' },
      });
      expect((await get('/admin/init')).status).toBe(200);
      const served = await get('/admin/Holes-AbC123.js').buffer(true);
      expect(served.status).toBe(200);
      expect(served.text).toContain('holes');
    });
  });

  describe('3. password reset with no SMTP server configured', () => {
    it('asking to confirm an address again answers alike for a confirmed, a blocked and an unknown one', async () => {
      const confirmed = await createApiUser(app, 'authenticated');
      const blocked = await createApiUser(app, 'authenticated');
      await app.strapi.db
        .query('plugin::users-permissions.user')
        .update({ where: { id: blocked.id }, data: { blocked: true } });
      const answers = [];
      for (const email of [confirmed.email, blocked.email, 'nobody-at-all@example.test']) {
        const response = await app.http().post('/api/auth/send-email-confirmation').send({ email });
        answers.push({ status: response.status, body: response.body });
        expect(response.body).toEqual({ email, sent: true });
      }
      expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));
    });

    it('answers a known and an unknown address alike, and hands the mail to no server', async () => {
      const user = await createApiUser(app, 'authenticated');
      const provider = app.strapi.plugin('email').provider as { send: (options: object) => Promise<unknown> };
      const send = provider.send;
      const sent: unknown[] = [];
      // Watches what the provider returns, and changes nothing.
      provider.send = async (options) => {
        const info = await send.call(provider, options);
        sent.push(info);
        return info;
      };
      try {
        const known = await app.http().post('/api/auth/forgot-password').send({ email: user.email });
        const unknown = await app
          .http()
          .post('/api/auth/forgot-password')
          .send({ email: 'nobody-here@example.test' });
        expect(known.status).toBe(200);
        expect({ status: unknown.status, body: unknown.body }).toEqual({
          status: known.status,
          body: known.body,
        });
        expect(known.body).toEqual({ ok: true });
        // The reset (token, mail) runs once the answer has been sent (src/security/account-timing.ts).
        await appModule<typeof import('../src/security/account-timing')>(
          'src/security/account-timing',
        ).settleAfterAnswers(app.strapi);
      } finally {
        provider.send = send;
      }
      // The mail was built for the known address only, by nodemailer's JSON transport: a message
      // and an envelope, no server's response.
      expect(app.strapi.config.get('plugin::email.providerOptions')).toEqual({ jsonTransport: true });
      expect(sent).toHaveLength(1);
      const info = sent[0] as { envelope: { to: string[] }; message: string; response?: unknown };
      expect(info.envelope.to).toEqual([user.email]);
      expect(JSON.parse(info.message).subject).toBeTruthy();
      expect(info.response).toBeUndefined();
      const stored = await app.strapi.db
        .query('plugin::users-permissions.user')
        .findOne({ where: { id: user.id } });
      expect(stored.resetPasswordToken).toMatch(/^[0-9a-f]{128}$/);
    });

    it('says once at boot that e-mail is off', () => {
      expect(bootOutput.match(/E-mail is off/g)).toHaveLength(1);
      expect(bootOutput).toContain('SMTP_HOST');
    });
  });

  describe('4. CORS_ORIGINS open the content API, not the admin panel', () => {
    const allowed = (response: { headers: Record<string, string> }) => ({
      origin: response.headers['access-control-allow-origin'],
      credentials: response.headers['access-control-allow-credentials'],
    });

    it('lets an allowed origin call /api and /graphql with credentials', async () => {
      expect(allowed(await get('/api/projects').set('Origin', ORIGIN))).toEqual({
        origin: ORIGIN,
        credentials: 'true',
      });
      const graphqlCall = await app
        .http()
        .post('/graphql')
        .set('Origin', ORIGIN)
        .send({ query: '{ __typename }' });
      expect(allowed(graphqlCall)).toEqual({ origin: ORIGIN, credentials: 'true' });
      const preflight = await app
        .http()
        .options('/graphql')
        .set('Origin', ORIGIN)
        .set('Access-Control-Request-Method', 'POST');
      expect(allowed(preflight)).toEqual({ origin: ORIGIN, credentials: 'true' });
    });

    it('lets no other origin read /api or /graphql', async () => {
      const other = 'https://evil.example';
      expect(allowed(await get('/api/projects').set('Origin', other)).origin).toBeUndefined();
      const graphqlCall = await app
        .http()
        .post('/graphql')
        .set('Origin', other)
        .send({ query: '{ __typename }' });
      expect(allowed(graphqlCall).origin).toBeUndefined();
    });

    it.each([
      ['POST', '/admin/access-token'],
      ['POST', '/admin/login'],
      ['OPTIONS', '/admin/access-token'],
      ['GET', '/admin/init'],
      ['GET', '/upload/files'],
      ['GET', '/content-manager/init'],
    ])('sends no CORS header for an allowed origin on %s %s', async (method, url) => {
      const request =
        method === 'POST'
          ? app.http().post(url).send({})
          : method === 'OPTIONS'
            ? app.http().options(url).set('Access-Control-Request-Method', 'POST')
            : app.http().get(url);
      const response = await request.set('Origin', ORIGIN);
      expect(allowed(response)).toEqual({ origin: undefined, credentials: undefined });
    });
  });

  describe('5. an upload that claims an image or PDF type must carry its signature', () => {
    const routes: [string, (file: Buffer, filename: string, type: string) => Promise<Response>][] = [
      [
        'the admin panel’s /upload',
        (file, filename, contentType) =>
          app
            .http()
            .post('/upload')
            .set(communication.headers)
            .attach('files', file, { filename, contentType }),
      ],
      [
        'POST /api/upload',
        (file, filename, contentType) =>
          app.http().post('/api/upload').set(bearer(editor)).attach('files', file, { filename, contentType }),
      ],
    ];

    describe.each(routes)('%s', (_, upload) => {
      it.each([
        ['SVG named .png', SVG, 'logo.png', 'image/png'],
        ['HTML named .png', HTML, 'page.png', 'image/png'],
        ['HTML named .jpg', HTML, 'photo.jpg', 'image/jpeg'],
        ['HTML named .pdf', HTML, 'report.pdf', 'application/pdf'],
        ['SVG with no extension, sent as PNG', SVG, 'logo', 'image/png'],
        ['HTML named .png, sent as octet-stream', HTML, 'page.png', 'application/octet-stream'],
        ['a PNG named .jpg', PNG, 'pixel.jpg', 'image/jpeg'],
      ])('refuses %s with 400 and stores nothing', async (_, file, filename, contentType) => {
        const before = await countFiles(app);
        const response = await upload(file, filename, contentType);
        expect(response.status).toBe(400);
        expect(response.body).toEqual(STRAPI_ERROR(400));
        expect(response.body.error.message).toContain(filename);
        expect(await countFiles(app)).toBe(before);
      });

      it('stores a real PNG', async () => {
        const before = await countFiles(app);
        const response = await upload(PNG, 'pixel.png', 'image/png');
        expect(response.status).toBe(201);
        expect(response.body[0]).toMatchObject({ mime: 'image/png', ext: '.png' });
        expect(await countFiles(app)).toBe(before + 1);
      });
    });

    it('checks a replacement too, and leaves the stored file as it was', async () => {
      const created = await routes[0][1](PNG, 'kept.png', 'image/png');
      const { id, hash, size } = created.body[0];
      const response = await app
        .http()
        .post('/upload')
        .query({ id })
        .set(communication.headers)
        .attach('files', HTML, { filename: 'kept.png', contentType: 'image/png' });
      expect(response.status).toBe(400);
      const stored = await app.strapi.db.query('plugin::upload.file').findOne({ where: { id } });
      expect(stored).toMatchObject({ hash, size, mime: 'image/png' });
    });
  });

  describe('6. prototype names as keys of a body answer 400, naming the key', () => {
    let project: { documentId: string; site: { documentId: string } };

    beforeAll(async () => {
      project = (await get('/api/projects?pagination[pageSize]=1').set(bearer(editor))).body.data[0];
    });

    const cases: [string, () => Promise<Response>, string][] = [
      [
        'REST create',
        () =>
          app
            .http()
            .post('/api/projects')
            .set(bearer(editor))
            .send({
              data: {
                title: 'Constructeur',
                slug: 'constructeur',
                kind: 'youth-house',
                site: project.site.documentId,
                constructor: { x: 1 },
              },
            }),
        'constructor',
      ],
      [
        'REST update',
        () =>
          app
            .http()
            .put(`/api/projects/${project.documentId}`)
            .set(bearer(editor))
            .send({ data: { constructor: { x: 1 } } }),
        'constructor',
      ],
      [
        'REST update, deep in a component',
        () =>
          app
            .http()
            .put(`/api/projects/${project.documentId}`)
            .set(bearer(editor))
            .send({ data: { seo: { metaTitle: 'x', prototype: { x: 1 } } } }),
        'prototype',
      ],
      [
        'login',
        () =>
          app
            .http()
            .post('/api/auth/local')
            .send({ identifier: editor.email, password: editor.password, constructor: { x: 1 } }),
        'constructor',
      ],
      [
        'login, inside the identifier',
        () =>
          app
            .http()
            .post('/api/auth/local')
            .send({ identifier: { constructor: 'x' }, password: 'x' }),
        'constructor',
      ],
      [
        'password reset',
        () => app.http().post('/api/auth/forgot-password').send({ email: 'a@example.test', prototype: 1 }),
        'prototype',
      ],
      [
        'admin login',
        () =>
          app.http().post('/admin/login').send({ email: 'a@example.test', password: 'x', constructor: {} }),
        'constructor',
      ],
    ];

    it('GraphQL variables (checked by an Apollo plugin: strapi::body leaves /graphql to Apollo)', async () => {
      const response = await app
        .http()
        .post('/graphql')
        .set(bearer(editor))
        .send({
          query:
            'mutation ($id: ID!, $data: ProjectInput!) { updateProject(documentId: $id, data: $data) { title } }',
          variables: { id: project.documentId, data: { summary: 'x', constructor: { x: 1 } } },
        });
      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0].message).toContain('"constructor" is not allowed');
      expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it.each(cases)('%s', async (_, send, key) => {
      const before = await app.strapi.db
        .query('api::project.project')
        .findMany({ select: ['updatedAt'], orderBy: { updatedAt: 'desc' }, limit: 1 });
      const response = await send();
      expect(response.status).toBe(400);
      expect(response.body).toEqual(STRAPI_ERROR(400));
      expect(response.body.error.name).toBe('ValidationError');
      expect(response.body.error.message).toContain(`"${key}" is not allowed`);
      const after = await app.strapi.db
        .query('api::project.project')
        .findMany({ select: ['updatedAt'], orderBy: { updatedAt: 'desc' }, limit: 1 });
      expect(after).toEqual(before);
    });

    it('`__proto__` is refused too (by the body parser)', async () => {
      const response = await app
        .http()
        .put(`/api/projects/${project.documentId}`)
        .set(bearer(editor))
        .set('Content-Type', 'application/json')
        .send('{"data":{"__proto__":{"x":1}}}');
      expect(response.status).toBe(400);
      expect(response.body).toEqual(STRAPI_ERROR(400));
    });

    it.each([
      ['the admin panel’s /upload', '/upload', () => communication.headers],
      ['POST /api/upload', '/api/upload', () => bearer(editor)],
    ])('%s: the JSON of a multipart field (fileInfo) too', async (_, url, headers) => {
      const before = await countFiles(app);
      const response = await app
        .http()
        .post(url)
        .set(headers())
        .field('fileInfo', JSON.stringify({ name: 'pixel', constructor: { x: 1 } }))
        .attach('files', PNG, { filename: 'pixel.png', contentType: 'image/png' });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(
        '"constructor" is not allowed as a key (at fileInfo.constructor)',
      );
      expect(await countFiles(app)).toBe(before);
    });

    it('the word as a value is data, and is written', async () => {
      const response = await app
        .http()
        .put(`/api/projects/${project.documentId}`)
        .set(bearer(editor))
        .send({ data: { summary: 'constructor prototype __proto__' } });
      expect(response.status).toBe(200);
      expect(response.body.data.summary).toBe('constructor prototype __proto__');
    });
  });

  describe('7. X-Cache is not sent by default', () => {
    it('a second anonymous read comes from the cache and does not say so', async () => {
      const url = '/api/projects?pagination[pageSize]=3&sort=slug';
      const first = await get(url);
      let second: { status: number; headers: Record<string, string> } | undefined;
      const statements = await statementsDuring(app, async () => (second = await get(url)));
      expect(statements).toEqual([]); // answered from the cache
      expect([first.status, second?.status]).toEqual([200, 200]);
      expect([first.headers['x-cache'], second?.headers['x-cache']]).toEqual([undefined, undefined]);
    });
  });

  describe('9. the same content is always the same bytes', () => {
    const ROUTES = [
      ['api::project.project', '/api/projects?pagination[pageSize]=100'],
      ['api::service.service', '/api/services?pagination[pageSize]=100'],
      ['api::enterprise.enterprise', '/api/enterprises'],
      ['api::site.site', '/api/sites?populate[location]=true&populate[projects][fields][0]=slug'],
      ['api::organisation.organisation', '/api/organisation?populate[funders]=true&populate[seo]=true'],
    ] as const;

    /** The fields of a type that answers populate, in schema order. */
    const populatedFields = (uid: string) =>
      Object.entries((app.strapi.getModel(uid as UID.Schema) as unknown as Model).attributes)
        .filter(([, attribute]) => ['relation', 'component', 'media', 'dynamiczone'].includes(attribute.type))
        .map(([name]) => name);

    it.each(ROUTES)(
      '%s: 20 uncached reads of %s give one ETag, populated fields last in schema order',
      async (uid, url) => {
        const etags = new Set<string>();
        let body: { data: Record<string, unknown> | Record<string, unknown>[] } | undefined;
        for (let read = 0; read < 20; read += 1) {
          // An editor's reads are never cached: each one is computed.
          const response = await get(url).set(bearer(editor));
          expect(response.status).toBe(200);
          etags.add(response.headers.etag);
          body = response.body;
        }
        expect(etags.size).toBe(1);
        const populated = populatedFields(uid);
        const entries = Array.isArray(body!.data) ? body!.data : [body!.data];
        expect(entries.length).toBeGreaterThan(0);
        for (const entry of entries) {
          const keys = Object.keys(entry);
          const present = populated.filter((name) => name in entry);
          expect(present.length).toBeGreaterThan(0);
          expect(keys.slice(keys.length - present.length)).toEqual(present);
        }
      },
    );

    it('relation items come in the order set in the admin panel, in REST and GraphQL alike', async () => {
      const seed = JSON.parse(
        fs.readFileSync(path.join(APP_DIR, 'database', 'seed', 'organisation.json'), 'utf8'),
      ) as { funders: string[] };
      const rest = await get('/api/organisation').set(bearer(editor));
      expect(rest.body.data.funders.map((funder: { slug: string }) => funder.slug)).toEqual(seed.funders);
      const act = await get('/api/services?filters[slug][$eq]=act').set(bearer(editor));
      expect(act.body.data[0].enterprises.map((enterprise: { slug: string }) => enterprise.slug)).toEqual([
        'polygone',
        'ecotec',
      ]);

      const query =
        '{ organisation { funders { slug } } services(filters: { slug: { eq: "act" } }) { funders { slug } enterprises { slug } } }';
      const answers = new Set<string>();
      for (let read = 0; read < 20; read += 1) answers.add((await graphql(query)).text);
      expect(answers.size).toBe(1);
      const data = JSON.parse([...answers][0]).data;
      expect(data.organisation.funders.map((funder: { slug: string }) => funder.slug)).toEqual(seed.funders);
      expect(data.services[0].enterprises).toEqual([{ slug: 'polygone' }, { slug: 'ecotec' }]);
    });
  });

  describe('10. what one GraphQL request may cost', () => {
    it('refuses 15 aliases of relations nested six deep with 400', async () => {
      const response = await graphql(ABUSIVE_QUERY);
      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors[0].message).toMatch(/Cost limit of 500 exceeded/);
      expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it.each([
      // tests/graphql-relations.test.ts, its widest and deepest shapes
      [
        'nested lists',
        `{ sites(pagination: { pageSize: 50 }) { name projects { title funders { name } site { slug } } }
          services(pagination: { pageSize: 50 }) { name funders { name } } }`,
      ],
      [
        'drafts and published',
        `{ drafts: projects(status: DRAFT, pagination: { pageSize: 50 }) { title publishedAt site { name publishedAt } funders { name } }
          published: projects(pagination: { pageSize: 50 }) { title publishedAt site { name publishedAt } funders { name } } }`,
      ],
      [
        'relation arguments',
        `{ projects(pagination: { pageSize: 50 }) { title funders(sort: "name:desc", pagination: { limit: 2 }) { name }
          site { name projects(filters: { foundedYear: { gt: 1990 } }, sort: "title") { title } } } }`,
      ],
      // bench/run.js S3, tests/performance.test.ts
      [
        'the S3 list',
        '{ projects(pagination: { pageSize: 25 }) { documentId title slug foundedYear site { name slug } funders { name slug } } }',
      ],
      // tests/content.test.ts
      [
        'funders with their projects',
        `{ funders(filters: { slug: { eq: "commune-luxembourg" } }) { slug projects(pagination: { limit: 100 }) { slug } services { slug } }
          ministries: funders(filters: { kind: { eq: "ministry" } }) { projects { slug } services { slug } } }`,
      ],
      [
        'the timeline',
        '{ timeline(locale: "en") { locale entries { type year title site { name } } organisation { name } } }',
      ],
      [
        'one chain six deep',
        '{ sites { projects { funders { projects { funders { projects { title } } } } } } }',
      ],
    ])('answers %s', async (_, query) => {
      const response = await graphql(query);
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    });
  });
});

describe('2. in production, GraphQL errors carry no SQL, stack or internal message', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startStrapi({ env: { ...TEST_ENV, NODE_ENV: 'production' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  // Production sits behind the TLS proxy (global::require-https).
  const graphql = (query: string) =>
    app.http().post('/graphql').set('X-Forwarded-Proto', 'https').send({ query });

  it('answers a query PostgreSQL fails on with the generic message and a code only', async () => {
    // A statement PostgreSQL fails on (its message holds the SQL): the column the filter reads is
    // renamed under the running server for the time of one request. (A NUL character used to do
    // it; it is now refused with a 400 before the database, tests/small-holes.test.ts.)
    const knex = app.strapi.db.connection;
    await knex.raw('ALTER TABLE projects RENAME COLUMN slug TO slug_renamed_by_the_test');
    let response: Awaited<ReturnType<typeof graphql>>;
    try {
      response = await graphql('{ projects(filters: { slug: { eq: "x" } }) { title } }');
    } finally {
      await knex.raw('ALTER TABLE projects RENAME COLUMN slug_renamed_by_the_test TO slug');
    }
    expect(response.body.errors).toEqual([
      {
        message: 'Internal Server Error',
        locations: [{ line: 1, column: 3 }],
        path: ['projects'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(response.text).not.toMatch(/select|"t0"|postgres|stacktrace|\bat .+:\d+/i);
  });

  it('keeps the messages written for the client: Strapi’s errors and GraphQL’s', async () => {
    // A Strapi error thrown by a resolver: its message, name and code, as the GraphQL plugin gave them.
    const forbidden = await graphql('mutation { deleteProject(documentId: "x") { documentId } }');
    expect(forbidden.body.errors[0]).toMatchObject({
      message: 'Forbidden access',
      extensions: { code: 'FORBIDDEN', error: { name: 'ForbiddenError', message: 'Forbidden access' } },
    });
    // GraphQL's own validation.
    const unknownField = await graphql('{ projects { colour } }');
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors[0].message).toContain('colour');
    expect(unknownField.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    for (const response of [forbidden, unknownField]) {
      expect(
        response.body.errors.every((error: { extensions: object }) => !('stacktrace' in error.extensions)),
      ).toBe(true);
    }
  });
});

// 3. Delivery through a real SMTP server, and the same answer while it is unreachable: tests/email.test.ts.

describe('7 and 8. the response cache with its debug header and a small memory bound', () => {
  // A quarter of it (40,000) is more than any page of up to 13 projects takes, less than all 29.
  const MAX_BYTES = 160_000;
  let app: TestApp;

  beforeAll(async () => {
    app = await startStrapi({
      env: { ...TEST_ENV, RESPONSE_CACHE_DEBUG_HEADER: 'true', RESPONSE_CACHE_MAX_BYTES: String(MAX_BYTES) },
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('7. sends X-Cache when RESPONSE_CACHE_DEBUG_HEADER=true', async () => {
    const url = '/api/projects?pagination[pageSize]=2&sort=slug';
    const first = await app.http().get(url);
    const second = await app.http().get(url);
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT']);
  });

  it('8. keeps many distinct large answers within the bound, and serves each one right', async () => {
    const backend = backendOf(app);
    const largest = MAX_BYTES / 4;
    const sizes: number[] = [];
    const answers = new Map<string, string>();
    for (let index = 0; index < 60; index += 1) {
      // Distinct URLs, each a large answer (a page of projects with their site and funders).
      const url = `/api/projects?pagination[pageSize]=${6 + (index % 8)}&filters[title][$notContains]=zz${index}`;
      const response = await app.http().get(url).buffer(true);
      expect(response.status).toBe(200);
      answers.set(url, response.text);
      sizes.push(entrySize(url, { type: 'application/json', body: response.text }));
      expect(backend.size!().bytes).toBeLessThanOrEqual(MAX_BYTES);
    }
    // The answers were large enough to fill the store several times over, each one cacheable.
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(3 * MAX_BYTES);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(largest);
    const { entries, bytes } = backend.size!();
    expect(entries).toBeGreaterThan(1);
    expect(entries).toBeLessThan(60);
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
    // What is still cached, and what was evicted, answers the same bytes as before (read from the
    // most recent, so that re-reading does not evict what is read next).
    let hits = 0;
    for (const [url, text] of [...answers].reverse()) {
      const again = await app.http().get(url).buffer(true);
      if (again.headers['x-cache'] === 'HIT') hits += 1;
      expect(again.text).toBe(text);
    }
    expect(hits).toBeGreaterThan(0);
    expect(hits).toBeLessThan(60);
  });

  it('8. does not cache an answer larger than a quarter of the bound', async () => {
    const url = '/api/projects?pagination[pageSize]=100&populate[funders]=true&populate[site]=true';
    const first = await app.http().get(url).buffer(true);
    expect(entrySize(url, { type: 'application/json', body: first.text })).toBeGreaterThan(MAX_BYTES / 4);
    const second = await app.http().get(url).buffer(true);
    // Computed both times (a MISS that is not stored), and the same bytes.
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'MISS']);
    expect(second.text).toBe(first.text);
  });
});

describe('8. the stores, bounded in bytes', () => {
  const entry = (characters: number, mark: string) => ({
    type: 'application/json',
    body: JSON.stringify({ mark, padding: 'é'.repeat(characters) }),
  });

  it('holds at most maxBytes by entrySize, evicting the least recently used', async () => {
    const maxBytes = 100_000;
    const backend = memoryBackend({ maxEntries: 1000, maxBytes, ttlSeconds: 60 });
    const generation = (await backend.generation())!;
    for (let index = 0; index < 50; index += 1) {
      await backend.store(`/api/x?${index}`, generation, entry(8_000, `m${index}`));
      expect(backend.size!().bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(backend.size!().entries).toBeLessThan(10);
    const last = await backend.lookup('/api/x?49');
    expect(JSON.parse(String(last!.entry!.body)).mark).toBe('m49');
    expect((await backend.lookup('/api/x?0'))!.entry).toBeUndefined();
  });

  it('does not store an entry larger than a quarter of maxBytes', async () => {
    const backend = memoryBackend({ maxEntries: 1000, maxBytes: 100_000, ttlSeconds: 60 });
    const generation = (await backend.generation())!;
    await backend.store('/api/small', generation, entry(1_000, 'small'));
    await backend.store('/api/large', generation, entry(13_000, 'large'));
    expect(entrySize('/api/large', entry(13_000, 'large'))).toBeGreaterThan(25_000);
    expect((await backend.lookup('/api/large'))!.entry).toBeUndefined();
    expect(JSON.parse(String((await backend.lookup('/api/small'))!.entry!.body)).mark).toBe('small');
  });

  it('Redis skips an entry larger than a quarter of maxBytes too', async () => {
    const port = await freePort();
    const redis = spawnRedis(port);
    const exited = new Promise((resolve) => redis.once('exit', resolve));
    const backend = redisBackend(`redis://127.0.0.1:${port}`, {
      maxEntries: 1000,
      maxBytes: 100_000,
      ttlSeconds: 60,
    });
    try {
      // Connected once the backend has bumped the generation, as it does on every connection.
      let generation: string | undefined;
      for (let attempt = 0; attempt < 50 && !Number(generation); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        generation = await backend.generation();
      }
      expect(Number(generation)).toBeGreaterThan(0);
      await backend.store('/api/small', generation!, entry(1_000, 'small'));
      await backend.store('/api/large', generation!, entry(13_000, 'large'));
      const small = await backend.lookup('/api/small');
      const large = await backend.lookup('/api/large');
      expect(small?.generation).toBe(generation);
      expect(JSON.parse(String(small!.entry!.body)).mark).toBe('small');
      expect(large?.generation).toBe(generation);
      expect(large!.entry).toBeUndefined();
    } finally {
      await backend.close();
      redis.kill('SIGKILL');
      await exited;
    }
  });
});
