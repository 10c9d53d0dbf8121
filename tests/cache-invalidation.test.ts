/**
 * The response cache forgets only when what public answers show has changed (src/cache/writes.ts),
 * generated over the content types: a draft save (create, update, a non-localized field, a
 * relation, a component), through the Content Manager or the content API, leaves every cached URL
 * a HIT with the same bytes, which are also what an uncached reader gets; publishing,
 * unpublishing, deleting, a write to a type without draft & publish, a media file's metadata, a
 * public permission and a locale make it a MISS with the new content. Account writes (logins,
 * password resets) leave it as it was: the cache tells nobody whether an account exists. The
 * workbook download is cached like the CSV. Every app here sends X-Cache
 * (RESPONSE_CACHE_DEBUG_HEADER), which these tests read.
 */
import { PRIVATE_CONTENT, PUBLIC_CONTENT } from '../src/cache/writes';
import { registerFirstAdmin, type AdminSession } from './support/admin';
import { PNG } from './support/images';
import { appModule, startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser, type ApiUser } from './support/users';

let app: TestApp;
let admin: AdminSession;
let editor: ApiUser;
/** An API user of the Authenticated role: reads what the public reads, never from the cache. */
let reader: ApiUser;

beforeAll(async () => {
  app = await startStrapi({ env: { RESPONSE_CACHE_DEBUG_HEADER: 'true' } });
  admin = await registerFirstAdmin(app);
  editor = await createApiUser(app, 'editor');
  reader = await createApiUser(app, 'authenticated');
});

afterAll(async () => {
  await app?.stop();
});

interface Read {
  status: number;
  text: string;
  cache?: string;
}
const read = async (path: string): Promise<Read> => {
  const response = await app.http().get(path).buffer(true);
  return { status: response.status, text: response.text, cache: response.headers['x-cache'] };
};

/** Reads each path until it is cached; returns what the cache holds. */
async function warm(paths: string[]): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  for (const path of paths) {
    await read(path);
    const again = await read(path);
    expect({ path, status: again.status, cache: again.cache }).toEqual({ path, status: 200, cache: 'HIT' });
    held.set(path, again.text);
  }
  return held;
}

/** Every path still answers from the cache, the same bytes, and that is what the public sees. */
async function expectKept(held: Map<string, string>) {
  for (const [path, text] of held) {
    const again = await read(path);
    expect({ path, cache: again.cache, same: again.text === text }).toEqual({
      path,
      cache: 'HIT',
      same: true,
    });
    const uncached = await app.http().get(path).set(bearer(reader)).expect(200);
    expect({ path, data: uncached.body.data }).toEqual({ path, data: JSON.parse(text).data });
  }
}

/** Every path is computed again (MISS), and shows `text` (or no longer does). */
async function expectForgotten(paths: string[], text: string, shown = true) {
  for (const path of paths) {
    const again = await read(path);
    expect({
      path,
      cache: again.cache ?? `none (${again.status})`,
      shown: again.text.includes(text),
    }).toEqual({
      path,
      cache: 'MISS',
      shown,
    });
  }
}

const cm = (uid: string, documentId?: string) =>
  documentId
    ? `/content-manager/collection-types/${uid}/${documentId}`
    : uid === 'api::organisation.organisation'
      ? `/content-manager/single-types/${uid}`
      : `/content-manager/collection-types/${uid}`;

/** A write through the admin panel's API, which must succeed. */
async function cmWrite(method: 'put' | 'post', path: string, body: object, query: object = { locale: 'fr' }) {
  const response = await app.http()[method](path).query(query).set(admin.headers).send(body);
  if (response.status >= 300)
    throw new Error(`${method} ${path} answered ${response.status}: ${response.text}`);
  return response.body;
}

