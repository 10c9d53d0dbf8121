// `npm run test:faults`: the server under faults, against its own PostgreSQL instance.
// 1. SIGKILL in the middle of a burst of writes, then a restart: every write answered 2xx is
//    there, complete with its relations, and no half-written document exists.
// 2. PostgreSQL stopped under load, then started again: requests that need it fail fast with 503
//    while it is down (answers in the response cache are still served), the process survives,
//    and it serves again by itself once the database is back.
'use strict';
const { after, before, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const { Client } = require('pg');
const { createPrivatePostgres } = require('./private-postgres');

const APP_DIR = path.resolve(__dirname, '..', '..');
const STRAPI = path.join(APP_DIR, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ADMIN = {
  email: 'faults@example.test',
  password: 'Faults-admin-passw0rd',
  firstname: 'Fault',
  lastname: 'Tester',
};

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

let pg;
let databaseUrl;
let appPort;
let server;

function serverEnv() {
  return {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(appPort),
    LOG_LEVEL: 'error',
    REQUIRE_HTTPS: 'false',
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: databaseUrl,
    DATABASE_CONNECTION_TIMEOUT: '2000',
    SEED_ON_BOOT: 'false',
    APP_KEYS: 'faults-key-1-a8b7,faults-key-2-c6d5',
    API_TOKEN_SALT: 'faults-salt-e4f3',
    ADMIN_JWT_SECRET: 'faults-admin-g2h1',
    TRANSFER_TOKEN_SALT: 'faults-transfer-i0j9',
    JWT_SECRET: 'faults-jwt-k8l7',
    ENCRYPTION_KEY: 'faults-enc-m6n5',
    AUTH_RATE_LIMIT_MAX: '1000',
  };
}

async function startServer() {
  const child = spawn(process.execPath, [STRAPI, 'start'], {
    cwd: APP_DIR,
    env: serverEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${appPort}/_health`)).status === 204) return child;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${stderr}`);
}

const url = (pathname) => `http://127.0.0.1:${appPort}${pathname}`;
const postJson = (pathname, body, headers = {}) =>
  fetch(url(pathname), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function adminToken(register) {
  const response = register
    ? await postJson('/admin/register-admin', ADMIN)
    : await postJson('/admin/login', { email: ADMIN.email, password: ADMIN.password });
  assert.equal(response.status, 200, `admin ${register ? 'registration' : 'login'} failed`);
  return (await response.json()).data.token;
}

before(async () => {
  const pgPort = await freePort();
  appPort = await freePort();
  pg = createPrivatePostgres(pgPort);
  pg.start();
  pg.createDatabase('faults');
  databaseUrl = pg.url('faults');
  // Compiles dist/ and imports the seed content into the private database.
  execFileSync(process.execPath, [path.join(APP_DIR, 'scripts', 'seed.js')], {
    cwd: APP_DIR,
    env: serverEnv(),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  server = await startServer();
});

after(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  pg?.destroy();
});

describe('SIGKILL in the middle of a burst of writes', () => {
  it('keeps every acknowledged write, complete, and no half-written one', async () => {
    const token = await adminToken(true);
    const [site] = (await (await fetch(url('/api/sites'))).json()).data;
    const [funder] = (await (await fetch(url('/api/funders'))).json()).data;
    const acknowledged = [];
    let sent = 0;
    let killed = false;

    const worker = async (id) => {
      for (let n = 0; !killed || n === 0; n += 1) {
        const title = `Fault ${id}-${n}`;
        sent += 1;
        try {
          const response = await postJson(
            '/content-manager/collection-types/api::project.project?locale=fr',
            {
              title,
              slug: `fault-${id}-${n}`,
              kind: 'youth-house',
              foundedYear: 2020,
              site: { connect: [{ documentId: site.documentId, locale: 'fr' }] },
              funders: { connect: [{ documentId: funder.documentId, locale: 'fr' }] },
            },
            { Authorization: `Bearer ${token}` },
          );
          if (response.status === 201)
            acknowledged.push({ title, documentId: (await response.json()).data.documentId });
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = [1, 2, 3, 4].map(worker);
    await sleep(2500);
    killed = true;
    server.kill('SIGKILL');
    await Promise.all(workers);
    assert.ok(
      acknowledged.length >= 10,
      `only ${acknowledged.length} writes were acknowledged before the kill`,
    );

    server = await startServer();
    await adminToken(false);

    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      for (const { title, documentId } of acknowledged) {
        const { rows } = await client.query(
          `SELECT p.title,
                  (SELECT count(*)::int FROM projects_site_lnk s WHERE s.project_id = p.id) AS sites,
                  (SELECT count(*)::int FROM projects_funders_lnk f WHERE f.project_id = p.id) AS funders
             FROM projects p WHERE p.document_id = $1 AND p.locale = 'fr'`,
          [documentId],
        );
        assert.deepEqual(
          rows,
          [{ title, sites: 1, funders: 1 }],
          `acknowledged write ${title} is not complete`,
        );
      }
      const { rows: torn } = await client.query(
        `SELECT p.title FROM projects p
          WHERE p.title LIKE 'Fault %'
            AND (NOT EXISTS (SELECT 1 FROM projects_site_lnk s WHERE s.project_id = p.id)
              OR NOT EXISTS (SELECT 1 FROM projects_funders_lnk f WHERE f.project_id = p.id))`,
      );
      assert.deepEqual(torn, [], 'a half-written project exists');
    } finally {
      await client.end();
    }
    console.log(
      `# ${sent} writes sent, ${acknowledged.length} acknowledged before SIGKILL, all present after restart`,
    );
  });
});

describe('PostgreSQL stopped under load', () => {
  it('answers 503 fast while it is down (cached answers still 200) and recovers by itself', async () => {
    const results = [];
    const cachedResults = [];
    let running = true;
    let requests = 0;
    // Every URL new, so that each request reaches the database (the response cache cannot help).
    const uncached = () =>
      `/api/projects?pagination[pageSize]=5&filters[foundedYear][$gte]=${1000 + requests++}`;
    const load = async (pathname, into) => {
      while (running) {
        const started = Date.now();
        try {
          const response = await fetch(url(pathname()));
          await response.arrayBuffer();
          into.push({ started, status: response.status, ms: Date.now() - started });
        } catch (error) {
          into.push({ started, status: 0, ms: Date.now() - started, error: String(error) });
        }
        await sleep(50);
      }
    };
    const loaders = [
      load(uncached, results),
      load(uncached, results),
      load(() => '/api/projects?pagination[pageSize]=5', cachedResults),
    ];

    await sleep(1500);
    const stopAt = Date.now();
    pg.stop();
    const stoppedAt = Date.now();
    await sleep(6000);
    pg.start();
    const backAt = Date.now();
    await sleep(10_000);
    running = false;
    await Promise.all(loaders);

    assert.equal(server.exitCode, null, 'the server process died');
    assert.deepEqual(
      results.filter((result) => result.status === 0),
      [],
      'a request got no HTTP answer',
    );
    const before = results.filter((result) => result.started + result.ms < stopAt);
    const during = results.filter(
      (result) => result.started > stoppedAt && result.started + result.ms < backAt,
    );
    const lastSeconds = results.filter((result) => result.started > backAt + 7000);
    assert.ok(
      before.length > 0 && before.every((result) => result.status === 200),
      'the load did not start healthy',
    );
    assert.ok(during.length >= 2, 'no request ran during the outage');
    assert.ok(
      during.every((result) => result.status === 503),
      `during the outage: ${JSON.stringify(during.map((r) => r.status))}`,
    );
    assert.ok(
      during.every((result) => result.ms < 5000),
      `slowest answer during the outage: ${Math.max(...during.map((r) => r.ms))} ms`,
    );
    // No write can happen while the database is down, so what the cache holds is still current.
    const cachedDuring = cachedResults.filter(
      (result) => result.started > stoppedAt && result.started + result.ms < backAt,
    );
    assert.ok(
      cachedDuring.length >= 2 && cachedDuring.every((result) => result.status === 200),
      `cached answers during the outage: ${JSON.stringify(cachedDuring.map((r) => r.status))}`,
    );
    const firstOk = results.find((result) => result.started > backAt && result.status === 200);
    assert.ok(firstOk, 'the server never served again');
    assert.ok(
      lastSeconds.length > 0 && lastSeconds.every((result) => result.status === 200),
      'not healthy again',
    );
    console.log(
      `# outage: ${during.length} uncached answers, all 503, slowest ${Math.max(...during.map((r) => r.ms))} ms; ` +
        `${cachedDuring.length} cached answers, all 200; ` +
        `first 200 ${firstOk.started - backAt} ms after PostgreSQL was back`,
    );
  });
});
