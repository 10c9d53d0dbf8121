#!/usr/bin/env node
// `npm run bench`: the read path against the physical limit, in one run on this machine, and what
// the history costs a save (S10 with it, S10off without).
//
// Makes a database of its own with bench/dataset.js, starts the app in production mode (`strapi
// start`, without and with the response cache, and with FAST_PATH=off) and bench/baseline.js beside it, checks that both
// answer the benchmark's requests with the same bytes, then drives each with autocannon on
// loopback and prints one table (requests per second, p50 and p99 latency, ratio to the baseline
// of the same run) and the memory (RSS) of each server process after its rows, also written to
// bench/results/latest.md (2,000 projects) or bench/results/latest-<N>.md (another size).
//
// Usage: npm run bench [-- --projects N] [-- --duration S]; `--projects` (or BENCH_PROJECTS) is the
// dataset's size, 2,000 projects by default (sites and funders grow with it: bench/dataset.js).
// Environment: BENCH_DATABASE_URL (a PostgreSQL server where it may create and drop a database;
// default postgres://postgres@127.0.0.1:5432/postgres), BENCH_DURATION (seconds per scenario,
// default 10, after an uncounted warm-up of 3), BENCH_CONNECTIONS (default 10), BENCH_REDIS_URL (default redis://127.0.0.1:6379/15;
// `off` skips the Redis row).
'use strict';
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { isDeepStrictEqual, parseArgs } = require('node:util');
const autocannon = require('autocannon');
const { compileStrapi } = require('@strapi/strapi');
const { Client } = require('pg');
const { DEFAULT_PROJECTS, projectCount, sizesFor } = require('./dataset');
const { profileTable } = require('./profile');

