/**
 * Operations (issue 19), against two real server processes on one database and one Redis:
 * readiness, JSON request logs with request ids, metrics, login limits shared through Redis (and
 * per instance while it is down), and the SIGTERM drain with a request in flight.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { Client } from 'pg';
import { createDatabase, databaseUrl, quote, withAdminClient } from './support/database';
import {
  APP_DIR,
  freePort,
  spawnRedis,
  spawnStrapi,
  waitForHealth,
  type ServerProcess,
} from './support/server-process';
import { SECRET_NAMES } from '../src/utils/secrets';

const BUDGET = 10;
/** Strapi's own admin login limit (admin `rateLimit`: 5 per email, path and client). */
const STRAPI_ADMIN_MAX = 5;
const METRICS_TOKEN = 'metrics-token-for-the-ops-test';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let databaseName: string;
let redisPort: number;
let redis: ChildProcess | undefined;
let metricsPort: number;
/** JSON logs, METRICS_TOKEN, development. */
let a: ServerProcess;
/** Text logs, METRICS_PORT, production (HTTPS required). */
let b: ServerProcess;

const secrets = () => Object.fromEntries(SECRET_NAMES.map((name) => [name, process.env[name] as string]));
const url = (server: ServerProcess, path: string) => `http://127.0.0.1:${server.port}${path}`;
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The JSON log lines of a server's output (its text lines left out). */
function jsonLines(server: ServerProcess): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Waits for the log line of a request (written once it is answered). */
async function logLineOf(server: ServerProcess, requestId: string) {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const line = jsonLines(server).find((entry) => entry.requestId === requestId && entry.level === 'http');
    if (line) return line;
    await pause(50);
  }
  throw new Error(`no log line for ${requestId}:\n${server.output().slice(-2000)}`);
}

const startRedis = async () => {
  redis = spawnRedis(redisPort);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (await accepts(redisPort)) return;
    await pause(100);
  }
  throw new Error('redis-server did not start');
};

beforeAll(async () => {
  databaseName = `${process.env.TEST_RUN_PREFIX}_ops`;
  await createDatabase(databaseName, process.env.TEST_TEMPLATE_DATABASE);
  redisPort = await freePort();
  metricsPort = await freePort();
  await startRedis();
  const common = {
    ...secrets(),
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: databaseUrl(databaseName),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    SEED_ON_BOOT: 'false',
    TRUST_PROXY: 'true',
    AUTH_RATE_LIMIT_MAX: String(BUDGET),
  };
  [a, b] = await Promise.all([
    spawnStrapi({
      env: { ...common, NODE_ENV: 'development', LOG_FORMAT: 'json', LOG_LEVEL: 'http', METRICS_TOKEN },
    }),
    spawnStrapi({ env: { ...common, NODE_ENV: 'production', METRICS_PORT: String(metricsPort) } }),
  ]);
  await Promise.all([waitForHealth(a, 150_000), waitForHealth(b, 150_000)]);
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  redis?.kill('SIGKILL');
});

