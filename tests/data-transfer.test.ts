/**
 * Strapi's data transfer switches the database lifecycles off in the serving process for as long
 * as a remote transfer's WebSocket is open (`strapi transfer --from/--to`, with a transfer token),
 * and with them the published-only rule of public reads (src/security/data-transfer.ts). Through
 * Strapi's real runner route: while a pull is open, the content API answers 503 and /_ready says
 * why; the admin panel goes on; what was written behind the lifecycles' back is served and found
 * once it ends (the response cache forgot, the search index was rebuilt).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import WebSocket from 'ws';
import { databaseUrl } from './support/database';
import { appModule, listen, startStrapi, type TestApp } from './support/strapi';

// The app's own instance of the module (it marks the lifecycles switch it wraps).
const { assertDataTransfersWatched } = appModule<typeof import('../src/security/data-transfer')>(
  'src/security/data-transfer',
);

let app: TestApp;
let port: number;
/**
 * Strapi's admin route `/admin/:path*` runs before the runner and, finding no answer (the runner
 * sets none: it took the socket), sends the panel's `dist/build/index.html` — which Koa never
 * writes, the socket being the WebSocket's. Without a built panel (npm test runs before the
 * build), the missing file's error makes Koa write a 404 into the open WebSocket and the transfer
 * dies. A stand-in page for this file's run only, when no build is there.
 */
const BUILD = path.resolve(__dirname, '..', 'dist', 'build');
let standIn: string | undefined;
let accessKey: string;

const PROJECT = 'api::project.project';

interface TransferTokens {
  create(attributes: Record<string, unknown>): Promise<{ accessKey: string }>;
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(BUILD, 'index.html'))) {
    fs.mkdirSync(BUILD, { recursive: true });
    standIn = path.join(BUILD, 'index.html');
    fs.writeFileSync(standIn, '<!doctype html><title>Inter-Actions</title>');
  }
  app = await startStrapi();
  port = Number(new URL(await listen(app)).port);
  const tokens = (app.strapi.admin.services as unknown as { transfer: { token: TransferTokens } }).transfer
    .token;
  ({ accessKey } = await tokens.create({
    name: 'Copie vers la préproduction',
    description: '',
    permissions: ['pull'],
    lifespan: null,
  }));
}, 120_000);

afterAll(async () => {
  await app?.stop();
  if (standIn) fs.rmSync(BUILD, { recursive: true, force: true });
});

