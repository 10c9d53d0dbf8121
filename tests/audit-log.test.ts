/**
 * The audit log (issue 25, section 4; src/audit): each security-relevant action recorded once,
 * through the path staff or scripts take (the admin API, the Content Manager, REST, a script),
 * with who, from where and what, never a secret; the hash chain that detects an edited, deleted or
 * inserted row (`npm run audit:verify` too); the staff API for super administrators only.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { createAdminUser, loginAdmin, registerFirstAdmin, type AdminSession } from './support/admin';
import { createCallers, type Callers } from './support/callers';
import { databaseUrl } from './support/database';
import { PNG } from './support/images';
import { appModule, startStrapi, type TestApp } from './support/strapi';

const { appendAudit, pruneAudit, verifyAudit } = appModule<typeof import('../src/audit')>('src/audit');

jest.setTimeout(300_000);

type Data = Record<string, unknown>;
interface Entry {
  id: number;
  at: string;
  action: string;
  actor: { kind: string; id?: number | string | null; email?: string | null } | null;
  ip: string | null;
  object: { type: string; id?: string | number | null; name?: string | null; locale?: string | null } | null;
  summary: string | null;
  hash: string;
}

const PASSWORD = 'Admin-Passw0rd-for-tests';
let app: TestApp;
let superAdmin: AdminSession;
let communication: AdminSession;
/** Logs in and out in the steps below (a logout ends every session of its user). */
let visitor: AdminSession;
let callers: Callers;
/** Every secret the run handled: none may appear in an entry. */
const secrets: string[] = [PASSWORD];

beforeAll(async () => {
  app = await startStrapi({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } });
  superAdmin = await registerFirstAdmin(app);
  communication = await createAdminUser(app, superAdmin, 'communication', 'audit-communication');
  visitor = await createAdminUser(app, superAdmin, 'communication', 'audit-visitor');
  callers = await createCallers(app, 'audit-partner');
});

afterAll(async () => {
  await app?.stop();
});

async function entries(query: Record<string, string> = {}, session = superAdmin): Promise<Entry[]> {
  const response = await app
    .http()
    .get('/admin/audit-logs')
    .query({ pageSize: '500', ...query })
    .set(session.headers);
  expect(response.status).toBe(200);
  return response.body.data as Entry[];
}
async function newestId(): Promise<number> {
  return (await entries({ pageSize: '1' }))[0]?.id ?? 0;
}
/** Runs `step` and returns the entries it added, oldest first. */
async function recorded(step: () => Promise<unknown>): Promise<Entry[]> {
  const since = await newestId();
  await step();
  return (await entries()).filter((entry) => entry.id > since).reverse();
}
const call = async (request: PromiseLike<{ status: number; body: Data; text: string }>, expected: number) => {
  const response = await request;
  if (response.status !== expected)
    throw new Error(`answered ${response.status}, not ${expected}: ${response.text}`);
  return response.body;
};

const PROJECTS = '/content-manager/collection-types/api::project.project';
const SUBSCRIPTIONS = '/content-manager/collection-types/api::webhook-subscription.webhook-subscription';

