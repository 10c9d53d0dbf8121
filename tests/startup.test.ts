/**
 * Start-up as a newcomer and an operator see it: a fresh clone with no .env runs on the embedded
 * SQLite default with the seed content, and production refuses placeholder secrets.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_DIR, spawnStrapi, waitForHealth, type ServerProcess } from './support/server-process';

const CLONE_FILES = [
  'package.json',
  'tsconfig.json',
  '.env.example',
  'dist',
  'database',
  'public',
  'scripts',
];

describe('a fresh clone with no .env', () => {
  let dir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-clone-'));
    for (const file of CLONE_FILES)
      fs.cpSync(path.join(APP_DIR, file), path.join(dir, file), { recursive: true });
    fs.symlinkSync(path.join(APP_DIR, 'node_modules'), path.join(dir, 'node_modules'));
  });

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes .env with random secrets before the first start, and never overwrites it', () => {
    execFileSync(process.execPath, ['scripts/ensure-env.js'], { cwd: dir });
    const written = fs.readFileSync(path.join(dir, '.env'), 'utf8');
    expect(written).not.toMatch(/^[A-Z_]+=.*change-me/m);
    expect(written).toMatch(/^JWT_SECRET=[A-Za-z0-9+/=]{40,}$/m);
    expect(written).toMatch(/^APP_KEYS=[A-Za-z0-9+/=]{40,},[A-Za-z0-9+/=]{40,}$/m);

    execFileSync(process.execPath, ['scripts/ensure-env.js'], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, '.env'), 'utf8')).toBe(written);
  });

  it('starts on SQLite in .tmp/data.db, seeds itself and answers', async () => {
    // An empty DATABASE_FILENAME must fall back to the default file, not break the start.
    fs.appendFileSync(path.join(dir, '.env'), '\nDATABASE_FILENAME=\n');
    server = await spawnStrapi({ cwd: dir, env: { NODE_ENV: 'development' } });
    await waitForHealth(server);

    expect(fs.existsSync(path.join(dir, '.tmp', 'data.db'))).toBe(true);
    const response = await fetch(`http://127.0.0.1:${server.port}/api/projects?locale=de`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { meta: { pagination: { total: number } } };
    expect(body.meta.pagination.total).toBe(29);
  }, 120_000);
});

describe('production start', () => {
  const goodSecrets = {
    APP_KEYS: 'k1-8d7f6a5e4c3b,k2-1a2b3c4d5e6f',
    API_TOKEN_SALT: 'salt-0f9e8d7c6b5a',
    ADMIN_JWT_SECRET: 'admin-4b5c6d7e8f9a',
    TRANSFER_TOKEN_SALT: 'transfer-9a8b7c6d5e',
    JWT_SECRET: 'jwt-3c4d5e6f7a8b',
    ENCRYPTION_KEY: 'enc-7e6d5c4b3a29',
  };

  it.each([
    ['JWT_SECRET', 'change-me', 'placeholder'],
    ['APP_KEYS', 'k1-8d7f6a5e4c3b,change-me', 'placeholder'],
    ['ENCRYPTION_KEY', '', 'missing or empty'],
  ])('refuses %s=%j with one line naming it', async (name, value, problem) => {
    const server = await spawnStrapi({ env: { ...goodSecrets, [name]: value, NODE_ENV: 'production' } });
    expect(await server.exited).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Refusing to start in production: ${name} `);
    expect(lines[0]).toContain(problem);
  });
});
