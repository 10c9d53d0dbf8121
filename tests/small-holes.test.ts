/**
 * Small holes of a production server (issue 23, section 7), against Strapi booted in-process in
 * production with CORS_ORIGINS and the test-only WEBHOOK_ALLOW_PRIVATE_URLS switch: `locale=*` on
 * every read endpoint (REST routes and GraphQL queries generated from the running app), CORS
 * headers only for an allowed origin on the content API, the Content-Security-Policy's sources, and
 * the boot's warning about the test-only switch.
 */
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  isLeafType,
  isNonNullType,
  type GraphQLArgument,
} from 'graphql';
import type { Response } from 'supertest';
import { startStrapi, type TestApp } from './support/strapi';

const ORIGIN = 'https://www.example.org';
/** src/i18n/locale-query.ts's words for a locale the i18n plugin lacks, with the ones it has. */
const LOCALE_REFUSAL = /^Invalid locale "\*": use one of (?=.*\bfr\b)(?=.*\bde\b)(?=.*\blb\b)(?=.*\ben\b)/;
const OTHER_ORIGIN = 'https://evil.example';

let app: TestApp;
let bootOutput = '';

beforeAll(async () => {
  // What the boot logs: Strapi's logger writes to the console's streams (see tests/holes.test.ts).
  const written: string[] = [];
  const { _stdout, _stderr } = console as unknown as Record<string, NodeJS.WriteStream | undefined>;
  const spies = [...new Set([process.stdout, process.stderr, _stdout, _stderr])]
    .filter((stream): stream is NodeJS.WriteStream => Boolean(stream))
    .map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true)),
    );
  try {
    app = await startStrapi({
      env: { NODE_ENV: 'production', CORS_ORIGINS: ORIGIN, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
    });
  } finally {
    for (const spy of spies) spy.mockRestore();
    bootOutput = written.join('');
  }
});

afterAll(async () => {
  await app?.stop();
});

// Production sits behind the TLS proxy (global::require-https).
const get = (url: string) => app.http().get(url).set('X-Forwarded-Proto', 'https');
const post = (url: string) => app.http().post(url).set('X-Forwarded-Proto', 'https');
const options = (url: string) =>
  app.http().options(url).set('X-Forwarded-Proto', 'https').set('Access-Control-Request-Method', 'POST');

/** Every `access-control-*` header of an answer, empty ones included. */
const corsHeaders = (response: Response) =>
  Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.startsWith('access-control-')));

describe('locale=* is no locale: 400 naming it, on every read endpoint', () => {
  /** Every GET route the server has mounted under /api, from its router. */
  const getRoutes = (): string[] => {
    const layers = (app.strapi.server as unknown as { listRoutes(): { path: string; methods: string[] }[] })
      .listRoutes()
      .filter((layer) => layer.methods.includes('GET') && layer.path.startsWith('/api/'));
    return [...new Set(layers.map((layer) => layer.path))];
  };

  it('REST: every GET route under /api (which still answer a real locale)', async () => {
    for (const url of ['/api/projects', '/api/organisation', '/api/timeline', '/api/vocabulary']) {
      const response = await get(url).query({ locale: 'de' });
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
    }
    const routes = getRoutes();
    // The content types' lists and entries, the project's own read routes and the plugins' ones.
    for (const expected of ['/api/projects', '/api/projects/:id', '/api/organisation', '/api/timeline'])
      expect(routes).toContain(expected);
    const accepted: string[] = [];
    for (const route of routes) {
      // A path parameter (`:id`, `projects.:format`) or pattern (`(.*)`) gets a plain value.
      const url = route.replace(/:(\w+)(\([^)]*\))?|\(\.\*\)/g, 'csv');
      const response = await get(url).query({ locale: '*' });
      const refused =
        response.status === 400 &&
        response.body?.data === null &&
        response.body?.error?.name === 'ValidationError' &&
        LOCALE_REFUSAL.test(response.body?.error?.message);
      if (!refused) accepted.push(`GET ${url}?locale=* -> ${response.status} ${response.text.slice(0, 120)}`);
    }
    expect(accepted).toEqual([]);
  });

  it('GraphQL: every query that takes a locale', async () => {
    // Production serves no introspection: the schema is read from its SDL document.
    const sdl = await get('/graphql/schema.graphql').expect(200);
    const schema = buildSchema(sdl.text);
    const queries = Object.values(schema.getQueryType()?.getFields() ?? {}).filter((field) =>
      field.args.some((arg) => arg.name === 'locale'),
    );
    const names = queries.map((field) => field.name);
    for (const expected of [
      'projects',
      'project',
      'projects_connection',
      'organisation',
      'timeline',
      'search',
    ])
      expect(names).toContain(expected);

    /** A value for each other required argument (an id, a search text...). */
    const value = (arg: GraphQLArgument) => {
      const type = getNamedType(arg.type).name;
      return type === 'Int' ? '1' : type === 'Boolean' ? 'true' : '"x"';
    };
    const accepted: string[] = [];
    for (const field of queries) {
      const args = [
        'locale: "*"',
        ...field.args
          .filter((arg) => arg.name !== 'locale' && isNonNullType(arg.type))
          .filter((arg) => !isInputObjectType(getNamedType(arg.type)))
          .map((arg) => `${arg.name}: ${value(arg)}`),
      ];
      const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
      const query = `{ ${field.name}(${args.join(', ')})${selection} }`;
      const response = await post('/graphql').send({ query });
      const [error] = response.body.errors ?? [];
      const refused =
        error?.extensions?.code === 'BAD_USER_INPUT' &&
        /\blocale\b.*"\*"/.test(error.message) &&
        (response.body.data ?? {})[field.name] == null;
      if (!refused) accepted.push(`${query} -> ${JSON.stringify(response.body).slice(0, 200)}`);
    }
    expect(accepted).toEqual([]);
  });
});