const APP_DIR = path.resolve(__dirname, '..');
const STRAPI = path.join(APP_DIR, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');
const SERVER_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const USAGE = 'usage: npm run bench [-- --projects N] [-- --duration SECONDS] [-- --connections N]';

/** The command line (then BENCH_PROJECTS, BENCH_DURATION, BENCH_CONNECTIONS); exits 2 when wrong. */
function readOptions() {
  const refuse = (message) => {
    process.stderr.write(`bench: ${message}\n${USAGE}\n`);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        projects: { type: 'string' },
        duration: { type: 'string' },
        connections: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    refuse(error.message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const count = projectCount(values.projects ?? process.env.BENCH_PROJECTS);
  if (count.error) refuse(`--projects: ${count.error}`);
  const whole = (name, value, fallback, max) => {
    if (value === undefined || value === '') return fallback;
    const number = /^\d+$/.test(String(value).trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < 1 || number > max)
      refuse(`--${name}: must be a whole number from 1 to ${max} (got "${value}")`);
    return number;
  };
  return {
    projects: count.projects,
    duration: whole('duration', values.duration ?? process.env.BENCH_DURATION, 10, 3600),
    connections: whole('connections', values.connections ?? process.env.BENCH_CONNECTIONS, 10, 1000),
  };
}

const OPTIONS = readOptions();
const PROJECTS = OPTIONS.projects;
const DURATION = OPTIONS.duration;
const CONNECTIONS = OPTIONS.connections;
const WARM_UP = Math.min(3, DURATION);
const REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379/15';
const WRITES_PER_SECOND = 10;
// Production refuses plain HTTP (REQUIRE_HTTPS); the bench speaks as the TLS proxy would.
const VIA_PROXY = { 'x-forwarded-proto': 'https' };

const S1 = '/api/projects?pagination[pageSize]=25';
// project-1234, as always; in a smaller dataset one in its middle.
const S2 = `/api/projects?filters[slug][$eq]=project-${PROJECTS > 1234 ? 1234 : Math.floor(PROJECTS / 2)}`;
const S3_QUERY =
  '{ projects(pagination: { pageSize: 25 }) { documentId title slug foundedYear site { name slug } funders { name slug } } }';
const S4 = '/api/listings/projects.csv';
// Search (issue 17): three words, over every project's title, site name and summary.
const S8 = `/api/search?q=${encodeURIComponent('quartier projet 1234')}&locale=fr`;
// The worst filter the API accepts (issue 23): four branches through two relations, each a text
// condition, which is every crossing and every text condition beyond a relation allowed
// (src/security/relation-filters.ts). One branch matches, so the page is not empty.
const S9 =
  '/api/projects?' +
  ['1234', 'zz1', 'zz2', 'zz3']
    .map((word, branch) => `filters[$or][${branch}][funders][projects][summary][$containsi]=${word}`)
    .join('&');

const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const METRICS_TOKEN = randomBytes(16).toString('hex');

/** The response cache's outcomes so far (/metrics, response_cache_requests_total). */
async function cacheOutcomes(base) {
  const response = await fetch(`${base}/metrics`, {
    headers: { ...VIA_PROXY, authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = await response.text();
  const count = (outcome) =>
    Number(
      new RegExp(`^response_cache_requests_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1],
    );
  return { served: count('HIT') + count('SHARED'), computed: count('MISS') };
}
/** The share of reads the cache served between two readings. */
const hitRate = (before, after) => {
  const served = after.served - before.served;
  const computed = after.computed - before.computed;
  return served / (served + computed);
};

function databaseUrl(name) {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql) {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${args[0]} exited with ${code}`)),
    );
  });
}

/** Starts a server process and waits until `ready` answers. */
async function start(name, args, env, ready) {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: APP_DIR,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited:\n${errors}`);
    const ok = await fetch(`${base}${ready}`, { headers: VIA_PROXY }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { name, base, pid: child.pid, memory: () => memoryOf(child.pid), stop: () => stop(child) };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not start:\n${errors}`);
}

/**
 * A server process's memory from /proc/<pid>/status (Linux): resident set now (VmRSS) and its peak
 * (VmHWM), in MiB; undefined elsewhere.
 */
function memoryOf(pid) {
  let status;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  const [rss, peak] = [kib('VmRSS'), kib('VmHWM')];
  if (!Number.isFinite(rss)) return undefined;
  return { rss: rss / 1024, peak: Number.isFinite(peak) ? peak / 1024 : undefined };
}

function stop(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

const request = (base, scenario) =>
  fetch(`${base}${scenario.path}`, {
    method: scenario.method ?? 'GET',
    headers: { ...VIA_PROXY, 'content-type': 'application/json', ...scenario.headers },
    body: scenario.body,
  }).then(async (response) => ({ status: response.status, text: await response.text() }));

/** Both servers must do the same work: the same bytes (JSON compared as values). */
async function sameAnswer(scenario, strapiBase, baselineBase) {
  const [a, b] = await Promise.all([request(strapiBase, scenario), request(baselineBase, scenario)]);
  if (a.status !== 200 || b.status !== 200)
    throw new Error(`${scenario.id}: status ${a.status} / ${b.status}`);
  const equal = scenario.csv ? a.text === b.text : isDeepStrictEqual(JSON.parse(a.text), JSON.parse(b.text));
  if (!equal)
    throw new Error(
      `${scenario.id}: the baseline's answer differs from the API's:\n${a.text.slice(0, 400)}\n---\n${b.text.slice(0, 400)}`,
    );
}

/** Drives `scenario` for `duration` seconds; every request must succeed. */
async function drive(base, scenario, duration) {
  const result = await autocannon({
    url: `${base}${scenario.path}`,
    method: scenario.method ?? 'GET',
    headers: { ...VIA_PROXY, 'content-type': 'application/json', ...scenario.headers },
    body: scenario.body,
    // A scenario that writes makes each request anew (S10: another value each time).
    ...(scenario.setupRequest ? { requests: [{ setupRequest: scenario.setupRequest }] } : {}),
    connections: CONNECTIONS,
    duration,
    // The whole-listing downloads grow with the data: at 20,000 projects ten of them at once take
    // longer than autocannon's 10 s default, in the baseline too.
    timeout: scenario.timeout ?? 10,
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${scenario.id}: ${failed} failed requests of ${result.requests.total}`);
  return result;
}

/** A warm-up that is not counted (JIT, pools, caches), then the measured run. */
async function load(base, scenario) {
  await drive(base, scenario, WARM_UP);
  const result = await drive(base, scenario, DURATION);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/** 10 writes per second through the editor role (content-API writes are drafts). */
async function writeLoad(base, editor, documentIds) {
  const login = await fetch(`${base}/api/auth/local`, {
    method: 'POST',
    headers: { ...VIA_PROXY, 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: editor.email, password: editor.password }),
  });
  if (!login.ok) throw new Error(`editor login answered ${login.status}`);
  const { jwt } = await login.json();
  const counts = { ok: 0, failed: 0 };
  let sent = 0;
  const timer = setInterval(() => {
    const documentId = documentIds[sent % documentIds.length];
    sent += 1;
    fetch(`${base}/api/projects/${documentId}?locale=fr`, {
      method: 'PUT',
      headers: { ...VIA_PROXY, 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
      body: JSON.stringify({ data: { summary: `Écrit pendant la mesure (${sent})` } }),
    }).then(
      (response) => (response.ok ? (counts.ok += 1) : (counts.failed += 1)),
      () => (counts.failed += 1),
    );
  }, 1000 / WRITES_PER_SECOND);
  return {
    stop: async () => {
      clearInterval(timer);
      await new Promise((resolve) => setTimeout(resolve, 500));
      return counts;
    },
  };
}

/**
 * S10: draft saves through the editor role, each a new summary of one of `documentIds`, so that
 * every save keeps a version (src/history): the write path's cost with the history on or off.
 */
async function saveScenario(base, editor, documentIds) {
  const login = await fetch(`${base}/api/auth/local`, {
    method: 'POST',
    headers: { ...VIA_PROXY, 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: editor.email, password: editor.password }),
  });
  if (!login.ok) throw new Error(`editor login answered ${login.status}`);
  const { jwt } = await login.json();
  let sent = 0;
  return {
    id: 'S10',
    path: `/api/projects/${documentIds[0]}?locale=fr`,
    method: 'PUT',
    headers: { authorization: `Bearer ${jwt}` },
    body: JSON.stringify({ data: { summary: 'Sauvegarde' } }),
    setupRequest: (request) => {
      sent += 1;
      return {
        ...request,
        path: `/api/projects/${documentIds[sent % documentIds.length]}?locale=fr`,
        body: JSON.stringify({ data: { summary: `Sauvegarde ${sent}` } }),
      };
    },
  };
}

const ms = (value) => `${value.toFixed(1)} ms`;

async function main() {
  log('compiling the app');
  const { distDir } = await compileStrapi({ appDir: APP_DIR });
  const { randomSecrets } = require(path.join(distDir, 'src', 'utils', 'secrets'));
  const database = `ia_bench_${randomBytes(4).toString('hex')}`;
  const env = {
    ...process.env,
    ...randomSecrets(),
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: databaseUrl(database),
    STRAPI_TELEMETRY_DISABLED: 'true',
    SEED_ON_BOOT: 'false',
  };
  const servers = [];
  /** RSS of each server process after its rows, read just before it is stopped. */
  const memories = [];
  const finish = async (server, rowIds) => {
    memories.push({ name: server.name, rows: rowIds, memory: server.memory() });
    await server.stop();
  };
  await admin(`CREATE DATABASE "${database}"`);
  try {
    const sizes = sizesFor(PROJECTS);
    log(
      `dataset into ${database}: ${sizes.projects} projects, ${sizes.sites} sites, ${sizes.funders} funders`,
    );
    const facts = JSON.parse(
      (await run(process.execPath, [path.join(__dirname, 'dataset.js'), '--projects', String(PROJECTS)], env))
        .trim()
        .split('\n')
        .pop(),
    );

    // The bench's connections come from one address and measure throughput: the bulkhead
    // (src/middlewares/bulkhead.ts) would shed all but two downloads or relation filters of them
    // at once. Wide open here, as in the tests; tests/bulkhead.test.ts and the cluster test run it
    // with its production settings.
    const production = {
      ...env,
      NODE_ENV: 'production',
      BULKHEAD_POOL_SHARE: '1',
      BULKHEAD_PER_CLIENT: '64',
      METRICS_TOKEN,
    };
    /** `strapi start` in production mode with `extra` settings, stopped at the end in any case. */
    const startStrapi = async (name, extra) => {
      const server = await start(name, [STRAPI, 'start'], { ...production, ...extra }, '/api/projects');
      servers.push(server);
      return server;
    };
    const baseline = await start(
      'baseline',
      [path.join(__dirname, 'baseline.js')],
      { ...env, DIST: path.join(APP_DIR, 'dist') },
      '/api/projects',
    );
    servers.push(baseline);
    const uncached = await startStrapi('strapi', { RESPONSE_CACHE: 'false' });

    const scenarios = {
      S1: { id: 'S1', path: S1, title: 'REST list, 25 with site and funders' },
      S2: { id: 'S2', path: S2, title: 'REST one project by slug' },
      S3: {
        id: 'S3',
        path: '/graphql',
        method: 'POST',
        body: JSON.stringify({ query: S3_QUERY }),
        title: 'GraphQL list, same fields',
      },
      S4: {
        id: 'S4',
        path: S4,
        csv: true,
        title: `partner CSV, all ${facts.projects} projects`,
        timeout: Math.max(10, Math.ceil(facts.projects / 1000) * 3),
      },
    };
    for (const scenario of Object.values(scenarios)) await sameAnswer(scenario, uncached.base, baseline.base);
    log('the baseline answers S1-S4 with the same data as the API');

    const rows = [];
    const measure = async (id, title, base, scenario, baselineOf) => {
      log(`${id}: ${title}`);
      const result = await load(base, scenario);
      rows.push({ id, title, ...result, baseline: baselineOf });
      return result;
    };
    const limits = {};
    for (const scenario of Object.values(scenarios)) {
      limits[scenario.id] = await measure(
        `B-${scenario.id}`,
        `baseline for ${scenario.id}`,
        baseline.base,
        scenario,
      );
      await measure(scenario.id, scenario.title, uncached.base, scenario, limits[scenario.id]);
    }

    const list = JSON.parse((await request(uncached.base, scenarios.S1)).text).data.map(
      (entry) => entry.documentId,
    );
    /** S1 measured while the editor writes; returns how many writes were accepted and failed. */
    const underWrites = async (id, title, base) => {
      const writes = await writeLoad(base, facts.editor, list);
      await measure(
        id,
        `${title} during ${WRITES_PER_SECOND} editor writes/s`,
        base,
        scenarios.S1,
        limits.S1,
      );
      return writes.stop();
    };
    // Search (src/search): target p50 ≤ 1.5 × S1's p50 in the same run (no baseline of its own).
    await measure('S8', 'search, a three-word query', uncached.base, { id: 'S8', path: S8 });
    await measure('S9', 'the worst accepted filter: 4 × funders.projects.summary contains', uncached.base, {
      id: 'S9',
      path: S9,
      timeout: 30,
    });
    const uncachedWrites = await underWrites('S6', 'S1', uncached.base);
    // Saves with the history on (issue 25: at most 1.3 × a save without, S10off below).
    await measure(
      'S10',
      'a draft save (editor, REST PUT), history on',
      uncached.base,
      await saveScenario(uncached.base, facts.editor, list),
    );
    await finish(uncached, ['S1', 'S2', 'S3', 'S4', 'S8', 'S9', 'S6', 'S10']);

    const noHistory = await startStrapi('strapi (HISTORY=false)', {
      RESPONSE_CACHE: 'false',
      HISTORY: 'false',
    });
    await measure(
      'S10off',
      'S10 with HISTORY=false',
      noHistory.base,
      await saveScenario(noHistory.base, facts.editor, list),
    );
    await finish(noHistory, ['S10off']);

    // What the fast path (src/fast-path) buys: S1 and S3 with every patch off.
    const plain = await startStrapi('strapi (FAST_PATH=off)', { RESPONSE_CACHE: 'false', FAST_PATH: 'off' });
    await sameAnswer(scenarios.S1, plain.base, baseline.base);
    await measure('S1off', 'S1 with FAST_PATH=off', plain.base, scenarios.S1, limits.S1);
    await measure('S3off', 'S3 with FAST_PATH=off', plain.base, scenarios.S3, limits.S3);
    await finish(plain, ['S1off', 'S3off']);

    const cached = await startStrapi('strapi (cache)', { RESPONSE_CACHE: 'true' });
    await sameAnswer(scenarios.S1, cached.base, baseline.base);
    const beforeS5 = await cacheOutcomes(cached.base);
    await measure('S5', 'S1 with the response cache (memory)', cached.base, scenarios.S1, limits.S1);
    const hitRates = { S5: hitRate(beforeS5, await cacheOutcomes(cached.base)) };
    // Partners' read-only tokens are checked on every request and then served from the same
    // cache as the public (src/security/read-only-cache.ts).
    const partner = { authorization: `Bearer ${facts.partnerToken}` };
    const S7 = { ...scenarios.S4, id: 'S7', headers: partner };
    const S7l = { ...scenarios.S1, id: 'S7l', headers: partner };
    for (const scenario of [S7, S7l]) await sameAnswer(scenario, cached.base, baseline.base);
    await measure('S7', 'S4 (partner CSV) with a read-only token, cache on', cached.base, S7, limits.S4);
    await measure('S7l', 'S1 (a list page) with a read-only token, cache on', cached.base, S7l, limits.S1);
    const beforeS6c = await cacheOutcomes(cached.base);
    const cachedWrites = await underWrites('S6c', 'S5', cached.base);
    hitRates.S6c = hitRate(beforeS6c, await cacheOutcomes(cached.base));
    await finish(cached, ['S5', 'S7', 'S7l', 'S6c']);

    if (REDIS_URL !== 'off') {
      const shared = await startStrapi('strapi (Redis)', { RESPONSE_CACHE: 'true', REDIS_URL });
      await measure('S5r', 'S1 with the response cache (Redis)', shared.base, scenarios.S1, limits.S1);
      await finish(shared, ['S5r']);
    }

    // Where the CPU time of S1 and S2 goes, layer by layer (bench/profile.js): a server of its
    // own, profiled during the measured seconds only (bench/cpu-profile-preload.js).
    const profileFile = path.join(os.tmpdir(), `${database}.cpuprofile`);
    const profiled = await startStrapi('strapi (profiled)', {
      RESPONSE_CACHE: 'false',
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} -r ${path.join(__dirname, 'cpu-profile-preload.js')}`.trim(),
      BENCH_PROFILE_FILE: profileFile,
    });
    const profiles = [];
    for (const scenario of [scenarios.S1, scenarios.S2]) {
      log(`profile of ${scenario.id}`);
      await drive(profiled.base, scenario, WARM_UP);
      fs.rmSync(profileFile, { force: true });
      process.kill(profiled.pid, 'SIGUSR2');
      const result = await drive(profiled.base, scenario, DURATION);
      process.kill(profiled.pid, 'SIGUSR2');
      const deadline = Date.now() + 30_000;
      while (!fs.existsSync(profileFile) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 500)); // the write finishes
      profiles.push(
        profileTable(`${scenario.id} (${scenario.title})`, profileFile, result.requests.total, APP_DIR),
      );
    }
    fs.rmSync(profileFile, { force: true });
    await profiled.stop();

    memories.unshift({
      name: baseline.name,
      rows: Object.keys(limits).map((id) => `B-${id}`),
      memory: baseline.memory(),
    });

    const table = [
      report(rows, facts, { uncachedWrites, cachedWrites }, memories),
      `Reads the response cache served (HIT or SHARED, /metrics, warm-up included): ${(100 * hitRates.S5).toFixed(1)} % during S5, ${(100 * hitRates.S6c).toFixed(1)} % during S6c.`,
      '',
      '## Where the CPU time goes (bench/profile.js)',
      '',
      ...profiles,
    ].join('\n');
    process.stdout.write(`${table}\n`);
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(resultsFile(PROJECTS), `${table}\n`);
    log(`written to ${path.relative(APP_DIR, resultsFile(PROJECTS))}`);
  } finally {
    for (const server of servers) await server.stop();
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

/** bench/results/latest.md at the default size, latest-<N>.md at another. */
function resultsFile(projects) {
  const name = projects === DEFAULT_PROJECTS ? 'latest.md' : `latest-${projects}.md`;
  return path.join(__dirname, 'results', name);
}

/** S1's ratio to its baseline in the results of the default size, if they are there. */
function defaultS1Ratio() {
  let text;
  try {
    text = fs.readFileSync(resultsFile(DEFAULT_PROJECTS), 'utf8');
  } catch {
    return undefined;
  }
  const ratio = Number(/^\| S1 \|.*\| ([\d.]+) \|$/m.exec(text)?.[1]);
  return Number.isFinite(ratio) ? ratio : undefined;
}

const mib = (value) => (value === undefined ? 'n/a' : `${value.toFixed(0)} MiB`);

function report(rows, facts, writes, memories) {
  const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
  // A baseline row is 1; a row with no baseline of its own (the search S8, the filter S9) has none.
  const ratio = (row) =>
    row.baseline ? (row.rps / row.baseline.rps).toFixed(2) : row.id.startsWith('B-') ? '1.00' : '—';
  const lines = [
    '# Benchmark: the read path against the physical limit',
    '',
    `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, ` +
      `PostgreSQL on the same machine; ${CONNECTIONS} connections, ${DURATION} s per row after ${WARM_UP} s of warm-up, autocannon on loopback. ` +
      `Dataset: ${facts.projects} projects in fr and de (draft and published), ${facts.sites} sites, ${facts.funders} funders, ` +
      `${facts.fundersPerProject} funders per project (\`--projects ${facts.projects}\`).`,
    '',
    '| row | what | req/s | p50 | p99 | ratio to baseline |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.id} | ${row.title} | ${row.rps.toFixed(0)} | ${ms(row.p50)} | ${ms(row.p99)} | ${ratio(row)} |`,
    ),
    '',
    `Targets: S1 ≥ 0.30 of its baseline (${ratio(byId.S1)}), S5 ≥ 0.80 (${ratio(byId.S5)}), ` +
      `S7 and S7l (read-only token) ≥ 0.80 (${ratio(byId.S7)}, ${ratio(byId.S7l)}), ` +
      `S3 p50 ≤ 1.3 × S1 p50 (${(byId.S3.p50 / byId.S1.p50).toFixed(2)} ×), ` +
      `search S8 p50 ≤ 1.5 × S1 p50 (${(byId.S8.p50 / byId.S1.p50).toFixed(2)} ×).`,
    `The worst accepted filter S9: p50 ${(byId.S9.p50 / byId.S1.p50).toFixed(1)} × S1's, ` +
      `${(byId.S9.rps / byId.S1.rps).toFixed(3)} × its requests per second (statement timeout: 15 s).`,
    `Fast path: S1 ${byId.S1.rps.toFixed(0)} req/s on, ${byId.S1off.rps.toFixed(0)} off ` +
      `(${(byId.S1.rps / byId.S1off.rps).toFixed(2)} ×); S3 ${byId.S3.rps.toFixed(0)} on, ${byId.S3off.rps.toFixed(0)} off ` +
      `(${(byId.S3.rps / byId.S3off.rps).toFixed(2)} ×).`,
    `History: a save S10 p50 ${(byId.S10.p50 / byId.S10off.p50).toFixed(2)} × a save without it (S10off), ` +
      `${(byId.S10off.rps / byId.S10.rps).toFixed(2)} × its time per save by throughput (target ≤ 1.3).`,
    `Writes during S6: ${writes.uncachedWrites.ok} accepted, ${writes.uncachedWrites.failed} failed; ` +
      `during S6c: ${writes.cachedWrites.ok} accepted, ${writes.cachedWrites.failed} failed.`,
    ...scaleLine(facts.projects, Number(ratio(byId.S1))),
    '',
    '| server process | after rows | RSS | peak RSS |',
    '|---|---|---:|---:|',
    ...memories.map(
      ({ name, rows: ids, memory }) =>
        `| ${name} | ${ids.join(', ')} | ${mib(memory?.rss)} | ${mib(memory?.peak)} |`,
    ),
    '',
    'RSS: VmRSS of the server process (/proc/<pid>/status) after its last row, before it is stopped; peak: VmHWM.',
    'B-Sn rows are bench/baseline.js (node:http + pg, hand-written SQL) answering the same request with the same data.',
  ];
  return lines.join('\n');
}

/** At another size than the default: S1's ratio against the default size's results (target ±20 %). */
function scaleLine(projects, s1Ratio) {
  if (projects === DEFAULT_PROJECTS) return [];
  const reference = defaultS1Ratio();
  if (reference === undefined)
    return [`S1 ratio ${s1Ratio.toFixed(2)}; no results at ${DEFAULT_PROJECTS} projects to compare with.`];
  const change = ((s1Ratio - reference) / reference) * 100;
  return [
    `S1 ratio ${s1Ratio.toFixed(2)} at ${projects} projects, ${reference.toFixed(2)} at ${DEFAULT_PROJECTS} ` +
      `(bench/results/latest.md): ${change >= 0 ? '+' : ''}${change.toFixed(0)} % (target: within ±20 %).`,
  ];
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
