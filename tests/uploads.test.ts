/**
 * Uploads are images or PDF, and what their name says (src/extensions/upload/): generated over the
 * allowed types and a list of dangerous extensions (case variants, double extensions, no
 * extension, trailing dots and spaces), through every way a file is stored: the admin panel's
 * /upload and /upload/files as a Project coordinator, both replacements, the content API's
 * POST /api/upload (alone, attached to an entry, replacing) for a role allowed to upload, and the
 * media library's upload from URL against a real HTTP server on 127.0.0.1. Each refusal is a 400
 * in Strapi's error shape naming the file, with nothing stored. Then how /uploads serves what is
 * stored: images inline, a PDF (or anything else) as a download.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Response } from 'supertest';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { AVIF, GIF, JPEG, PDF, PNG, WEBP } from './support/images';
import { startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser, type ApiUser } from './support/users';
import { uploadFromUrls as uploadFromUrlsAs } from './support/upload-from-urls';

const HTML = Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>');

type Sample = [name: string, bytes: Buffer, type: string];
/** it.each rows whose titles name the file and its declared type. */
const rows = (samples: Sample[]) => samples.map(([name, bytes, type]) => ({ name, bytes, type }));

const ALLOWED: Sample[] = [
  ['pixel.png', PNG, 'image/png'],
  ['photo.jpg', JPEG, 'image/jpeg'],
  ['photo.jpeg', JPEG, 'image/jpeg'],
  ['PHOTO.JPG', JPEG, 'image/jpeg'],
  ['image.webp', WEBP, 'image/webp'],
  ['anim.gif', GIF, 'image/gif'],
  ['picture.avif', AVIF, 'image/avif'],
  ['report.pdf', PDF, 'application/pdf'],
  ['Report.PDF', PDF, 'application/pdf'],
];

/** Extensions that run, render or open something elsewhere than an image viewer. */
const DANGEROUS = [
  '.hta', '.cmd', '.bat', '.com', '.exe', '.msi', '.vbs', '.vbe', '.js', '.jse', '.wsf', '.ps1',
  '.scr', '.pif', '.reg', '.url', '.lnk', '.desktop', '.jsp', '.php', '.py', '.sh', '.jar',
  '.html', '.htm', '.xhtml', '.mhtml', '.mht', '.svg', '.xml', '.swf',
]; // prettier-ignore

/** Names that are no allowed type's, each carrying a real PNG (the signature check passes). */
const REFUSED_NAMES = [
  ...DANGEROUS.flatMap((extension) => [
    `invoice${extension}`,
    `invoice${extension.toUpperCase()}`,
    `invoice.png${extension}`,
  ]),
  'invoice',
  'invoice.',
  'invoice.png.',
  'invoice.png ',
  'invoice.png. .',
  'invoice.hta.',
  'invoice.hta ',
  '.png',
];
const REFUSED: Sample[] = [
  ...REFUSED_NAMES.flatMap((name): Sample[] => [
    [name, PNG, 'image/png'],
    [name, PNG, 'application/octet-stream'],
  ]),
];
/** A few of them, for the other ways in. */
const SOME_REFUSED: Sample[] = [
  ['invoice.hta', PNG, 'application/octet-stream'],
  ['invoice.png.hta', PNG, 'image/png'],
  ['invoice.CMD', PNG, 'image/png'],
  ['invoice', PNG, 'image/png'],
  ['invoice.png.', PNG, 'image/png'],
  ['invoice.png ', PNG, 'image/png'],
];

let app: TestApp;
let coordinator: AdminSession;
let communication: AdminSession;
let editor: ApiUser;
let projectId: number;
let origin: string;
let files: http.Server;
/** What the server on 127.0.0.1 answers, by path: bytes and Content-Type. */
const served = new Map<string, [Buffer, string]>([
  ['/invoice.hta', [PNG, 'application/octet-stream']],
  ['/invoice.png.hta', [PNG, 'image/png']],
  ['/pixel', [PNG, 'application/octet-stream']],
  ['/photo', [PNG, 'image/png']],
  ['/report.pdf', [PDF, 'application/pdf']],
]);

beforeAll(async () => {
  files = http.createServer((request, response) => {
    const [body, type] = served.get(request.url ?? '') ?? [Buffer.from('not found'), 'text/plain'];
    response.writeHead(served.has(request.url ?? '') ? 200 : 404, {
      'Content-Type': type,
      'Content-Length': body.length,
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  app = await startStrapi({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } });
  const superAdmin = await registerFirstAdmin(app);
  coordinator = await createAdminUser(app, superAdmin, 'project-coordinator', 'uploader');
  communication = await createAdminUser(app, superAdmin, 'communication', 'replacer');
  editor = await createApiUser(app, 'editor');
  // A content API role allowed to upload (none is by default): the editor's, for this app only.
  const role = await app.strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'editor' } });
  await app.strapi.db
    .query('plugin::users-permissions.permission')
    .create({ data: { action: 'plugin::upload.content-api.upload', role: role.id } });
  projectId = (await app.strapi.db.query('api::project.project').findOne({ where: { locale: 'fr' } })).id;
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => files?.close(resolve));
});