/** The document at `skip` of a public list, in id order. */
async function published(
  plural: string,
  skip: number,
): Promise<Record<string, unknown> & { documentId: string }> {
  const response = await app
    .http()
    .get(`/api/${plural}`)
    .query({ sort: 'id', 'pagination[start]': skip, 'pagination[limit]': 1 })
    .expect(200);
  return response.body.data[0];
}

async function anyDocumentId(plural: string, skip = 0): Promise<string> {
  const found = await published(plural, skip);
  if (!found) throw new Error(`no published ${plural} at ${skip}`);
  return found.documentId;
}

// ---------------------------------------------------------------------------------------------
// Types with draft & publish

interface DraftType {
  uid: string;
  plural: string;
  single?: boolean;
  /** A field whose new value shows in the answers (localized or not). */
  field: string;
  /** A non-localized field (synced to the other locales' drafts by i18n). */
  shared: string;
  relation: () => Promise<Record<string, unknown>>;
  component: Record<string, unknown>;
  /** Data of a new draft, besides `field` (collection types). */
  create?: () => Promise<Record<string, unknown>>;
  /** The editor role writes drafts of it through the content API. */
  editor: boolean;
}

const connect = (plural: string) => async () => ({
  connect: [{ documentId: await anyDocumentId(plural, 1) }],
});
const DRAFT_TYPES: DraftType[] = [
  {
    uid: 'api::project.project',
    plural: 'projects',
    field: 'title',
    shared: 'foundedYear',
    relation: async () => ({ funders: await connect('funders')() }),
    component: { contact: { phone: '+352 00 00 01' } },
    create: async () => ({
      slug: `brouillon-projet-${Date.now()}`,
      kind: 'youth-house',
      foundedYear: 2020,
      site: { connect: [{ documentId: await anyDocumentId('sites') }] },
    }),
    editor: true,
  },
  {
    uid: 'api::service.service',
    plural: 'services',
    field: 'name',
    shared: 'foundedYear',
    relation: async () => ({ funders: await connect('funders')() }),
    component: { contact: { phone: '+352 00 00 02' } },
    create: async () => ({
      slug: `brouillon-service-${Date.now()}`,
      theme: 'job-coaching',
      foundedYear: 2020,
    }),
    editor: true,
  },
  {
    uid: 'api::enterprise.enterprise',
    plural: 'enterprises',
    field: 'summary',
    shared: 'foundedYear',
    relation: async () => ({ services: await connect('services')() }),
    component: { sectors: [{ name: 'Secteur du brouillon' }] },
    create: async () => ({
      name: 'Entreprise',
      slug: `brouillon-entreprise-${Date.now()}`,
      foundedYear: 2020,
    }),
    editor: true,
  },
  {
    uid: 'api::organisation.organisation',
    plural: 'organisation',
    single: true,
    field: 'mission',
    shared: 'foundedYear',
    relation: async () => ({ funders: await connect('funders')() }),
    component: { seo: { metaTitle: 'Titre du brouillon' } },
    editor: false,
  },
];

