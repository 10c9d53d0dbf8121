/**
 * Translation status (issue 26, section 1; src/translations): generated over every localized text
 * field of every type staff translate. A French change makes exactly that field outdated in each
 * other locale; « checked » clears it for one locale without changing its text; a save of that
 * locale's version (the panel, or a restore from the history) clears it too; restoring the French
 * text brings the status back in step with it. Rights: who may update the locale marks it checked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { startStrapi, type TestApp } from './support/strapi';

jest.setTimeout(300_000);

type Data = Record<string, unknown>;
type Attribute = {
  type: string;
  component?: string;
  repeatable?: boolean;
  pluginOptions?: { i18n?: { localized?: boolean } };
};
const TYPES = [
  'api::project.project',
  'api::service.service',
  'api::enterprise.enterprise',
  'api::site.site',
  'api::funder.funder',
  'api::organisation.organisation',
];
const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'blocks', 'component']);
const OTHERS = ['de', 'lb', 'en'];

let app: TestApp;
let superAdmin: AdminSession;
let communication: AdminSession;
let translator: AdminSession;
let coordinator: AdminSession;

beforeAll(async () => {
  app = await startStrapi();
  superAdmin = await registerFirstAdmin(app);
  communication = await createAdminUser(app, superAdmin, 'communication', 'tr-communication');
  translator = await createAdminUser(app, superAdmin, 'translator', 'tr-translator');
  coordinator = await createAdminUser(app, superAdmin, 'project-coordinator', 'tr-coordinator');
});

afterAll(async () => {
  await app?.stop();
});

const modelOf = (uid: string) =>
  app.strapi.getModel(uid as never) as unknown as { kind: string; attributes: Record<string, Attribute> };
/** The schema as the repository holds it (read when the tests are collected, before any boot). */
const schemaFile = (uid: string) => {
  const name = uid.split('.').pop()!;
  return JSON.parse(
    readFileSync(
      path.join(__dirname, '..', 'src', 'api', name, 'content-types', name, 'schema.json'),
      'utf8',
    ),
  ) as { attributes: Record<string, Attribute> };
};
const fieldsOf = (uid: string) =>
  Object.entries(schemaFile(uid).attributes)
    .filter(([, attribute]) => attribute.pluginOptions?.i18n?.localized && TEXT_TYPES.has(attribute.type))
    .map(([name, attribute]) => ({ name, attribute }));
const cmPath = (uid: string, documentId: string) =>
  modelOf(uid).kind === 'singleType'
    ? `/content-manager/single-types/${uid}`
    : `/content-manager/collection-types/${uid}/${documentId}`;

/** A document of `uid` with a version in every locale. */
async function translatedDocument(uid: string): Promise<Data> {
  const rows = (await app.strapi
    .documents(uid as never)
    .findMany({ locale: 'fr' } as never)) as unknown as Data[];
  for (const row of rows) {
    const locales = (await app.strapi.db.query(uid as never).findMany({
      select: ['locale'],
      where: { documentId: row.documentId },
    } as never)) as Data[];
    if (OTHERS.every((locale) => locales.some((candidate) => candidate.locale === locale))) return row;
  }
  throw new Error(`no ${uid} in every locale`);
}

/** A new value of `field` differing from `current` (texts get a suffix; components a text field). */
function changed(uid: string, field: string, attribute: Attribute, current: unknown, mark: string): unknown {
  if (attribute.type === 'component') {
    const inner = Object.entries(
      (
        app.strapi.getModel(attribute.component as never) as unknown as {
          attributes: Record<string, Attribute>;
        }
      ).attributes,
    ).find(([, candidate]) => candidate.type === 'string')![0];
    const strip = (item: Data | null | undefined) =>
      Object.fromEntries(Object.entries(item ?? {}).filter(([key]) => key !== 'id'));
    if (attribute.repeatable) {
      const items = ((current as Data[] | null) ?? []).map(strip);
      return [...items, { [inner]: `Secteur ${mark}` }];
    }
    return { ...strip(current as Data | null), [inner]: `Titre ${mark}`.slice(0, 60) };
  }
  if (attribute.type === 'blocks')
    return [{ type: 'paragraph', children: [{ type: 'text', text: `Texte ${mark}` }] }];
  const text = typeof current === 'string' ? current : '';
  return `${text.slice(0, 100)} ${mark}`.trim();
}

const states = async (session: AdminSession, query: Record<string, string>) => {
  const answer = await app.http().get('/admin/translations').query(query).set(session.headers);
  expect(answer.status).toBe(200);
  return answer.body.data as {
    uid: string;
    documentId: string;
    status: string;
    fields: string[];
    title: string | null;
    sourceUpdatedAt: string;
  }[];
};
const stateOf = async (uid: string, documentId: string, locale: string) =>
  (await states(communication, { locale, uid })).find((state) => state.documentId === documentId);

