/**
 * The response cache is never stale: after any write (admin panel, REST, GraphQL, the Document
 * Service the seed uses, a permission change) the very next anonymous read shows it, on every
 * route that shows the changed entry, and on another instance sharing Redis. With Redis stopped,
 * reads still succeed, uncached. Every app here sends X-Cache (RESPONSE_CACHE_DEBUG_HEADER), which
 * these tests read to tell a cached answer from a computed one.
 */
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { databaseUrl } from './support/database';
import {
  freePort,
  spawnRedis,
  spawnStrapi,
  waitForHealth,
  type ServerProcess,
} from './support/server-process';
import { startStrapi, type TestApp } from './support/strapi';
import { tokenFromAdminApi, tokenFromCli } from './support/tokens';
import { bearer, createApiUser, type ApiUser } from './support/users';

const CM = '/content-manager/collection-types/api::project.project';
const DEBUG_HEADER = { RESPONSE_CACHE_DEBUG_HEADER: 'true' };

interface Project {
  documentId: string;
  title: string;
  slug: string;
  site: { documentId: string };
  funders: { documentId: string }[];
}

/** Every public route whose answer shows `project`'s title. */
const routesShowing = (project: Project) => [
  '/api/projects?pagination[pageSize]=100',
  `/api/projects/${project.documentId}`,
  `/api/projects?filters[slug][$eq]=${project.slug}`,
  `/api/sites/${project.site.documentId}?populate[projects]=true`,
  `/api/funders/${project.funders[0].documentId}?populate[projects]=true`,
  '/api/listings/projects?pageSize=100',
  '/api/listings/projects.csv',
  '/api/timeline',
];

type Read = (path: string) => Promise<{ status: number; text: string; cache?: string }>;

/** Reads through an in-process app (supertest) or a spawned server (fetch). */
const reader =
  (target: TestApp | (() => string)): Read =>
  async (path) => {
    if (typeof target !== 'function') {
      const response = await target.http().get(path).buffer(true);
      return { status: response.status, text: response.text, cache: response.headers['x-cache'] };
    }
    const response = await fetch(`${target()}${path}`);
    return {
      status: response.status,
      text: await response.text(),
      cache: response.headers.get('x-cache') ?? undefined,
    };
  };

/** Reads every route twice and checks that the second answer came from the cache. */
async function warm(read: Read, paths: string[]) {
  for (const path of paths) {
    expect({ path, status: (await read(path)).status }).toEqual({ path, status: 200 });
    expect({ path, cache: (await read(path)).cache }).toEqual({ path, cache: 'HIT' });
  }
}

async function expectEverywhere(read: Read, paths: string[], text: string, shown: boolean) {
  for (const path of paths) {
    const response = await read(path);
    expect({ path, shown: response.text.includes(text) }).toEqual({ path, shown });
  }
}

