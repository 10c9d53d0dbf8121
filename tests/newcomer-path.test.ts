/**
 * What a newcomer meets on the way to production (issue 23, section 8, and issue 24): the
 * production environment file reads the same in a shell as in systemd; loading the configuration
 * as `strapi build` does, with that file's REDIS_URL on a live Redis, opens no connection; the
 * command-line scripts name their database (never its password), refuse a production run
 * without PostgreSQL, and compile dist/ only when it is out of date; the committed generated
 * types are what Strapi generates from the schemas; the typed-client recipe names the versions
 * its test runs with.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import dotenv from 'dotenv';
import Redis from 'ioredis';
import { databaseUrl } from './support/database';
import { APP_DIR, freePort, spawnRedis } from './support/server-process';
import { startStrapi, type TestApp } from './support/strapi';

const run = promisify(execFile);
// Plain JavaScript helpers of the scripts, without types of their own.
/* eslint-disable @typescript-eslint/no-require-imports */
const staleness = (appDir: string, distDir: string): string | undefined =>
  require('../scripts/lib/compiled-dist.js').staleness(appDir, distDir);
const describeDatabase = (env: Record<string, string>): string =>
  require('../scripts/lib/database-url.js').describeDatabase(env);
/* eslint-enable @typescript-eslint/no-require-imports */

const DIST = path.join(APP_DIR, 'dist');
const STAMP = path.join(DIST, '.compiled-at');
const SECRET = 'Not-in-any-output-7f3a';

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-newcomer-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Nothing of the test run's environment but what a login shell has. */
const bareEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir() });

/**
 * deploy/cms.env.example filled in as docs/operators.md says: fresh secrets from
 * scripts/ensure-env.js, then the settings an operator edits.
 */
function productionEnvFile(settings: Record<string, string>): string {
  const file = path.join(work, `cms-${Object.keys(settings).length}-${Date.now()}.env`);
  execFileSync(
    process.execPath,
    ['scripts/ensure-env.js', '--from', 'deploy/cms.env.example', '--to', file],
    {
      cwd: APP_DIR,
    },
  );
  let text = fs.readFileSync(file, 'utf8');
  for (const [name, value] of Object.entries(settings)) {
    expect(text).toMatch(new RegExp(`^${name}=`, 'm'));
    text = text.replace(new RegExp(`^${name}=.*$`, 'm'), `${name}=${value}`);
  }
  fs.writeFileSync(file, text);
  return file;
}

/** The environment a shell gets from `set -a; . file; set +a`, as the operator guide loads it. */
function loadedByShell(file: string): Record<string, string> {
  const json = execFileSync(
    'bash',
    ['-c', 'set -a; . "$0"; set +a; exec node -e "process.stdout.write(JSON.stringify(process.env))"', file],
    { env: bareEnv() },
  );
  return JSON.parse(String(json));
}

describe('the production environment file (deploy/cms.env.example)', () => {
  it('reads the same in a shell (set -a; . file) as in systemd and dotenv, value by value', () => {
    const file = productionEnvFile({});
    const declared = dotenv.parse(fs.readFileSync(file));
    expect(Object.keys(declared)).toEqual(expect.arrayContaining(['NODE_ENV', 'DATABASE_URL', 'REDIS_URL']));
    const shell = loadedByShell(file);
    const differing = Object.entries(declared)
      .filter(([name, value]) => shell[name] !== value)
      .map(([name, value]) => `${name}: file ${JSON.stringify(value)}, shell ${JSON.stringify(shell[name])}`);
    expect(differing).toEqual([]);
  });
});

describe('loading the configuration as `strapi build` does opens no connection', () => {
  let redisProcess: ChildProcess | undefined;
  let inspector: Redis | undefined;

  afterAll(async () => {
    await inspector?.quit();
    redisProcess?.kill('SIGKILL');
  });

  /** Connections the Redis server has accepted since it started (our inspector's included). */
  const connectionsReceived = async () =>
    Number(/total_connections_received:(\d+)/.exec(await inspector!.info('stats'))?.[1]);

  it('with the file’s REDIS_URL on a live Redis: no connection, and the process ends by itself', async () => {
    const port = await freePort();
    redisProcess = spawnRedis(port);
    inspector = new Redis(port, '127.0.0.1', { retryStrategy: (attempt) => (attempt > 50 ? null : 100) });
    await inspector.ping();
    const before = await connectionsReceived();

    const env = loadedByShell(productionEnvFile({ REDIS_URL: `redis://127.0.0.1:${port}` }));
    // What @strapi/strapi's createBuildContext does before it builds the admin panel; a process
    // that something keeps alive is stopped after 5 s with exit code 3.
    const load = `
      const { createStrapi } = require('@strapi/strapi');
      const app = createStrapi({ appDir: ${JSON.stringify(APP_DIR)}, distDir: ${JSON.stringify(DIST)},
        autoReload: true, serveAdminPanel: false });
      console.log('configuration loaded: admin at ' + app.config.get('admin.path'));
      setTimeout(() => { console.log('still running'); process.exit(3); }, 5000).unref();
    `;
    const child = spawn(process.execPath, ['-e', load], { cwd: APP_DIR, env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('configuration loaded') });
    expect(output).not.toContain('still running');
    expect((await connectionsReceived()) - before).toBe(0);
  });
});