describe('every security-relevant action is recorded once, with who, where from and what', () => {
  it('logins, accounts, roles, tokens, webhooks, content, media and settings', async () => {
    const http = () => app.http();
    const state: Data = {};
    const steps: {
      label: string;
      run: () => Promise<unknown>;
      action: string;
      object?: Partial<NonNullable<Entry['object']>>;
      actor?: string;
    }[] = [
      {
        label: 'a failed admin login',
        run: () =>
          call(http().post('/admin/login').send({ email: visitor.email, password: 'wrong-Passw0rd' }), 400),
        action: 'admin.login.failure',
        object: { type: 'admin::user', name: visitor.email },
        actor: 'anonymous',
      },
      {
        label: 'an admin login',
        run: async () => {
          state.session = await loginAdmin(app, visitor.email);
        },
        action: 'admin.login',
        actor: visitor.email,
      },
      {
        label: 'a logout',
        run: () =>
          call(
            http()
              .post('/admin/logout')
              .set((state.session as AdminSession).headers),
            200,
          ),
        action: 'admin.logout',
        actor: visitor.email,
      },
      {
        label: 'a password reset asked',
        run: () => call(http().post('/admin/forgot-password').send({ email: visitor.email }), 204),
        action: 'admin.password.reset-request',
        object: { type: 'admin::user', name: visitor.email },
      },
      {
        label: 'an admin user invited',
        run: async () => {
          const roles = (await call(http().get('/admin/roles').set(superAdmin.headers), 200)).data as {
            id: number;
            code: string;
          }[];
          const body = await call(
            http()
              .post('/admin/users')
              .set(superAdmin.headers)
              .send({
                email: 'audit-new@example.test',
                firstname: 'Audit',
                lastname: 'New',
                roles: [roles.find((role) => role.code === 'translator')!.id],
              }),
            201,
          );
          state.userId = (body.data as Data).id;
          secrets.push(String((body.data as Data).registrationToken));
        },
        action: 'admin.user.create',
        object: { type: 'admin::user', name: 'audit-new@example.test' },
        actor: superAdmin.email,
      },
      {
        label: 'an admin user changed',
        run: () =>
          call(
            http().put(`/admin/users/${state.userId}`).set(superAdmin.headers).send({ lastname: 'Changed' }),
            200,
          ),
        action: 'admin.user.update',
        object: { type: 'admin::user' },
      },
      {
        label: 'an admin user changed through another spelling of the path (/admin/Users/<id>/)',
        run: () =>
          call(
            http().put(`/admin/Users/${state.userId}/`).set(superAdmin.headers).send({ firstname: 'Autre' }),
            200,
          ),
        action: 'admin.user.update',
        object: { type: 'admin::user' },
      },
      {
        label: 'an admin user deleted',
        run: () => call(http().delete(`/admin/users/${state.userId}`).set(superAdmin.headers), 200),
        action: 'admin.user.delete',
        object: { type: 'admin::user', name: 'audit-new@example.test' },
      },
      {
        label: 'a role created',
        run: async () => {
          const body = await call(
            http()
              .post('/admin/roles')
              .set(superAdmin.headers)
              .send({ name: 'Audit role', description: 'for the test' }),
            201,
          );
          state.roleId = (body.data as Data).id;
        },
        action: 'admin.role.create',
        object: { type: 'admin::role', name: 'Audit role' },
      },
      {
        label: 'a role renamed',
        run: () =>
          call(
            http()
              .put(`/admin/roles/${state.roleId}`)
              .set(superAdmin.headers)
              .send({ name: 'Audit role 2', description: 'x' }),
            200,
          ),
        action: 'admin.role.update',
        object: { type: 'admin::role', name: 'Audit role 2' },
      },
      {
        label: 'a role deleted',
        run: () => call(http().delete(`/admin/roles/${state.roleId}`).set(superAdmin.headers), 200),
        action: 'admin.role.delete',
      },
      {
        label: 'an API token created',
        run: async () => {
          const body = await call(
            http()
              .post('/admin/api-tokens')
              .set(superAdmin.headers)
              .send({ name: 'audit token', type: 'read-only', lifespan: 7 * 24 * 3600 * 1000 }),
            201,
          );
          state.tokenId = (body.data as Data).id;
          secrets.push(String((body.data as Data).accessKey));
        },
        action: 'api-token.create',
        object: { type: 'admin::api-token', name: 'audit token' },
      },
      {
        label: 'an API token regenerated',
        run: async () => {
          const body = await call(
            http().post(`/admin/api-tokens/${state.tokenId}/regenerate`).set(superAdmin.headers),
            201,
          );
          secrets.push(String((body.data as Data).accessKey));
        },
        action: 'api-token.regenerate',
        object: { type: 'admin::api-token' },
      },
      {
        label: 'an API token revoked',
        run: () => call(http().delete(`/admin/api-tokens/${state.tokenId}`).set(superAdmin.headers), 200),
        action: 'api-token.revoke',
        object: { type: 'admin::api-token', name: 'audit token' },
      },
      {
        label: 'a webhook subscription created',
        run: async () => {
          const body = await call(
            http()
              .post(SUBSCRIPTIONS)
              .set(communication.headers)
              .send({
                name: 'Audit partner',
                url: 'http://127.0.0.1:9/hook',
                events: { project: ['published'] },
                active: false,
              }),
            201,
          );
          state.subscription = (body.data as Data).documentId;
        },
        action: 'webhook-subscription.create',
        object: { type: 'api::webhook-subscription.webhook-subscription', name: 'Audit partner' },
        actor: communication.email,
      },
      {
        label: 'a webhook secret rotated',
        run: async () => {
          const body = await call(
            http().post(`/webhook-subscriptions/${state.subscription}/secret`).set(communication.headers),
            200,
          );
          secrets.push(String((body.data as Data).secret));
        },
        action: 'webhook-subscription.secret-rotate',
      },
      {
        label: 'a webhook subscription deleted',
        run: () =>
          call(http().delete(`${SUBSCRIPTIONS}/${state.subscription}`).set(communication.headers), 200),
        action: 'webhook-subscription.delete',
      },
      {
        label: 'a project published in the Content Manager',
        run: async () => {
          const [project] = (await app.strapi
            .documents('api::project.project')
            .findMany({ locale: 'fr', limit: 1 } as never)) as unknown as Data[];
          state.project = project.documentId;
          state.projectTitle = project.title;
          await call(
            http()
              .post(`${PROJECTS}/${state.project}/actions/publish`)
              .query({ locale: 'fr' })
              .set(communication.headers)
              .send({}),
            200,
          );
        },
        action: 'entry.publish',
        object: { type: 'api::project.project', locale: 'fr' },
        actor: communication.email,
      },
      {
        label: 'a project unpublished by a script',
        run: () =>
          app.strapi
            .documents('api::project.project')
            .unpublish({ documentId: String(state.project), locale: 'de' } as never),
        action: 'entry.unpublish',
        object: { type: 'api::project.project', locale: 'de' },
        actor: 'script',
      },
      {
        label: 'a media file deleted',
        run: async () => {
          const uploaded = await call(
            http()
              .post('/upload')
              .set(superAdmin.headers)
              .attach('files', PNG, { filename: 'audit.png', contentType: 'image/png' }),
            201,
          );
          await call(
            http()
              .delete(`/upload/files/${(uploaded as unknown as Data[])[0].id}`)
              .set(superAdmin.headers),
            200,
          );
        },
        action: 'media.delete',
        object: { type: 'plugin::upload.file', name: 'audit.png' },
      },
      {
        label: 'a locale added',
        run: () =>
          call(
            http()
              .post('/i18n/locales')
              .set(superAdmin.headers)
              .send({ code: 'pt', name: 'Portuguese (pt)', isDefault: false }),
            200,
          ),
        action: 'settings.locales',
        object: { type: 'plugin::i18n.locale' },
      },
      {
        label: 'the users & permissions settings changed',
        run: async () => {
          const current = await call(http().get('/users-permissions/advanced').set(superAdmin.headers), 200);
          await call(
            http()
              .put('/users-permissions/advanced')
              .set(superAdmin.headers)
              .send((current as Data).settings as Data),
            200,
          );
        },
        action: 'settings.users-permissions',
      },
      {
        label: 'the upload settings changed',
        run: async () => {
          const current = await call(http().get('/upload/settings').set(superAdmin.headers), 200);
          await call(
            http()
              .put('/upload/settings')
              .set(superAdmin.headers)
              .send((current as Data).data as Data),
            200,
          );
        },
        action: 'settings.upload',
      },
    ];

    for (const step of steps) {
      const added = await recorded(step.run);
      expect({ step: step.label, actions: added.map((entry) => entry.action) }).toEqual({
        step: step.label,
        actions: [step.action],
      });
      const [entry] = added;
      if (step.object)
        expect({ step: step.label, object: entry.object }).toEqual({
          step: step.label,
          object: expect.objectContaining(step.object),
        });
      if (step.actor === 'anonymous' || step.actor === 'script') expect(entry.actor?.kind).toBe(step.actor);
      else if (step.actor) expect(entry.actor).toMatchObject({ kind: 'admin', email: step.actor });
      if (step.actor !== 'script') expect(entry.ip).toMatch(/127\.0\.0\.1|::1/);
      expect(Date.now() - new Date(entry.at).getTime()).toBeLessThan(60_000);
    }

    // The restore of a version (src/history) is recorded as a restore.
    const versions = await call(
      app
        .http()
        .get(`/admin/history/api::project.project/${state.project}`)
        .query({ locale: 'fr' })
        .set(communication.headers),
      200,
    );
    const [restore] = await recorded(() =>
      call(
        app
          .http()
          .post(
            `/admin/history/api::project.project/${state.project}/${(versions.data as Data[])[0].id}/restore`,
          )
          .query({ locale: 'fr' })
          .set(communication.headers),
        200,
      ),
    );
    expect(restore).toMatchObject({
      action: 'entry.restore',
      object: { type: 'api::project.project', id: state.project, name: state.projectTitle },
    });

    // Reads and refused writes are not recorded.
    expect(
      await recorded(async () => {
        await app.http().get('/admin/users').set(superAdmin.headers).expect(200);
        await app.http().delete(`/admin/roles/999999`).set(communication.headers);
        await app.http().get('/api/projects').set(callers.headers.token).expect(200);
      }),
    ).toEqual([]);

    // No password, token, secret or reset code in any entry.
    const all = JSON.stringify(await entries());
    for (const secret of secrets) expect(all).not.toContain(secret);
  });
});

