/**
 * The response cache beside other processes and under failure:
 * - without Redis, a write made by another process on the same database (a script, a second
 *   instance) is seen by a running server at once (PostgreSQL LISTEN/NOTIFY, src/cache/peers.ts);
 * - while the database cannot be reached, the last answer stored for a URL is served, marked
 *   stale, for RESPONSE_CACHE_STALE_IF_ERROR_SECONDS after it was stored; never to a caller with
 *   credentials, never after that;
 * - in Redis the cache stays within RESPONSE_CACHE_MAX_BYTES, however many distinct URLs are
 *   read, so that a Redis that evicts keys never has to drop the login limits' counters; with
 *   RESPONSE_CACHE_REDIS_URL it keeps to a Redis of its own, binary answers included.
 * Every app here sends X-Cache (RESPONSE_CACHE_DEBUG_HEADER), which these tests read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import Redis from 'ioredis';
import { databaseUrl, quote, withAdminClient } from './support/database';
import { APP_DIR, freePort } from './support/server-process';
import { startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser } from './support/users';

const DEBUG_HEADER = { RESPONSE_CACHE_DEBUG_HEADER: 'true' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Read {
  status: number;
  text: string;
  cache?: string;
  headers: Record<string, string>;
}
const reader =
  (app: TestApp) =>
  async (url: string, headers: Record<string, string> = {}): Promise<Read> => {
    const response = await app.http().get(url).set(headers).buffer(true);
    return {
      status: response.status,
      text: response.text,
      cache: response.headers['x-cache'],
      headers: response.headers,
    };
  };

/** Reads each URL until the cache answers it. */
async function warm(read: ReturnType<typeof reader>, urls: string[]): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  for (const url of urls) {
    await read(url);
    const again = await read(url);
    expect({ url, status: again.status, cache: again.cache }).toEqual({ url, status: 200, cache: 'HIT' });
    held.set(url, again.text);
  }
  return held;
}

async function firstSite(app: TestApp): Promise<{ documentId: string; name: string }> {
  const response = await app
    .http()
    .get('/api/sites')
    .query({ sort: 'id', 'pagination[limit]': 1 })
    .expect(200);
  return response.body.data[0];
}

// ---------------------------------------------------------------------------------------------

