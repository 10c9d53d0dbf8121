/**
 * Issue 15, preview: the admin panel's preview URL (Strapi 5's preview, config/admin.ts and
 * src/preview) carries a short-lived signed token; with it GET /api/preview returns the draft while
 * the public API still returns the published version; without it, or with an expired, tampered or
 * mismatched token, a 401/403 in Strapi's error shape with no draft text. The entry page
 * (public/entry.html) is served for published entries too.
 *
 * The types are generated from the schemas: every type with draft & publish and every single type
 * gets a preview; the others get none.
 */
import { randomBytes } from 'node:crypto';
import { previewKeyOf } from '../src/preview';
import { mintPreviewToken, PREVIEW_TOKEN_SECONDS } from '../src/preview/token';
import { createAdminUser, loginAdmin, registerFirstAdmin, type AdminSession } from './support/admin';
import { documents, seededDocumentIds } from './support/fixtures';
import { walkSchemas, type ContentTypeInfo, type Schema } from './support/schema-walk';
import { startStrapi, type TestApp } from './support/strapi';

const MARK = `draft${randomBytes(5).toString('hex')}`;

let app: TestApp;
let schema: Schema;
let superAdmin: AdminSession;
let communication: AdminSession;
let seeded = new Map<string, string[]>();
let defaultLocale: string;
let otherLocale: string;

/** Types that have a preview: draft & publish, or single types. */
const previewed = () => schema.types.filter((type) => type.draftAndPublish || type.kind === 'singleType');
const notPreviewed = () => schema.types.filter((type) => !type.draftAndPublish && type.kind !== 'singleType');

/** The field a type's draft edit goes into: its first localized plain text field. */
function markedField(type: ContentTypeInfo): string {
  const field = type.textFields.find(
    (candidate) =>
      candidate.path.length === 1 &&
      ['string', 'text', 'richtext'].includes(candidate.attribute.type) &&
      candidate.attribute.pluginOptions?.i18n?.localized === true &&
      !candidate.attribute.regex,
  );
  if (!field) throw new Error(`${type.uid} has no localized text field to edit`);
  return field.path[0];
}

interface Edited {
  type: ContentTypeInfo;
  documentId: string;
  field: string;
  /** Text of the unpublished edit. */
  draft: string;
  /** Text of the published version in the default locale. */
  published: string;
}
const edited = new Map<string, Edited>();

interface PreviewLink {
  url: URL;
  token: string;
}

/** GET /content-manager/preview/url/:uid as the panel asks it. */
async function previewUrl(
  admin: AdminSession,
  uid: string,
  query: { documentId?: string; locale?: string; status?: string },
) {
  return app.http().get(`/content-manager/preview/url/${uid}`).query(query).set(admin.headers);
}

async function draftLink(admin: AdminSession, edit: Edited, locale = defaultLocale): Promise<PreviewLink> {
  const response = await previewUrl(admin, edit.type.uid, {
    documentId: edit.documentId,
    locale,
    status: 'draft',
  });
  expect(response.status).toBe(200);
  const url = new URL(response.body.data.url, 'http://localhost');
  const token = new URLSearchParams(url.hash.slice(1)).get('preview') ?? '';
  return { url, token };
}

/** GET /api/preview for the link's document (or other query), with `token` in the header. */
function readPreview(query: Record<string, string>, token?: string) {
  const request = app.http().get('/api/preview').query(query);
  return token === undefined ? request : request.set('X-Preview-Token', token);
}

const queryOf = (link: PreviewLink) => Object.fromEntries(link.url.searchParams.entries());

/** The public REST read of a document (the published version). */
function readPublic(edit: Edited, locale = defaultLocale) {
  const path =
    edit.type.kind === 'singleType' ? edit.type.restBase : `${edit.type.restBase}/${edit.documentId}`;
  return app.http().get(path).query({ locale });
}

/** A refusal: 401 or 403 (as said), Strapi's error shape, and no draft text. */
function expectRefused(response: { status: number; text: string; body: unknown }, status: 401 | 403) {
  expect({ status: response.status, draftText: response.text.includes(MARK) }).toEqual({
    status,
    draftText: false,
  });
  expect(response.body).toMatchObject({
    data: null,
    error: {
      status,
      name: status === 401 ? 'UnauthorizedError' : 'ForbiddenError',
      message: expect.any(String),
    },
  });
}