const STRAPI_ERROR = {
  data: null,
  error: { status: 400, name: 'ValidationError', message: expect.any(String), details: expect.anything() },
};
const countFiles = () => app.strapi.db.query('plugin::upload.file').count();
const storedFile = (id: number) => app.strapi.db.query('plugin::upload.file').findOne({ where: { id } });

type Upload = (bytes: Buffer, name: string, type: string) => Promise<Response>;

/** The ways a new file is stored. */
const CREATE: [string, Upload][] = [
  [
    'the admin panel’s POST /upload',
    (bytes, filename, contentType) =>
      app.http().post('/upload').set(coordinator.headers).attach('files', bytes, { filename, contentType }),
  ],
  [
    'the content API’s POST /api/upload',
    (bytes, filename, contentType) =>
      app.http().post('/api/upload').set(bearer(editor)).attach('files', bytes, { filename, contentType }),
  ],
];
const CREATE_TOO: [string, Upload][] = [
  [
    'the admin panel’s POST /upload/files',
    (bytes, filename, contentType) =>
      app
        .http()
        .post('/upload/files')
        .set(coordinator.headers)
        .attach('files', bytes, { filename, contentType }),
  ],
  [
    'the content API’s POST /api/upload attached to an entry (ref, refId, field)',
    (bytes, filename, contentType) =>
      app
        .http()
        .post('/api/upload')
        .set(bearer(editor))
        .field('ref', 'api::project.project')
        .field('refId', String(projectId))
        .field('field', 'cover')
        .attach('files', bytes, { filename, contentType }),
  ],
];
/** The ways a stored file's content is replaced. */
const REPLACE: [string, (id: number) => Upload][] = [
  [
    'the admin panel’s POST /upload?id=',
    (id) => (bytes, filename, contentType) =>
      app
        .http()
        .post('/upload')
        .query({ id })
        .set(communication.headers)
        .attach('files', bytes, { filename, contentType }),
  ],
  [
    'the admin panel’s POST /upload/files/:id/replace',
    (id) => (bytes, filename, contentType) =>
      app
        .http()
        .post(`/upload/files/${id}/replace`)
        .set(communication.headers)
        .attach('files', bytes, { filename, contentType }),
  ],
  [
    'the content API’s POST /api/upload?id=',
    (id) => (bytes, filename, contentType) =>
      app
        .http()
        .post('/api/upload')
        .query({ id })
        .set(bearer(editor))
        .attach('files', bytes, { filename, contentType }),
  ],
];

async function expectRefused(upload: () => Promise<Response>, name: string) {
  const before = await countFiles();
  const response = await upload();
  expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: STRAPI_ERROR });
  expect(response.body.error.message).toContain(name || 'the file');
  expect(await countFiles()).toBe(before);
}

describe.each(CREATE)('%s', (_, upload) => {
  it('refuses a file name holding a NUL character with 400 naming where, storing nothing', async () => {
    const before = await countFiles();
    const response = await upload(PNG, 'photo\u0000.png', 'image/png');
    expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: STRAPI_ERROR });
    expect(response.body.error.message).toContain('NUL character');
    expect(response.body.error.message).toContain('(at files.files.0)');
    expect(await countFiles()).toBe(before);
  });

  it.each(rows(REFUSED))(
    'refuses $name sent as $type with 400, storing nothing',
    async ({ name, bytes, type }) => {
      await expectRefused(() => upload(bytes, name, type), name);
    },
  );

  it.each(rows(ALLOWED))(
    'stores $name as $type, served inline if an image, else as a download',
    async ({ name, bytes, type }) => {
      const before = await countFiles();
      const response = await upload(bytes, name, type);
      expect(response.status).toBe(201);
      expect(response.body[0]).toMatchObject({ mime: type, ext: path.extname(name) });
      expect(await countFiles()).toBe(before + 1);
      const served = await app.http().get(response.body[0].url).buffer(true);
      expect(served.status).toBe(200);
      expect(served.headers).toMatchObject({
        'content-type': type,
        'content-disposition': type.startsWith('image/') ? 'inline' : 'attachment',
        'x-content-type-options': 'nosniff',
      });
      // Strapi may re-encode an image to make it smaller (its size optimisation); a PDF is as sent.
      if (type === 'application/pdf') expect(Buffer.from(served.body)).toEqual(bytes);
    },
  );
});