/** A second process on the app's database: boots Strapi (no server), renames a site when told. */
const WRITER = `
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');
const distDir = path.join(process.cwd(), 'dist');
(async () => {
  const app = await createStrapi({ appDir: process.cwd(), distDir }).load();
  process.stdout.write('ready\\n');
  process.stdin.once('data', async (line) => {
    const { documentId, name } = JSON.parse(String(line));
    await app.documents('api::site.site').update({ documentId, locale: 'fr', data: { name } });
    await require(path.join(distDir, 'src', 'utils', 'settle')).settle(app);
    await app.destroy();
    process.stdout.write('done\\n');
    process.exit(0);
  });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

/** Resolves when `child` has printed `word` on a line of its own; fails if it exits first. */
function said(child: ChildProcess, word: string, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (output().split('\n').includes(word)) resolve();
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`the writer exited with ${code}:\n${output()}`)));
    check();
  });
}

describe('without Redis, writes of another process', () => {
  let app: TestApp;
  let writer: ChildProcess | undefined;

  beforeAll(async () => {
    app = await startStrapi({ env: DEBUG_HEADER });
  });

  afterAll(async () => {
    writer?.kill('SIGKILL');
    await app?.stop();
  });

  it('a site renamed by a script on the same database is shown by the running server at once', async () => {
    const read = reader(app);
    const site = await firstSite(app);
    const urls = [`/api/sites/${site.documentId}`, '/api/sites?pagination[pageSize]=100'];

    let output = '';
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.REDIS_URL;
    delete env.RESPONSE_CACHE_REDIS_URL;
    Object.assign(env, {
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: databaseUrl(app.databaseName),
      SEED_ON_BOOT: 'false',
      WEBHOOK_WORKERS: 'false',
      LOG_LEVEL: 'error',
    });
    writer = spawn(process.execPath, ['-e', WRITER], { cwd: APP_DIR, env });
    writer.stdout?.on('data', (chunk) => (output += chunk));
    writer.stderr?.on('data', (chunk) => (output += chunk));
    await said(writer, 'ready', () => output);

    // The writer's boot is over (its own bumps heard): what is warmed now stays cached.
    await warm(read, urls);
    await sleep(1000);
    await warm(read, urls);

    const name = `Renommé par un script ${Date.now()}`;
    writer.stdin?.write(`${JSON.stringify({ documentId: site.documentId, name })}\n`);
    await said(writer, 'done', () => output);
    for (const url of urls) {
      // The notification crosses PostgreSQL: poll until it has arrived (or give up).
      let seen: Read | undefined;
      for (let attempt = 0; attempt < 50 && !seen; attempt += 1) {
        const response = await read(url);
        if (response.text.includes(name)) seen = response;
        else await sleep(100);
      }
      expect({ url, cache: seen?.cache }).toEqual({ url, cache: 'MISS' });
    }
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------

describe('stale if error: the database unreachable', () => {
  const WINDOW_SECONDS = 15;
  let app: TestApp;

  /** Blocks or allows new connections to the app's database, and ends those it has. */
  const databaseReachable = (reachable: boolean) =>
    withAdminClient(async (client) => {
      await client.query(
        `ALTER DATABASE ${quote(app.databaseName)} ALLOW_CONNECTIONS ${reachable ? 'true' : 'false'}`,
      );
      if (!reachable)
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [app.databaseName],
        );
    });

  beforeAll(async () => {
    app = await startStrapi({
      env: {
        ...DEBUG_HEADER,
        RESPONSE_CACHE_STALE_IF_ERROR_SECONDS: String(WINDOW_SECONDS),
        DATABASE_CONNECTION_TIMEOUT: '2000',
      },
    });
  });

  afterAll(async () => {
    if (app) await databaseReachable(true);
    await app?.stop();
  });

  it(`serves the last answer of a URL, marked stale, for ${WINDOW_SECONDS} s after it was stored, to anonymous readers only`, async () => {
    const read = reader(app);
    const user = await createApiUser(app, 'authenticated');
    const url = '/api/projects?pagination[pageSize]=3';
    const first = await read(url);
    const storedBy = Date.now();
    expect([first.status, first.cache]).toEqual([200, 'MISS']);
    expect(first.headers['cache-control']).toBe(`public, no-cache, stale-if-error=${WINDOW_SECONDS}`);
    // A write that public answers show: the stored answer is no longer the current one.
    const site = await firstSite(app);
    await app.strapi.documents('api::site.site').update({
      documentId: site.documentId,
      locale: 'fr',
      data: { quarter: 'Quartier écrit avant la panne' },
    });

    await databaseReachable(false);
    const stale = await read(url);
    expect([stale.status, stale.cache, stale.text === first.text]).toEqual([200, 'STALE', true]);
    expect(Number(stale.headers.age)).toBeGreaterThanOrEqual(0);
    expect(Number(stale.headers.age)).toBeLessThanOrEqual(WINDOW_SECONDS);
    // Never computed before: nothing to serve.
    expect((await read('/api/projects?pagination[pageSize]=4')).status).toBe(503);
    // A caller with credentials never gets the public's stale answer.
    const withToken = await read(url, bearer(user));
    expect([withToken.status, withToken.cache]).toEqual([503, undefined]);

    await sleep(storedBy + (WINDOW_SECONDS + 1) * 1000 - Date.now());
    const late = await read(url);
    expect([late.status, late.cache]).toEqual([503, undefined]);

    await databaseReachable(true);
    let back: Read | undefined;
    for (let attempt = 0; attempt < 50 && back?.status !== 200; attempt += 1) {
      back = await read(url);
      if (back.status !== 200) await sleep(200);
    }
    expect([back?.status, back?.cache]).toEqual([200, 'MISS']);
  }, 90_000);
});

describe('when the cache’s Redis cannot be reached at boot', () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // Nothing listens there yet.
    app = await startStrapi({
      env: { ...DEBUG_HEADER, RESPONSE_CACHE_REDIS_URL: `redis://127.0.0.1:${port}` },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('boots (the search index’s bump is not fatal), answers from the database, and caches once Redis is there', async () => {
    const read = reader(app);
    const first = await read('/api/projects');
    const second = await read('/api/projects');
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.cache).not.toBe('HIT');
    const redis = await startRedis([], port);
    try {
      const deadline = Date.now() + 15_000;
      let cache: string | undefined;
      while (cache !== 'HIT' && Date.now() < deadline) {
        cache = (await read('/api/projects')).cache;
        if (cache !== 'HIT') await sleep(200);
      }
      expect(cache).toBe('HIT');
      expect((await cacheKeys(redis.client)).length).toBeGreaterThan(0);
    } finally {
      await redis.stop();
    }
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------

