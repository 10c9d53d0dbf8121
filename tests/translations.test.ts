/**
 * Translation status (issue 26, section 1; src/translations): generated over every localized text
 * field of every type staff translate. A French change makes exactly that field outdated in each
 * other locale; « checked » clears it for one locale without changing its text; a save of that
 * locale's version (the panel, or a restore from the history) clears it too; restoring the French
 * text brings the status back in step with it. Rights: who may update the locale marks it checked.
 *
 * XLIFF (section 2): the export validates against the OASIS XLIFF 2.0 core schema (xmllint, the
 * schema in tests/fixtures/xliff) and is read by an independent library (`xliff`, not the app's
 * parser); an unchanged file imports as nothing; a translated one updates drafts only; the bad
 * cases are refused, each named in the report.
 *
 * Images (section 3): every image field has a localized alternative text beside it (from the
 * schemas), required to publish a version that has the image, on every publish path, in every
 * locale; REST and GraphQL answer the locale's text.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { xliff2js } from 'xliff';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { JPEG } from './support/images';
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

/** A document of `uid` with a version in every locale (the first, or the one after `skip` others). */
async function translatedDocument(uid: string, skip = 0): Promise<Data> {
  const rows = (await app.strapi
    .documents(uid as never)
    .findMany({ locale: 'fr' } as never)) as unknown as Data[];
  for (const row of rows) {
    const locales = (await app.strapi.db.query(uid as never).findMany({
      select: ['locale'],
      where: { documentId: row.documentId },
    } as never)) as Data[];
    if (OTHERS.every((locale) => locales.some((candidate) => candidate.locale === locale)) && skip-- === 0)
      return row;
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

/** A new French project (a youth centre at the first site), made in the panel by Communication. */
async function newFrenchProject(fields: Data) {
  const site = (
    (await app.strapi
      .documents('api::site.site')
      .findMany({ locale: 'fr', limit: 1 } as never)) as unknown as Data[]
  )[0];
  return app
    .http()
    .post('/content-manager/collection-types/api::project.project')
    .query({ locale: 'fr' })
    .set(communication.headers)
    .send({
      kind: 'youth-house',
      ...fields,
      site: { connect: [{ documentId: site.documentId, locale: 'fr' }] },
    });
}

describe('missing, restores, lists and rights', () => {
  it('a new French entry is missing in every other locale, listed oldest French change first', async () => {
    const created = await newFrenchProject({
      title: 'Projet à traduire',
      slug: 'projet-a-traduire',
      foundedYear: 2024,
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

// ---- XLIFF round trip (section 2) ---------------------------------------------------------------

const FIXTURES = path.join(__dirname, 'fixtures', 'xliff');

/** xmllint's verdict on `xml` against the XLIFF 2.0 core schema, offline (the catalog maps xml.xsd). */
function schemaErrors(xml: string): string | null {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'xliff-')), 'export.xlf');
  writeFileSync(file, xml);
  try {
    execFileSync(
      'xmllint',
      ['--nonet', '--noout', '--schema', path.join(FIXTURES, 'xliff_core_2.0.xsd'), file],
      { env: { ...process.env, XML_CATALOG_FILES: path.join(FIXTURES, 'catalog.xml') }, stdio: 'pipe' },
    );
    return null;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  }
}

const readXliff = (xml: string) =>
  new Promise<{
    sourceLanguage: string;
    targetLanguage: string;
    resources: Record<string, Record<string, { source: unknown; target?: unknown; note?: unknown }>>;
  }>((resolve, reject) =>
    xliff2js(xml, (error: Error | null, result: never) => (error ? reject(error) : resolve(result))),
  );

async function exportFile(session: AdminSession, query: Record<string, string>) {
  const answer = await app
    .http()
    .get('/admin/translations/xliff')
    .query(query)
    .set(session.headers)
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    });
  return { status: answer.status, type: answer.headers['content-type'], xml: answer.body as string, answer };
}

async function importFile(session: AdminSession, xml: string) {
  return app
    .http()
    .post('/admin/translations/xliff')
    .set(session.headers)
    .attach('file', Buffer.from(xml, 'utf8'), {
      filename: 'traduction.xlf',
      contentType: 'application/xliff+xml',
    });
}

/** `xml` with the target of `unit` in the file of `original` set to `text` (added if absent). */
function withTarget(xml: string, original: string, unit: string, text: string, attributes = ''): string {
  const fileStart = xml.indexOf(`original="${original}"`);
  const fileEnd = xml.indexOf('</file>', fileStart);
  const unitStart = xml.indexOf(`<unit id="${unit}"`, fileStart);
  if (fileStart < 0 || unitStart < 0 || unitStart > fileEnd)
    throw new Error(`no unit ${unit} in ${original}`);
  const unitEnd = xml.indexOf('</unit>', unitStart);
  const block = xml.slice(unitStart, unitEnd);
  const target = `<target${attributes}>${text}</target>`;
  const next = /<target>[\s\S]*<\/target>/.test(block)
    ? block.replace(/<target>[\s\S]*<\/target>/, target)
    : block.replace('</source>', `</source>\n        ${target}`);
  return xml.slice(0, unitStart) + next + xml.slice(unitEnd);
}

const historyCount = async (uid: string, documentId: string) =>
  Number(
    (
      await app.strapi.db
        .connection('history_versions')
        .where({ uid, document_id: documentId })
        .count({ n: '*' })
    )[0].n,
  );

describe('XLIFF 2.0 round trip', () => {
  const uid = 'api::project.project';
  let documentId: string;
  let original: string;
  let french: Data;
  let german: Data;

  beforeAll(async () => {
    // Not the document the tests above changed field by field: one of its own.
    const doc = await translatedDocument(uid, 1);
    documentId = String(doc.documentId);
    original = `${uid}/${documentId}`;
    await stateOf(uid, documentId, 'de'); // first seen: current
    await save(communication, uid, documentId, 'fr', {
      summary: 'Un résumé revu : « l’accueil » & <les> jeunes… du quartier.',
      description: '## Accueil\n\nLes **jeunes** du [quartier](https://www.inter-actions.lu/) ]]> ici.',
    });
    french = (await app.strapi
      .documents(uid as never)
      .findOne({ documentId, locale: 'fr', populate: '*' } as never)) as unknown as Data;
    german = (await app.strapi
      .documents(uid as never)
      .findOne({ documentId, locale: 'de', populate: '*' } as never)) as unknown as Data;
  });

  it('exports the outdated and missing entries as XLIFF 2.0 that the OASIS schema validates and another library reads', async () => {
    const exported = await exportFile(translator, { locale: 'de' });
    expect(exported.status).toBe(200);
    expect(exported.type).toMatch(/^application\/xliff\+xml/);
    expect(exported.answer.headers['content-disposition']).toMatch(
      /attachment; filename="inter-actions-fr-de-\d{4}-\d\d-\d\d\.xlf"/,
    );
    expect(schemaErrors(exported.xml)).toBeNull();
    // The check can fail: the same file without its required source language does not validate.
    expect(schemaErrors(exported.xml.replace(' srcLang="fr"', ''))).toMatch(/srcLang/);

    const read = await readXliff(exported.xml);
    expect(read).toMatchObject({ sourceLanguage: 'fr', targetLanguage: 'de' });
    const files = Object.values(read.resources);
    // The changed entry: one unit per localized text, the French as source, the German as target.
    const mine =
      read.resources[
        Object.keys(read.resources).find((id) =>
          exported.xml.includes(`<file id="${id}" original="${original}"`),
        )!
      ];
    expect(mine).toBeDefined();
    expect(mine.summary.source).toBe(french.summary);
    expect(mine.summary.target ?? null).toBe(german.summary ?? null);
    expect(mine.description).toMatchObject({ source: french.description });
    expect(mine.title).toMatchObject({ source: french.title, target: german.title });
    if ((french.seo as Data | null)?.metaTitle)
      expect(mine['seo.metaTitle']).toMatchObject({ source: (french.seo as Data).metaTitle });
    expect(exported.xml).toContain('Le texte français a changé depuis la dernière traduction.');
    // Only outdated and missing entries: every file's entry is one of those, for German.
    const listed = (await states(translator, { locale: 'de', status: 'outdated,missing' })).map(
      (state) => `${state.uid}/${state.documentId}`,
    );
    const originals = [...exported.xml.matchAll(/<file id="[^"]+" original="([^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(originals.length).toBe(files.length);
    for (const name of originals) expect(listed).toContain(name);
    // Sites and funders have no drafts: not in an XLIFF file (an import never publishes).
    expect(originals.some((name) => /^api::(site|funder)\./.test(name))).toBe(false);
    expect((await exportFile(translator, { locale: 'de', uid: 'api::site.site' })).status).toBe(400);
  });

  it('an unchanged file imports as nothing; a translated one updates the German draft only', async () => {
    const exported = await exportFile(translator, { locale: 'de', uid, documentId });
    expect(exported.status).toBe(200);
    const versions = await historyCount(uid, documentId);
    const same = await importFile(translator, exported.xml);
    expect(same.status).toBe(200);
    expect(same.body.data.updated).toEqual([]);
    expect(same.body.data.refused).toEqual([]);
    expect(await historyCount(uid, documentId)).toBe(versions);

    const publishedBefore = await app.strapi.db
      .query(uid as never)
      .findOne({ where: { documentId, locale: 'de', publishedAt: { $notNull: true } } } as never);
    const translated = withTarget(
      exported.xml,
      original,
      'summary',
      'Eine überarbeitete Zusammenfassung: „der Empfang“ &amp; &lt;die&gt; Jugendlichen … im Viertel.',
    );
    const answer = await importFile(translator, translated);
    expect(answer.status).toBe(200);
    expect(answer.body.data.refused).toEqual([]);
    expect(answer.body.data.updated).toEqual([{ uid, documentId, fields: ['summary'] }]);
    expect(answer.body.meta).toMatchObject({ locale: 'de', updated: 1, refused: 0 });
    // What the file did not translate stays outdated (the French description changed too).
    expect(await stateOf(uid, documentId, 'de')).toMatchObject({
      status: 'outdated',
      fields: ['description'],
    });
    const draft = (await app.strapi.db
      .query(uid as never)
      .findOne({ where: { documentId, locale: 'de', publishedAt: null } } as never)) as Data;
    expect(draft.summary).toBe(
      'Eine überarbeitete Zusammenfassung: „der Empfang“ & <die> Jugendlichen … im Viertel.',
    );
    // Never published: the published German version is as it was.
    expect(
      await app.strapi.db
        .query(uid as never)
        .findOne({ where: { documentId, locale: 'de', publishedAt: { $notNull: true } } } as never),
    ).toEqual(publishedBefore);
    expect(await historyCount(uid, documentId)).toBe(versions + 1);
    const rest = await importFile(
      translator,
      withTarget(
        exported.xml,
        original,
        'description',
        '## Empfang\n\nDie **Jugendlichen** aus dem [Viertel](https://www.inter-actions.lu/) ]]&gt; hier.',
      ),
    );
    expect(rest.body.data.updated).toEqual([{ uid, documentId, fields: ['description'] }]);
    expect(await stateOf(uid, documentId, 'de')).toMatchObject({ status: 'current', fields: [] });
  });

  it('a missing translation comes in as a new draft of that locale', async () => {
    const created = await newFrenchProject({
      title: 'Projet pour XLIFF',
      slug: 'projet-pour-xliff',
      foundedYear: 2025,
      summary: 'Un résumé à traduire.',
    });
    expect(created.status).toBe(201);
    const id = created.body.data.documentId as string;
    const exported = await exportFile(communication, { locale: 'en', uid, documentId: id });
    expect(exported.status).toBe(200);
    expect(schemaErrors(exported.xml)).toBeNull();
    expect(exported.xml).not.toContain('<target>');
    let xml = withTarget(exported.xml, `${uid}/${id}`, 'title', 'Project for XLIFF');
    xml = withTarget(xml, `${uid}/${id}`, 'summary', 'A summary to translate.');
    const answer = await importFile(communication, xml);
    expect(answer.status).toBe(200);
    expect(answer.body.data.updated).toEqual([{ uid, documentId: id, fields: ['title', 'summary'] }]);
    const rows = (await app.strapi.db
      .query(uid as never)
      .findMany({ where: { documentId: id, locale: 'en' } } as never)) as Data[];
    expect(
      rows.map((row) => ({ title: row.title, summary: row.summary, publishedAt: row.publishedAt })),
    ).toEqual([{ title: 'Project for XLIFF', summary: 'A summary to translate.', publishedAt: null }]);
    expect(
      (await exportFile(communication, { locale: 'en', uid, documentId: id, status: 'missing,outdated' }))
        .status,
    ).toBe(204);
  });

  it('refuses, unit by unit and named in the report, what must not be applied; writes the rest', async () => {
    await save(communication, uid, documentId, 'fr', {
      title: `${String(french.title).slice(0, 150)} (revu)`,
    });
    const exported = await exportFile(translator, { locale: 'de', uid, documentId });
    const germanBefore = (await app.strapi.db
      .query(uid as never)
      .findOne({ where: { documentId, locale: 'de', publishedAt: null } } as never)) as Data;
    let xml = exported.xml;
    xml = withTarget(xml, original, 'title', 'Titel mit<ph id="1"/>Code'); // inline codes
    xml = withTarget(xml, original, 'summary', 'Eine Zusammenfassung &lt;script&gt;alert(1)&lt;/script&gt;'); // HTML
    xml = withTarget(xml, original, 'description', 'Text', ' xml:lang="lb"'); // another language
    xml = xml.replace(
      `<file id="f1" original="${original}">`,
      `<file id="f1" original="${original}">\n    <unit id="nosuchfield"><segment><source>x</source><target>y</target></segment></unit>`,
    );
    xml = xml.replace(
      '</xliff>',
      `  <file id="f9" original="${uid}/nosuchdocument000000000000"><unit id="title"><segment><source>x</source><target>y</target></segment></unit></file>\n</xliff>`,
    );
    const answer = await importFile(translator, xml);
    expect(answer.status).toBe(200);
    const refused = Object.fromEntries(
      (answer.body.data.refused as { unit?: string; code: string; documentId: string }[]).map((item) => [
        item.unit ?? item.documentId,
        item.code,
      ]),
    );
    expect(refused).toMatchObject({
      title: 'markup',
      summary: 'invalid-text',
      description: 'other-locale',
      nosuchfield: 'unknown-field',
      nosuchdocument000000000000: 'unknown-entry',
    });
    expect(answer.body.data.updated).toEqual([]);
    expect(
      await app.strapi.db
        .query(uid as never)
        .findOne({ where: { documentId, locale: 'de', publishedAt: null } } as never),
    ).toEqual(germanBefore);

    // The French changed after the export: the unit is flagged, not applied; the others are.
    const before = await exportFile(translator, { locale: 'de', uid, documentId });
    await save(communication, uid, documentId, 'fr', {
      title: `${String(french.title).slice(0, 150)} (revu encore)`,
    });
    let late = withTarget(before.xml, original, 'title', 'Alter Titel übersetzt');
    late = withTarget(late, original, 'summary', 'Neue Zusammenfassung.');
    const flagged = await importFile(translator, late);
    expect(flagged.body.data.refused).toEqual([
      expect.objectContaining({ unit: 'title', code: 'source-changed' }),
    ]);
    expect(flagged.body.data.updated).toEqual([{ uid, documentId, fields: ['summary'] }]);

    // A line break in a one-line field, a text over its length.
    const again = await exportFile(translator, { locale: 'de', uid, documentId, status: 'outdated,current' });
    expect(await stateOf(uid, documentId, 'de')).toMatchObject({ status: 'outdated', fields: ['title'] });
    const long = withTarget(
      withTarget(again.xml, original, 'title', 'Zeile&#10;zwei'),
      original,
      'summary',
      'x'.repeat(1001),
    );
    const problems = await importFile(translator, long);
    expect(
      (problems.body.data.refused as { unit: string; code: string; reason: string }[]).map((item) => [
        item.unit,
        item.code,
      ]),
    ).toEqual([
      ['title', 'invalid-text'],
      ['summary', 'invalid-text'],
    ]);
    expect(problems.body.data.updated).toEqual([]);
  });

  it('whole files that are not a French-to-one-locale XLIFF 2.0 are a 400 that writes nothing; rights hold', async () => {
    const exported = await exportFile(translator, {
      locale: 'de',
      uid,
      documentId,
      status: 'outdated,current',
    });
    const changedXml = withTarget(exported.xml, original, 'summary', 'Sollte nie geschrieben werden.');
    const draftBefore = await app.strapi.db
      .query(uid as never)
      .findOne({ where: { documentId, locale: 'de', publishedAt: null } } as never);
    for (const xml of [
      changedXml.replace('trgLang="de"', 'trgLang="fr"'),
      changedXml.replace('trgLang="de"', 'trgLang="it"'),
      changedXml.replace('srcLang="fr"', 'srcLang="de"'),
      changedXml.replace('version="2.0"', 'version="1.2"'),
      changedXml.replace('</xliff>', ''),
      `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${changedXml.replace(/^<\?xml[^>]*>/, '')}`,
    ]) {
      const answer = await importFile(translator, xml);
      expect({ status: answer.status, name: answer.body.error?.name }).toEqual({
        status: 400,
        name: 'ValidationError',
      });
    }
    const noFile = await app
      .http()
      .post('/admin/translations/xliff')
      .set(translator.headers)
      .field('other', 'x');
    expect(noFile.status).toBe(400);
    expect(
      await app.strapi.db
        .query(uid as never)
        .findOne({ where: { documentId, locale: 'de', publishedAt: null } } as never),
    ).toEqual(draftBefore);
    // A coordinator may change only its own entries: refused here, and nothing written.
    const byCoordinator = await importFile(coordinator, changedXml);
    expect(byCoordinator.body.data.refused).toEqual([expect.objectContaining({ code: 'forbidden' })]);
    expect((await app.http().get('/admin/translations/xliff').query({ locale: 'de' })).status).toBe(401);
    expect(
      (await importFile({ headers: { Authorization: 'Bearer nope' } } as AdminSession, changedXml)).status,
    ).toBe(401);
    const bad: Record<string, string>[] = [
      { locale: 'fr' },
      { locale: 'de', status: 'stale' },
      { locale: 'de', documentId: 'abc' },
      { locale: 'de', uid, documentId: 'a\u0000b' },
    ];
    for (const query of bad) expect((await exportFile(translator, query)).status).toBe(400);
  });
});

// ---- Images described in every language (section 3) -------------------------------------------

const CONTENT_TYPE_UIDS = () => Object.keys(app.strapi.contentTypes).filter((uid) => uid.startsWith('api::'));

describe('images described in every language', () => {
  it('every image field of every type has a localized alternative text beside it', () => {
    const images = CONTENT_TYPE_UIDS().flatMap((uid) =>
      Object.entries(modelOf(uid).attributes)
        .filter(([, attribute]) => attribute.type === 'media')
        .map(([name]) => ({ uid, name })),
    );
    expect(images.length).toBeGreaterThan(0);
    for (const { uid, name } of images)
      expect({ uid, name, alt: modelOf(uid).attributes[`${name}Alt`] }).toMatchObject({
        alt: { type: 'string', pluginOptions: { i18n: { localized: true } } },
      });
  });

  const uid = 'api::project.project';
  const CM = '/content-manager/collection-types/api::project.project';
  let documentId: string;
  let fileId: number;

  beforeAll(async () => {
    const doc = await translatedDocument(uid);
    documentId = String(doc.documentId);
    const uploaded = await app
      .http()
      .post('/upload')
      .set(communication.headers)
      .attach('files', JPEG, { filename: 'maison-des-jeunes.jpg', contentType: 'image/jpeg' });
    expect(uploaded.status).toBe(201);
    fileId = uploaded.body[0].id;
    // The image, described, in every published locale: each case below takes one locale's text away.
    await app.strapi
      .documents(uid as never)
      .update({ documentId, locale: 'fr', data: { cover: fileId } } as never);
    for (const locale of ['fr', 'de', 'lb', 'en'])
      await app.strapi.documents(uid as never).update({
        documentId,
        locale,
        data: { coverAlt: `Façade de la maison des jeunes (${locale})` },
      } as never);
    for (const locale of ['fr', 'de', 'lb', 'en'])
      await app.strapi.documents(uid as never).publish({ documentId, locale } as never);
  });

  it('a new image published in one locale is refused while another published locale has no text for it at all (i18n shares the image)', async () => {
    const other = await app
      .http()
      .post('/upload')
      .set(communication.headers)
      .attach('files', JPEG, { filename: 'jardin.jpg', contentType: 'image/jpeg' });
    expect(other.status).toBe(201);
    // The German text taken away and published so: the published German version has no text.
    await app.strapi
      .documents(uid as never)
      .update({ documentId, locale: 'de', data: { coverAlt: '' } } as never);
    await app.strapi
      .documents(uid as never)
      .update({ documentId, locale: 'fr', data: { cover: null } } as never);
    await app.strapi.documents(uid as never).publish({ documentId, locale: 'de' } as never);
    // A French publish of a new image would put it into the published German version: refused.
    await app.strapi
      .documents(uid as never)
      .update({ documentId, locale: 'fr', data: { cover: other.body[0].id } } as never);
    const refused = await paths['the panel’s « Publier »']('fr');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('alternative text in de');
    // Described in German and published there first: the French publish goes through.
    await app.strapi
      .documents(uid as never)
      .update({ documentId, locale: 'de', data: { coverAlt: 'Fassade des Jugendhauses (de)' } } as never);
    expect((await paths['the panel’s « Publier »']('de')).status).toBe(200);
    expect((await paths['the panel’s « Publier »']('fr')).status).toBe(200);
    await app.strapi
      .documents(uid as never)
      .update({ documentId, locale: 'fr', data: { cover: fileId } } as never);
    for (const locale of ['fr', 'de']) {
      await app.strapi.documents(uid as never).update({
        documentId,
        locale,
        data: { coverAlt: `Façade de la maison des jeunes (${locale})` },
      } as never);
      await app.strapi.documents(uid as never).publish({ documentId, locale } as never);
    }
  });

  type Path = (
    locale: string,
  ) => Promise<{ status: number; body: { error?: { details?: { errors?: { path: string[] }[] } } } }>;
  const paths: Record<string, Path> = {
    'the panel’s « Publier »': (locale) =>
      app
        .http()
        .post(`${CM}/${documentId}/actions/publish`)
        .query({ locale })
        .set(communication.headers)
        .send({}),
    'the panel’s bulk publish': (locale) =>
      app
        .http()
        .post(`${CM}/actions/bulkPublish`)
        .query({ locale })
        .set(communication.headers)
        .send({ documentIds: [documentId] }),
    'the Document Service’s publish (scripts, schedules)': async (locale) => {
      try {
        await app.strapi.documents(uid as never).publish({ documentId, locale } as never);
        return { status: 200, body: {} };
      } catch (error) {
        return { status: 400, body: { error: { details: (error as { details?: never }).details } } };
      }
    },
    'an update that publishes at once': async (locale) => {
      try {
        await app.strapi.documents(uid as never).update({
          documentId,
          locale,
          status: 'published',
          data: { summary: `Résumé ${locale}` },
        } as never);
        return { status: 200, body: {} };
      } catch (error) {
        return { status: 400, body: { error: { details: (error as { details?: never }).details } } };
      }
    },
  };

  const published = (locale: string) =>
    app.strapi.db.query(uid as never).findOne({
      where: { documentId, locale, publishedAt: { $notNull: true } },
      populate: { cover: true },
    } as never) as Promise<Data | null>;

  describe.each(Object.keys(paths))('%s', (name) => {
    it.each(['fr', 'de', 'lb', 'en'])(
      'in %s: a 400 naming coverAlt without the text, nothing published; with it, published',
      async (locale) => {
        // The image on every locale (a shared field), the text of this locale emptied.
        await app.strapi
          .documents(uid as never)
          .update({ documentId, locale: 'fr', data: { cover: fileId } } as never);
        await app.strapi
          .documents(uid as never)
          .update({ documentId, locale, data: { coverAlt: '' } } as never);
        const before = await published(locale);
        const refused = await paths[name](locale);
        expect(refused.status).toBe(400);
        expect(refused.body.error?.details?.errors?.map((error) => error.path)).toEqual([['coverAlt']]);
        expect(await published(locale)).toEqual(before);

        const text = `Façade de la maison des jeunes (${locale})`;
        await app.strapi
          .documents(uid as never)
          .update({ documentId, locale, data: { coverAlt: text } } as never);
        expect((await paths[name](locale)).status).toBe(200);
        expect(await published(locale)).toMatchObject({ coverAlt: text, cover: { id: fileId } });
      },
    );
  });

  it('REST and GraphQL answer the text of the locale asked, beside the shared image', async () => {
    const slug = String((await published('fr'))!.slug);
    for (const locale of ['fr', 'de', 'lb', 'en']) {
      const rest = await app
        .http()
        .get('/api/projects')
        .query({ 'filters[slug][$eq]': slug, locale, 'populate[cover]': 'true' });
      expect(rest.status).toBe(200);
      expect(rest.body.data[0]).toMatchObject({
        coverAlt: `Façade de la maison des jeunes (${locale})`,
        cover: { id: fileId, mime: 'image/jpeg' },
      });
      const graphql = await app.http().post('/graphql').send({
        query:
          'query($slug: String, $locale: I18NLocaleCode) { projects(filters: { slug: { eq: $slug } }, locale: $locale) { coverAlt cover { url } } }',
        variables: { slug, locale },
      });
      expect(graphql.body.errors).toBeUndefined();
      expect(graphql.body.data.projects[0].coverAlt).toBe(`Façade de la maison des jeunes (${locale})`);
    }
    // A draft may lack the text (it is often written after the image is chosen).
    await app.strapi
      .documents(uid as never)
      .update({ documentId, locale: 'de', data: { coverAlt: null } } as never);
  });

  it('a JPEG gets WebP copies of itself and of each of its formats, listed with their widths, deleted with it', async () => {
    const photo = await sharp({
      create: { width: 1200, height: 800, channels: 3, background: { r: 200, g: 120, b: 40 } },
    })
      .jpeg()
      .toBuffer();
    const uploaded = await app
      .http()
      .post('/upload')
      .set(communication.headers)
      .attach('files', photo, { filename: 'facade.jpg', contentType: 'image/jpeg' });
    expect(uploaded.status).toBe(201);
    const file = (await app.strapi.db
      .query('plugin::upload.file')
      .findOne({ where: { id: uploaded.body[0].id } } as never)) as {
      id: number;
      formats: Record<string, { url: string; width: number; height: number; mime: string }>;
    };
    const own = Object.keys(file.formats).filter((key) => !key.startsWith('webp'));
    expect(own).toEqual(expect.arrayContaining(['thumbnail', 'small', 'medium', 'large']));
    expect(Object.keys(file.formats).sort()).toEqual(
      ['webp', ...own.map((key) => `webp_${key}`), ...own].sort(),
    );
    for (const key of own) {
      const webp = file.formats[`webp_${key}`];
      expect({ key, mime: webp.mime, width: webp.width }).toEqual({
        key,
        mime: 'image/webp',
        width: file.formats[key].width,
      });
      const served = await app.http().get(webp.url).buffer(true);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe('image/webp');
      expect((await sharp(served.body as Buffer).metadata()).width).toBe(webp.width);
    }
    expect(file.formats.webp).toMatchObject({ width: 1200, height: 800, mime: 'image/webp' });
    // In the API answer, beside the locale's text.
    await app.strapi
      .documents(uid as never)
      .update({ documentId, locale: 'fr', data: { cover: file.id } } as never);
    await app.strapi.documents(uid as never).publish({ documentId, locale: 'fr' } as never);
    const slug = String((await published('fr'))!.slug);
    const answer = await app
      .http()
      .get('/api/projects')
      .query({ 'filters[slug][$eq]': slug, locale: 'fr', 'populate[cover]': 'true' });
    expect(answer.body.data[0].cover.formats.webp_small).toMatchObject({ mime: 'image/webp', width: 500 });
    // Deleted with the file: every copy gone from the disk.
    await app.strapi
      .documents(uid as never)
      .update({ documentId, locale: 'fr', data: { cover: fileId } } as never);
    await app.strapi.documents(uid as never).publish({ documentId, locale: 'fr' } as never);
    expect((await app.http().delete(`/upload/files/${file.id}`).set(superAdmin.headers)).status).toBe(200);
    for (const format of Object.values(file.formats))
      expect((await app.http().get(format.url)).status).toBe(404);
  });
});