describe.each(CREATE_TOO)('%s', (_, upload) => {
  it.each(rows(SOME_REFUSED))(
    'refuses $name sent as $type with 400, storing nothing',
    async ({ name, bytes, type }) => {
      await expectRefused(() => upload(bytes, name, type), name);
    },
  );
});

describe.each(REPLACE)('%s', (_, replaceIn) => {
  it('refuses each of the refused files with 400, the stored file as it was; takes an allowed one', async () => {
    const created = await CREATE[0][1](PNG, 'kept.png', 'image/png');
    const { id } = created.body[0];
    const stored = await storedFile(id);
    for (const [name, bytes, type] of SOME_REFUSED) {
      await expectRefused(() => replaceIn(id)(bytes, name, type), name);
      expect(await storedFile(id)).toEqual(stored);
    }
    const response = await replaceIn(id)(JPEG, 'photo.jpg', 'image/jpeg');
    expect(response.status).toBe(200);
    expect(await storedFile(id)).toMatchObject({ mime: 'image/jpeg', hash: stored.hash });
  });
});

describe('one refused file refuses the whole request', () => {
  it.each([
    ['the admin panel’s POST /upload', '/upload', () => coordinator.headers],
    ['the content API’s POST /api/upload', '/api/upload', () => bearer(editor)],
  ])('%s: a PNG and an HTA together store neither', async (_, url, headers) => {
    const before = await countFiles();
    const response = await app
      .http()
      .post(url)
      .set(headers())
      .attach('files', PNG, { filename: 'pixel.png', contentType: 'image/png' })
      .attach('files', PNG, { filename: 'invoice.hta', contentType: 'application/octet-stream' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('invoice.hta');
    expect(await countFiles()).toBe(before);
  });
});

describe('attached to an entry', () => {
  it('an allowed file becomes the entry’s; a refused one leaves the entry as it was', async () => {
    const cover = async () =>
      (
        await app.strapi.db
          .query('api::project.project')
          .findOne({ where: { id: projectId }, populate: ['cover'] })
      ).cover?.id ?? null;
    const attached = await CREATE_TOO[1][1](PNG, 'cover.png', 'image/png');
    expect(attached.status).toBe(201);
    expect(await cover()).toBe(attached.body[0].id);
    const refused = await CREATE_TOO[1][1](PNG, 'cover.png.hta', 'application/octet-stream');
    expect(refused.status).toBe(400);
    expect(await cover()).toBe(attached.body[0].id);
  });
});

/** The panel's upload-from-urls action, as the Project coordinator. */
const uploadFromUrls = (urls: string[]) => uploadFromUrlsAs(app, coordinator, urls);

describe('the media library’s upload from URL', () => {
  it.each([
    ['/invoice.hta', 'invoice.hta'],
    ['/invoice.png.hta', 'invoice_png.hta'],
    ['/pixel', 'pixel'],
  ])('refuses %s (a PNG) and stores nothing', async (urlPath, name) => {
    const before = await countFiles();
    const events = await uploadFromUrls([`${origin}${urlPath}`]);
    const errors = events.filter((event) => event.event === 'file:error');
    expect(errors).toHaveLength(1);
    // The name comes from the URL (dots in the base become `_`); with no extension and no allowed
    // type declared, it has none.
    expect(errors[0].data.message).toContain(`${name}: only images and PDF are accepted`);
    expect(events.some((event) => event.event === 'file:complete')).toBe(false);
    expect(await countFiles()).toBe(before);
  });

  it('stores an image and a PDF; a name without extension takes that of the declared type', async () => {
    const before = await countFiles();
    const events = await uploadFromUrls([`${origin}/photo`, `${origin}/report.pdf`]);
    const complete = events.filter((event) => event.event === 'file:complete');
    expect(complete.map((event) => event.data.file)).toEqual([
      expect.objectContaining({ name: 'photo.png', mime: 'image/png', ext: '.png' }),
      expect.objectContaining({ name: 'report.pdf', mime: 'application/pdf', ext: '.pdf' }),
    ]);
    expect(await countFiles()).toBe(before + 2);
  });
});

describe('how /uploads serves files stored before these rules', () => {
  it.each(['legacy.hta', 'legacy.svg', 'legacy.html'])('as a download: %s', async (name) => {
    const file = path.join(app.strapi.dirs.static.public, 'uploads', `${Date.now()}_${name}`);
    fs.writeFileSync(file, HTML);
    try {
      const response = await app.http().get(`/uploads/${path.basename(file)}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-disposition']).toBe('attachment');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