describe.each(DRAFT_TYPES)('$uid', (type) => {
  let documentId: string | undefined;
  /** The cached URLs: in French (which the writes change) and in German (non-localized fields). */
  let paths: string[];
  let french: string[];
  const base = () => (type.single ? cm(type.uid) : cm(type.uid, documentId));
  const api = () => (type.single ? `/api/${type.plural}` : `/api/${type.plural}/${documentId}`);
  const marker = (what: string) => `${what} ${type.plural} ${Date.now()}`;

  beforeAll(async () => {
    // The last of the first three: the seed has two enterprises.
    if (!type.single)
      documentId = (await published(type.plural, 2))?.documentId ?? (await anyDocumentId(type.plural, 1));
    french = type.single ? [api()] : [`/api/${type.plural}?pagination[pageSize]=100`, api()];
    paths = [...french, `${api()}?locale=de`];
  });

  const drafts: [string, () => Promise<unknown>][] = [
    ['an edit of a field', () => cmWrite('put', base(), { [type.field]: marker('Brouillon') })],
    ['an edit of a non-localized field', () => cmWrite('put', base(), { [type.shared]: 1999 })],
    ['a relation change', async () => cmWrite('put', base(), await type.relation())],
    ['a component change', () => cmWrite('put', base(), type.component)],
    ...(type.create
      ? ([
          [
            'a new document',
            async () =>
              cmWrite('post', cm(type.uid), { [type.field]: marker('Nouveau'), ...(await type.create!()) }),
          ],
        ] as [string, () => Promise<unknown>][])
      : []),
  ];
  it.each(drafts)(
    'a draft save through the Content Manager (%s) leaves every cached URL as it was',
    async (_, save) => {
      const held = await warm(paths);
      await save();
      await expectKept(held);
    },
  );

  if (type.editor) {
    it('a draft save and a new draft through the content API (editor role) leave every cached URL as it was', async () => {
      const held = await warm(paths);
      await app
        .http()
        .put(api())
        .set(bearer(editor))
        .send({ data: { [type.field]: marker('Par API'), ...type.component } })
        .expect(200);
      await app
        .http()
        .post(`/api/${type.plural}`)
        .set(bearer(editor))
        .send({ data: { [type.field]: marker('Nouveau par API'), ...(await type.create!()) } })
        .expect((response) => expect(response.status).toBeLessThan(300));
      await expectKept(held);
    });
  }

  it('a draft save leaves every cached URL as it was; publishing it makes them a MISS, with the new content', async () => {
    const held = await warm(paths);
    const text = marker('Publié');
    await cmWrite('put', base(), { [type.field]: text });
    await expectKept(held);
    await cmWrite('post', `${base()}/actions/publish`, {});
    await expectForgotten(french, text);
  });

  it('unpublishing makes every cached URL a MISS, without the content (a draft save before did not)', async () => {
    const text = marker('Dépublié');
    await cmWrite('put', base(), { [type.field]: text });
    await cmWrite('post', `${base()}/actions/publish`, {});
    const held = await warm(french);
    await cmWrite('put', base(), { [type.shared]: 1998 });
    await expectKept(held);
    await cmWrite('post', `${base()}/actions/unpublish`, {});
    if (!type.single) await expectForgotten(french.slice(0, 1), text, false);
    expect((await read(api())).status).toBe(404);
  });

  if (!type.single) {
    it('a published entry is not deleted (400, the cache kept); unpublished, then deleted, it leaves the cache as unpublishing did', async () => {
      const text = marker('Supprimé');
      await cmWrite('put', base(), { [type.field]: text });
      await cmWrite('post', `${base()}/actions/publish`, {});
      const held = await warm(french);
      await cmWrite('put', base(), type.component);
      await expectKept(held);
      const refused = await app.http().delete(base()).query({ locale: '*' }).set(admin.headers);
      expect({ status: refused.status, error: refused.body?.error?.name }).toEqual({
        status: 400,
        error: 'ValidationError',
      });
      const locales: string[] = refused.body.error.details.published;
      expect(locales).toContain('fr');
      await expectKept(held);
      // Unpublished in every locale (French first), then deleted.
      for (const locale of ['fr', ...locales.filter((other) => other !== 'fr')])
        await cmWrite('post', `${base()}/actions/unpublish`, {}, { locale });
      await expectForgotten(french.slice(0, 1), text, false);
      // A delete of drafts only changes no public answer: what is cached (the lists; the entry's
      // own URL answers 404 since the unpublish) stays cached.
      const after = await warm(french.filter((path) => path !== api()));
      await app.http().delete(base()).query({ locale: '*' }).set(admin.headers).expect(200);
      await expectKept(after);
      expect((await read(api())).status).toBe(404);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Types without draft & publish, and settings

/** A draft save of the first published project: seen by no public answer. */
async function projectDraftSave(data: Record<string, unknown> = { title: `Brouillon ${Date.now()}` }) {
  const project = await published('projects', 0);
  await cmWrite('put', cm('api::project.project', project!.documentId), data);
}

describe.each([
  { uid: 'api::site.site', plural: 'sites', field: 'name' },
  { uid: 'api::funder.funder', plural: 'funders', field: 'name' },
])('$uid (no drafts)', ({ uid, plural, field }) => {
  it('a draft save of a project it shows leaves its URLs as they were; its own write makes them a MISS, with the new content', async () => {
    const project = await app
      .http()
      .get('/api/projects')
      .query({ sort: 'id', 'pagination[limit]': 1, 'populate[site]': true, 'populate[funders]': true })
      .expect(200);
    const { site, funders } = project.body.data[0];
    const documentId = plural === 'sites' ? site.documentId : funders[0].documentId;
    const paths = [
      `/api/${plural}?pagination[pageSize]=100`,
      `/api/${plural}/${documentId}?populate[projects]=true`,
    ];
    const held = await warm(paths);
    await projectDraftSave();
    await expectKept(held);
    const text = `Écrit ${plural} ${Date.now()}`;
    await cmWrite('put', cm(uid, documentId), { [field]: text });
    await expectForgotten(paths, text);
  });
});

describe('settings and media that public answers show', () => {
  it('a draft save changing a project’s kind leaves the listing and the vocabulary as they were; a label saved in the panel makes them a MISS, with the new label', async () => {
    const paths = ['/api/vocabulary', '/api/listings/projects?pageSize=100'];
    const held = await warm(paths);
    await projectDraftSave({ kind: 'street-work' });
    await expectKept(held);
    const term = await app.strapi.db
      .query('api::term.term')
      .findOne({ where: { group: 'project-kind', key: 'community-work', locale: 'fr' } });
    await cmWrite('put', cm('api::term.term', term.documentId), { label: 'Travail communautaire (nouveau)' });
    await expectForgotten(paths, 'Travail communautaire (nouveau)');
  });

  it('a public permission changed in the panel makes the URL a MISS, with the new answer (a draft save before did not)', async () => {
    const held = await warm(['/api/timeline']);
    await projectDraftSave();
    await expectKept(held);
    const roles = await app.http().get('/users-permissions/roles').set(admin.headers).expect(200);
    const id = roles.body.roles.find((role: { type: string }) => role.type === 'public').id;
    const setTimeline = async (enabled: boolean) => {
      const { role } = (await app.http().get(`/users-permissions/roles/${id}`).set(admin.headers).expect(200))
        .body;
      role.permissions['api::timeline'].controllers.timeline.find.enabled = enabled;
      await app
        .http()
        .put(`/users-permissions/roles/${id}`)
        .set(admin.headers)
        .send({ name: role.name, description: role.description, permissions: role.permissions })
        .expect(200);
    };
    await setTimeline(false);
    expect((await read('/api/timeline')).status).toBe(403);
    await setTimeline(true);
    const again = await read('/api/timeline');
    expect([again.status, again.cache]).toEqual([200, 'MISS']);
  });

  it('a locale added in the panel makes the OpenAPI document a MISS, with the new locale (a draft save before did not)', async () => {
    const held = await warm(['/api/openapi.json']);
    expect(held.get('/api/openapi.json')).not.toContain('"it"');
    await projectDraftSave();
    const again = await read('/api/openapi.json');
    expect([again.cache, again.text === held.get('/api/openapi.json')]).toEqual(['HIT', true]);
    await cmWrite('post', '/i18n/locales', { code: 'it', name: 'Italian (it)', isDefault: false }, {});
    await expectForgotten(['/api/openapi.json'], '"it"');
  });

  it('a new file in the media library leaves every cached URL as it was; its metadata edited makes them a MISS', async () => {
    const documentId = await anyDocumentId('projects', 5);
    const path = `/api/projects/${documentId}?populate[cover]=true`;
    const uploaded = await app
      .http()
      .post('/upload')
      .set(admin.headers)
      .attach('files', PNG, { filename: 'couverture.png', contentType: 'image/png' })
      .expect(201);
    const file = uploaded.body[0] as { id: number };
    // An image is published with its alternative text in every locale (src/validation/image-alt.ts).
    await cmWrite('put', cm('api::project.project', documentId), { cover: file.id, coverAlt: 'Couverture' });
    const locales = (await app.strapi.db
      .query('api::project.project')
      .findMany({ select: ['locale'], where: { documentId, publishedAt: null } })) as { locale: string }[];
    for (const { locale } of locales.filter((row) => row.locale !== 'fr'))
      await cmWrite('put', cm('api::project.project', documentId), { coverAlt: 'Cover' }, { locale });
    await cmWrite('post', `${cm('api::project.project', documentId)}/actions/publish`, {});

    const held = await warm([path]);
    await app
      .http()
      .post('/upload')
      .set(admin.headers)
      .attach('files', PNG, { filename: 'autre.png', contentType: 'image/png' })
      .expect(201);
    await expectKept(held);

    await app
      .http()
      .post('/upload')
      .query({ id: file.id })
      .set(admin.headers)
      .field(
        'fileInfo',
        JSON.stringify({ name: 'couverture.png', alternativeText: 'Texte alternatif nouveau' }),
      )
      .expect(200);
    await expectForgotten([path], 'Texte alternatif nouveau');
  });
});

describe('accounts', () => {
  it('a login and a password reset, on the content API and the admin panel, for a known account, leave every cached URL as it was', async () => {
    const held = await warm(['/api/projects', '/api/listings/projects?pageSize=5']);
    await app
      .http()
      .post('/api/auth/local')
      .send({ identifier: editor.email, password: editor.password })
      .expect(200);
    await app.http().post('/api/auth/forgot-password').send({ email: editor.email }).expect(200);
    await app
      .http()
      .post('/admin/login')
      .send({ email: admin.email, password: 'Admin-Passw0rd-for-tests' })
      .expect(200);
    const forgot = await app.http().post('/admin/forgot-password').send({ email: admin.email });
    expect(forgot.status).toBeLessThan(300);
    // The resets are done after their answers (src/security/account-timing.ts): wait for them.
    await appModule<typeof import('../src/security/account-timing')>(
      'src/security/account-timing',
    ).settleAfterAnswers(app.strapi);
    // The reset token was written: these were real account writes.
    const user = await app.strapi.db
      .query('plugin::users-permissions.user')
      .findOne({ where: { email: editor.email } });
    expect(user.resetPasswordToken).toEqual(expect.any(String));
    await expectKept(held);
  });
});

describe('downloads', () => {
  const bytes = (path: string) =>
    app
      .http()
      .get(path)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      }) as unknown as Promise<{ status: number; body: Buffer; headers: Record<string, string> }>;

  it.each(['/api/listings/projects.xlsx', '/api/listings/projects.xlsx?locale=de&type=service'])(
    'a second download of the workbook %s is a cache hit, the same bytes and headers',
    async (path) => {
      const first = await bytes(path);
      const second = await bytes(path);
      expect([first.status, first.headers['x-cache'], second.status, second.headers['x-cache']]).toEqual([
        200,
        'MISS',
        200,
        'HIT',
      ]);
      expect(second.body.equals(first.body)).toBe(true);
      for (const header of ['content-type', 'content-disposition', 'last-modified'])
        expect({ header, value: second.headers[header] }).toEqual({ header, value: first.headers[header] });
    },
  );
});

describe('the lists of src/cache/writes.ts', () => {
  it('name every api:: content type of the app, each in one list', () => {
    const types = Object.keys(app.strapi.contentTypes).filter((uid) => uid.startsWith('api::'));
    expect([...PUBLIC_CONTENT, ...PRIVATE_CONTENT].sort()).toEqual(types.sort());
  });
});
