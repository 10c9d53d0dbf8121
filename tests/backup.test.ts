/**
 * npm run backup, then npm run restore into an empty database: the API answers the same, for
 * every type and locale, drafts included, and the uploaded files come back.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDatabase, databaseUrl } from './support/database';
import { APP_DIR } from './support/server-process';
import { startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser, type ApiUser } from './support/users';

const run = promisify(execFile);
const PLURALS = ['projects', 'services', 'enterprises', 'sites', 'funders'];
const LOCALES = ['fr', 'de', 'lb', 'en'];

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-backup-test-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Everything the API shows an editor (who sees drafts): every type, locale and status. */
async function snapshot(app: TestApp, editor: ApiUser) {
  const answers: Record<string, unknown> = {};
  for (const plural of PLURALS) {
    for (const locale of LOCALES) {
      for (const status of ['draft', 'published']) {
        const response = await app
          .http()
          .get(`/api/${plural}`)
          .set(bearer(editor))
          .query({ locale, status, sort: 'id', pagination: { pageSize: 100 } });
        expect(response.status).toBe(200);
        answers[`${plural} ${locale} ${status}`] = response.body;
      }
    }
  }
  for (const locale of LOCALES) {
    answers[`organisation ${locale}`] = (await app.http().get('/api/organisation').query({ locale })).body;
  }
  return answers;
}

const script = (name: string, args: string[], database: string) =>
  run(process.execPath, [path.join('scripts', name), ...args], {
    cwd: APP_DIR,
    env: { ...process.env, DATABASE_CLIENT: 'postgres', DATABASE_URL: databaseUrl(database) },
  });

it('round-trips the database and the uploads', async () => {
  const source = await startStrapi();
  const editor = await createApiUser(source, 'editor');
  // A draft, so that the backup holds more than the published seed.
  const site = (await source.http().get('/api/sites').expect(200)).body.data[0].documentId;
  const draft = await source
    .http()
    .post('/api/projects')
    .set(bearer(editor))
    .send({ data: { title: 'Brouillon', slug: 'brouillon', kind: 'day-care', foundedYear: 2026, site } });
  expect(draft.status).toBe(201);
  const before = await snapshot(source, editor);
  expect(JSON.stringify(before)).toContain('Brouillon');

  const uploads = path.join(work, 'uploads');
  fs.mkdirSync(uploads);
  fs.writeFileSync(path.join(uploads, 'poster.png'), 'not really a png');
  const file = path.join(work, 'backup.tar.gz');
  await script('backup.js', ['--out', file, '--uploads', uploads], source.databaseName);
  await source.stop();

  const restoredName = `${process.env.TEST_RUN_PREFIX}_restored`;
  await createDatabase(restoredName);
  const restoredUploads = path.join(work, 'restored-uploads');
  await script('restore.js', [file, '--uploads', restoredUploads], restoredName);
  expect(fs.readFileSync(path.join(restoredUploads, 'poster.png'), 'utf8')).toBe('not really a png');

  const restored = await startStrapi({ databaseName: restoredName });
  try {
    expect(await snapshot(restored, editor)).toEqual(before);
  } finally {
    await restored.stop();
  }

  // A second restore into the now-full database is refused, and changes nothing.
  await expect(
    script('restore.js', [file, '--uploads', restoredUploads], restoredName),
  ).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining('empty database'),
  });
}, 120_000);
