/**
 * The seed against the page it was taken from (tests/fixtures/historique.txt, the association's
 * "Historique" page as captured for the seed), and the `inferred` notes over REST and GraphQL.
 *
 * Every French text of database/seed/*.json is checked, which fields to check and how being read
 * from the schemas: each sentence of a `text` field is the page's own sentence (or a part of one,
 * case included), and each word of a `string` field or list item occurs on the page. The page is
 * read with the corrections below applied, and with the founding years in parentheses left out
 * (they live in `foundedYear`); nothing else may differ. `inferred` notes are the staff's, not
 * the page's, and are not checked against it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readSeedFile, SEED_STAGES } from '../src/seed';
import { applyContentFixes, type ContentFix } from '../src/seed/content-fixes';
import { startStrapi, type TestApp } from './support/strapi';

const ROOT = path.resolve(__dirname, '..');
const PAGE_FILE = path.join(__dirname, 'fixtures', 'historique.txt');

/**
 * The evident typos of the page that the seed corrects: [page, seed, why]. The contributor guide
 * lists them (docs/contributors.md, "The seed content"); a correction not listed here makes the test fail.
 */
const PAGE_CORRECTIONS: [string, string, string][] = [
  ['sur à échelle plus globale', 'sur une échelle plus globale', 'a word typed twice over'],
  [
    'Les projets sociaux, plus thématiques ont',
    'Les projets sociaux, plus thématiques, ont',
    'the comma that closes the aside',
  ],
  [
    'initiation au travail (1986), prépare',
    'initiation au travail prépare',
    'a comma between subject and verb (with the year, left out of the text)',
  ],
  ['Le service Service Suivi Financier', 'Le Service Suivi Financier', 'a word repeated'],
  ['Esch-sur -Alzette', 'Esch-sur-Alzette', 'a stray space in the name'],
];

/** Words of names that the page gives in full: the word, and what the page says. */
const ABBREVIATIONS: Record<string, string> = { asbl: 'association sans but lucratif' };

/** Texts that start in the middle of a page sentence, whose first letter is therefore capitalised. */
const STARTS_MID_SENTENCE = new Set(['enterprises/ecotec/summary']);

/** The page's text, its spacing (non-breaking spaces, line breaks, double spaces) made plain. */
const rawPage = fs.readFileSync(PAGE_FILE, 'utf8').replace(/\s+/g, ' ');
const page = PAGE_CORRECTIONS.reduce((text, [from, to]) => text.split(from).join(to), rawPage)
  .replace(/\s*\((?:1[89]|20)\d\d\)/g, '')
  .replace(/\s+/g, ' ');

interface SchemaAttribute {
  type: string;
  pluginOptions?: { i18n?: { localized?: boolean } };
}

function attributesOf(uid: string): Record<string, SchemaAttribute> {
  const [, name] = /^api::([\w-]+)\./.exec(uid) ?? [];
  const file = path.join(ROOT, 'src', 'api', name, 'content-types', name, 'schema.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).attributes;
}

/** Fields the page is not the source of: identifiers, keys, links to other entries, staff notes. */
const NOT_FROM_PAGE = new Set(['uid', 'enumeration', 'relation', 'integer', 'decimal', 'media']);

interface FrenchText {
  where: string;
  prose: boolean;
  text: string;
}

/** Every French text of the seed: the `fr` of localized fields, and shared strings. */
function frenchTexts(): FrenchText[] {
  const texts: FrenchText[] = [];
  for (const stage of SEED_STAGES) {
    const attributes = attributesOf(stage.uid);
    for (const entry of readSeedFile(ROOT, stage.file)) {
      for (const [field, value] of Object.entries(entry)) {
        const attribute = attributes[field];
        if (!attribute) throw new Error(`${stage.file}: ${field} is not in the schema`);
        if (field === 'inferred' || NOT_FROM_PAGE.has(attribute.type)) continue;
        const french = typeof value === 'object' && !Array.isArray(value) ? value.fr : value;
        const where = `${stage.file}/${String(entry.slug ?? stage.file)}/${field}`;
        for (const text of Array.isArray(french) ? french : [french]) {
          if (typeof text === 'string') texts.push({ where, prose: attribute.type === 'text', text });
        }
      }
    }
  }
  return texts;
}

const sentencesOf = (text: string): string[] =>
  text.split(/(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ])/).map((sentence) => sentence.replace(/[.:]$/, ''));