async function save(session: AdminSession, uid: string, documentId: string, locale: string, data: Data) {
  const answer = await app
    .http()
    .put(cmPath(uid, documentId))
    .query({ locale })
    .set(session.headers)
    .send(data);
  expect({ status: answer.status, error: answer.body.error?.message }).toEqual({
    status: 200,
    error: undefined,
  });
}

describe.each(TYPES)('%s', (uid) => {
  const fields = fieldsOf(uid);
  it.each(fields.map((field) => field.name))(
    'a French change of %s makes exactly it outdated in each locale; checked and saved clear it',
    async (name) => {
      const { attribute } = fields.find((field) => field.name === name)!;
      const doc = await translatedDocument(uid);
      const documentId = String(doc.documentId);
      // First seen (seeded): current everywhere.
      for (const locale of OTHERS)
        expect(await stateOf(uid, documentId, locale)).toMatchObject({ status: 'current', fields: [] });
      const french = (await app.strapi.documents(uid as never).findOne({
        documentId,
        locale: 'fr',
        populate: '*',
      } as never)) as unknown as Data;
      await save(communication, uid, documentId, 'fr', {
        [name]: changed(uid, name, attribute, french[name], `modifié ${name}`),
      });
      for (const locale of OTHERS)
        expect({ locale, ...(await stateOf(uid, documentId, locale)) }).toMatchObject({
          locale,
          status: 'outdated',
          fields: [name],
        });
      // Checked in German: current there, the text untouched; the others still outdated.
      const germanBefore = await app.strapi
        .documents(uid as never)
        .findOne({ documentId, locale: 'de' } as never);
      const checked = await app
        .http()
        .post(`/admin/translations/${uid}/${documentId}/checked`)
        .query({ locale: 'de' })
        .set(translator.headers);
      expect(checked.status).toBe(200);
      expect(checked.body.data).toMatchObject({ status: 'current', fields: [] });
      expect(await app.strapi.documents(uid as never).findOne({ documentId, locale: 'de' } as never)).toEqual(
        germanBefore,
      );
      expect(await stateOf(uid, documentId, 'lb')).toMatchObject({ status: 'outdated', fields: [name] });
      // A save of the Luxembourgish version (its translation brought up to date): current there.
      const luxembourgish = (await app.strapi.documents(uid as never).findOne({
        documentId,
        locale: 'lb',
        populate: '*',
      } as never)) as unknown as Data;
      await save(communication, uid, documentId, 'lb', {
        [name]: changed(uid, name, attribute, luxembourgish[name], `geännert ${name}`),
      });
      expect(await stateOf(uid, documentId, 'lb')).toMatchObject({ status: 'current', fields: [] });
      expect(await stateOf(uid, documentId, 'en')).toMatchObject({ status: 'outdated', fields: [name] });
      // Put back: the French text as before makes English current again (its baseline), and
      // German and Luxembourgish, whose baselines took the change, outdated on that field.
      await save(communication, uid, documentId, 'fr', { [name]: stripIds(french[name] ?? null) });
      expect(await stateOf(uid, documentId, 'en')).toMatchObject({ status: 'current', fields: [] });
      for (const locale of ['de', 'lb'])
        expect({ locale, ...(await stateOf(uid, documentId, locale)) }).toMatchObject({
          locale,
          status: 'outdated',
          fields: [name],
        });
      // Leave the document in step for the next field.
      for (const locale of ['de', 'lb'])
        await app
          .http()
          .post(`/admin/translations/${uid}/${documentId}/checked`)
          .query({ locale })
          .set(communication.headers)
          .expect(200);
    },
  );
});

/** A component's value as a save takes it back (ids dropped). */
function stripIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripIds);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Data)
        .filter(([key]) => key !== 'id')
        .map(([key, inner]) => [key, stripIds(inner)]),
    );
  return value;
}

