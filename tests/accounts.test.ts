/**
 * Accounts as they are made in real life: self-registration when it is turned on, login in
 * production behind the TLS proxy, and partner tokens issued from the command line.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { applyRegistrationSetting } from '../src/bootstrap/registration';
import { createDatabase, databaseUrl } from './support/database';
import { APP_DIR, spawnStrapi, waitForHealth, type ServerProcess } from './support/server-process';
import { startStrapi, type TestApp } from './support/strapi';

const run = promisify(execFile);

describe('self-registration with ALLOW_REGISTRATION=true', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startStrapi({ env: { ALLOW_REGISTRATION: 'true' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  const users = () => app.strapi.db.query('plugin::users-permissions.user');

  it('registers a new user with the default authenticated role', async () => {
    const response = await app
      .http()
      .post('/api/auth/local/register')
      .send({ username: 'newcomer', email: 'newcomer@example.test', password: 'Newcomer-passw0rd' });
    expect(response.status).toBe(200);
    expect(response.body.jwt).toEqual(expect.any(String));
    expect(response.body.user.password).toBeUndefined();
    const stored = await users().findOne({ where: { email: 'newcomer@example.test' }, populate: ['role'] });
    expect(stored.role.type).toBe('authenticated');
  });

  it('a default role changed in the panel to editor is set back to authenticated at boot', async () => {
    const store = app.strapi.store({ type: 'plugin', name: 'users-permissions' });
    const advanced = (await store.get({ key: 'advanced' })) as Record<string, unknown>;
    await store.set({ key: 'advanced', value: { ...advanced, default_role: 'editor' } });
    await applyRegistrationSetting(app.strapi);
    const response = await app
      .http()
      .post('/api/auth/local/register')
      .send({ username: 'second', email: 'second@example.test', password: 'Second-passw0rd' });
    expect(response.status).toBe(200);
    const stored = await users().findOne({ where: { email: 'second@example.test' }, populate: ['role'] });
    expect(stored.role.type).toBe('authenticated');
  });

  it.each([
    ['role', { role: 3 }],
    ['confirmed', { confirmed: true }],
    ['blocked', { blocked: false }],
    ['resetPasswordToken', { resetPasswordToken: 'chosen' }],
  ])('refuses a body that sets %s, and creates no user', async (field, extra) => {
    const email = `with-${field.toLowerCase()}@example.test`;
    const response = await app
      .http()
      .post('/api/auth/local/register')
      .send({ username: `with-${field}`, email, password: 'Someone-passw0rd', ...extra });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(field);
    expect(await users().count({ where: { email } })).toBe(0);
  });
});

describe('production behind a TLS proxy', () => {
  let server: ServerProcess;
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
  const json = { 'Content-Type': 'application/json' };
  const viaProxy = { ...json, 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' };
  const account = { username: 'prod-user', email: 'prod-user@example.test', password: 'Prod-user-passw0rd' };

  beforeAll(async () => {
    const name = `${process.env.TEST_RUN_PREFIX}_production`;
    await createDatabase(name, process.env.TEST_TEMPLATE_DATABASE);
    server = await spawnStrapi({
      env: {
        NODE_ENV: 'production',
        DATABASE_CLIENT: 'postgres',
        DATABASE_URL: databaseUrl(name),
        ALLOW_REGISTRATION: 'true',
        APP_KEYS: 'prod-key-1-8f7e6d,prod-key-2-5c4b3a',
        API_TOKEN_SALT: 'prod-salt-2b3c4d',
        ADMIN_JWT_SECRET: 'prod-admin-6e7f8a',
        TRANSFER_TOKEN_SALT: 'prod-transfer-9b8c',
        JWT_SECRET: 'prod-jwt-1d2e3f4a',
        ENCRYPTION_KEY: 'prod-enc-5b6c7d8e',
      },
    });
    await waitForHealth(server);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('registers and logs in through the proxy (X-Forwarded-Proto: https)', async () => {
    const registered = await fetch(url('/api/auth/local/register'), {
      method: 'POST',
      headers: viaProxy,
      body: JSON.stringify(account),
    });
    expect(registered.status).toBe(200);

    const login = await fetch(url('/api/auth/local'), {
      method: 'POST',
      headers: viaProxy,
      body: JSON.stringify({ identifier: account.email, password: account.password }),
    });
    expect(login.status).toBe(200);
    const { jwt } = (await login.json()) as { jwt: string };
    const me = await fetch(url('/api/users/me'), {
      headers: { ...viaProxy, Authorization: `Bearer ${jwt}` },
    });
    expect(((await me.json()) as { email: string }).email).toBe(account.email);
  });

  it('answers a plain-HTTP request with a clear 403, not a 500', async () => {
    const login = await fetch(url('/api/auth/local'), {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ identifier: account.email, password: account.password }),
    });
    expect(login.status).toBe(403);
    expect(await login.json()).toMatchObject({
      data: null,
      error: { status: 403, name: 'ForbiddenError', message: expect.stringContaining('HTTPS is required') },
    });
  });

  it('sends HSTS and no X-Powered-By', async () => {
    const response = await fetch(url('/api/projects'), { headers: viaProxy });
    expect(response.status).toBe(200);
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('does not let even a super admin change content types in production', async () => {
    const registered = await fetch(url('/admin/register-admin'), {
      method: 'POST',
      headers: viaProxy,
      body: JSON.stringify({
        email: 'ops@example.test',
        firstname: 'Ops',
        lastname: 'Admin',
        password: 'Ops-admin-passw0rd',
      }),
    });
    expect(registered.status).toBe(200);
    const { data } = (await registered.json()) as { data: { token: string } };
    const headers = { ...viaProxy, Authorization: `Bearer ${data.token}` };
    const created = await fetch(url('/content-type-builder/content-types'), {
      method: 'POST',
      headers,
      body: JSON.stringify({
        contentType: {
          singularName: 'intruder',
          pluralName: 'intruders',
          displayName: 'Intruder',
          kind: 'collectionType',
          attributes: {},
        },
      }),
    });
    expect(created.status).toBeGreaterThanOrEqual(400);
    expect(created.status).toBeLessThan(500);
    // Reading the schemas stays possible.
    expect((await fetch(url('/content-type-builder/content-types'), { headers })).status).toBe(200);
  });

  it('keeps /_health reachable over plain HTTP for the proxy’s checks', async () => {
    expect((await fetch(url('/_health'))).status).toBe(204);
  });
});

describe('npm run token:create', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startStrapi();
  });

  afterAll(async () => {
    await app?.stop();
  });

  const script = (args: string[]) =>
    run(process.execPath, ['scripts/token-create.js', ...args], {
      cwd: APP_DIR,
      env: { ...process.env, DATABASE_CLIENT: 'postgres', DATABASE_URL: databaseUrl(app.databaseName) },
    });

  it('prints a read-only token once, valid for the given days, that reads and never writes', async () => {
    const { stdout } = await script(['--name', 'Ministère de la Famille', '--days', '365']);
    const lines = stdout.trim().split('\n');
    const token = lines[lines.length - 1];
    expect(token).toMatch(/^[0-9a-f]{256}$/);

    const stored = await app.strapi.db
      .query('admin::api-token')
      .findOne({ where: { name: 'Ministère de la Famille' } });
    expect(stored).toMatchObject({ type: 'read-only', kind: 'content-api' });
    const days = (new Date(stored.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364.9);
    expect(days).toBeLessThanOrEqual(365);
    // Only its hash is stored.
    expect(JSON.stringify(stored)).not.toContain(token);

    const headers = { Authorization: `Bearer ${token}` };
    const list = await app.http().get('/api/projects').set(headers).expect(200);
    expect(list.body.meta.pagination.total).toBe(29);
    await app.http().get('/api/vocabulary').set(headers).expect(200);
    await app
      .http()
      .post('/api/projects')
      .set(headers)
      .send({ data: { title: 'x' } })
      .expect(403);
  }, 60_000);

  it('refuses a bad --days with a usage line and exit code 2', async () => {
    await expect(script(['--name', 'Partner', '--days', 'soon'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--days must be a whole number'),
    });
  });
});