describe('the French texts of the seed are the page’s', () => {
  const texts = frenchTexts();

  it('finds the texts to check (schemas and seed files agree)', () => {
    expect(texts.filter((text) => text.prose).length).toBeGreaterThanOrEqual(12);
    expect(texts.length).toBeGreaterThan(100);
  });

  it('each sentence of every text field is a sentence or part of a sentence of the page', () => {
    const differing = texts
      .filter((text) => text.prose)
      .flatMap(({ where, text }) =>
        sentencesOf(text)
          .map((sentence, index) =>
            index === 0 && STARTS_MID_SENTENCE.has(where)
              ? sentence.charAt(0).toLowerCase() + sentence.slice(1)
              : sentence,
          )
          .filter((sentence) => !page.includes(sentence))
          .map((sentence) => `${where}: ${sentence}`),
      );
    expect(differing).toEqual([]);
  });

  it('each word of every name, title and list item occurs on the page', () => {
    const lowerPage = page.toLowerCase();
    const missing = texts
      .filter((text) => !text.prose)
      .flatMap(({ where, text }) =>
        text
          .split(/[\s’']+/)
          .map((word) => word.replace(/^[«»“”„"(]+|[«»“”„")]+$/g, '').toLowerCase())
          .filter((word) => word && !lowerPage.includes(ABBREVIATIONS[word] ?? word))
          .map((word) => `${where}: ${word}`),
      );
    expect(missing).toEqual([]);
  });

  it('keeps the wording the fact check restored', () => {
    const textOf = (where: string) => texts.find((text) => text.where === where)?.text ?? '';
    expect(textOf('services/foyer-obenthalt/summary')).toContain(
      'en situations de détresse de recourir à un hébergement, le temps de leur aider à stabiliser',
    );
    expect(textOf('services/act/summary')).toContain('est garant de la réussite');
    expect(textOf('services/service-surendettement/summary')).toContain('est un volet supplémentaire');
    expect(textOf('organisation/organisation/socialIntro')).toContain('est prioritaire. Pour cela,');
    expect(textOf('enterprises/polygone/summary')).toContain(
      'L’entreprise est une entreprise privée, mais elle a une finalité sociale.',
    );
  });

  it('every correction applies to the page (none is stale)', () => {
    for (const [from] of PAGE_CORRECTIONS) expect(rawPage).toContain(from);
  });
});

describe('proper names stay in every language', () => {
  it.each([
    ['sites', 'dudelange-petite-italie', 'name'],
    ['sites', 'dudelange-petite-italie', 'quarter'],
    ['projects', 'zone-d-assainissement-petite-italie', 'title'],
    ['projects', 'ensemble-petite-italie-schmelz', 'title'],
  ])('%s/%s/%s says “Petite Italie”', (file, slug, field) => {
    const entry = readSeedFile(ROOT, file).find((candidate) => candidate.slug === slug);
    const values = Object.values((entry?.[field] ?? {}) as Record<string, string>);
    expect(values).toHaveLength(4);
    for (const value of values) expect(value).toContain('Petite Italie');
  });
});

/** The seed types whose schema has the `inferred` note, with the notes the seed gives. */
const INFERRED_STAGES = SEED_STAGES.filter((stage) => 'inferred' in attributesOf(stage.uid));

describe('what the page does not state is marked `inferred`', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startStrapi();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('the note lives on projects, services, enterprises and funders, shared by all locales', () => {
    expect(INFERRED_STAGES.map((stage) => stage.file).sort()).toEqual([
      'enterprises',
      'funders',
      'projects',
      'services',
    ]);
    for (const stage of INFERRED_STAGES) {
      const attributes = app.strapi.getModel(stage.uid).attributes as Record<string, SchemaAttribute>;
      const attribute = attributes.inferred;
      expect(attribute.pluginOptions?.i18n?.localized).toBe(false);
    }
  });

  it('marks the entries the fact check found, and only those', () => {
    const marked = INFERRED_STAGES.flatMap((stage) =>
      readSeedFile(ROOT, stage.file)
        .filter((entry) => typeof entry.inferred === 'string')
        .map((entry) => `${stage.file}/${String(entry.slug)}`),
    );
    // Every project: its commune's funding is our reading (the page names the communes among the
    // projects' supporters without saying which projects each funds).
    const projects = readSeedFile(ROOT, 'projects').map((entry) => `projects/${String(entry.slug)}`);
    expect(marked.sort()).toEqual(
      [
        ...projects,
        'services/foyer-obenthalt',
        'services/act',
        // Both sides of ACT's link to the enterprises.
        'enterprises/polygone',
        'enterprises/ecotec',
        // The page names the Oeuvre Nationale de Secours without saying what kind of body it is.
        'funders/oeuvre-nationale-de-secours-grande-duchesse-charlotte',
        ...['dudelange', 'esch-sur-alzette', 'leudelange', 'luxembourg', 'mersch', 'sandweiler'].map(
          (commune) => `funders/commune-${commune}`,
        ),
      ].sort(),
    );
    const notes = Object.fromEntries(
      readSeedFile(ROOT, 'projects').map((entry) => [String(entry.slug), String(entry.inferred)]),
    );
    for (const note of Object.values(notes)) expect(note).toContain('Financement par la commune déduit');
    expect(notes['travail-communautaire-stadtgrund']).toContain('« Stadtgrund » est ajouté au titre');
    expect(notes['haus-vun-de-kanner']).toContain('Type déduit');
  });

  it.each(['fr', 'de', 'lb', 'en'])('the public REST API serves every seeded note in %s', async (locale) => {
    for (const stage of INFERRED_STAGES) {
      const plural = app.strapi.getModel(stage.uid).info.pluralName;
      const response = await app
        .http()
        .get(`/api/${plural}`)
        .query({ locale, fields: ['slug', 'inferred'], pagination: { pageSize: 100 } });
      expect(response.status).toBe(200);
      const served = Object.fromEntries(
        response.body.data.map((entry: { slug: string; inferred: string | null }) => [
          entry.slug,
          entry.inferred,
        ]),
      );
      const seeded = Object.fromEntries(
        readSeedFile(ROOT, stage.file).map((entry) => [entry.slug, entry.inferred ?? null]),
      );
      expect({ plural, served }).toEqual({ plural, served: seeded });
    }
  });

  it('the data marked inferred is still served (the note hides nothing)', async () => {
    const project = await app
      .http()
      .get('/api/projects')
      .query({ filters: { slug: { $eq: 'premier-appel' } }, populate: ['funders'] });
    expect(project.body.data[0]).toMatchObject({
      kind: 'first-contact',
      inferred: expect.stringContaining('Type déduit'),
      funders: [{ slug: 'commune-luxembourg', inferred: expect.stringContaining('déduits') }],
    });
    const act = await app
      .http()
      .get('/api/services')
      .query({ filters: { slug: { $eq: 'act' } }, populate: ['enterprises'] });
    expect(act.body.data[0].enterprises).toHaveLength(2);
    expect(act.body.data[0].inferred).toContain('Polygone et Ecotec');
  });

  it('GraphQL serves the note too', async () => {
    const response = await app
      .http()
      .post('/graphql')
      .send({
        query: `{ projects(filters: { slug: { eq: "haus-vun-de-kanner" } }) { kind inferred }
                  services(filters: { slug: { eq: "atelier-schlaifmillen" } }) { inferred } }`,
      });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      projects: [{ kind: 'childcare', inferred: expect.stringContaining('Type déduit') }],
      services: [{ inferred: null }],
    });
  });

  it('databases seeded before the fixes get them as drafts, where the text is still the seeded one', async () => {
    const { fixes } = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'database', 'content-fixes', '2026-12-08.json'), 'utf8'),
    ) as { fixes: ContentFix[] };
    // A fresh database has them all from the seed.
    expect(new Set((await applyContentFixes(app.strapi, fixes, false)).map((item) => item.outcome))).toEqual(
      new Set(['already']),
    );
    // Put two texts back as an older seed wrote them, and one changed by staff since.
    const uid = 'api::project.project';
    const gare = fixes.find((fix) => fix.slug === 'maison-des-jeunes-gare' && fix.field === 'title')!;
    const pinocchio = fixes.find((fix) => fix.slug === 'foyer-de-jour-pinocchio' && fix.field === 'title')!;
    const draft = async (fix: ContentFix) =>
      (await app.strapi.db
        .query(uid as never)
        .findOne({ where: { slug: fix.slug, locale: fix.locale, publishedAt: null } } as never)) as Record<
        string,
        unknown
      >;
    const write = async (fix: ContentFix, title: string) =>
      app.strapi.documents(uid as never).update({
        documentId: String((await draft(fix)).documentId),
        locale: fix.locale,
        data: { title },
      } as never);
    await write(gare, gare.from!);
    await write(pinocchio, 'Kita Pinocchio');
    const dry = await applyContentFixes(app.strapi, [gare, pinocchio], false);
    expect(dry.map((item) => item.outcome)).toEqual(['would apply', 'changed by staff']);
    expect((await draft(gare)).title).toBe(gare.from);
    const done = await applyContentFixes(app.strapi, [gare, pinocchio], true);
    expect(done.map((item) => item.outcome)).toEqual(['applied', 'changed by staff']);
    expect((await draft(gare)).title).toBe('Gare Youth Centre');
    expect((await draft(pinocchio)).title).toBe('Kita Pinocchio');
    await write(pinocchio, pinocchio.to);
  });

  it('the Oeuvre Nationale de Secours is a public body, with its label', async () => {
    const funder = await app
      .http()
      .get('/api/funders')
      .query({ filters: { slug: { $eq: 'oeuvre-nationale-de-secours-grande-duchesse-charlotte' } } });
    expect(funder.body.data[0]).toMatchObject({
      kind: 'public-body',
      inferred: expect.stringContaining('Type déduit'),
    });
    const vocabulary = await app.http().get('/api/vocabulary').query({ locale: 'fr' });
    expect(vocabulary.body.data.funderKinds).toContainEqual({
      key: 'public-body',
      label: 'Établissement public',
    });
  });
});