describe('CORS headers only for an allowed origin, on the content API', () => {
  const send = (method: string, url: string) =>
    method === 'GET' ? get(url) : method === 'POST' ? post(url).send({}) : options(url);

  it.each([
    ['GET', '/api/projects', true],
    ['POST', '/graphql', true],
    ['OPTIONS', '/api/projects', true],
    ['OPTIONS', '/graphql', true],
    ['GET', '/', false],
    ['GET', '/admin/init', false],
    ['POST', '/admin/login', false],
    ['OPTIONS', '/admin/access-token', false],
    ['GET', '/upload/files', false],
  ])(
    '%s %s: none without an Origin or from another one; for the allowed one: %s',
    async (method, url, allowed) => {
      expect(corsHeaders(await send(method, url))).toEqual({});
      expect(corsHeaders(await send(method, url).set('Origin', OTHER_ORIGIN))).toEqual({});
      const fromAllowed = corsHeaders(await send(method, url).set('Origin', ORIGIN));
      if (allowed)
        expect(fromAllowed).toMatchObject({
          'access-control-allow-origin': ORIGIN,
          'access-control-allow-credentials': 'true',
        });
      else expect(fromAllowed).toEqual({});
    },
  );
});

describe('the Content-Security-Policy allows what the admin panel and our pages load, no more', () => {
  const policy = (response: Response): Record<string, string[]> =>
    Object.fromEntries(
      String(response.headers['content-security-policy'] ?? '')
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .filter(([name]) => name)
        .map(([name, ...sources]) => [name, sources]),
    );

  it.each(['/admin/init', '/', '/entry.html', '/api/docs', '/api/projects'])('%s', async (url) => {
    const directives = policy(await get(url));
    // Images from this server, data: URLs and the panel's previews of files being uploaded (blob:).
    expect(directives['img-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(directives['media-src']).toEqual(["'self'", 'data:', 'blob:']);
    // The media field's "From URL" tab fetches the address in the browser (see config/middlewares.ts).
    expect(directives['connect-src']).toEqual(["'self'", 'https:']);
    expect(directives['script-src']).toEqual(["'self'"]);
    // The preview of drafts frames this server's entry page.
    expect(directives['frame-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
  });
});

describe('a production server with the test-only WEBHOOK_ALLOW_PRIVATE_URLS=true', () => {
  it('says so at boot, once, naming the variable and what it opens', () => {
    const warnings = bootOutput.split('\n').filter((line) => line.includes('WEBHOOK_ALLOW_PRIVATE_URLS'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/warn/);
    expect(warnings[0]).toMatch(/production/);
    expect(warnings[0]).toMatch(/loopback/);
  });
});

describe('a NUL character, which PostgreSQL cannot store or compare, is a 400 before the database', () => {
  const NUL_REFUSAL = /a text holds a NUL character \(\\u0000\), which cannot be stored or searched \(at /;

  it.each([
    ['/api/projects?filters[slug][$eq]=a%00b', 'filters.slug.$eq'],
    ['/api/projects?filters[$or][0][site][name][$containsi]=%00', 'filters.$or.0.site.name.$containsi'],
    ['/api/search?q=quartier%00', 'q'],
    ['/api/listings/projects.csv?kind=a%00', 'kind'],
  ])('GET %s: 400 naming %s', async (url, path) => {
    const response = await get(url);
    expect({ status: response.status, name: response.body?.error?.name }).toEqual({
      status: 400,
      name: 'ValidationError',
    });
    expect(response.body.error.message).toMatch(NUL_REFUSAL);
    expect(response.body.error.message).toContain(`(at ${path})`);
  });

  it.each([
    ['/api/auth/local', { identifier: 'a\u0000@example.test', password: 'x' }, 'identifier'],
    ['/api/auth/forgot-password', { email: 'a\u0000@example.test' }, 'email'],
    ['/admin/login', { email: 'a\u0000@example.test', password: 'x' }, 'email'],
  ])('POST %s with a NUL in the body: 400 naming it', async (url, body, path) => {
    const response = await post(url).send(body);
    expect({ status: response.status, name: response.body?.error?.name }).toEqual({
      status: 400,
      name: 'ValidationError',
    });
    expect(response.body.error.message).toMatch(NUL_REFUSAL);
    expect(response.body.error.message).toContain(`(at ${path})`);
  });

  it('GraphQL: in a string literal of the document or in a variable, 400 BAD_USER_INPUT', async () => {
    const literal = await post('/graphql').send({
      query: '{ projects(filters: { slug: { eq: "a\\u0000b" } }) { title } }',
    });
    const variable = await post('/graphql').send({
      query: 'query ($slug: String) { projects(filters: { slug: { eq: $slug } }) { title } }',
      variables: { slug: 'a\u0000b' },
    });
    for (const [response, path] of [
      [literal, 'query'],
      [variable, 'variables.slug'],
    ] as const) {
      expect({ status: response.status, code: response.body.errors?.[0]?.extensions?.code }).toEqual({
        status: 400,
        code: 'BAD_USER_INPUT',
      });
      expect(response.body.errors[0].message).toMatch(NUL_REFUSAL);
      expect(response.body.errors[0].message).toContain(`(at ${path})`);
    }
  });
});