describe('the command-line scripts and their database', () => {
  const SCRIPTS: [string, string[]][] = [
    ['seed.js', []],
    ['token-create.js', ['--name', 'Partner', '--days', '30']],
    ['subscription-create.js', ['--name', 'Partner', '--url', 'https://partner.example/hook']],
    ['backup.js', ['--out', 'never-written.tar.gz']],
    ['restore.js', ['never-read.tar.gz']],
  ];
  const script = (name: string, args: string[], env: Record<string, string>) =>
    run(process.execPath, [path.join('scripts', name), ...args], { cwd: APP_DIR, env });

  describe.each(SCRIPTS)('%s, in production', (name, args) => {
    it.each([
      ['without DATABASE_CLIENT (a shell that has not loaded the file)', {}, /on SQLite: DATABASE_CLIENT/],
      ['on SQLite', { DATABASE_CLIENT: 'sqlite' }, /on SQLite: DATABASE_CLIENT is "sqlite"/],
      [
        'with PostgreSQL named nowhere',
        { DATABASE_CLIENT: 'postgres' },
        /without a database: .*DATABASE_URL/,
      ],
    ])('refuses to run %s: one line, exit code 1, nothing done', async (_case, extra, message) => {
      const refused = script(name, args, { ...bareEnv(), NODE_ENV: 'production', ...extra });
      await expect(refused).rejects.toMatchObject({ code: 1, stdout: '' });
      const { stderr } = (await refused.catch((error) => error)) as { stderr: string };
      expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Refusing to run in production/)]);
      expect(stderr).toMatch(message);
      expect(stderr).toContain('set -a; . /etc/inter-actions-cms.env; set +a');
    });
  });

  it.each([
    ['backup.js', ['--out', 'never-written.tar.gz'], /^Backup failed/m],
    ['restore.js', ['never-read.tar.gz'], /^Restore failed/m],
  ])('%s names the database it could not reach, and never its password', async (name, args, failure) => {
    const port = await freePort(); // nothing listens there
    const failed = await script(name, args, {
      ...bareEnv(),
      NODE_ENV: 'production',
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: `postgres://cms:${SECRET}@127.0.0.1:${port}/interactions`,
    }).catch((error) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect(failed.stdout.split('\n')[0]).toBe(
      `Database: PostgreSQL, database interactions on 127.0.0.1:${port} as cms`,
    );
    expect(failed.stderr).toMatch(failure);
    expect(`${failed.stdout}${failed.stderr}`).not.toContain(SECRET);
  });

  it('describes SQLite with its file and why, PostgreSQL without the password of either setting', () => {
    expect(describeDatabase({})).toBe(
      `Database: SQLite, file ${path.join(APP_DIR, '.tmp', 'data.db')} (DATABASE_CLIENT is not set)`,
    );
    const separate = {
      DATABASE_CLIENT: 'postgres',
      DATABASE_HOST: 'db.internal',
      DATABASE_NAME: 'interactions',
      DATABASE_USERNAME: 'cms',
      DATABASE_PASSWORD: SECRET,
    };
    expect(describeDatabase(separate)).toBe(
      'Database: PostgreSQL, database interactions on db.internal:5432 as cms',
    );
    const url = { DATABASE_CLIENT: 'postgres', DATABASE_URL: `postgres://cms:${SECRET}@[::1]:6432/ia%20cms` };
    expect(describeDatabase(url)).toBe('Database: PostgreSQL, database ia cms on ::1:6432 as cms');
  });

  describe('on a built project', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startStrapi();
    });

    afterAll(async () => {
      await app?.stop();
    });

    it('token:create names its database first, and works on dist/ as it is (no compile)', async () => {
      // Global setup has compiled dist/ (through scripts/seed.js): it is current.
      const compiled = fs.statSync(STAMP).mtimeMs;
      const index = fs.statSync(path.join(DIST, 'src', 'index.js')).mtimeMs;
      const url = new URL(databaseUrl(app.databaseName));
      const { stdout } = await script('token-create.js', ['--name', 'Newcomer partner', '--days', '1'], {
        ...(process.env as Record<string, string>),
        DATABASE_CLIENT: 'postgres',
        DATABASE_URL: url.toString(),
      });
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toBe(
        `Database: PostgreSQL, database ${app.databaseName} on ${url.hostname}:${url.port || 5432} as ${url.username}`,
      );
      expect(stdout).not.toContain('Compiling');
      expect(lines[lines.length - 1]).toMatch(/^[0-9a-f]{256}$/);
      expect(fs.statSync(STAMP).mtimeMs).toBe(compiled);
      expect(fs.statSync(path.join(DIST, 'src', 'index.js')).mtimeMs).toBe(index);
    }, 60_000);

    it('the committed types/generated are what Strapi generates from the schemas (as `strapi develop` does)', async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { generators } = require('@strapi/typescript-utils') as {
        generators: { generate(options: object): Promise<unknown> };
      };
      await generators.generate({
        strapi: app.strapi,
        pwd: work,
        logger: { silent: true },
        artifacts: { contentTypes: true, components: true },
      });
      for (const file of ['contentTypes.d.ts', 'components.d.ts']) {
        const generated = fs.readFileSync(path.join(work, 'types', 'generated', file), 'utf8');
        const committed = fs.readFileSync(path.join(APP_DIR, 'types', 'generated', file), 'utf8');
        // On a difference: `npx strapi ts:generate-types` (docs/contributors.md), then commit.
        expect({ file, current: generated === committed }).toEqual({ file, current: true });
      }
    });
  });
});