/** Opens Strapi's pull runner as `strapi transfer --from` does; resolves once it is open. */
async function openPull(key: string): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/admin/transfer/runner/pull`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (request, response) => {
      request.destroy();
      reject(new Error(`runner answered ${response.statusCode}`));
    });
  });
  return socket;
}

async function closed(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return;
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.close();
  });
}

/** Polls `path` until it answers `status` (the catch-up after a transfer runs in the background). */
async function until(path: string, status: number, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await app.http().get(path);
    if (response.status === status || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a remote data transfer on the serving instance', () => {
  it('a wrong transfer token opens nothing and closes nothing', async () => {
    await expect(openPull('not-a-token')).rejects.toThrow(/runner answered 401/);
    expect((await app.http().get('/api/projects')).status).toBe(200);
  });

  it('closes the content API while it runs, and serves what it wrote once it ends', async () => {
    // A published project, read (and cached) and searchable under its current title.
    const project = (await app.strapi.db.query(PROJECT as never).findOne({
      where: { locale: 'fr', publishedAt: { $notNull: true } },
      select: ['documentId', 'title'],
      orderBy: { id: 'asc' },
    })) as { documentId: string; title: string };
    const entryPath = `/api/projects/${project.documentId}?locale=fr`;
    const before = await app.http().get(entryPath);
    expect(before.status).toBe(200);
    expect(before.body.data.title).toBe(project.title);
    const newTitle = 'Zwiebelturmprojekt transféré';
    const search = `/api/search?q=${encodeURIComponent('Zwiebelturmprojekt')}&locale=fr`;
    expect((await app.http().get(search)).body.data).toEqual([]);

    const socket = await openPull(accessKey);
    try {
      for (const response of [
        await app.http().get('/api/projects'),
        await app.http().get('/api/sites?populate=projects'),
        await app.http().get(entryPath),
        await app.http().get('/api/listings/projects.csv'),
        await app.http().post('/graphql').send({ query: '{ projects { title } }' }),
        await app.http().post('/graphql?x=1').send({ query: '{ sites { projects { title } } }' }),
      ]) {
        expect(response.status).toBe(503);
        expect(response.headers['retry-after']).toBe('30');
        expect(response.body).toEqual({
          data: null,
          error: {
            status: 503,
            name: 'ServiceUnavailableError',
            message: 'A data transfer is running on this server; retry in a minute',
            details: {},
          },
        });
      }
      const ready = await app.http().get('/_ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.dataTransfer).toBe('running');
      // The admin panel goes on (it reads drafts anyway; its rules are not lifecycles).
      expect((await app.http().get('/admin/init')).status).toBe(200);

      // What a push writes, it writes with the lifecycles off: no hook sees it.
      await app.strapi.db
        .query(PROJECT as never)
        .updateMany({ where: { documentId: project.documentId, locale: 'fr' }, data: { title: newTitle } });
    } finally {
      await closed(socket);
    }

    const after = await until(entryPath, 200);
    expect(after.status).toBe(200);
    // Not the cached answer of before: the cache forgot once the search index had caught up.
    expect(after.body.data.title).toBe(newTitle);
    const found = await app.http().get(search);
    expect(found.status).toBe(200);
    expect(found.body.data.map((hit: { documentId: string }) => hit.documentId)).toEqual([
      project.documentId,
    ]);
    const ready = await app.http().get('/_ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.dataTransfer).toBe('none');
    // Lifecycles are on again: a write bumps the cache as before.
    await app.strapi
      .documents(PROJECT as never)
      .update({ documentId: project.documentId, locale: 'fr', data: { title: project.title } as never });
    await app.strapi.documents(PROJECT as never).publish({ documentId: project.documentId, locale: 'fr' });
    expect((await app.http().get(entryPath)).body.data.title).toBe(project.title);
  });

  it('a request already running when a transfer starts answers 503, not what it read', async () => {
    const lock = new Client({ connectionString: databaseUrl(app.databaseName) });
    await lock.connect();
    let socket: WebSocket | undefined;
    try {
      // The request passes the guard, then waits on the sites table, held by this transaction.
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE sites IN ACCESS EXCLUSIVE MODE');
      const pending = app
        .http()
        .get('/api/sites?populate=projects&pagination[pageSize]=7')
        .then((r) => r);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { rows } = await lock.query(
          "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'sites' AND NOT l.granted",
        );
        if (rows[0].n > 0 || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      socket = await openPull(accessKey);
      await lock.query('COMMIT');
      const response = await pending;
      expect(response.status).toBe(503);
      expect(response.body.error.name).toBe('ServiceUnavailableError');
      expect(response.headers.etag).toBeUndefined();
    } finally {
      await lock.end();
      if (socket) await closed(socket);
    }
    expect((await until('/api/sites?populate=projects&pagination[pageSize]=7', 200)).status).toBe(200);
  });

  it('GraphQL has one path: /graphql/ is a 404, so no guard keyed on the path misses it', async () => {
    const response = await app.http().post('/graphql/').send({ query: '{ projects { title } }' });
    expect(response.status).toBe(404);
    expect(response.body.error.name).toBe('NotFoundError');
    expect((await app.http().post('/graphql').send({ query: '{ projects { title } }' })).status).toBe(200);
    expect((await app.http().get('/graphql/schema.graphql')).status).toBe(200);
  });

  it('the boot self-check refuses a lifecycles switch that is no longer watched', () => {
    expect(() => assertDataTransfersWatched(app.strapi)).not.toThrow();
    const lifecycles = app.strapi.db.lifecycles;
    const watched = lifecycles.disable;
    lifecycles.disable = () => undefined;
    try {
      expect(() => assertDataTransfersWatched(app.strapi)).toThrow(/Data transfers are not watched/);
    } finally {
      lifecycles.disable = watched;
    }
  });
});