beforeAll(async () => {
  app = await startStrapi();
  schema = await walkSchemas(app.strapi);
  defaultLocale = schema.defaultLocale;
  otherLocale = schema.locales.find((code) => code !== defaultLocale) as string;
  seeded = await seededDocumentIds(app, schema);
  superAdmin = await registerFirstAdmin(app);
  communication = await createAdminUser(app, superAdmin, 'communication', 'preview-communication');

  // An unpublished edit of a published document of every previewed type, in the default locale.
  for (const type of previewed()) {
    const documentId = seeded.get(type.uid)?.[0];
    if (!documentId) throw new Error(`no seeded ${type.uid}`);
    const field = markedField(type);
    const published = await documents(app, type.uid).findOne({
      documentId,
      locale: defaultLocale,
      status: 'published',
    });
    const draft = `${MARK} ${type.singularName}`;
    await documents(app, type.uid).update({ documentId, locale: defaultLocale, data: { [field]: draft } });
    edited.set(type.singularName, { type, documentId, field, draft, published: String(published?.[field]) });
  }
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

it('every draft & publish type and every single type has a preview; the schemas have some of each', () => {
  expect(previewed().map((type) => type.singularName)).toEqual(
    expect.arrayContaining(['project', 'service', 'enterprise', 'organisation']),
  );
  expect(notPreviewed().length).toBeGreaterThan(0);
});

describe('the preview URL the admin panel gets', () => {
  it('for a draft: the entry page with the type, document and locale, and a token in the fragment', async () => {
    for (const edit of edited.values()) {
      for (const admin of [superAdmin, communication]) {
        const link = await draftLink(admin, edit);
        expect({
          type: edit.type.singularName,
          path: link.url.pathname,
          query: queryOf(link),
          token: /^[\w-]+\.[\w-]{43}$/.test(link.token),
        }).toEqual({
          type: edit.type.singularName,
          path: '/entry.html',
          query: { type: edit.type.singularName, documentId: edit.documentId, locale: defaultLocale },
          token: true,
        });
      }
    }
  });

  it('for the published version: the public page of the entry, without a token', async () => {
    for (const edit of edited.values()) {
      const response = await previewUrl(communication, edit.type.uid, {
        documentId: edit.documentId,
        locale: otherLocale,
        status: 'published',
      });
      expect(response.status).toBe(200);
      const url = new URL(response.body.data.url, 'http://localhost');
      expect(url.hash).toBe('');
      expect(url.pathname).toBe('/entry.html');
      expect(url.searchParams.get('type')).toBe(edit.type.singularName);
      expect(url.searchParams.get('locale')).toBe(otherLocale);
      if (edit.type.kind === 'collectionType') {
        const published = await documents(app, edit.type.uid).findOne({
          documentId: edit.documentId,
          locale: otherLocale,
          status: 'published',
        });
        expect(url.searchParams.get('slug')).toBe(published?.slug);
      }
    }
  });

  it('none for the types without drafts', async () => {
    for (const type of notPreviewed()) {
      const documentId = seeded.get(type.uid)?.[0] as string;
      const response = await previewUrl(superAdmin, type.uid, { documentId, locale: defaultLocale });
      expect({ type: type.uid, status: response.status, url: response.body?.data?.url }).toEqual({
        type: type.uid,
        status: 204,
        url: undefined,
      });
    }
  });

  it('none for an admin who may not read the type, and none without an admin session', async () => {
    const role = await app
      .http()
      .post('/admin/roles')
      .set(superAdmin.headers)
      .send({ name: 'Preview nobody', description: 'No permission at all' });
    expect(role.status).toBe(201);
    const email = 'preview-nobody@example.test';
    const invited = await app
      .http()
      .post('/admin/users')
      .set(superAdmin.headers)
      .send({ email, firstname: 'Nobody', lastname: 'Staff', roles: [role.body.data.id] });
    expect(invited.status).toBe(201);
    await app
      .http()
      .post('/admin/register')
      .send({
        registrationToken: invited.body.data.registrationToken,
        userInfo: { firstname: 'Nobody', lastname: 'Staff', password: 'Admin-Passw0rd-for-tests' },
      })
      .expect(200);
    const nobody = await loginAdmin(app, email);

    for (const edit of edited.values()) {
      const response = await previewUrl(nobody, edit.type.uid, {
        documentId: edit.documentId,
        locale: defaultLocale,
        status: 'draft',
      });
      expect({
        type: edit.type.uid,
        status: response.status,
        token: response.text.includes('#preview='),
      }).toEqual({ type: edit.type.uid, status: 204, token: false });
      const anonymous = await app
        .http()
        .get(`/content-manager/preview/url/${edit.type.uid}`)
        .query({ documentId: edit.documentId, locale: defaultLocale, status: 'draft' });
      expect({ status: anonymous.status, token: anonymous.text.includes('#preview=') }).toEqual({
        status: 401,
        token: false,
      });
    }
  });
});

describe('GET /api/preview', () => {
  it('with the token: the draft, not cached; the public API still answers the published text', async () => {
    for (const edit of edited.values()) {
      const link = await draftLink(communication, edit);
      const response = await readPreview(queryOf(link), link.token);
      expect({ type: edit.type.singularName, status: response.status }).toEqual({
        type: edit.type.singularName,
        status: 200,
      });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.etag).toBeUndefined();
      expect(response.body.data).toMatchObject({ documentId: edit.documentId, [edit.field]: edit.draft });
      expect(response.body.meta.preview).toMatchObject({
        type: edit.type.singularName,
        documentId: edit.documentId,
        locale: defaultLocale,
        status: 'draft',
      });
      // No private fields in the answer.
      expect(response.text).not.toMatch(/"(createdBy|updatedBy|password)"/);

      const published = await readPublic(edit);
      expect(published.status).toBe(200);
      expect(published.text).not.toContain(MARK);
      expect(published.body.data[edit.field]).toBe(edit.published);

      // The same URL without the token is not answered from any cache.
      expectRefused(await readPreview(queryOf(link)), 401);
    }
  });

  it('reads the draft afresh: a second edit shows on the next read with the same token', async () => {
    const edit = edited.get('project') ?? [...edited.values()][0];
    const link = await draftLink(communication, edit);
    expect((await readPreview(queryOf(link), link.token)).body.data[edit.field]).toBe(edit.draft);
    const again = `${edit.draft} again`;
    await documents(app, edit.type.uid).update({
      documentId: edit.documentId,
      locale: defaultLocale,
      data: { [edit.field]: again },
    });
    expect((await readPreview(queryOf(link), link.token)).body.data[edit.field]).toBe(again);
    await documents(app, edit.type.uid).update({
      documentId: edit.documentId,
      locale: defaultLocale,
      data: { [edit.field]: edit.draft },
    });
  });

  it('without a token, or with a tampered or expired one: 401 and no draft text', async () => {
    const key = previewKeyOf(app.strapi);
    for (const edit of edited.values()) {
      const link = await draftLink(communication, edit);
      const query = queryOf(link);
      const [payload, signature] = link.token.split('.');
      const claims = { type: edit.type.singularName, documentId: edit.documentId, locale: defaultLocale };

      expectRefused(await readPreview(query), 401);
      expectRefused(await readPreview(query, ''), 401);
      expectRefused(await readPreview(query, 'not-a-token'), 401);
      // Another payload under the original signature (a later expiry).
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...body, e: body.e + 3600 })).toString('base64url');
      expectRefused(await readPreview(query, `${forged}.${signature}`), 401);
      // One character of the signature changed.
      const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
      expectRefused(await readPreview(query, `${payload}.${flipped}`), 401);
      // Signed with another key.
      const otherKey = randomBytes(32);
      expectRefused(await readPreview(query, mintPreviewToken(otherKey, claims)), 401);
      // Expired: a second ago, and just past its lifetime.
      const now = Math.floor(Date.now() / 1000);
      expectRefused(await readPreview(query, mintPreviewToken(key, claims, now - 1)), 401);
      expectRefused(
        await readPreview(query, mintPreviewToken(key, claims, now - PREVIEW_TOKEN_SECONDS)),
        401,
      );
      // A valid token of the same claims still works (the refusals above were about the token).
      expect((await readPreview(query, mintPreviewToken(key, claims))).status).toBe(200);
    }
  });

  it('a token for another document, locale or type: 403 and no draft text', async () => {
    const key = previewKeyOf(app.strapi);
    for (const edit of edited.values()) {
      const query = { type: edit.type.singularName, documentId: edit.documentId, locale: defaultLocale };
      // Tokens the panel gave for other things.
      const otherLocaleLink = await draftLink(communication, edit, otherLocale);
      expectRefused(await readPreview(query, otherLocaleLink.token), 403);
      for (const other of edited.values()) {
        if (other === edit) continue;
        const otherLink = await draftLink(communication, other);
        expectRefused(await readPreview(query, otherLink.token), 403);
      }
      const otherDocument = seeded.get(edit.type.uid)?.find((id) => id !== edit.documentId);
      if (otherDocument) {
        const token = mintPreviewToken(key, { ...query, documentId: otherDocument });
        expectRefused(await readPreview(query, token), 403);
        // And this document's token does not open the other one.
        const own = (await draftLink(communication, edit)).token;
        expectRefused(await readPreview({ ...query, documentId: otherDocument }, own), 403);
      }
    }
  });

  it('bad parameters: 400 naming them, before any token is looked at', async () => {
    const edit = [...edited.values()][0];
    const link = await draftLink(communication, edit);
    const query = queryOf(link);
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...query, token: link.token }, /"token"/],
      [{ ...query, status: 'draft' }, /"status"/],
      [{ ...query, 'populate[site][populate][projects]': '*' }, /populate/],
      [{ ...query, type: 'site' }, /Invalid type "site"/],
      [{ ...query, type: '__proto__' }, /Invalid type/],
      [{ ...query, locale: 'xx' }, /Invalid locale "xx"/],
      [{ type: query.type, locale: query.locale }, /documentId/],
    ];
    for (const [params, message] of cases) {
      for (const token of [undefined, link.token]) {
        const response = await readPreview(params, token);
        expect({ params, status: response.status, draftText: response.text.includes(MARK) }).toEqual({
          params,
          status: 400,
          draftText: false,
        });
        expect(response.body.error.message).toMatch(message);
      }
    }
  });

  it('a document that was never published: its draft in the preview, 404 to the public', async () => {
    const type = previewed().find((candidate) => candidate.singularName === 'project');
    if (!type) return;
    const template = await documents(app, type.uid).findOne({
      documentId: seeded.get(type.uid)?.[0] as string,
      locale: defaultLocale,
      status: 'published',
      populate: ['site'],
    });
    const created = await documents(app, type.uid).create({
      locale: defaultLocale,
      data: {
        title: `${MARK} new project`,
        slug: `${MARK}-new-project`,
        kind: template?.kind,
        foundedYear: 2024,
        site: (template?.site as { documentId: string }).documentId,
      },
    });
    const edit: Edited = {
      type,
      documentId: created.documentId,
      field: 'title',
      draft: `${MARK} new project`,
      published: '',
    };
    const link = await draftLink(communication, edit);
    const response = await readPreview(queryOf(link), link.token);
    expect(response.status).toBe(200);
    expect(response.body.data.title).toBe(edit.draft);
    const published = await readPublic(edit);
    expect({ status: published.status, draftText: published.text.includes(MARK) }).toEqual({
      status: 404,
      draftText: false,
    });
    // A locale the document does not have: no URL, and a token for it finds nothing.
    const missing = await previewUrl(communication, type.uid, {
      documentId: created.documentId,
      locale: otherLocale,
      status: 'draft',
    });
    expect(missing.status).toBe(204);
    const token = mintPreviewToken(previewKeyOf(app.strapi), {
      type: type.singularName,
      documentId: created.documentId,
      locale: otherLocale,
    });
    const notFound = await readPreview(
      { type: type.singularName, documentId: created.documentId, locale: otherLocale },
      token,
    );
    expect({ status: notFound.status, draftText: notFound.text.includes(MARK) }).toEqual({
      status: 404,
      draftText: false,
    });
  });

  it("shows related documents' published versions, never their drafts", async () => {
    let checked = 0;
    for (const edit of edited.values()) {
      const targets = edit.type.relations.filter(
        (relation) => relation.side !== 'system' && schema.byUid.get(relation.target)?.draftAndPublish,
      );
      for (const relation of targets) {
        const parent = await documents(app, edit.type.uid).findOne({
          documentId: edit.documentId,
          locale: defaultLocale,
          status: 'draft',
          populate: [relation.name],
        });
        const value = parent?.[relation.name];
        const related = (Array.isArray(value) ? value : value ? [value] : []) as { documentId: string }[];
        if (related.length === 0) continue;
        const target = schema.byUid.get(relation.target) as ContentTypeInfo;
        const field = markedField(target);
        const relatedDraft = `${MARK} related ${relation.name}`;
        const before = await documents(app, target.uid).findOne({
          documentId: related[0].documentId,
          locale: defaultLocale,
          status: 'published',
        });
        await documents(app, target.uid).update({
          documentId: related[0].documentId,
          locale: defaultLocale,
          data: { [field]: relatedDraft },
        });
        const link = await draftLink(communication, edit);
        const response = await readPreview(queryOf(link), link.token);
        expect(response.status).toBe(200);
        expect(response.text).not.toContain(relatedDraft);
        const shown = ([] as { documentId: string }[])
          .concat(response.body.data[relation.name] ?? [])
          .find((entry) => entry.documentId === related[0].documentId) as Record<string, unknown> | undefined;
        expect(shown?.[field]).toBe(before?.[field]);
        checked += 1;
      }
    }
    // Without any such relation in the seed, this test would prove nothing.
    if (schema.types.some((type) => type.relations.some((r) => schema.byUid.get(r.target)?.draftAndPublish)))
      expect(checked).toBeGreaterThan(0);
  });
});