describe('dist/ is compiled again only when it is out of date (scripts/lib/compiled-dist.js)', () => {
  it('missing, older than a source file, or than a folder whose files were renamed', () => {
    const app = path.join(work, 'app');
    const dist = path.join(app, 'dist');
    fs.mkdirSync(path.join(app, 'src', 'api'), { recursive: true });
    fs.mkdirSync(path.join(app, 'config'));
    fs.mkdirSync(dist);
    const sources = ['src/index.ts', 'src/api/a.ts', 'config/server.ts', 'package.json'];
    for (const file of sources) fs.writeFileSync(path.join(app, file), '');
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
    const date = (file: string, seconds: number) =>
      fs.utimesSync(path.join(app, file), at(seconds), at(seconds));
    const dateAll = (seconds: number) => {
      for (const file of [...sources, 'src/api', 'src', 'config']) date(file, seconds);
    };
    dateAll(0);

    expect(staleness(app, dist)).toBe('dist/ has not been compiled');
    fs.writeFileSync(path.join(dist, '.compiled-at'), '');
    date('dist/.compiled-at', 10);
    // TypeScript's build info, which `tsc --noEmit` rewrites, says nothing.
    fs.writeFileSync(path.join(dist, 'tsconfig.tsbuildinfo'), '{}');
    date('dist/tsconfig.tsbuildinfo', 30);
    expect(staleness(app, dist)).toBeUndefined();

    date('src/api/a.ts', 20);
    expect(staleness(app, dist)).toBe(`${path.join('src', 'api', 'a.ts')} changed since it was compiled`);
    date('src/api/a.ts', 0);
    date('package.json', 20);
    expect(staleness(app, dist)).toBe('package.json changed since it was compiled');
    dateAll(0);

    // A renamed file keeps its date; its folder's changes.
    fs.renameSync(path.join(app, 'src', 'api', 'a.ts'), path.join(app, 'src', 'api', 'b.ts'));
    sources[1] = 'src/api/b.ts';
    date('src/api/b.ts', 0);
    expect(staleness(app, dist)).toBe(`${path.join('src', 'api')} changed since it was compiled`);
    date('src/api', 0);
    expect(staleness(app, dist)).toBeUndefined();
  });
});

describe('the typed-client recipe (docs/front-end.md)', () => {
  it('pins the versions tests/typed-client.test.ts runs with (TypeScript 5: openapi-typescript 7 needs it)', () => {
    const guide = fs.readFileSync(path.join(APP_DIR, 'docs', 'front-end.md'), 'utf8');
    const recipe = guide.slice(
      guide.indexOf('## Typed clients'),
      guide.indexOf('\n## ', guide.indexOf('## Typed clients') + 5),
    );
    for (const name of ['openapi-typescript', 'openapi-fetch', 'typescript']) {
      const { version } = JSON.parse(
        fs.readFileSync(path.join(APP_DIR, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { version: string };
      expect({ name, pinned: recipe.includes(`${name}@${version}`) }).toEqual({ name, pinned: true });
    }
    const { peerDependencies } = JSON.parse(
      fs.readFileSync(path.join(APP_DIR, 'node_modules', 'openapi-typescript', 'package.json'), 'utf8'),
    ) as { peerDependencies: Record<string, string> };
    expect(peerDependencies.typescript).toBe('^5.x');
  });
});