describe('readiness', () => {
  it('/_ready answers 200 with every check named, uncached', async () => {
    const response = await fetch(url(a, '/_ready'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      status: 'ok',
      checks: { boot: 'ok', database: 'ok', redis: 'ok', dataTransfer: 'none' },
    });
  });

  it('is reachable over plain HTTP in production, where everything else is refused', async () => {
    expect((await fetch(url(b, '/_ready'))).status).toBe(200);
    expect((await fetch(url(b, '/_health'))).status).toBe(204);
    expect((await fetch(url(b, '/api/projects'))).status).toBe(403);
  });

  it('the start-up banner names the database DATABASE_URL points to', () => {
    // eslint-disable-next-line no-control-regex
    const text = b.output().replace(/\u001b\[[0-9;]*m/g, '');
    expect(text).toMatch(new RegExp(`Database name\\s*│\\s*${databaseName}\\s`));
  });
});

describe('request log (LOG_FORMAT=json)', () => {
  it('writes one JSON line per request: id, method, route template, status, duration, cache', async () => {
    const path = '/api/projects?pagination%5BpageSize%5D=3';
    const first = await fetch(url(a, path), { headers: { 'X-Request-Id': 'trace-42.a_B' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-request-id')).toBe('trace-42.a_B');
    const line = await logLineOf(a, 'trace-42.a_B');
    expect(line).toMatchObject({ method: 'GET', route: '/api/projects', status: 200, cache: 'MISS' });
    expect(typeof line.durationMs).toBe('number');
    expect(typeof line.timestamp).toBe('string');

    const again = await fetch(url(a, path), { headers: { 'X-Request-Id': 'trace-43' } });
    expect(again.status).toBe(200);
    // Served from the cache, before the router: the route is still the template.
    expect(await logLineOf(a, 'trace-43')).toMatchObject({
      route: '/api/projects',
      status: 200,
      cache: 'HIT',
    });
  });

  it('replaces an id that is not a sane token by a new UUID', async () => {
    for (const offered of ['has spaces', 'x'.repeat(65), 'semi;colon', '']) {
      const response = await fetch(url(a, '/api/projects'), { headers: { 'X-Request-Id': offered } });
      const id = response.headers.get('x-request-id') ?? '';
      expect(id).toMatch(UUID);
      expect((await logLineOf(a, id)).status).toBe(200);
    }
  });

  it('labels requests by route template, and unmatched paths as such, never by raw URL', async () => {
    const list = (await (await fetch(url(a, '/api/projects?pagination%5BpageSize%5D=3'))).json()) as {
      data: { documentId: string }[];
    };
    for (const [index, { documentId }] of list.data.entries()) {
      const id = `one-project-${index}`;
      expect(
        (await fetch(url(a, `/api/projects/${documentId}`), { headers: { 'X-Request-Id': id } })).status,
      ).toBe(200);
      expect((await logLineOf(a, id)).route).toBe('/api/projects/:id');
    }
    for (const path of ['/no-such-page-1', '/api/no-such-type', '/api/projects/x/y/z']) {
      const id = `missing-${path.length}`;
      expect((await fetch(url(a, path), { headers: { 'X-Request-Id': id } })).status).toBe(404);
      expect(await logLineOf(a, id)).toMatchObject({ route: 'unmatched', status: 404 });
    }
  });

  it('does not log the probes at http level', async () => {
    const before = jsonLines(a).length;
    for (const path of ['/_health', '/_ready', '/_health']) await fetch(url(a, path));
    await fetch(url(a, '/api/projects'), { headers: { 'X-Request-Id': 'after-probes' } });
    await logLineOf(a, 'after-probes');
    const lines = jsonLines(a).slice(before);
    expect(lines.filter((line) => line.level === 'http').map((line) => line.requestId)).toEqual([
      'after-probes',
    ]);
  });
});

describe('metrics', () => {
  it('answers /metrics only with the Bearer token', async () => {
    expect((await fetch(url(a, '/metrics'))).status).toBe(401);
    const wrong = await fetch(url(a, '/metrics'), { headers: { Authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({
      data: null,
      error: { status: 401, name: 'UnauthorizedError' },
    });

    const response = await fetch(url(a, '/metrics'), {
      headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/projects",status="200"\} \d+/m);
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/api\/projects\/:id"/m,
    );
    expect(text).toMatch(/^response_cache_requests_total\{outcome="HIT"\} [1-9]/m);
    expect(text).toMatch(/^db_pool_connections_in_use \d+/m);
    expect(text).toMatch(/^db_pool_connections_waiting \d+/m);
    expect(text).toMatch(/^webhook_queue_depth \d+/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    // Bounded labels: no document id, no unmatched path, no query string.
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((match) => match[1]));
    for (const route of routes) expect(route).toMatch(/^(\/[a-z0-9/:_.-]*|unmatched|static)$/i);
    expect(text).not.toContain('no-such');
    expect(text).not.toContain('pagination');
  });

  it('without METRICS_TOKEN, /metrics does not exist on the main port; METRICS_PORT serves it', async () => {
    const viaProxy = { 'X-Forwarded-Proto': 'https' };
    expect((await fetch(url(b, '/metrics'), { headers: viaProxy })).status).toBe(404);
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^process_cpu_seconds_total /m);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/projects`)).status).toBe(404);
  });
});

const failedLogin = (server: ServerProcess, client: string) =>
  fetch(url(server, '/api/auth/local'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client, 'X-Forwarded-Proto': 'https' },
    body: JSON.stringify({ identifier: 'nobody@example.test', password: 'wrong-password' }),
  });

describe('login limits across instances', () => {
  it('failed logins spread over both instances share one budget (Redis)', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < BUDGET + 2; attempt += 1)
      statuses.push((await failedLogin(attempt % 2 ? b : a, '198.51.100.77')).status);
    expect(statuses).toEqual([...Array(BUDGET).fill(400), 429, 429]);
    const refused = await failedLogin(a, '198.51.100.77');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({
      data: null,
      error: {
        status: 429,
        name: 'RateLimitError',
        message: 'Too many attempts from this client: try again in a few minutes',
        details: {},
      },
    });
  });
});

// Strapi's admin limiter counts in Redis once config/admin.ts passes src/ops' store to it.
const adminStoreWired = fs
  .readFileSync(path.join(APP_DIR, 'config', 'admin.ts'), 'utf8')
  .includes('adminRateLimitStore');

(adminStoreWired ? it : it.skip)("Strapi's own admin login limit is shared too", async () => {
  const statuses = [];
  for (let attempt = 0; attempt < STRAPI_ADMIN_MAX + 2; attempt += 1) {
    const response = await fetch(url(attempt % 2 ? b : a, '/admin/login'), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Forwarded-For': '198.51.100.90',
        'X-Forwarded-Proto': 'https',
      },
      body: JSON.stringify({ email: 'someone@example.test', password: 'Wrong-passw0rd' }),
    });
    statuses.push(response.status);
  }
  expect(statuses).toEqual([...Array(STRAPI_ADMIN_MAX).fill(400), 429, 429]);
});

describe('Redis down', () => {
  /** How much each server had written before Redis went: its warnings of this outage follow. */
  const before = new Map<unknown, number>();
  beforeAll(async () => {
    for (const server of [a, b]) before.set(server, server.output().length);
    const exited = new Promise((resolve) => redis?.once('exit', resolve));
    redis?.kill('SIGKILL');
    await exited;
    redis = undefined;
    await pause(300);
  });

  it('/_ready answers 200 "degraded" naming Redis (the instance serves without it); the warning carries the request id', async () => {
    const response = await fetch(url(a, '/_ready'), { headers: { 'X-Request-Id': 'ready-without-redis' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'degraded',
      checks: { boot: 'ok', database: 'ok', redis: 'failed', dataTransfer: 'none' },
    });
    // It serves: a read, uncached.
    expect((await fetch(url(a, '/api/sites'))).status).toBe(200);
    const warning = jsonLines(a).find((line) => line.requestId === 'ready-without-redis');
    expect(warning).toMatchObject({ level: 'warn' });
    expect(String(warning?.message)).toMatch(/^Readiness check: redis does not answer/);
  });

  it('limits stay, counted per instance, with one warning', async () => {
    for (const server of [a, b]) {
      const statuses = [];
      for (let attempt = 0; attempt < BUDGET + 1; attempt += 1)
        statuses.push((await failedLogin(server, '198.51.100.78')).status);
      expect(statuses).toEqual([...Array(BUDGET).fill(400), 429]);
      // One for this outage (a command that timed out earlier, on a loaded machine, was another).
      const warnings = server
        .output()
        .slice(before.get(server))
        .match(/Redis unavailable \([^)]*\): login, registration and password limits/g);
      expect(warnings).toHaveLength(1);
    }
  });
});

describe('database down', () => {
  const allow = (allowed: boolean) =>
    withAdminClient(async (client) => {
      await client.query(`ALTER DATABASE ${quote(databaseName)} ALLOW_CONNECTIONS ${allowed}`);
      if (!allowed)
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
          databaseName,
        ]);
    });

  afterAll(() => allow(true));

  it('/_ready answers 503 naming the database, whose check recovers once it is back', async () => {
    await allow(false);
    const response = await fetch(url(b, '/_ready'));
    expect(response.status).toBe(503);
    expect(((await response.json()) as { checks: Record<string, string> }).checks.database).toMatch(
      /failed|timeout/,
    );
    await allow(true);
    // The database check recovers at once (a second later: an answer is reused that long); Redis
    // is still down, which only degrades.
    await pause(1100);
    const back = await fetch(url(b, '/_ready'));
    expect(back.status).toBe(200);
    const checks = (await back.json()) as { checks: Record<string, string> };
    expect(checks).toMatchObject({ status: 'degraded', checks: { database: 'ok', redis: 'failed' } });
  });
});

describe('graceful shutdown (SIGTERM)', () => {
  it('finishes the request in flight, refuses new connections, exits 0', async () => {
    // A request that cannot finish while the test holds a lock on the table it reads.
    const lock = new Client({ connectionString: databaseUrl(databaseName) });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE projects IN ACCESS EXCLUSIVE MODE');
      const inFlight = fetch(url(a, '/api/projects?pagination%5BpageSize%5D=7'), {
        headers: { 'X-Request-Id': 'in-flight' },
      });
      await pause(500);
      a.child.kill('SIGTERM');
      await pause(700);
      // Still running (the request holds it), but no longer accepting connections.
      expect(a.child.exitCode).toBeNull();
      expect(await accepts(a.port)).toBe(false);
      await lock.query('COMMIT');
      const response = await inFlight;
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: unknown[] };
      expect(body.data).toHaveLength(7);
    } finally {
      await lock.end();
    }
    expect(await a.exited).toBe(0);
    expect(a.output()).toContain('finishing 1 request(s) in flight');
    expect(a.output()).toContain('Strapi has been shut down');
  });
});
