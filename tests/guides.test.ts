/**
 * The partners' guides show code that partners copy: it is read from the guides (not copied into
 * the test) and run (issue 24). The webhook signature check verifies what the server signs; the
 * change-feed loop keeps a copy in step with a real server through a publish and an unpublish.
 * The typed client of the front-end guide is compiled by tests/typed-client.test.ts.
 */
import { signatureHeader } from '../src/webhooks/signature';
import { registerFirstAdmin, type AdminSession } from './support/admin';
import { docSnippet, snippetFunction } from './support/doc-snippets';
import { listen, startStrapi, type TestApp } from './support/strapi';
import { tokenFromCli } from './support/tokens';

const GUIDES = ['docs/partners.en.md', 'docs/partners.fr.md'];

/** Each guide shows the same code (the comments are in the guide's language or not, the code is). */
const withoutComments = (code: string) =>
  code
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s*\/\/.*$/gm, '')
    .replace(/\n\s*\n/g, '\n');

it.each(['webhook-signature', 'change-feed-sync'])(
  'the partner guides in French and English show the same %s code',
  (name) => {
    const [english, french] = GUIDES.map((guide) => withoutComments(docSnippet(guide, name).code));
    expect(french).toEqual(english);
  },
);

describe('the webhook signature check of the partner guide', () => {
  type Verify = (
    rawBody: string | Buffer,
    header: string | undefined,
    secret: string,
    toleranceSeconds?: number,
  ) => boolean;
  const verify = snippetFunction<Verify>(GUIDES[0], 'webhook-signature', 'verifyInterActionsSignature');
  const body = JSON.stringify({
    id: 'AAAA',
    type: 'project',
    action: 'published',
    entry: { title: 'Maison des jeunes' },
  });

  it('accepts what the server signs, with the secret or either secret during a rotation', () => {
    expect(verify(body, signatureHeader(['whsec_one'], body), 'whsec_one')).toBe(true);
    expect(verify(Buffer.from(body), signatureHeader(['whsec_one'], body), 'whsec_one')).toBe(true);
    const rotating = signatureHeader(['whsec_two', 'whsec_one'], body);
    expect([verify(body, rotating, 'whsec_two'), verify(body, rotating, 'whsec_one')]).toEqual([true, true]);
  });

  it('refuses another secret, a changed body, an old timestamp and a missing header', () => {
    const header = signatureHeader(['whsec_one'], body);
    expect(verify(body, header, 'whsec_other')).toBe(false);
    expect(verify(body.replace('jeunes', 'Jeunes'), header, 'whsec_one')).toBe(false);
    const old = signatureHeader(['whsec_one'], body, new Date(Date.now() - 6 * 60 * 1000));
    expect(verify(body, old, 'whsec_one')).toBe(false);
    expect(verify(body, undefined, 'whsec_one')).toBe(false);
  });
});

describe('the change-feed loop of the partner guide', () => {
  type Entry = { documentId: string; locale: string } & Record<string, unknown>;
  type Sync = (options: {
    baseUrl: string;
    token: string;
    types: string[];
    locale: string;
    store: Map<string, Entry>;
    state: { cursor?: string };
  }) => Promise<void>;
  const sync = snippetFunction<Sync>(GUIDES[0], 'change-feed-sync', 'syncInterActions');
  const TYPES = ['project', 'service', 'organisation'];

  let app: TestApp;
  let admin: AdminSession;
  let baseUrl: string;
  let token: string;

  beforeAll(async () => {
    app = await startStrapi();
    baseUrl = await listen(app);
    admin = await registerFirstAdmin(app);
    token = (await tokenFromCli(app, 'guide sync')).Authorization.replace('Bearer ', '');
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** What the API publishes in German now, read directly: the copy the loop must hold. */
  async function publishedInGerman(): Promise<Map<string, Entry>> {
    const expected = new Map<string, Entry>();
    const keep = (type: string, entry: Entry | null) => {
      if (entry?.locale === 'de') expected.set(`${type}:${entry.documentId}`, entry);
    };
    const organisation = await app.http().get('/api/organisation').query({ locale: 'de' });
    keep('organisation', organisation.status === 200 ? organisation.body.data : null);
    for (const type of ['project', 'service']) {
      const list = await app
        .http()
        .get(`/api/${type}s`)
        .query({ locale: 'de', 'pagination[pageSize]': 100 })
        .expect(200);
      expect(list.body.meta.pagination.pageCount).toBe(1);
      for (const entry of list.body.data) keep(type, entry);
    }
    return expected;
  }

  const cm = (documentId: string, action = '') =>
    `/content-manager/collection-types/api::project.project/${documentId}${action}`;

  it('makes a copy of what is published in German, then follows an edit, a publish and an unpublish', async () => {
    const store = new Map<string, Entry>();
    const state: { cursor?: string } = {};
    await sync({ baseUrl, token, types: TYPES, locale: 'de', store, state });
    const before = await publishedInGerman();
    expect(before.size).toBeGreaterThan(5);
    expect([...store.keys()].sort()).toEqual([...before.keys()].sort());
    expect(Object.fromEntries(store)).toEqual(Object.fromEntries(before));
    expect(state.cursor).toEqual(expect.any(String));

    // Communication renames one German project and publishes it, and withdraws another.
    const [renamed, withdrawn] = [...before.keys()]
      .filter((key) => key.startsWith('project:'))
      .map((key) => key.slice(8));
    const title = `Neuer Titel ${Date.now()}`;
    await app.http().put(cm(renamed)).query({ locale: 'de' }).set(admin.headers).send({ title }).expect(200);
    await app
      .http()
      .post(cm(renamed, '/actions/publish'))
      .query({ locale: 'de' })
      .set(admin.headers)
      .send({})
      .expect(200);
    await app
      .http()
      .post(cm(withdrawn, '/actions/unpublish'))
      .query({ locale: 'de' })
      .set(admin.headers)
      .send({})
      .expect(200);

    const cursor = state.cursor;
    await sync({ baseUrl, token, types: TYPES, locale: 'de', store, state });
    expect(state.cursor).not.toEqual(cursor);
    const after = await publishedInGerman();
    expect(store.get(`project:${renamed}`)).toMatchObject({ title, locale: 'de' });
    expect(store.has(`project:${withdrawn}`)).toBe(false);
    expect(Object.fromEntries(store)).toEqual(Object.fromEntries(after));
  });
});