describe('the entry page', () => {
  it('is served from public/, scripts and styles from files only (the CSP allows no inline script)', async () => {
    const page = await app.http().get('/entry.html').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<script src="/entry.js" defer></script>');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/\son[a-z]+=/i);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const script = await app.http().get('/entry.js').expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    const style = await app.http().get('/entry.css').expect(200);
    expect(style.headers['content-type']).toMatch(/css/);
  });

  it('for a published entry of each type: the page, and the public API read it makes', async () => {
    for (const type of previewed()) {
      const documentId = seeded.get(type.uid)?.[0] as string;
      const entry = await documents(app, type.uid).findOne({
        documentId,
        locale: otherLocale,
        status: 'published',
      });
      const slug = typeof entry?.slug === 'string' ? entry.slug : undefined;
      const pageQuery = { type: type.singularName, locale: otherLocale, ...(slug ? { slug } : {}) };
      const page = await app.http().get('/entry.html').query(pageQuery);
      expect({
        type: type.uid,
        status: page.status,
        html: /^text\/html/.test(page.headers['content-type']),
      }).toEqual({
        type: type.uid,
        status: 200,
        html: true,
      });
      // What public/entry.js asks the API for this page.
      const read = slug
        ? await app.http().get(type.restBase).query({ 'filters[slug][$eq]': slug, locale: otherLocale })
        : await app.http().get(type.restBase).query({ locale: otherLocale });
      expect(read.status).toBe(200);
      const shown = Array.isArray(read.body.data) ? read.body.data[0] : read.body.data;
      expect(shown).toMatchObject({ documentId, locale: otherLocale });
      expect(read.text).not.toContain(MARK);
    }
  });

  it('the history page links its entries to their pages: the timeline gives each a type and a slug', async () => {
    // history.js links with entryHref, which public/page.js (loaded first) shares with entry.js.
    const history = await app.http().get('/history.js').expect(200);
    expect(history.text).toContain('entryHref(');
    const shared = await app.http().get('/page.js').expect(200);
    expect(shared.text).toContain('/entry.html?');
    const timeline = await app.http().get('/api/timeline').query({ locale: defaultLocale }).expect(200);
    const entries = (timeline.body.data as { type: string; slug: string | null }[]).filter(
      (entry) => entry.type !== 'organisation',
    );
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(previewed().map((type) => type.singularName)).toContain(entry.type);
      expect(typeof entry.slug).toBe('string');
    }
  });
});
