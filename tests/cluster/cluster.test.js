// `npm run test:cluster`: the operator guide's production path (docs/operators.md) with two
// instances behind HAProxy.
// After `npm run build` (the script does it): a new PostgreSQL database, a private Redis, the
// first administrator created with `strapi admin:create-user`, two production instances
// (NODE_ENV=production, defaults otherwise: HTTPS required, proxy trusted for one hop) started
// from this directory (so public/uploads is shared), `npm run seed`, and deploy/haproxy.cfg on
// loopback ports with a throw-away TLS certificate. Then:
// 1. a write through one instance is visible through the other at once, and through HAProxy;
// 2. failed logins spread over both instances share one budget (Redis);
// 3. an upload through one instance is readable through the other and through HAProxy;
// 4. partner webhook deliveries happen once per event, though both instances run delivery workers
//    (pg-boss), and their signatures verify with the snippet docs/partners.en.md gives partners;
// 5. scheduled publishes (src/schedules): six, scheduled through either instance, each published
//    exactly once though both run the pg-boss jobs;
// 6. ten clients flood both instances with the worst filters the API accepts while PostgreSQL makes
//    them wait: a reader of cached and uncached cheap URLs keeps getting 200 and HAProxy keeps
//    both servers up (the flood is shed with 429/503, /_ready is not a pool check);
// 7. under a bounded read+write load through HAProxy, one instance is SIGKILLed: HAProxy routes
//    around it, no acknowledged write is lost, and the only errors are requests that were in
//    flight when it died;
// 8. SIGTERM on the other: exit code 0; a schedule that fell due while no instance ran is
//    published once by the next instance to start.
'use strict';
const { after, before, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');

const APP_DIR = path.resolve(__dirname, '..', '..');
const STRAPI = path.join(APP_DIR, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');
const PG_SERVER = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BUDGET = 5;
const WORKERS = 4;
const ADMIN = {
  email: 'cluster-admin@example.test',
  password: 'Cluster-admin-passw0rd',
  firstname: 'Cluster',
  lastname: 'Admin',
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
const accepts = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-cluster-'));
const databaseName = `ia_cluster_${crypto.randomBytes(4).toString('hex')}`;
const databaseUrl = (() => {
  const url = new URL(PG_SERVER);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();
const children = [];
let redisPort;
let balancerPort;
let certificate;
let agent;
const instances = [];
/** A partner's webhook receiver: every request it got, answered 200. */
const received = [];
let receiver;

/** The environment of the documented production path (deploy/cms.env.example). */
function productionEnv(extra = {}) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(DATABASE_|SEED_ON_BOOT|REDIS_URL)/.test(name)) delete env[name];
  return {
    ...env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: databaseUrl,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_MAX: String(BUDGET),
    APP_KEYS: 'cluster-key-1-5f4e3d,cluster-key-2-2c1b0a',
    API_TOKEN_SALT: 'cluster-salt-9a8b7c',
    ADMIN_JWT_SECRET: 'cluster-admin-6d5e4f',
    TRANSFER_TOKEN_SALT: 'cluster-transfer-3a2b',
    JWT_SECRET: 'cluster-jwt-1c0d9e8f',
    ENCRYPTION_KEY: 'cluster-enc-7a6b5c4d',
    // The webhook receiver of this test listens on 127.0.0.1 over plain HTTP (tests only).
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    ...extra,
  };
}

function track(child, name) {
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const handle = { child, name, output: () => output, exited };
  children.push(handle);
  return handle;
}

async function startInstance(name) {
  const port = await freePort();
  const handle = track(
    spawn(process.execPath, [STRAPI, 'start'], { cwd: APP_DIR, env: productionEnv({ PORT: String(port) }) }),
    name,
  );
  handle.port = port;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (handle.child.exitCode !== null) throw new Error(`${name} exited: ${handle.output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/_ready`)).status === 200) return handle;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${name} did not become ready: ${handle.output()}`);
}

/** A direct request to an instance, as HAProxy sends it (TLS ended, client address appended). */
async function direct(instance, method, pathname, { body, headers = {}, client = '203.0.113.10' } = {}) {
  const response = await fetch(`http://127.0.0.1:${instance.port}${pathname}`, {
    method,
    headers: {
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-For': client,
      ...(body && !(body instanceof FormData) ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body instanceof FormData ? body : body && JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

/**
 * A request through HAProxy, over TLS; `from` is the client's own loopback address (127.0.0.x:
 * HAProxy appends it to X-Forwarded-For, so each is a client of its own to the instances).
 */
function balanced(method, pathname, { body, headers = {}, from } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const request = https.request(
      {
        host: '127.0.0.1',
        port: balancerPort,
        servername: 'localhost',
        method,
        path: pathname,
        ...(from ? { localAddress: from, ca: certificate, agent: false } : { agent }),
        headers: {
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
          ...headers,
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: response.statusCode,
            headers: response.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.setTimeout(30_000, () => request.destroy(new Error('timeout')));
    request.end(payload);
  });
}

/** How many times HAProxy has taken each server of backend cms down (its stats, `chkdown`). */
function serverDowns() {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path.join(tmp, 'admin.sock'));
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [header, ...rows] = text.replace(/^# /, '').trim().split('\n');
      const columns = header.split(',');
      const at = (row, name) => row.split(',')[columns.indexOf(name)];
      resolve(
        Object.fromEntries(
          rows
            .filter((row) => at(row, 'pxname') === 'cms' && /^app\d$/.test(at(row, 'svname')))
            .map((row) => [at(row, 'svname'), `${at(row, 'status')} ${at(row, 'chkdown')}`]),
        ),
      );
    });
    socket.end('show stat\n');
  });
}

function runScript(args, extra = {}) {
  execFileSync(process.execPath, args, {
    cwd: APP_DIR,
    env: productionEnv(extra),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

before(async () => {
  receiver = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url,
        headers: request.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  redisPort = await freePort();
  balancerPort = await freePort();
  const httpPort = await freePort();

  const admin = new Client({ connectionString: PG_SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();

  const redis = track(
    spawn('redis-server', [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]),
    'redis',
  );
  for (let attempt = 0; attempt < 50 && !(await accepts(redisPort)); attempt += 1) await sleep(100);
  assert.ok(await accepts(redisPort), `redis-server did not start: ${redis.output()}`);

  // The first administrator, as the operator guide (docs/operators.md) says: before the public URL is opened to anyone.
  runScript([
    STRAPI,
    'admin:create-user',
    `--email=${ADMIN.email}`,
    `--password=${ADMIN.password}`,
    `--firstname=${ADMIN.firstname}`,
    `--lastname=${ADMIN.lastname}`,
  ]);
  instances.push(...(await Promise.all([startInstance('app1'), startInstance('app2')])));
  runScript([path.join(APP_DIR, 'scripts', 'seed.js')]);

  // deploy/haproxy.cfg as it is, on loopback ports, with a throw-away certificate.
  const key = path.join(tmp, 'key.pem');
  const cert = path.join(tmp, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  certificate = fs.readFileSync(cert);
  fs.writeFileSync(path.join(tmp, 'cms.pem'), Buffer.concat([certificate, fs.readFileSync(key)]));
  agent = new https.Agent({ ca: certificate, keepAlive: true, maxSockets: 16 });
  // The stats socket of the file is /run/haproxy/; the test's own is in its folder.
  const config = fs
    .readFileSync(path.join(APP_DIR, 'deploy', 'haproxy.cfg'), 'utf8')
    .replace('/run/haproxy/admin.sock', path.join(tmp, 'admin.sock'));
  fs.writeFileSync(path.join(tmp, 'haproxy.cfg'), config);
  const haproxy = track(
    spawn('haproxy', ['-db', '-f', path.join(tmp, 'haproxy.cfg')], {
      env: {
        ...process.env,
        IA_BIND: `127.0.0.1:${balancerPort}`,
        IA_HTTP_BIND: `127.0.0.1:${httpPort}`,
        IA_TLS_CERT: path.join(tmp, 'cms.pem'),
        IA_APP1: `127.0.0.1:${instances[0].port}`,
        IA_APP2: `127.0.0.1:${instances[1].port}`,
        IA_LOG: 'stderr',
      },
    }),
    'haproxy',
  );
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      if ((await balanced('GET', '/_ready')).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  // Both servers up in HAProxy's eyes (rise 2 × inter 2 s) before anything is measured.
  await sleep(4500);
  assert.equal((await balanced('GET', '/_ready')).status, 200, haproxy.output());
});

after(async () => {
  for (const handle of children)
    if (handle.child.exitCode === null && handle.child.signalCode === null) handle.child.kill('SIGKILL');
  agent?.destroy();
  receiver?.closeAllConnections();
  receiver?.close();
  const admin = new Client({ connectionString: PG_SERVER });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await admin.end();
  fs.rmSync(tmp, { recursive: true, force: true });
});

let token;
const auth = () => ({ Authorization: `Bearer ${token}` });
const projectsApi = '/content-manager/collection-types/api::project.project';

async function relations(instance) {
  const site = (await direct(instance, 'GET', '/api/sites')).json().data[0];
  const funder = (await direct(instance, 'GET', '/api/funders')).json().data[0];
  return { site, funder };
}

const projectBody = (title, slug, { site, funder }) => ({
  title,
  slug,
  kind: 'youth-house',
  foundedYear: 2021,
  site: { connect: [{ documentId: site.documentId, locale: 'fr' }] },
  funders: { connect: [{ documentId: funder.documentId, locale: 'fr' }] },
});

/** docs/partners.en.md, "Deliveries and their signature": the partner's check of a delivery's signature (verbatim). */
function verifyInterActionsSignature(rawBody, header, secret, toleranceSeconds = 300) {
  const parts = String(header || '')
    .split(',')
    .map((part) => part.trim().split('='));
  const t = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = crypto.createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  return parts
    .filter(([key]) => key === 'v1')
    .some(([, hex]) => {
      const given = Buffer.from(hex, 'hex');
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    });
}

/** Runs `query` on the run's database (a client of its own). */
async function sql(query, values) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(query, values)).rows;
  } finally {
    await client.end();
  }
}

/** Drafts a project through `instance` and schedules its publish `seconds` from now. */
async function scheduledDraft(instance, title, slug, seconds) {
  const linked = await relations(instance);
  const created = await direct(instance, 'POST', `${projectsApi}?locale=fr`, {
    body: projectBody(title, slug, linked),
    headers: auth(),
  });
  assert.equal(created.status, 201, created.text);
  const documentId = created.json().data.documentId;
  const scheduled = await direct(instance, 'POST', '/admin/schedules', {
    body: {
      uid: 'api::project.project',
      documentId,
      locale: 'fr',
      action: 'publish',
      at: new Date(Date.now() + seconds * 1000).toISOString(),
    },
    headers: auth(),
  });
  assert.equal(scheduled.status, 201, scheduled.text);
  return documentId;
}

/** How many times each document was published (the audit log's entries), and its schedules' states. */
async function publishRecords(documentIds) {
  const published = await sql(
    `SELECT object->>'id' AS id, count(*)::int AS n FROM audit_log
      WHERE action = 'entry.publish' AND object->>'id' = ANY($1::text[]) GROUP BY 1`,
    [documentIds],
  );
  const schedules = await sql(
    'SELECT document_id, status FROM publish_schedules WHERE document_id = ANY($1::text[])',
    [documentIds],
  );
  return {
    publishes: Object.fromEntries(published.map((row) => [row.id, row.n])),
    statuses: Object.fromEntries(schedules.map((row) => [row.document_id, row.status])),
  };
}

describe('two instances, one database, one Redis', () => {
  it('the administrator created on the command line logs in', async () => {
    const login = await direct(instances[0], 'POST', '/admin/login', {
      body: { email: ADMIN.email, password: ADMIN.password },
      client: '203.0.113.20',
    });
    assert.equal(login.status, 200, login.text);
    token = login.json().data.token;
    const seeded = (await balanced('GET', '/api/projects')).json();
    assert.ok(seeded.meta.pagination.total > 0, 'npm run seed imported no project');
  });

  it('a write through one instance is visible through the other at once, and through HAProxy', async () => {
    const [one, two] = instances;
    const linked = await relations(one);
    // Read first everywhere, so that a stale cached answer would show.
    for (const read of [
      () => direct(two, 'GET', '/api/projects?locale=fr'),
      () => balanced('GET', '/api/projects?locale=fr'),
    ])
      assert.equal((await read()).status, 200);

    const created = await direct(one, 'POST', `${projectsApi}?locale=fr`, {
      body: projectBody('Écrit sur app1', 'ecrit-sur-app1', linked),
      headers: auth(),
    });
    assert.equal(created.status, 201, created.text);
    const { documentId } = created.json().data;
    const published = await direct(one, 'POST', `${projectsApi}/${documentId}/actions/publish?locale=fr`, {
      body: {},
      headers: auth(),
    });
    assert.equal(published.status, 200, published.text);

    const onTwo = await direct(two, 'GET', `/api/projects/${documentId}?locale=fr`);
    assert.equal(onTwo.status, 200, onTwo.text);
    assert.equal(onTwo.json().data.title, 'Écrit sur app1');
    const listed = (
      await direct(two, 'GET', '/api/projects?locale=fr&filters%5Bslug%5D%5B%24eq%5D=ecrit-sur-app1')
    ).json();
    assert.equal(listed.data.length, 1);

    // And back: changed on app2, read on app1 and through HAProxy.
    const changed = await direct(two, 'PUT', `${projectsApi}/${documentId}?locale=fr`, {
      body: { title: 'Changé sur app2' },
      headers: auth(),
    });
    assert.equal(changed.status, 200, changed.text);
    await direct(two, 'POST', `${projectsApi}/${documentId}/actions/publish?locale=fr`, {
      body: {},
      headers: auth(),
    });
    assert.equal(
      (await direct(one, 'GET', `/api/projects/${documentId}?locale=fr`)).json().data.title,
      'Changé sur app2',
    );
    for (let attempt = 0; attempt < 4; attempt += 1)
      assert.equal(
        (await balanced('GET', `/api/projects/${documentId}?locale=fr`)).json().data.title,
        'Changé sur app2',
      );
  });

  it('failed logins spread over both instances share one budget', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < BUDGET + 2; attempt += 1) {
      const response = await direct(instances[attempt % 2], 'POST', '/api/auth/local', {
        body: { identifier: `guess-${attempt}@example.test`, password: 'wrong-password' },
        client: '198.51.100.200',
      });
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [...Array(BUDGET).fill(400), 429, 429]);
    // Through HAProxy (round robin over both): the client is the address HAProxy saw, whatever
    // X-Forwarded-For the client wrote.
    const through = [];
    for (let attempt = 0; attempt < BUDGET + 1; attempt += 1) {
      const response = await balanced('POST', '/api/auth/local', {
        body: { identifier: 'someone@example.test', password: 'wrong-password' },
        headers: { 'X-Forwarded-For': `192.0.2.${attempt}` },
      });
      through.push(response.status);
    }
    assert.deepEqual(through, [...Array(BUDGET).fill(400), 429]);
  });

  it('an upload through one instance is readable through the other and through HAProxy', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const form = new FormData();
    form.append('files', new Blob([png], { type: 'image/png' }), 'cluster-pixel.png');
    const uploaded = await direct(instances[0], 'POST', '/upload', { body: form, headers: auth() });
    assert.equal(uploaded.status, 201, uploaded.text);
    const [file] = uploaded.json();
    try {
      // The file as stored (Strapi may have optimised the image), read through each instance.
      const read = async (instance) => {
        const response = await fetch(`http://127.0.0.1:${instance.port}${file.url}`, {
          headers: { 'X-Forwarded-Proto': 'https' },
        });
        assert.equal(response.status, 200);
        return Buffer.from(await response.arrayBuffer());
      };
      const stored = await read(instances[0]);
      assert.equal(stored.subarray(1, 4).toString(), 'PNG');
      assert.deepEqual(await read(instances[1]), stored);
      for (let attempt = 0; attempt < 2; attempt += 1)
        assert.equal((await balanced('GET', file.url)).status, 200);
    } finally {
      await direct(instances[1], 'DELETE', `/upload/files/${file.id}`, { headers: auth() });
    }
  });

  it('partner webhook deliveries happen once per event, with both instances delivering', async () => {
    const subscriptions = '/content-manager/collection-types/api::webhook-subscription.webhook-subscription';
    const target = `http://127.0.0.1:${receiver.address().port}/partner`;
    // The subscription and its secret (the panel's button), both through HAProxy.
    const created = await balanced('POST', subscriptions, {
      body: { name: 'Cluster partner', url: target, events: { project: ['published'] }, active: true },
      headers: auth(),
    });
    assert.equal(created.status, 201, created.text);
    const subscription = created.json().data.documentId;
    const shown = await balanced('POST', `/webhook-subscriptions/${subscription}/secret`, {
      body: {},
      headers: auth(),
    });
    assert.equal(shown.status, 200, shown.text);
    const { secret } = shown.json().data;

    // Drafts, then their publications all at once through HAProxy (round robin: both instances
    // commit changes and queue delivery runs at the same moment), then a second round for some.
    const linked = await relations(instances[0]);
    const drafts = [];
    for (let index = 0; index < 6; index += 1) {
      const draft = await balanced('POST', `${projectsApi}?locale=fr`, {
        body: projectBody(`Webhook ${index}`, `cluster-webhook-${index}`, linked),
        headers: auth(),
      });
      assert.equal(draft.status, 201, draft.text);
      drafts.push(draft.json().data.documentId);
    }
    const publishAll = (documentIds) =>
      Promise.all(
        documentIds.map((documentId) =>
          balanced('POST', `${projectsApi}/${documentId}/actions/publish?locale=fr`, {
            body: {},
            headers: auth(),
          }),
        ),
      );
    for (const published of await publishAll(drafts)) assert.equal(published.status, 200, published.text);
    const again = drafts.slice(0, 3);
    for (const documentId of again) {
      const changed = await balanced('PUT', `${projectsApi}/${documentId}?locale=fr`, {
        body: { title: `Webhook ${documentId} again` },
        headers: auth(),
      });
      assert.equal(changed.status, 200, changed.text);
    }
    for (const published of await publishAll(again)) assert.equal(published.status, 200, published.text);
    const expected = drafts.length + again.length;

    const deliveries = () => received.filter((request) => request.path === '/partner');
    const deadline = Date.now() + 60_000;
    while (deliveries().length < expected && Date.now() < deadline) await sleep(200);
    // Time for a duplicate to arrive, had both instances delivered the same change.
    await sleep(5000);
    const got = deliveries();
    const ids = got.map((delivery) => delivery.headers['x-inter-actions-event-id']);
    assert.equal(got.length, expected, `deliveries: ${JSON.stringify(ids)}`);
    assert.equal(new Set(ids).size, expected, `an event was delivered twice: ${JSON.stringify(ids)}`);
    for (const delivery of got) {
      const body = JSON.parse(delivery.raw);
      assert.equal(body.id, delivery.headers['x-inter-actions-event-id']);
      assert.equal(body.type, 'project');
      assert.equal(body.action, 'published');
      assert.ok(
        verifyInterActionsSignature(delivery.raw, delivery.headers['x-inter-actions-signature'], secret),
        `signature of ${body.id}`,
      );
      assert.ok(
        !verifyInterActionsSignature(
          delivery.raw,
          delivery.headers['x-inter-actions-signature'],
          `${secret}x`,
        ),
      );
    }
    // Every publication, once each: six documents, three of them twice.
    const perDocument = {};
    for (const delivery of got) {
      const { documentId } = JSON.parse(delivery.raw);
      perDocument[documentId] = (perDocument[documentId] ?? 0) + 1;
    }
    assert.deepEqual(
      perDocument,
      Object.fromEntries(drafts.map((documentId) => [documentId, again.includes(documentId) ? 2 : 1])),
    );
  });

  it('scheduled publishes run once each, with both instances running their jobs', async () => {
    const documentIds = [];
    for (let n = 0; n < 6; n += 1)
      documentIds.push(await scheduledDraft(instances[n % 2], `Planifié ${n}`, `planifie-${n}`, 4));
    const deadline = Date.now() + 60_000;
    let records;
    do {
      await sleep(500);
      records = await publishRecords(documentIds);
    } while (Object.values(records.statuses).some((status) => status === 'pending') && Date.now() < deadline);
    assert.deepEqual(
      records,
      {
        publishes: Object.fromEntries(documentIds.map((id) => [id, 1])),
        statuses: Object.fromEntries(documentIds.map((id) => [id, 'done'])),
      },
      'each schedule publishes exactly once',
    );
    for (const documentId of documentIds)
      assert.equal((await balanced('GET', `/api/projects/${documentId}?locale=fr`)).status, 200);
  });

  it('ten clients flooding both instances with the worst accepted filters: cached and cheap reads still answer 200, HAProxy keeps both servers up', async () => {
    // The worst filter the API accepts (src/security/relation-filters.ts: every crossing, every text
    // condition beyond a relation), made to wait by a lock on the projects table: each one holds a
    // pooled connection for as long as the lock lasts, as a slow query would at 20,000 projects.
    const worst = (client, round) =>
      '/api/projects?' +
      [0, 1, 2, 3]
        .map(
          (branch) =>
            `filters[$or][${branch}][funders][projects][summary][$containsi]=c${client}r${round}b${branch}`,
        )
        .join('&');
    const cached = '/api/projects?locale=fr';
    assert.equal((await balanced('GET', cached)).status, 200); // in the shared cache now
    const downsBefore = await serverDowns();

    const lock = new Client({ connectionString: databaseUrl });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE projects IN ACCESS EXCLUSIVE MODE');
    let flooding = true;
    const floodAnswers = [];
    const floods = Array.from({ length: 10 }, async (_, client) => {
      for (let round = 0; flooding; round += 1) {
        const answer = await balanced('GET', worst(client, round), { from: `127.0.0.${client + 2}` });
        floodAnswers.push(answer.status);
        if (answer.status === 429 || answer.status === 503)
          await sleep(1000 * Number(answer.headers?.['retry-after'] ?? 1));
      }
    });
    const readerAnswers = [];
    try {
      // Longer than HAProxy needs to take a failing server out (fall 2 × inter 2 s).
      const until = Date.now() + 7000;
      for (let round = 0; Date.now() < until; round += 1) {
        for (const pathname of [cached, `/api/sites?pagination[pageSize]=${(round % 25) + 1}`]) {
          const answer = await balanced('GET', pathname, { from: '127.0.0.100' });
          readerAnswers.push(`${answer.status} ${pathname}`);
        }
        await sleep(100);
      }
    } finally {
      flooding = false;
      await lock.query('COMMIT');
      await lock.end();
    }
    await Promise.all(floods);
    assert.ok(readerAnswers.length > 20, `only ${readerAnswers.length} reads`);
    assert.deepEqual(
      readerAnswers.filter((answer) => !answer.startsWith('200 ')),
      [],
      'a cached or cheap read failed during the flood',
    );
    // The flood was shed (each instance serves at most 4 such requests at once, 2 per client), and
    // what was let through was answered once the lock went.
    assert.ok(
      floodAnswers.some((status) => status === 429 || status === 503),
      `not shed: ${floodAnswers}`,
    );
    assert.deepEqual(
      floodAnswers.filter((status) => ![200, 429, 503].includes(status)),
      [],
      `unexpected answers to the flood: ${floodAnswers}`,
    );
    assert.ok(floodAnswers.includes(200));
    assert.deepEqual(await serverDowns(), downsBefore, 'HAProxy took a server out during the flood');
  });

  it('one instance SIGKILLed under load: HAProxy routes around it, no acknowledged write is lost', async () => {
    const linked = await relations(instances[0]);
    const acknowledged = [];
    const failures = [];
    let requests = 0;
    let stop = false;
    let killedAt = Infinity;
    // SIGKILL takes effect a moment after it is sent: requests sent meanwhile may still reach the
    // dying process. `diedAt` is when its exit was seen.
    let diedAt = Infinity;
    let startedWhileDying = 0;

    const worker = async (id) => {
      for (let n = 0; !stop; n += 1) {
        const started = Date.now();
        if (started > killedAt && diedAt === Infinity) startedWhileDying += 1;
        const write = n % 2 === 0;
        requests += 1;
        try {
          const response = write
            ? await balanced('POST', `${projectsApi}?locale=fr`, {
                body: projectBody(`Charge ${id}-${n}`, `charge-${id}-${n}`, linked),
                headers: auth(),
              })
            : await balanced('GET', `/api/projects?locale=fr&pagination%5Bpage%5D=${1 + (n % 3)}`);
          if (response.status === (write ? 201 : 200)) {
            if (write) acknowledged.push(response.json().data.documentId);
          } else failures.push({ started, status: response.status, write });
        } catch (error) {
          failures.push({ started, status: error.message, write });
        }
      }
    };
    const running = Array.from({ length: WORKERS }, (_, id) => worker(id));
    await sleep(2500);
    killedAt = Date.now();
    instances[1].child.kill('SIGKILL');
    await instances[1].exited;
    diedAt = Date.now();
    await sleep(5000);
    stop = true;
    await Promise.all(running);
    const afterKill = acknowledged.length;

    console.log(
      `# ${requests} requests, ${acknowledged.length} writes acknowledged, ${failures.length} failed; ` +
        `the exit was seen ${diedAt - killedAt} ms after the signal, ${startedWhileDying} requests started meanwhile`,
    );
    assert.ok(acknowledged.length >= 10, `only ${acknowledged.length} writes were acknowledged`);
    // Only requests in flight on the killed instance may fail: at most one per worker when the
    // signal was sent, and those sent while it was dying; none once it was dead.
    assert.ok(failures.length <= WORKERS + startedWhileDying, JSON.stringify(failures));
    for (const failure of failures) assert.ok(failure.started <= diedAt, JSON.stringify(failure));
    // The survivor carries everything after the kill.
    assert.equal((await balanced('GET', '/api/projects?locale=fr')).status, 200);

    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT DISTINCT document_id FROM projects WHERE document_id = ANY($1::text[]) AND locale = 'fr'`,
        [acknowledged],
      );
      assert.equal(rows.length, afterKill, 'an acknowledged write is missing');
    } finally {
      await client.end();
    }
  });

  let dueWhileDown;
  it('SIGTERM: the survivor drains and exits 0', async () => {
    // Scheduled just before the last instance stops, due while none runs (the next test).
    dueWhileDown = await scheduledDraft(instances[0], 'Planifié pendant la panne', 'planifie-panne', 6);
    instances[0].child.kill('SIGTERM');
    assert.equal(await instances[0].exited, 0, instances[0].output());
  });

  it('a schedule due while every instance was down runs once when one starts again', async () => {
    const [{ run_at: runAt }] = await sql('SELECT run_at FROM publish_schedules WHERE document_id = $1', [
      dueWhileDown,
    ]);
    await sleep(Math.max(0, new Date(runAt).getTime() - Date.now() + 1000));
    assert.deepEqual(await publishRecords([dueWhileDown]), {
      publishes: {},
      statuses: { [dueWhileDown]: 'pending' },
    });
    const restarted = await startInstance('app3');
    const deadline = Date.now() + 60_000;
    let records;
    do {
      await sleep(500);
      records = await publishRecords([dueWhileDown]);
    } while (records.statuses[dueWhileDown] === 'pending' && Date.now() < deadline);
    assert.deepEqual(records, { publishes: { [dueWhileDown]: 1 }, statuses: { [dueWhileDown]: 'done' } });
    assert.equal((await direct(restarted, 'GET', `/api/projects/${dueWhileDown}?locale=fr`)).status, 200);
    restarted.child.kill('SIGTERM');
    assert.equal(await restarted.exited, 0, restarted.output());
  });
});
