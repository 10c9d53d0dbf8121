/**
 * The media library's "upload from URL" fetches under the partner webhooks' SSRF rules
 * (src/extensions/upload/fetch-url.ts): as a Project coordinator (who may upload), through the
 * panel's own route, against a real HTTP server on 127.0.0.1 that counts what reaches it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileNameOf } from '../src/extensions/upload/fetch-url';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { startStrapi, type TestApp } from './support/strapi';
import { PNG } from './support/images';
import { uploadFromUrls as uploadFromUrlsAs } from './support/upload-from-urls';

let app: TestApp;
let coordinator: AdminSession;
let internal: http.Server;
let internalPort: number;
const reached: string[] = [];

beforeAll(async () => {
  internal = http.createServer((request, response) => {
    reached.push(request.url ?? '');
    if (request.url === '/redirect') {
      response.writeHead(302, { Location: `http://127.0.0.1:${internalPort}/pixel.png` }).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': PNG.length }).end(PNG);
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  internalPort = (internal.address() as AddressInfo).port;
  app = await startStrapi();
  coordinator = await createAdminUser(app, await registerFirstAdmin(app), 'project-coordinator', 'urls');
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => internal?.close(resolve));
  delete process.env.WEBHOOK_ALLOW_PRIVATE_URLS;
});

/** The panel's upload-from-urls action, as the Project coordinator. */
const uploadFromUrls = (urls: string[]) => uploadFromUrlsAs(app, coordinator, urls);

const countFiles = () => app.strapi.db.query('plugin::upload.file').count();

describe('upload from URL (media library)', () => {
  it('refuses loopback, private, unspecified, metadata and NAT64 addresses, and reaches none', async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'false';
    const files = await countFiles();
    const urls = [
      `http://127.0.0.1:${internalPort}/pixel.png`,
      `http://0.0.0.0:${internalPort}/pixel.png`,
      `http://localhost:${internalPort}/pixel.png`,
      `http://[::ffff:127.0.0.1]:${internalPort}/pixel.png`,
      `http://[64:ff9b::7f00:1]:${internalPort}/pixel.png`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/x.png',
      'http://100.64.0.1/x.png',
      `http://user:secret@127.0.0.1:${internalPort}/pixel.png`,
      'file:///etc/passwd',
    ];
    const events = await uploadFromUrls(urls);
    const failed = events.filter((event) => event.event === 'file:error');
    expect(failed).toHaveLength(urls.length);
    for (const event of failed)
      expect(event.data.message).toMatch(/is not a public address|Only http|user name/);
    // A name is refused without telling where it resolves (here 127.0.0.1 or ::1).
    const byName = failed.find((event) => event.data.url === urls[2])?.data.message;
    expect(byName).toBe(`Could not fetch localhost:${internalPort}: localhost is not a public address`);
    expect(byName).not.toMatch(/127\.0\.0\.1|::1|loopback/);
    expect(events.some((event) => event.event === 'file:complete')).toBe(false);
    expect(reached).toEqual([]);
    expect(await countFiles()).toBe(files);
  });

  it('with loopback allowed (tests only): the file is stored; a redirect is not followed', async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true';
    const files = await countFiles();
    const events = await uploadFromUrls([
      `http://127.0.0.1:${internalPort}/pixel.png`,
      `http://127.0.0.1:${internalPort}/redirect`,
      `http://0.0.0.0:${internalPort}/pixel.png`,
    ]);
    const complete = events.filter((event) => event.event === 'file:complete');
    expect(complete).toHaveLength(1);
    expect(complete[0].data.file?.mime).toBe('image/png');
    const errors = events.filter((event) => event.event === 'file:error');
    expect(errors.map((event) => event.data.message)).toEqual([
      expect.stringMatching(/redirects are not followed/),
      expect.stringMatching(/refused/),
    ]);
    // The redirect's target was never fetched: one request for the file, one for the redirect.
    expect(reached).toEqual(['/pixel.png', '/redirect']);
    expect(await countFiles()).toBe(files + 1);
  });
});

describe('the stored file name', () => {
  it.each([
    ['a plain name', 'https://example.org/images/logo.png', 'logo.png'],
    ['accents and spaces', 'https://example.org/Caf%C3%A9%20du%20coin.JPG', 'Cafe_du_coin.JPG'],
    ['another script keeps its extension', 'https://example.org/%E5%9B%BE%E7%89%87.jpg', 'file.jpg'],
    ['encoded slashes stay in the name', 'https://example.org/..%2f..%2fetc%2fpasswd', 'file.etc_passwd'],
    ['no name at all', 'https://example.org/', 'file'],
    ['100,000 underscores (linear time)', `https://example.org/${'_'.repeat(100_000)}a.png`, 'file.png'],
  ])('%s', (_label, url, name) => {
    expect(fileNameOf(new URL(url))).toBe(name);
  });
});