describe('the hash chain', () => {
  it('verifies, and names the first entry edited, deleted or inserted behind the server (npm run audit:verify too)', async () => {
    const knex = app.strapi.db.connection;
    for (let index = 0; index < 3; index += 1)
      await appendAudit(app.strapi, {
        action: 'test.entry',
        actor: { kind: 'script' },
        summary: `entry ${index}`,
      });
    expect(await verifyAudit(app.strapi)).toMatchObject({ ok: true });
    const [third, second, first] = await knex('audit_log')
      .where('action', 'test.entry')
      .orderBy('id', 'desc')
      .limit(3);

    // Edited: its content no longer matches its hash.
    await knex('audit_log').where('id', second.id).update({ summary: 'entry edited' });
    expect(await verifyAudit(app.strapi)).toEqual({
      ok: false,
      checked: expect.any(Number),
      broken: { id: String(second.id), reason: 'its content does not match its hash' },
    });
    const script = await promisify(execFile)(
      process.execPath,
      [path.join(__dirname, '..', 'scripts', 'audit-verify.js')],
      {
        cwd: path.join(__dirname, '..'),
        env: { ...process.env, DATABASE_URL: databaseUrl(app.databaseName), NODE_ENV: 'test' },
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(script.code).toBe(1);
    expect(script.stderr).toContain(
      `Audit log BROKEN at entry ${second.id}: its content does not match its hash`,
    );
    await knex('audit_log').where('id', second.id).update({ summary: second.summary });
    expect(await verifyAudit(app.strapi)).toMatchObject({ ok: true });

    // Deleted: the next entry's link to the one before it is broken.
    await knex('audit_log').where('id', second.id).delete();
    expect((await verifyAudit(app.strapi)).broken).toEqual({
      id: String(third.id),
      reason: 'its link to the previous entry is broken (an entry before it was deleted, or it was inserted)',
    });
    await knex.raw(
      'INSERT INTO audit_log (id, at, action, actor, ip, object, summary, prev_hash, hash) OVERRIDING SYSTEM VALUE VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        second.id,
        second.at,
        second.action,
        typeof second.actor === 'string' ? second.actor : JSON.stringify(second.actor),
        second.ip,
        null,
        second.summary,
        second.prev_hash,
        second.hash,
      ],
    );
    expect(await verifyAudit(app.strapi)).toMatchObject({ ok: true });

    // Replaced by an entry chained without the key: its hash does not verify.
    await knex('audit_log').where('id', third.id).update({ hash: first.hash });
    expect((await verifyAudit(app.strapi)).broken).toEqual({
      id: String(third.id),
      reason: 'its content does not match its hash',
    });
    await knex('audit_log').where('id', third.id).update({ hash: third.hash });
    expect(await verifyAudit(app.strapi)).toMatchObject({ ok: true });
  });

  it('pruning is an entry of the chain, and keeps the rest verifiable from its sealed anchor', async () => {
    const knex = app.strapi.db.connection;
    const ids = (await knex('audit_log').select('id').orderBy('id')).map((row: { id: string }) =>
      Number(row.id),
    );
    // The oldest half is a year and a half old.
    const old = ids.slice(0, Math.floor(ids.length / 2));
    // (Their hashes no longer match the edited dates: they are the entries pruned.)
    await knex('audit_log')
      .whereIn('id', old)
      .update({ at: new Date(Date.now() - 550 * 24 * 3600 * 1000) });
    const pruned = await pruneAudit(app.strapi, 365);
    expect(pruned).toBe(old.length);
    const left = await knex('audit_log').count({ n: '*' }).first();
    expect(Number(left?.n)).toBe(ids.length - old.length + 1);
    const [last] = await knex('audit_log').orderBy('id', 'desc').limit(1);
    expect(last).toMatchObject({ action: 'audit.prune' });
    expect(last.summary).toBe(
      `${old.length} entries older than 365 days deleted, up to entry ${old[old.length - 1]}`,
    );
    // The first entry left is chained to the last one pruned: whole from the anchor on.
    expect(await verifyAudit(app.strapi)).toMatchObject({ ok: true, checked: ids.length - old.length + 1 });
    // The anchor moved by someone with the database alone (to hide the deletion of more entries).
    const anchor = await knex('audit_log_anchor').where('id', 1).first();
    const [next] = await knex('audit_log').orderBy('id').limit(1);
    await knex('audit_log_anchor').where('id', 1).update({ through_id: next.id, hash: next.hash });
    expect((await verifyAudit(app.strapi)).broken).toEqual({
      id: String(next.id),
      reason: 'the pruning anchor was edited',
    });
    await knex('audit_log_anchor').where('id', 1).update(anchor);
    expect(await verifyAudit(app.strapi)).toMatchObject({ ok: true });
  });
});

describe('the staff API', () => {
  it('is for super administrators only: 403 for every other role, 401 without a session', async () => {
    for (const code of ['communication', 'translator', 'project-coordinator']) {
      const session = await createAdminUser(app, superAdmin, code, `audit-reader-${code}`);
      const response = await app.http().get('/admin/audit-logs').set(session.headers);
      expect({ code, status: response.status }).toEqual({ code, status: 403 });
    }
    for (const headers of [callers.headers.token, callers.headers.editor, callers.headers.anonymous]) {
      expect((await app.http().get('/admin/audit-logs').set(headers)).status).toBe(401);
    }
    // An admin token made by a super administrator carries its owner, roles included: refused.
    const token = await app
      .http()
      .post('/admin/admin-tokens')
      .set(superAdmin.headers)
      .send({ name: 'audit admin token', description: 'no rights', lifespan: null, adminPermissions: [] });
    expect(token.status).toBe(201);
    const answer = await app
      .http()
      .get('/admin/audit-logs')
      .set({ Authorization: `Bearer ${token.body.data.accessKey}` });
    expect(answer.status).toBe(403);
    // Its creation is in the log, its key is not.
    const [created] = await entries({ action: 'admin-token.create' });
    expect(created.object).toMatchObject({ type: 'admin::admin-token', name: 'audit admin token' });
    expect(JSON.stringify(await entries())).not.toContain(token.body.data.accessKey);
  });

  it('filters by action, user and dates; exports CSV; a bad filter is a 400', async () => {
    const logins = await entries({ action: 'admin.login' });
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.every((entry) => entry.action === 'admin.login')).toBe(true);
    const byEmail = await entries({ user: communication.email });
    expect(byEmail.length).toBeGreaterThan(0);
    expect(byEmail.every((entry) => entry.actor?.email === communication.email)).toBe(true);
    const byId = await entries({ user: String(byEmail[0].actor?.id) });
    expect(byId.map((entry) => entry.id)).toEqual(byEmail.map((entry) => entry.id));
    const today = new Date().toISOString().slice(0, 10);
    expect((await entries({ from: today, to: today })).length).toBeGreaterThan(0);
    expect(await entries({ to: '2001-01-01' })).toEqual([]);

    const csv = await app
      .http()
      .get('/admin/audit-logs')
      .query({ format: 'csv', action: 'admin.login' })
      .set(superAdmin.headers);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="audit-log-/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'id,at,action,actor_kind,actor_id,actor,ip,object_type,object_id,locale,object_name,summary,hash',
    );
    expect(lines.length - 1).toBe(logins.length);

    for (const query of [
      { from: 'yesterday' },
      { to: '2026-13-45' },
      { pageSize: '501' },
      { page: '0' },
      { format: 'xml' },
      { action: ['a', 'b'] },
    ]) {
      const response = await app.http().get('/admin/audit-logs').query(query).set(superAdmin.headers);
      expect({ query, status: response.status, name: response.body.error?.name }).toEqual({
        query,
        status: 400,
        name: 'ValidationError',
      });
    }
  });
});