/** Whether something accepts connections on `port`. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
    socket.once('close', () => socket.destroy());
    setTimeout(() => socket.end(), 50);
  });

async function firstProject(read: Read, skip = 0): Promise<Project> {
  const response = await read(
    `/api/projects?sort=id&pagination[start]=${skip}&pagination[limit]=1&populate[site]=true&populate[funders]=true`,
  );
  return JSON.parse(response.text).data[0];
}

async function publishTitle(app: TestApp, admin: AdminSession, project: Project, title: string) {
  await app
    .http()
    .put(`${CM}/${project.documentId}`)
    .query({ locale: 'fr' })
    .set(admin.headers)
    .send({ title })
    .expect(200);
  await app
    .http()
    .post(`${CM}/${project.documentId}/actions/publish`)
    .query({ locale: 'fr' })
    .set(admin.headers)
    .send({})
    .expect(200);
}

describe('in-process cache (one instance)', () => {
  let app: TestApp;
  let read: Read;
  let superAdmin: AdminSession;
  let admin: AdminSession;
  let editor: ApiUser;

  beforeAll(async () => {
    app = await startStrapi({ env: DEBUG_HEADER });
    read = reader(app);
    superAdmin = await registerFirstAdmin(app);
    admin = await createAdminUser(app, superAdmin, 'communication', 'comms');
    editor = await createApiUser(app, 'editor');
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('answers a repeated anonymous read from the cache, the same bytes', async () => {
    const first = await read('/api/projects');
    const second = await read('/api/projects');
    expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
    expect(second.text).toBe(first.text);
  });

  it('computes concurrent misses of one URL once, and gives them all the same answer', async () => {
    const path = '/api/projects?pagination[pageSize]=7';
    await app.strapi.documents('api::site.site').update({
      documentId: (await firstProject(read)).site.documentId,
      locale: 'fr',
      data: { quarter: 'Quartier touché' },
    });
    const answers = await Promise.all(Array.from({ length: 6 }, () => read(path)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
    expect(answers.filter((answer) => answer.cache === 'MISS')).toHaveLength(1);
    expect(answers.every((answer) => ['MISS', 'SHARED', 'HIT'].includes(answer.cache ?? ''))).toBe(true);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
  });

  it('never caches a request that carries credentials', async () => {
    const headers = bearer(editor);
    await app.http().get('/api/projects').set(headers).expect(200);
    const again = await app.http().get('/api/projects').set(headers).expect(200);
    expect(again.headers['x-cache']).toBeUndefined();
  });

  it('serves a partner’s read-only token from the public entries, and refuses it at once when revoked or expired', async () => {
    const path = '/api/listings/projects?pageSize=5';
    const publicAnswer = await read(path);
    for (const headers of [
      await tokenFromCli(app, 'Partner CLI'),
      await tokenFromAdminApi(app, superAdmin, 'Partner panel'),
    ]) {
      const answer = await app.http().get(path).set(headers).expect(200);
      expect(answer.headers['x-cache']).toBe('HIT');
      expect(answer.text).toBe(publicAnswer.text);
    }

    // Revoked in the panel: the next request is refused, though its answer is in the cache.
    const revocable = await app.http().post('/admin/api-tokens').set(superAdmin.headers).send({
      name: 'Revoked partner',
      type: 'read-only',
      lifespan: null,
      permissions: null,
    });
    const headers = { Authorization: `Bearer ${revocable.body.data.accessKey}` };
    await app.http().get(path).set(headers).expect(200);
    await app
      .http()
      .delete(`/admin/api-tokens/${revocable.body.data.id}`)
      .set(superAdmin.headers)
      .expect(200);
    const revoked = await app.http().get(path).set(headers);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toMatchObject({ status: 401, name: 'UnauthorizedError' });

    // Expired: the same.
    const expiring = await tokenFromCli(app, 'Expiring partner');
    await app.strapi.db
      .query('admin::api-token')
      .update({ where: { name: 'Expiring partner' }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await app.http().get(path).set(expiring);
    expect(expired.status).toBe(401);
    expect(expired.body.error).toMatchObject({ status: 401, message: 'Token expired' });
  });

  it('never serves a full-access token from the cache: its drafts stay its own', async () => {
    const created = await app.http().post('/admin/api-tokens').set(superAdmin.headers).send({
      name: 'Full access',
      type: 'full-access',
      lifespan: null,
      permissions: null,
    });
    const headers = { Authorization: `Bearer ${created.body.data.accessKey}` };
    const path = '/api/projects?status=draft&pagination[pageSize]=1';
    await read(path);
    const answer = await app.http().get(path).set(headers);
    expect(answer.headers['x-cache']).toBeUndefined();
  });

  it('shows an admin-panel edit and publish on the very next read of every route', async () => {
    const project = await firstProject(read);
    const paths = routesShowing(project);
    await warm(read, paths);
    await publishTitle(app, admin, project, 'Titre changé dans le panneau');
    await expectEverywhere(read, paths, 'Titre changé dans le panneau', true);
  });

  it('shows a Document Service write (the seed path) on the very next read', async () => {
    const project = await firstProject(read, 1);
    const paths = routesShowing(project);
    await warm(read, paths);
    const documents = app.strapi.documents('api::project.project');
    await documents.update({
      documentId: project.documentId,
      locale: 'fr',
      data: { title: 'Titre du service' },
    });
    await documents.publish({ documentId: project.documentId, locale: 'fr' });
    await expectEverywhere(read, paths, 'Titre du service', true);
  });

  it('shows a delete in the admin panel on the very next read', async () => {
    const project = await firstProject(read, 2);
    const paths = routesShowing(project);
    await warm(read, paths);
    // Unpublished first, in every locale (a published entry is not deleted), then deleted.
    const locales = await app.strapi.db
      .query('api::project.project')
      .findMany({ where: { documentId: project.documentId, publishedAt: { $notNull: true } } });
    for (const { locale } of locales)
      await app
        .http()
        .post(
          `/content-manager/collection-types/api::project.project/${project.documentId}/actions/unpublish`,
        )
        .query({ locale })
        .set(admin.headers)
        .send({})
        .expect(200);
    await app
      .http()
      .delete(`/content-manager/collection-types/api::project.project/${project.documentId}`)
      .query({ locale: '*' })
      .set(admin.headers)
      .expect(200);
    expect((await read(`/api/projects/${project.documentId}`)).status).toBe(404);
    await expectEverywhere(read, paths.slice(2), `"${project.title}"`, false);
  });

  it('keeps every route as it was when an editor’s REST or GraphQL delete of published content is refused', async () => {
    const project = await firstProject(read, 3);
    const paths = routesShowing(project);
    await warm(read, paths);
    await app.http().delete(`/api/projects/${project.documentId}`).set(bearer(editor)).expect(403);
    const response = await app
      .http()
      .post('/graphql')
      .set(bearer(editor))
      .send({ query: `mutation { deleteProject(documentId: "${project.documentId}") { documentId } }` });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await read(`/api/projects/${project.documentId}`)).status).toBe(200);
    // Present, quoted or not (the CSV quotes only what needs quoting).
    await expectEverywhere(read, paths.slice(2), project.title, true);
  });

  it('applies a change of the public permissions on the very next read', async () => {
    await warm(read, ['/api/timeline']);
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    const grant = await permissions.findOne({
      where: { action: 'api::timeline.timeline.find', role: { type: 'public' } },
      populate: ['role'],
    });
    await permissions.delete({ where: { id: grant.id } });
    expect((await read('/api/timeline')).status).toBe(403);
    await permissions.create({ data: { action: grant.action, role: grant.role.id } });
    expect((await read('/api/timeline')).status).toBe(200);
  });
});

describe('shared through Redis (two instances)', () => {
  let redisPort: number;
  let redis: ChildProcess | undefined;
  let app: TestApp;
  let other: ServerProcess;
  let admin: AdminSession;
  let readA: Read;
  let readB: Read;

  const startRedis = async () => {
    redis = spawnRedis(redisPort);
    for (let attempt = 0; attempt < 50; attempt += 1) {
      if (await accepts(redisPort)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('redis-server did not start');
  };
  const stopRedis = async () => {
    const exited = new Promise((resolve) => redis?.once('exit', resolve));
    redis?.kill('SIGKILL');
    await exited;
    redis = undefined;
  };

  beforeAll(async () => {
    redisPort = await freePort();
    await startRedis();
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    app = await startStrapi({ env: { ...DEBUG_HEADER, REDIS_URL: redisUrl } });
    other = await spawnStrapi({
      env: {
        ...DEBUG_HEADER,
        DATABASE_CLIENT: 'postgres',
        DATABASE_URL: databaseUrl(app.databaseName),
        REDIS_URL: redisUrl,
        SEED_ON_BOOT: 'false',
        APP_KEYS: 'cache-key-1,cache-key-2',
        API_TOKEN_SALT: 'cache-salt',
        ADMIN_JWT_SECRET: 'cache-admin',
        TRANSFER_TOKEN_SALT: 'cache-transfer',
        JWT_SECRET: 'cache-jwt',
        ENCRYPTION_KEY: 'cache-encryption',
      },
    });
    await waitForHealth(other);
    readA = reader(app);
    readB = reader(() => `http://127.0.0.1:${other.port}`);
    admin = await createAdminUser(app, await registerFirstAdmin(app), 'communication', 'comms');
  }, 120_000);

  afterAll(async () => {
    await other?.stop();
    await app?.stop();
    if (redis) await stopRedis();
  });

  it('shows a write made on one instance on the next read from the other', async () => {
    const project = await firstProject(readA);
    const paths = routesShowing(project);
    await warm(readB, paths);
    await publishTitle(app, admin, project, 'Écrit sur A, lu sur B');
    await expectEverywhere(readB, paths, 'Écrit sur A, lu sur B', true);
  });

  it('answers uncached while Redis is down, and fresh when it is back', async () => {
    const project = await firstProject(readA, 1);
    const paths = routesShowing(project);
    await warm(readB, paths);
    await stopRedis();

    for (const read of [readA, readB]) {
      const response = await read('/api/projects');
      expect(response.status).toBe(200);
      expect(response.cache).not.toBe('HIT');
    }
    await publishTitle(app, admin, project, 'Écrit pendant la panne');
    await expectEverywhere(readB, paths, 'Écrit pendant la panne', true);

    await startRedis();
    // Each instance reconnects on its own schedule (at most 2 s apart).
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await warm(readB, paths);
    await expectEverywhere(readB, paths, 'Écrit pendant la panne', true);
  });
});
