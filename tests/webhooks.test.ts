/**
 * Webhooks for partners (src/webhooks): real HTTP receivers on 127.0.0.1 (the app boots with
 * WEBHOOK_ALLOW_PRIVATE_URLS=true, the tests-only setting), signatures checked with the snippet
 * the partner guide gives (read from docs/partners.en.md), retries, refusals, the secret's
 * rotation, the command line, and a server process killed with SIGKILL while its receiver is down.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { checkUrl } from '../src/webhooks/addresses';
import { createSubscription } from '../src/webhooks/subscriptions';
import { retryLimitFor } from '../src/webhooks/settings';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { createDatabase, databaseUrl } from './support/database';
import { snippetFunction } from './support/doc-snippets';
import { APP_DIR, freePort, spawnStrapi, waitForHealth, type ServerProcess } from './support/server-process';
import { startStrapi, type TestApp } from './support/strapi';

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// The partner's side: the verification snippet of docs/partners.en.md, read from the guide.

const verifyInterActionsSignature = snippetFunction<
  (rawBody: Buffer | string, header: string | undefined, secret: string, toleranceSeconds?: number) => boolean
>('docs/partners.en.md', 'webhook-signature', 'verifyInterActionsSignature');

// ---------------------------------------------------------------------------------------------
// A receiver: records every request; answers each path with the statuses queued for it, then 200.

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: {
    id: string;
    type: string;
    action: string;
    documentId: string;
    locale: string;
    entry: Record<string, unknown> | null;
  };
}

class Receiver {
  readonly received: Received[] = [];
  private readonly answers = new Map<string, number[]>();
  private server?: http.Server;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = request.url ?? '/';
        this.received.push({ path, headers: request.headers, raw, body: JSON.parse(raw) });
        const status = this.answers.get(path)?.shift() ?? 200;
        response.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  answer(path: string, ...statuses: number[]): void {
    this.answers.set(path, statuses);
  }

  at(path: string): Received[] {
    return this.received.filter((request) => request.path === path);
  }

  async waitFor(path: string, count: number, timeoutMs = 30_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.at(path).length < count) {
      if (Date.now() > deadline)
        throw new Error(`${path}: ${this.at(path).length} of ${count} deliveries after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return this.at(path);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
    this.server?.closeAllConnections();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SUBSCRIPTIONS = '/content-manager/collection-types/api::webhook-subscription.webhook-subscription';
const DELIVERIES = '/content-manager/collection-types/api::webhook-delivery.webhook-delivery';
const TEST_ENV = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_DELAY_SECONDS: '1' };

// ---------------------------------------------------------------------------------------------

describe('webhooks for partners (in-process server)', () => {
  let app: TestApp;
  let receiver: Receiver;
  let superAdmin: AdminSession;
  let communication: AdminSession;
  let translator: AdminSession;
  /** Roles without the webhooks: ours and Strapi's own Editor and Author, which Strapi grants every type. */
  let others: AdminSession[];

  beforeAll(async () => {
    app = await startStrapi({ env: TEST_ENV });
    receiver = new Receiver();
    await receiver.start();
    superAdmin = await registerFirstAdmin(app);
    communication = await createAdminUser(app, superAdmin, 'communication', 'webhook-communication');
    translator = await createAdminUser(app, superAdmin, 'translator', 'webhook-translator');
    others = [
      translator,
      await createAdminUser(app, superAdmin, 'project-coordinator', 'webhook-coordinator'),
      await createAdminUser(app, superAdmin, 'strapi-editor', 'webhook-strapi-editor'),
      await createAdminUser(app, superAdmin, 'strapi-author', 'webhook-strapi-author'),
    ];
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await receiver?.stop();
  });

  /** A project, edited and published in French: one `published` change. */
  async function publishProjectEdit(title: string): Promise<string> {
    const projects = app.strapi.documents('api::project.project');
    const project = await projects.findFirst({ locale: 'fr', status: 'published' });
    if (!project) throw new Error('no published project in the seed');
    await projects.update({ documentId: project.documentId, locale: 'fr', data: { title } as never });
    await projects.publish({ documentId: project.documentId, locale: 'fr' });
    return project.documentId;
  }

  /** A subscription made in the panel's API by the Communication role, and its secret (the button). */
  async function subscribeInPanel(
    path: string,
    events: unknown,
  ): Promise<{ documentId: string; secret: string }> {
    const created = await app
      .http()
      .post(SUBSCRIPTIONS)
      .set(communication.headers)
      .send({ name: `Partner ${path}`, url: receiver.url(path), events, active: true });
    expect({ status: created.status, body: created.body.error }).toEqual({ status: 201, body: undefined });
    const documentId = created.body.data.documentId as string;
    const rotated = await app
      .http()
      .post(`/webhook-subscriptions/${documentId}/secret`)
      .set(communication.headers)
      .expect(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    return { documentId, secret: rotated.body.data.secret as string };
  }

  it('a publish is delivered, signed: the documented check accepts it, a wrong secret, a changed body or an old timestamp do not', async () => {
    const { documentId: subscription, secret } = await subscribeInPanel('/signed', {
      project: ['published'],
    });
    const title = `Webhook ${crypto.randomBytes(3).toString('hex')}`;
    const documentId = await publishProjectEdit(title);

    const [delivery] = await receiver.waitFor('/signed', 1);
    expect(delivery.headers['content-type']).toMatch(/^application\/json/);
    expect(delivery.headers['x-inter-actions-event-id']).toBe(delivery.body.id);
    expect(delivery.body).toMatchObject({ type: 'project', action: 'published', documentId, locale: 'fr' });
    // The entry as the public REST API gives it (default populate, published version).
    const rest = await app.http().get(`/api/projects/${documentId}?locale=fr`).expect(200);
    expect(delivery.body.entry).toEqual(rest.body.data);
    expect(delivery.body.entry?.title).toBe(title);

    const header = delivery.headers['x-inter-actions-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyInterActionsSignature(delivery.raw, header, secret)).toBe(true);
    expect(verifyInterActionsSignature(delivery.raw, header, `${secret}x`)).toBe(false);
    expect(verifyInterActionsSignature(delivery.raw, header, 'whsec_wrong')).toBe(false);
    expect(verifyInterActionsSignature(delivery.raw.replace(title, `${title}!`), header, secret)).toBe(false);
    // Replayed later than five minutes: refused by the tolerance.
    const t = Number(/t=(\d+)/.exec(header)?.[1]);
    const old = t - 301;
    const oldHeader = `t=${old},v1=${crypto.createHmac('sha256', secret).update(`${old}.${delivery.raw}`).digest('hex')}`;
    expect(verifyInterActionsSignature(delivery.raw, oldHeader, secret)).toBe(false);

    // The delivery log, read by Communication in the panel.
    const log = await app
      .http()
      .get(`${DELIVERIES}?filters[subscription][$eq]=${subscription}`)
      .set(communication.headers)
      .expect(200);
    expect(log.body.results).toEqual([
      expect.objectContaining({
        eventId: delivery.body.id,
        outcome: 'delivered',
        attempts: 1,
        responseStatus: 200,
      }),
    ]);
  });

  it('a receiver answering 500 then 200 gets the event twice, with the same event id', async () => {
    receiver.answer('/flaky', 500);
    const { documentId: subscription, secret } = await subscribeInPanel('/flaky', null);
    await publishProjectEdit(`Flaky ${crypto.randomBytes(3).toString('hex')}`);
    const deliveries = await receiver.waitFor('/flaky', 2);
    expect(deliveries[0].headers['x-inter-actions-event-id']).toBe(
      deliveries[1].headers['x-inter-actions-event-id'],
    );
    expect(deliveries[0].body.id).toBe(deliveries[1].body.id);
    for (const delivery of deliveries)
      expect(
        verifyInterActionsSignature(
          delivery.raw,
          delivery.headers['x-inter-actions-signature'] as string,
          secret,
        ),
      ).toBe(true);
    await sleep(1500);
    const log = (await app.strapi.db
      .query('api::webhook-delivery.webhook-delivery' as never)
      .findMany({ where: { subscription } })) as { outcome: string; attempts: number }[];
    expect(log).toEqual([expect.objectContaining({ outcome: 'delivered', attempts: 2 })]);
  });

  it('a 4xx (but 408 and 429) stops the retries of that event; the next events still go', async () => {
    receiver.answer('/refusing', 400);
    const { documentId: subscription } = await subscribeInPanel('/refusing', { project: ['published'] });
    await publishProjectEdit(`Refused ${crypto.randomBytes(3).toString('hex')}`);
    await receiver.waitFor('/refusing', 1);
    await sleep(5000); // retries would come after 1-2 s, then 2-4 s
    expect(receiver.at('/refusing')).toHaveLength(1);
    await publishProjectEdit(`Accepted ${crypto.randomBytes(3).toString('hex')}`);
    const deliveries = await receiver.waitFor('/refusing', 2);
    expect(deliveries[1].body.id).not.toBe(deliveries[0].body.id);
    await sleep(500);
    const log = (await app.strapi.db
      .query('api::webhook-delivery.webhook-delivery' as never)
      .findMany({ where: { subscription }, orderBy: { changeId: 'asc' } })) as {
      outcome: string;
      responseStatus: number;
    }[];
    expect(log.map((entry) => [entry.outcome, entry.responseStatus])).toEqual([
      ['rejected', 400],
      ['delivered', 200],
    ]);
  });

  it('delivers only the subscribed types and actions', async () => {
    await subscribeInPanel('/funders-only', { funder: ['published'] });
    await publishProjectEdit(`Not for funders ${crypto.randomBytes(3).toString('hex')}`);
    const funders = app.strapi.documents('api::funder.funder');
    const funder = await funders.findFirst({ locale: 'fr' });
    await funders.update({
      documentId: funder?.documentId as string,
      locale: 'fr',
      data: { name: 'Financeur renommé' } as never,
    });
    const [delivery] = await receiver.waitFor('/funders-only', 1);
    expect(delivery.body).toMatchObject({
      type: 'funder',
      action: 'published',
      documentId: funder?.documentId,
    });
    await sleep(1500);
    expect(receiver.at('/funders-only')).toHaveLength(1);
  });

  it('a rotated secret: both the new and the previous secret sign for 24 hours', async () => {
    const { documentId, secret: first } = await subscribeInPanel('/rotated', { project: ['published'] });
    const rotated = await app
      .http()
      .post(`/webhook-subscriptions/${documentId}/secret`)
      .set(communication.headers)
      .expect(200);
    const second = rotated.body.data.secret as string;
    expect(second).not.toBe(first);
    await publishProjectEdit(`Rotated ${crypto.randomBytes(3).toString('hex')}`);
    const [delivery] = await receiver.waitFor('/rotated', 1);
    const header = delivery.headers['x-inter-actions-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyInterActionsSignature(delivery.raw, header, second)).toBe(true);
    expect(verifyInterActionsSignature(delivery.raw, header, first)).toBe(true);
    // Only who may update subscriptions rotates; the secret is stored encrypted.
    for (const other of others)
      await app.http().post(`/webhook-subscriptions/${documentId}/secret`).set(other.headers).expect(403);
    await app.http().post(`/webhook-subscriptions/${documentId}/secret`).expect(401);
    await app.http().post(`/webhook-subscriptions/nope/secret`).set(communication.headers).expect(404);
    const stored = JSON.stringify(await app.strapi.db.connection('webhook_subscription_states').select());
    expect(stored).not.toContain(second);
    expect(stored).not.toContain(first);
  });

  it('changes wait until the secret is shown for the first time, then go', async () => {
    const created = await app
      .http()
      .post(SUBSCRIPTIONS)
      .set(communication.headers)
      .send({ name: 'Partner /waiting', url: receiver.url('/waiting'), events: { project: ['published'] } })
      .expect(201);
    await publishProjectEdit(`Waiting ${crypto.randomBytes(3).toString('hex')}`);
    await sleep(2500);
    expect(receiver.at('/waiting')).toHaveLength(0);
    const shown = await app
      .http()
      .post(`/webhook-subscriptions/${created.body.data.documentId}/secret`)
      .set(communication.headers)
      .expect(200);
    const [delivery] = await receiver.waitFor('/waiting', 1);
    const header = delivery.headers['x-inter-actions-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyInterActionsSignature(delivery.raw, header, shown.body.data.secret)).toBe(true);
  });

  it('resends from a change number given in the panel', async () => {
    const { documentId } = await subscribeInPanel('/resent', { project: ['published'] });
    await publishProjectEdit(`Resent ${crypto.randomBytes(3).toString('hex')}`);
    const [first] = await receiver.waitFor('/resent', 1);
    // The log entry is written once the receiver's answer is in: wait for it.
    let entry: { changeId: string } | undefined;
    for (let attempt = 0; attempt < 100 && !entry; attempt += 1) {
      [entry] = (await app.strapi.db
        .query('api::webhook-delivery.webhook-delivery' as never)
        .findMany({ where: { subscription: documentId, outcome: 'delivered' } })) as { changeId: string }[];
      if (!entry) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!entry) throw new Error('no delivery log entry for the first delivery');
    await app
      .http()
      .put(`${SUBSCRIPTIONS}/${documentId}`)
      .set(communication.headers)
      .send({ resendFrom: String(entry.changeId) })
      .expect(200);
    const deliveries = await receiver.waitFor('/resent', 2);
    expect(deliveries[1].body.id).toBe(first.body.id);
    const stored = await app.strapi.db
      .query('api::webhook-subscription.webhook-subscription' as never)
      .findOne({ where: { documentId } });
    expect((stored as { resendFrom: unknown }).resendFrom).toBeNull();
  });

  describe('forbidden URLs are refused when the subscription is saved (400 naming url)', () => {
    const refused = [
      'http://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/hook',
      'https://192.168.1.10/',
      'https://172.16.0.1/',
      'https://100.64.0.1/',
      'https://[fd00:ec2::254]/',
      'https://[fe80::1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://0.0.0.0/',
      'https://224.0.0.1/',
      'ftp://example.org/',
      'not a url',
      'https://user:pass@127.0.0.1/',
    ];
    it.each(refused)('%s', async (url) => {
      const response = await app
        .http()
        .post(SUBSCRIPTIONS)
        .set(communication.headers)
        .send({ name: 'SSRF', url, active: true });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
      expect(response.body.error.details.errors[0].path).toEqual(['url']);
    });

    it('and an update to such a URL, and bad events', async () => {
      const { documentId } = await subscribeInPanel('/updated', null);
      const bad = await app
        .http()
        .put(`${SUBSCRIPTIONS}/${documentId}`)
        .set(communication.headers)
        .send({ url: 'http://169.254.169.254/' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.errors[0].path).toEqual(['url']);
      for (const events of [{ project: ['created'] }, { page: ['published'] }, ['project']]) {
        const response = await app
          .http()
          .put(`${SUBSCRIPTIONS}/${documentId}`)
          .set(communication.headers)
          .send({ events });
        expect({
          events,
          status: response.status,
          path: response.body.error?.details?.errors?.[0]?.path,
        }).toEqual({
          events,
          status: 400,
          path: ['events'],
        });
      }
    });

    it('without WEBHOOK_ALLOW_PRIVATE_URLS: plain HTTP and loopback too', async () => {
      const production = { allowPrivateUrls: false };
      expect(await checkUrl('https://127.0.0.1/', production)).toMatch(/refused/);
      expect(await checkUrl('https://[::1]/', production)).toMatch(/refused/);
      // A name is refused without telling where it resolves (here 127.0.0.1 or ::1).
      const byName = await checkUrl('https://localhost/', production);
      expect(byName).toBe('url is refused: localhost is not a public address');
      expect(byName).not.toMatch(/127\.0\.0\.1|::1|loopback/);
      expect(await checkUrl('https://10.0.0.1/', production)).toBe(
        'url is refused: 10.0.0.1 is not a public address',
      );
      expect(await checkUrl('http://93.184.215.14/', production)).toMatch(/https/);
      expect(await checkUrl('https://93.184.215.14/hook', production)).toBeUndefined();
      // The tests-only setting opens loopback, not the other private ranges.
      expect(await checkUrl('http://127.0.0.1:9/', { allowPrivateUrls: true })).toBeUndefined();
      expect(await checkUrl('http://10.1.2.3/', { allowPrivateUrls: true })).toMatch(/refused/);
    });
  });

  it('the subscriptions and the log are staff-only: no content API route, no GraphQL, no role but Communication', async () => {
    for (const path of [
      '/api/webhook-subscriptions',
      '/api/webhook-deliveries',
      '/api/webhook-subscriptions/x',
    ])
      expect({ path, status: (await app.http().get(path)).status }).toEqual({ path, status: 404 });
    const graphql = await app.http().post('/graphql').send({ query: '{ webhookSubscriptions { url } }' });
    expect(graphql.body.errors?.[0]?.message).toMatch(/webhookSubscriptions/);
    for (const other of others) {
      await app.http().get(SUBSCRIPTIONS).set(other.headers).expect(403);
      await app.http().get(DELIVERIES).set(other.headers).expect(403);
    }
    await app.http().get(SUBSCRIPTIONS).set(communication.headers).expect(200);
    // The log is written by the worker only.
    await app.http().post(DELIVERIES).set(communication.headers).send({ partner: 'forged' }).expect(403);
    const forged = await app.http().post(DELIVERIES).set(superAdmin.headers).send({ partner: 'forged' });
    expect(forged.status).toBe(403);
  });

  it('retries cover at least 24 hours', () => {
    for (const delay of [1, 10, 30, 60, 600]) {
      const retries = retryLimitFor(delay);
      expect(delay * (2 ** retries - 1)).toBeGreaterThanOrEqual(24 * 3600);
      expect(delay * (2 ** (retries - 1) - 1)).toBeLessThan(24 * 3600);
    }
    expect(retryLimitFor(30)).toBe(12);
  });

  it('npm run subscription:create prints the id and the secret once; a forbidden URL is refused', async () => {
    const env = {
      ...process.env,
      ...TEST_ENV,
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: databaseUrl(app.databaseName),
    };
    const { stdout } = await run(
      process.execPath,
      [
        'scripts/subscription-create.js',
        '--name',
        'Ministère de la Famille',
        '--url',
        receiver.url('/cli'),
        '--types',
        'project,service',
      ],
      { cwd: APP_DIR, env },
    );
    const id = /Subscription id: (\S+)/.exec(stdout)?.[1];
    const lines = stdout.trim().split('\n');
    const secret = lines[lines.findIndex((line) => line.startsWith('Signing secret')) + 1];
    // The secret is the last thing printed, and no error or stack trace follows it (the script
    // runs no worker, WEBHOOK_WORKERS=false, and waits for the delivery run it queues before
    // closing the queue's connections).
    expect(lines.at(-1)).toBe(secret);
    expect(stdout).not.toMatch(/^\s+at /m);
    expect(stdout).not.toMatch(/error/i);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // The run it queued reached pg-boss (the server's workers take it from there).
    const { rows: queued } = await app.strapi.db.connection.raw(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'webhook-deliveries' AND singleton_key = ?`,
      [id],
    );
    expect(queued[0].n).toBeGreaterThanOrEqual(1);
    const stored = await app.strapi.db
      .query('api::webhook-subscription.webhook-subscription' as never)
      .findOne({ where: { documentId: id } });
    expect(stored).toMatchObject({
      name: 'Ministère de la Famille',
      url: receiver.url('/cli'),
      active: true,
      events: {
        project: ['published', 'unpublished', 'deleted'],
        service: ['published', 'unpublished', 'deleted'],
      },
    });
    // Without --types: every change, stored as the empty filter the panel's help describes (not null).
    const everything = await createSubscription(app.strapi, {
      name: 'Tout',
      url: receiver.url('/all'),
      types: [],
    });
    const all = await app.strapi.db
      .query('api::webhook-subscription.webhook-subscription' as never)
      .findOne({ where: { documentId: everything.documentId } });
    expect(all).toMatchObject({ events: {} });
    await app.strapi.documents('api::webhook-subscription.webhook-subscription' as never).delete({
      documentId: everything.documentId,
    } as never);
    // The secret the command printed signs the deliveries.
    await publishProjectEdit(`CLI ${crypto.randomBytes(3).toString('hex')}`);
    const [delivery] = await receiver.waitFor('/cli', 1);
    expect(
      verifyInterActionsSignature(
        delivery.raw,
        delivery.headers['x-inter-actions-signature'] as string,
        secret,
      ),
    ).toBe(true);

    const refused = await run(
      process.execPath,
      ['scripts/subscription-create.js', '--name', 'Bad', '--url', 'http://169.254.169.254/'],
      { cwd: APP_DIR, env },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(/url is refused/);
  }, 120_000);

  it('the function behind the command line refuses a forbidden URL with the same 400', async () => {
    await expect(
      createSubscription(app.strapi, { name: 'Bad', url: 'https://10.0.0.1/', types: [] }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      details: { errors: [expect.objectContaining({ path: ['url'] })] },
    });
  });
});

describe('webhooks survive a SIGKILL of the server while the receiver is down', () => {
  let server: ServerProcess | undefined;
  const receiver = new Receiver();
  let name: string;

  const spawn = () =>
    spawnStrapi({
      env: {
        ...TEST_ENV,
        DATABASE_CLIENT: 'postgres',
        DATABASE_URL: databaseUrl(name),
        SEED_ON_BOOT: 'false',
        APP_KEYS: 'webhook-key-1,webhook-key-2',
        API_TOKEN_SALT: 'webhook-salt',
        ADMIN_JWT_SECRET: 'webhook-admin',
        TRANSFER_TOKEN_SALT: 'webhook-transfer',
        JWT_SECRET: 'webhook-jwt',
        ENCRYPTION_KEY: 'webhook-encryption',
      },
    });

  beforeAll(async () => {
    name = `${process.env.TEST_RUN_PREFIX}_webhooks_kill`;
    await createDatabase(name, process.env.TEST_TEMPLATE_DATABASE);
  });

  afterAll(async () => {
    await server?.stop();
    await receiver.stop();
  });

  it('every change made before the kill reaches the receiver once it is back, in order', async () => {
    server = await spawn();
    await waitForHealth(server);
    const base = `http://127.0.0.1:${server.port}`;
    const json = { 'Content-Type': 'application/json' };
    const admin = await fetch(`${base}/admin/register-admin`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        email: 'kill@example.test',
        firstname: 'K',
        lastname: 'Ill',
        password: 'Admin-Passw0rd-for-tests',
      }),
    }).then((response) => response.json() as Promise<{ data: { token: string } }>);
    const headers = { ...json, Authorization: `Bearer ${admin.data.token}` };

    const port = await freePort(); // nothing listens there yet: the receiver is down
    const created = await fetch(`${base}${SUBSCRIPTIONS}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'Down partner',
        url: `http://127.0.0.1:${port}/down`,
        events: { funder: ['published'] },
        active: true,
      }),
    }).then((response) => response.json() as Promise<{ data: { documentId: string } }>);
    const rotated = await fetch(`${base}/webhook-subscriptions/${created.data.documentId}/secret`, {
      method: 'POST',
      headers,
    }).then((response) => response.json() as Promise<{ data: { secret: string } }>);

    const funders = (await fetch(`${base}/api/funders?locale=fr&pagination[pageSize]=3`).then((r) =>
      r.json(),
    )) as {
      data: { documentId: string }[];
    };
    for (const [index, funder] of funders.data.entries()) {
      const response = await fetch(
        `${base}/content-manager/collection-types/api::funder.funder/${funder.documentId}?locale=fr`,
        {
          method: 'PUT',
          headers,
          body: JSON.stringify({ name: `Financeur ${index} avant la panne` }),
        },
      );
      expect(response.status).toBe(200);
    }
    await sleep(3000); // attempts fail (connection refused) and wait for their retry
    server.child.kill('SIGKILL');
    await server.exited;

    server = await spawn();
    await waitForHealth(server);
    await receiver.start(port);
    const deliveries = await receiver.waitFor('/down', 3, 90_000);
    const ids = [...new Set(deliveries.map((delivery) => delivery.body.id))];
    expect(ids).toHaveLength(3);
    expect(deliveries.slice(0, 3).map((delivery) => delivery.body.documentId)).toEqual(
      funders.data.map((f) => f.documentId),
    );
    for (const delivery of deliveries)
      expect(
        verifyInterActionsSignature(
          delivery.raw,
          delivery.headers['x-inter-actions-signature'] as string,
          rotated.data.secret,
        ),
      ).toBe(true);
  }, 180_000);
});