/** A private redis-server (loopback, nothing on disk) with `extra` settings. */
async function startRedis(
  extra: string[] = [],
  port?: number,
): Promise<{ url: string; client: Redis; stop: () => Promise<void> }> {
  port ??= await freePort();
  const child = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    ...extra,
  ]);
  for (let attempt = 0; ; attempt += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
      socket.once('close', () => socket.destroy());
      setTimeout(() => socket.end(), 50);
    });
    if (open) break;
    if (attempt > 50) throw new Error('redis-server did not start');
    await sleep(100);
  }
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url);
  return {
    url,
    client,
    stop: async () => {
      client.disconnect();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

const cacheKeys = (client: Redis) => client.keys('ia:cache:v2:entry:*');
const limitKeys = (client: Redis) => client.keys('ia:auth:*');

async function failLogins(app: TestApp, times: number) {
  for (let attempt = 0; attempt < times; attempt += 1)
    await app
      .http()
      .post('/api/auth/local')
      .send({ identifier: 'nobody@example.test', password: 'wrong-password' });
}

describe('in Redis, bounded', () => {
  const MAX_BYTES = 1024 * 1024;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let app: TestApp;

  beforeAll(async () => {
    // The configuration the bound protects against: one Redis for both, evicting any key when full.
    redis = await startRedis(['--maxmemory', '8mb', '--maxmemory-policy', 'allkeys-lru']);
    app = await startStrapi({
      env: { ...DEBUG_HEADER, REDIS_URL: redis.url, RESPONSE_CACHE_MAX_BYTES: String(MAX_BYTES) },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
  });

  it('holds at most RESPONSE_CACHE_MAX_BYTES of answers, however many distinct URLs; the login limits stay', async () => {
    const read = reader(app);
    await failLogins(app, 3);
    const limits = await limitKeys(redis.client);
    expect(limits.length).toBeGreaterThan(0);

    let total = 0;
    for (let index = 0; index < 300; index += 1) {
      // Distinct URLs, each a large answer (every project with its site and funders).
      const url = `/api/projects?pagination[pageSize]=100&populate[site]=true&populate[funders]=true&filters[title][$notContains]=zz${index}`;
      const response = await read(url);
      expect(response.status).toBe(200);
      total += response.text.length;
    }
    // More than Redis may hold: without the bound, it had to evict, the limits' counters included.
    expect(total).toBeGreaterThan(8 * 1024 * 1024);

    const keys = await cacheKeys(redis.client);
    const lengths = await Promise.all(keys.map((key) => redis.client.strlen(key)));
    expect(keys.length).toBeGreaterThan(1);
    expect(lengths.reduce((sum, length) => sum + length, 0)).toBeLessThanOrEqual(MAX_BYTES);
    const stats = await redis.client.info('stats');
    expect(stats).toMatch(/^evicted_keys:0\r?$/m);
    for (const key of limits)
      expect({ key, exists: await redis.client.exists(key) }).toEqual({ key, exists: 1 });
    // What is still cached answers as before.
    const last = `/api/projects?pagination[pageSize]=100&populate[site]=true&populate[funders]=true&filters[title][$notContains]=zz299`;
    expect((await read(last)).cache).toBe('HIT');
  }, 120_000);
});

describe('in a Redis of its own (RESPONSE_CACHE_REDIS_URL)', () => {
  let limitsRedis: Awaited<ReturnType<typeof startRedis>>;
  let cacheRedis: Awaited<ReturnType<typeof startRedis>>;
  let app: TestApp;

  beforeAll(async () => {
    limitsRedis = await startRedis(['--maxmemory-policy', 'noeviction']);
    cacheRedis = await startRedis(['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
    app = await startStrapi({
      env: { ...DEBUG_HEADER, REDIS_URL: limitsRedis.url, RESPONSE_CACHE_REDIS_URL: cacheRedis.url },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await limitsRedis?.stop();
    await cacheRedis?.stop();
  });

  it('keeps the cache there and the limits in REDIS_URL, and serves the workbook from it, the same bytes', async () => {
    const read = reader(app);
    await warm(read, ['/api/projects', '/api/sites']);
    await failLogins(app, 2);

    const bytes = () =>
      app
        .http()
        .get('/api/listings/projects.xlsx')
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        }) as unknown as Promise<{ body: Buffer; headers: Record<string, string> }>;
    const first = await bytes();
    const second = await bytes();
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT']);
    expect(second.body.equals(first.body)).toBe(true);

    expect((await cacheKeys(cacheRedis.client)).length).toBeGreaterThanOrEqual(3);
    expect(await limitsRedis.client.keys('ia:cache:*')).toEqual([]);
    expect((await limitKeys(limitsRedis.client)).length).toBeGreaterThan(0);
    expect(await limitKeys(cacheRedis.client)).toEqual([]);
  }, 60_000);
});