describe('missing, restores, lists and rights', () => {
  it('a new French entry is missing in every other locale, listed oldest French change first', async () => {
    const site = (
      (await app.strapi
        .documents('api::site.site')
        .findMany({ locale: 'fr', limit: 1 } as never)) as unknown as Data[]
    )[0];
    const created = await app
      .http()
      .post('/content-manager/collection-types/api::project.project')
      .query({ locale: 'fr' })
      .set(communication.headers)
      .send({
        title: 'Projet à traduire',
        slug: 'projet-a-traduire',
        kind: 'youth-house',
        foundedYear: 2024,
        site: { connect: [{ documentId: site.documentId, locale: 'fr' }] },
      });
    expect(created.status).toBe(201);
    const documentId = created.body.data.documentId;
    for (const locale of OTHERS) {
      const missing = await states(translator, { locale, status: 'missing' });
      const entry = missing.find((state) => state.documentId === documentId);
      expect(entry).toMatchObject({
        status: 'missing',
        title: 'Projet à traduire',
        uid: 'api::project.project',
      });
      expect(entry!.fields).toEqual(fieldsOf('api::project.project').map((field) => field.name));
      const dates = missing.map((state) => state.sourceUpdatedAt);
      expect(dates).toEqual([...dates].sort());
    }
    // The German version made: current.
    await save(translator, 'api::project.project', documentId, 'de', { title: 'Zu übersetzendes Projekt' });
    expect(await stateOf('api::project.project', documentId, 'de')).toMatchObject({ status: 'current' });
    expect(
      (await states(translator, { locale: 'de', status: 'missing' })).map((state) => state.documentId),
    ).not.toContain(documentId);
  });

  it('a French save of a shared field (copied into every locale) leaves the translations as they were', async () => {
    const uid = 'api::project.project';
    const doc = await translatedDocument(uid);
    const documentId = String(doc.documentId);
    await stateOf(uid, documentId, 'de');
    await save(communication, uid, documentId, 'fr', { summary: 'Résumé changé, puis une année.' });
    expect(await stateOf(uid, documentId, 'de')).toMatchObject({ status: 'outdated', fields: ['summary'] });
    // foundedYear is shared: i18n writes it into de, lb and en too; their translations did not change.
    await save(communication, uid, documentId, 'fr', { foundedYear: Number(doc.foundedYear) + 1 });
    for (const locale of OTHERS)
      expect({ locale, ...(await stateOf(uid, documentId, locale)) }).toMatchObject({
        locale,
        status: 'outdated',
        fields: ['summary'],
      });
    await save(communication, uid, documentId, 'fr', { foundedYear: Number(doc.foundedYear) });
  });

  it('one entry at a time (the edit view asks so); a NUL byte or an id without its type is a 400', async () => {
    const uid = 'api::service.service';
    const doc = await translatedDocument(uid);
    const one = await states(translator, { locale: 'en', uid, documentId: String(doc.documentId) });
    expect(one.map((state) => state.documentId)).toEqual([doc.documentId]);
    for (const query of [
      { locale: 'en', uid, documentId: 'a\u0000b' },
      { locale: 'en', documentId: String(doc.documentId) },
    ])
      expect((await app.http().get('/admin/translations').query(query).set(translator.headers)).status).toBe(
        400,
      );
    const nul = await app
      .http()
      .post(`/admin/translations/${uid}/abc%00def/checked`)
      .query({ locale: 'de' })
      .set(translator.headers);
    expect(nul.status).toBe(400);
  });

  it('a restore of an older version of the translation is a save: current again', async () => {
    const uid = 'api::project.project';
    const doc = await translatedDocument(uid);
    const documentId = String(doc.documentId);
    await stateOf(uid, documentId, 'en');
    await save(communication, uid, documentId, 'fr', { summary: 'Résumé changé avant une restauration.' });
    expect(await stateOf(uid, documentId, 'en')).toMatchObject({ status: 'outdated', fields: ['summary'] });
    const versions = await app
      .http()
      .get(`/admin/history/${uid}/${documentId}`)
      .query({ locale: 'en' })
      .set(communication.headers);
    expect(versions.status).toBe(200);
    const oldest = versions.body.data[versions.body.data.length - 1];
    const restored = await app
      .http()
      .post(`/admin/history/${uid}/${documentId}/${oldest.id}/restore`)
      .query({ locale: 'en' })
      .set(communication.headers);
    expect(restored.status).toBe(200);
    expect(await stateOf(uid, documentId, 'en')).toMatchObject({ status: 'current', fields: [] });
  });

  it('checked: 403 for a locale the caller may not update, 400 for French or an unknown locale, 404 without a version', async () => {
    const uid = 'api::service.service';
    const doc = await translatedDocument(uid);
    const post = (session: AdminSession, locale: string, documentId = String(doc.documentId)) =>
      app
        .http()
        .post(`/admin/translations/${uid}/${documentId}/checked`)
        .query({ locale })
        .set(session.headers);
    expect((await post(coordinator, 'de')).status).toBe(403);
    expect((await post(translator, 'fr')).status).toBe(400);
    expect((await post(translator, 'it')).status).toBe(400);
    expect((await post(translator, 'de', 'nosuchdocument0000000000')).status).toBe(404);
    expect((await post(translator, 'de')).status).toBe(200);
    expect(
      (
        await app
          .http()
          .get('/admin/translations')
          .query({ locale: 'de', status: 'stale' })
          .set(translator.headers)
      ).status,
    ).toBe(400);
    expect((await app.http().get('/admin/translations').query({ locale: 'de' })).status).toBe(401);
    expect(
      (
        await app
          .http()
          .get('/admin/translations')
          .query({ locale: 'de', uid: 'admin::user' })
          .set(translator.headers)
      ).status,
    ).toBe(400);
  });
});
