/**
 * The login and password routes are rate-limited per client, whatever the email in the body, its
 * letter case or a trailing slash in the path. Each test speaks as its own client address (the
 * server trusts X-Forwarded-For here, as behind the production proxy).
 */
import { startStrapi, type TestApp } from './support/strapi';

const BUDGET = 5;
let app: TestApp;

beforeAll(async () => {
  app = await startStrapi({ env: { AUTH_RATE_LIMIT_MAX: String(BUDGET), TRUST_PROXY: 'true' } });
});

afterAll(async () => {
  await app?.stop();
});

const from = (client: string) => ({ 'X-Forwarded-For': client });

describe('content API (CVE-2025-64526)', () => {
  it('login: a new email per attempt does not open a new budget', async () => {
    const statuses = [];
    for (let attempt = 0; attempt <= BUDGET; attempt += 1) {
      const response = await app
        .http()
        .post('/api/auth/local')
        .set(from('198.51.100.1'))
        .send({ identifier: `guess-${attempt}@example.test`, password: 'wrong-password' });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, BUDGET).every((status) => status === 400)).toBe(true);
    expect(statuses[BUDGET]).toBe(429);
  });

  it('forgot-password: the same, though Strapi keys its own limit by email', async () => {
    const statuses = [];
    for (let attempt = 0; attempt <= BUDGET; attempt += 1) {
      const response = await app
        .http()
        .post('/api/auth/forgot-password')
        .set(from('198.51.100.2'))
        .send({ email: `someone-${attempt}@example.test` });
      statuses.push(response.status);
    }
    expect(statuses[BUDGET]).toBe(429);
    const refused = await app
      .http()
      .post('/api/auth/forgot-password')
      .set(from('198.51.100.2'))
      .send({ email: 'yet-another@example.test' });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ data: null, error: { status: 429, name: 'RateLimitError' } });
  });

  it('another client is not affected', async () => {
    const response = await app
      .http()
      .post('/api/auth/local')
      .set(from('198.51.100.3'))
      .send({ identifier: 'someone@example.test', password: 'wrong-password' });
    expect(response.status).toBe(400);
  });
});

describe('GraphQL authentication mutations draw on the same budget', () => {
  const graphql = (client: string, query: string) =>
    app.http().post('/graphql').set(from(client)).send({ query });
  const aliased = (count: number, offset = 0) =>
    `mutation { ${Array.from(
      { length: count },
      (_, index) => `a${index}: forgotPassword(email: "nobody-${offset + index}@example.test") { ok }`,
    ).join(' ')} }`;

  it('one point per mutation field, aliases included; then REST is refused too', async () => {
    const first = await graphql('198.51.100.20', aliased(3));
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const second = await graphql('198.51.100.20', aliased(3, 3));
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect(second.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(second.body.data).toBeUndefined();
    const rest = await app
      .http()
      .post('/api/auth/forgot-password')
      .set(from('198.51.100.20'))
      .send({ email: 'rest@example.test' });
    expect(rest.status).toBe(429);
  });

  it('fragments and inline fragments count, and a budget spent on REST refuses GraphQL', async () => {
    const logins = Array.from(
      { length: BUDGET + 1 },
      (_, index) =>
        `l${index}: login(input: { identifier: "x${index}@example.test", password: "wrong-password" }) { jwt }`,
    );
    const split = Math.ceil(logins.length / 2);
    const query = `mutation { ...F ... on Mutation { ${logins.slice(split).join(' ')} } } fragment F on Mutation { ${logins.slice(0, split).join(' ')} }`;
    expect((await graphql('198.51.100.21', query)).status).toBe(429);

    for (let attempt = 0; attempt < BUDGET; attempt += 1)
      await app
        .http()
        .post('/api/auth/local')
        .set(from('198.51.100.22'))
        .send({ identifier: 'r@example.test', password: 'x' });
    expect((await graphql('198.51.100.22', aliased(1))).status).toBe(429);
  });

  it('queries and other mutations are not counted', async () => {
    for (let attempt = 0; attempt <= BUDGET; attempt += 1) {
      const response = await graphql('198.51.100.23', '{ projects(pagination: { limit: 1 }) { title } }');
      expect(response.status).toBe(200);
    }
    expect((await graphql('198.51.100.23', aliased(1))).status).toBe(200);
  });
});

describe('the client address cannot be forged', () => {
  const attempt = (headers: Record<string, string>) =>
    app
      .http()
      .post('/api/auth/local')
      .set(headers)
      .send({ identifier: 'forger@example.test', password: 'wrong-password' });

  it('rotating the X-Forwarded-For entries a client writes opens no new budget', async () => {
    const statuses = [];
    for (let index = 0; index <= BUDGET + 3; index += 1)
      statuses.push((await attempt(from(`10.9.${index}.1, 192.0.2.${index}, 203.0.113.7`))).status);
    expect(statuses.slice(0, BUDGET)).toEqual(Array(BUDGET).fill(400));
    expect(statuses.slice(BUDGET)).toEqual([429, 429, 429, 429]);
  });

  it('nor does rotating X-Real-IP or Forwarded', async () => {
    const statuses = [];
    for (let index = 0; index <= BUDGET + 1; index += 1)
      statuses.push(
        (
          await attempt({
            ...from('203.0.113.8'),
            'X-Real-IP': `192.0.2.${index}`,
            Forwarded: `for=192.0.2.${index}`,
          })
        ).status,
      );
    expect(statuses.slice(BUDGET)).toEqual([429, 429]);
  });

  it('the address the trusted hop appended is the key: another one has its own budget', async () => {
    expect((await attempt(from('203.0.113.7, 203.0.113.9'))).status).toBe(400);
  });
});

describe('admin login (CVE-2023-38507)', () => {
  it('holds under a changed letter case or a trailing slash', async () => {
    const variants = [
      ['/admin/login', 'Admin@Example.test'],
      ['/admin/login/', 'admin@example.test'],
      ['/admin/login', 'ADMIN@EXAMPLE.TEST'],
      // `/Admin/Login` is not routed at all (404, src/middlewares/canonical-path.ts); the router
      // matches the rest of the path in any case.
      ['/admin/Login', 'admin@example.TEST'],
      ['/admin/login', 'admin@example.test'],
      ['/admin/login/', 'Admin@example.test'],
      ['/admin/login', 'aDmin@example.test'],
    ];
    const statuses = [];
    for (const [path, email] of variants) {
      const response = await app
        .http()
        .post(path)
        .set(from('198.51.100.4'))
        .send({ email, password: 'wrong-password' });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
  });
});
