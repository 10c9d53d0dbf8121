/**
 * Issue 15, vocabulary that staff can edit: the labels of project kinds, service themes and
 * funder kinds are vocabulary terms (api::term.term, src/vocabulary/terms.ts), seeded from
 * src/vocabulary/labels.ts, edited in the admin panel, read by GET /api/vocabulary, the listings
 * and the timeline (REST and GraphQL) on the very next request, with the response cache on.
 */
import { LOCALE_CODES } from '../src/bootstrap/locales';
import { VOCABULARIES, type VocabularyName } from '../src/vocabulary/labels';
import { seedTerms, TERM_GROUPS, TERM_UID } from '../src/vocabulary/terms';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser } from './support/users';

const CM = `/content-manager/collection-types/${TERM_UID}`;
const NAMES = Object.keys(VOCABULARIES) as VocabularyName[];

interface Term {
  documentId: string;
  group: string;
  key: string;
  label: string;
  locale: string;
}

let app: TestApp;
let superAdmin: AdminSession;
let communication: AdminSession;
let translator: AdminSession;
let coordinator: AdminSession;

beforeAll(async () => {
  app = await startStrapi({ env: { RESPONSE_CACHE_DEBUG_HEADER: 'true' } });
  superAdmin = await registerFirstAdmin(app);
  communication = await createAdminUser(app, superAdmin, 'communication', 'communication');
  translator = await createAdminUser(app, superAdmin, 'translator', 'translator');
  coordinator = await createAdminUser(app, superAdmin, 'project-coordinator', 'coordinator');
});

afterAll(async () => {
  await app?.stop();
});

/** The enumeration of a vocabulary in the running app's schema. */
const enumOf = (name: VocabularyName): string[] => {
  const { uid, attribute } = VOCABULARIES[name];
  const model = app.strapi.getModel(uid as never) as unknown as {
    attributes: Record<string, { enum: string[] }>;
  };
  return model.attributes[attribute].enum;
};

/** Every term in `locale`, as the admin panel's list view gets them. */
async function termsIn(locale: string, session = communication): Promise<Term[]> {
  const response = await app
    .http()
    .get(CM)
    .query({ locale, page: 1, pageSize: 100 })
    .set(session.headers)
    .expect(200);
  return response.body.results;
}

const termOf = async (name: VocabularyName, key: string, locale = 'fr') =>
  (await termsIn(locale)).find((term) => term.group === TERM_GROUPS[name] && term.key === key) as Term;

/** What the database holds for the terms, every locale. */
const stored = () =>
  app.strapi.db
    .query(TERM_UID as never)
    .findMany({ select: ['documentId', 'group', 'key', 'locale', 'label'], orderBy: { id: 'asc' } });

const read = (path: string, query: Record<string, string> = {}) => app.http().get(path).query(query);

describe('the seeded terms', () => {
  it.each(LOCALE_CODES)(
    'are one term per enumeration value of the schemas, labelled as labels.ts says, in %s',
    async (locale) => {
      const terms = await termsIn(locale);
      for (const name of NAMES) {
        const labels = VOCABULARIES[name].labels as Record<string, Record<string, string>>;
        const group = terms.filter((term) => term.group === TERM_GROUPS[name]);
        expect({ name, keys: group.map((term) => term.key).sort() }).toEqual({
          name,
          keys: [...enumOf(name)].sort(),
        });
        for (const key of enumOf(name)) {
          const term = group.find((candidate) => candidate.key === key);
          expect({ name, key, locale, label: term?.label }).toEqual({
            name,
            key,
            locale,
            label: labels[key][locale],
          });
        }
      }
    },
  );

  it('have all four locales each, and GET /api/vocabulary gives them in the order of the schemas', async () => {
    const rows = (await stored()) as Term[];
    for (const name of NAMES) {
      for (const key of enumOf(name)) {
        const locales = rows
          .filter((row) => row.group === TERM_GROUPS[name] && row.key === key)
          .map((row) => row.locale);
        expect({ key, locales: locales.sort() }).toEqual({ key, locales: [...LOCALE_CODES].sort() });
      }
    }
    for (const locale of LOCALE_CODES) {
      const body = (await read('/api/vocabulary', { locale }).expect(200)).body;
      for (const name of NAMES) {
        const labels = VOCABULARIES[name].labels as Record<string, Record<string, string>>;
        expect(body.data[name]).toEqual(enumOf(name).map((key) => ({ key, label: labels[key][locale] })));
      }
    }
  });

  it('seeding again changes nothing staff changed, and adds back only what is missing', async () => {
    const term = await termOf('funderKinds', enumOf('funderKinds')[0], 'en');
    await app
      .http()
      .put(`${CM}/${term.documentId}`)
      .query({ locale: 'en' })
      .set(communication.headers)
      .send({ label: 'Renamed by staff' })
      .expect(200);
    await app.strapi.db
      .query(TERM_UID as never)
      .delete({ where: { documentId: term.documentId, locale: 'lb' } });
    const before = (await stored()).length;

    await seedTerms(app.strapi);

    expect((await stored()).length).toBe(before + 1);
    expect((await termOf('funderKinds', term.key, 'en')).label).toBe('Renamed by staff');
    const labels = VOCABULARIES.funderKinds.labels as Record<string, Record<string, string>>;
    expect((await termOf('funderKinds', term.key, 'lb')).label).toBe(labels[term.key].lb);
    await seedTerms(app.strapi);
    expect((await stored()).length).toBe(before + 1);
  });
});

describe('a label renamed in the admin panel', () => {
  it('shows on the very next vocabulary, listing and timeline read (REST and GraphQL), cache on', async () => {
    // A kind that a published project has, and a theme that a published service has.
    const rows = (await read('/api/listings/projects', { locale: 'de' }).expect(200)).body.data as {
      type: string;
      kind: string;
      kindLabel: string;
    }[];
    const project = rows.find((row) => row.type === 'project') as (typeof rows)[number];
    const service = rows.find((row) => row.type === 'service') as (typeof rows)[number];
    const funderKind = enumOf('funderKinds')[1];
    const renames: [VocabularyName, string, string][] = [
      ['projectKinds', project.kind, 'Neuer Projektname'],
      ['serviceThemes', service.kind, 'Neues Thema'],
      ['funderKinds', funderKind, 'Neue Geldgeberart'],
    ];
    const paths = [
      '/api/vocabulary?locale=de',
      '/api/listings/projects?locale=de',
      '/api/timeline?locale=de',
    ];

    // Warm the cache: the second read of each is a hit.
    for (const path of paths) {
      await read(path).expect(200);
      expect({ path, cache: (await read(path).expect(200)).headers['x-cache'] }).toEqual({
        path,
        cache: 'HIT',
      });
    }

    for (const [name, key, label] of renames) {
      const term = await termOf(name, key, 'de');
      // As the panel sends it: the whole form, the key and group unchanged.
      const saved = await app
        .http()
        .put(`${CM}/${term.documentId}`)
        .query({ locale: 'de' })
        .set(communication.headers)
        .send({ label, key: term.key, group: term.group });
      expect(saved.status).toBe(200);
      expect(saved.body.data).toMatchObject({ label, key, locale: 'de' });
    }

    for (let time = 1; time <= 2; time += 1) {
      const vocabulary = (await read('/api/vocabulary', { locale: 'de' }).expect(200)).body.data;
      for (const [name, key, label] of renames)
        expect({
          time,
          name,
          found: vocabulary[name].find((item: { key: string }) => item.key === key),
        }).toEqual({ time, name, found: { key, label } });

      const listing = (await read('/api/listings/projects', { locale: 'de' }).expect(200)).body.data as {
        kind: string;
        kindLabel: string;
      }[];
      expect(listing.filter((row) => row.kind === project.kind).map((row) => row.kindLabel)).toEqual(
        listing.filter((row) => row.kind === project.kind).map(() => 'Neuer Projektname'),
      );
      expect(listing.find((row) => row.kind === service.kind)?.kindLabel).toBe('Neues Thema');
      const csv = (await read('/api/listings/projects.csv', { locale: 'de' }).expect(200)).text;
      expect(csv).toContain('Neuer Projektname');

      const timeline = (await read('/api/timeline', { locale: 'de' }).expect(200)).body.data as {
        kind: { key: string; label: string } | null;
      }[];
      expect(timeline.find((entry) => entry.kind?.key === project.kind)?.kind?.label).toBe(
        'Neuer Projektname',
      );
      expect(timeline.find((entry) => entry.kind?.key === service.kind)?.kind?.label).toBe('Neues Thema');

      const graphql = await app
        .http()
        .post('/graphql')
        .send({ query: '{ timeline(locale: "de") { entries { kind { key label } } } }' })
        .expect(200);
      expect(
        graphql.body.data.timeline.entries.find(
          (entry: { kind: { key: string } | null }) => entry.kind?.key === project.kind,
        ).kind.label,
      ).toBe('Neuer Projektname');
    }
    // The other locales keep their labels.
    const french = (await read('/api/vocabulary', { locale: 'fr' }).expect(200)).body.data;
    const labels = VOCABULARIES.projectKinds.labels as Record<string, Record<string, string>>;
    expect(french.projectKinds.find((item: { key: string }) => item.key === project.kind).label).toBe(
      labels[project.kind].fr,
    );
  });

  it('falls back to the French label when a locale has none', async () => {
    const key = enumOf('serviceThemes').at(-1) as string;
    const term = await termOf('serviceThemes', key, 'fr');
    await app.strapi.db
      .query(TERM_UID as never)
      .delete({ where: { documentId: term.documentId, locale: 'en' } });
    await app.strapi.db
      .query(TERM_UID as never)
      .delete({ where: { documentId: term.documentId, locale: 'de' } });
    const vocabulary = (await read('/api/vocabulary', { locale: 'en' }).expect(200)).body.data;
    expect(vocabulary.serviceThemes.find((item: { key: string }) => item.key === key).label).toBe(term.label);
    await seedTerms(app.strapi); // put them back
  });
});

describe('keys are stable: only labels change', () => {
  const refused = (response: {
    status: number;
    body: { data: unknown; error?: { status: number; name: string } };
  }) => {
    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 400,
      body: { data: null, error: { status: 400, name: 'ValidationError' } },
    });
  };

  it.each([
    // Communication holds no `delete` on terms (src/permissions/table.ts): RBAC answers 403 first.
    ['Communication', () => communication, 403],
    ['a super admin', () => superAdmin, 400],
  ])(
    '%s cannot change a key or a group, create a term, delete or copy one: 400, nothing changed',
    async (_, who, deleteStatus) => {
      const session = who();
      const term = await termOf('projectKinds', enumOf('projectKinds')[0]);
      const before = await stored();
      const put = (data: Record<string, unknown>, locale = 'fr') =>
        app.http().put(`${CM}/${term.documentId}`).query({ locale }).set(session.headers).send(data);
      const post = (data: Record<string, unknown>) =>
        app.http().post(CM).query({ locale: 'fr' }).set(session.headers).send(data);

      refused(await put({ label: term.label, key: 'something-else' }));
      refused(await put({ label: term.label, key: enumOf('projectKinds')[1] }));
      refused(await put({ label: term.label, key: 'Bad Key!' }));
      refused(await put({ label: term.label, key: null }));
      refused(await put({ label: term.label, group: 'funder-kind' }));
      refused(await put({ label: 'Anders', key: 'anders' }, 'de'));
      refused(await post({ group: 'project-kind', key: 'not-in-the-schema', label: 'Inconnu' }));
      refused(await post({ group: 'project-kind', key: 'Bad Key!', label: 'Inconnu' }));
      refused(await post({ group: 'project-kind', key: term.key, label: 'Doublon' }));
      refused(await post({ group: 'funder-kind', key: term.key, label: 'Mauvais groupe' }));
      refused(await post({ group: 'no-such-group', key: term.key, label: 'Inconnu' }));
      refused(await post({ label: 'Sans clé' }));
      const deleted = await app
        .http()
        .delete(`${CM}/${term.documentId}`)
        .query({ locale: 'de' })
        .set(session.headers);
      expect({ deleted: deleted.status }).toEqual({ deleted: deleteStatus });
      const all = await app
        .http()
        .delete(`${CM}/${term.documentId}`)
        .query({ locale: '*' })
        .set(session.headers);
      expect({ all: all.status }).toEqual({ all: deleteStatus });
      const bulk = await app
        .http()
        .post(`${CM}/actions/bulkDelete`)
        .query({ locale: 'fr' })
        .set(session.headers)
        .send({ documentIds: [term.documentId] });
      expect({ bulk: bulk.status }).toEqual({ bulk: deleteStatus });
      const clone = await app
        .http()
        .post(`${CM}/clone/${term.documentId}`)
        .query({ locale: 'fr' })
        .set(session.headers)
        .send({ label: 'Copie', key: term.key, group: term.group });
      refused(clone);

      expect(await stored()).toEqual(before);
    },
  );

  it('a Translator renames the labels of its locales, not the French one; a Project coordinator none', async () => {
    const term = await termOf('funderKinds', enumOf('funderKinds')[0], 'de');
    const put = (session: AdminSession, locale: string, label: string) =>
      app.http().put(`${CM}/${term.documentId}`).query({ locale }).set(session.headers).send({ label });
    expect((await put(translator, 'de', 'Übersetzt')).status).toBe(200);
    expect((await read('/api/vocabulary', { locale: 'de' }).expect(200)).body.data.funderKinds[0].label).toBe(
      'Übersetzt',
    );
    const before = await stored();
    expect((await put(translator, 'fr', 'Traduit')).status).toBe(403);
    expect((await put(coordinator, 'de', 'Koordiniert')).status).toBe(403);
    expect(await stored()).toEqual(before);
  });
});

describe('the public and content API users cannot write the vocabulary', () => {
  it('has no content API route and no GraphQL operation for terms, whoever asks', async () => {
    const editor = await createApiUser(app, 'editor');
    const term = await termOf('projectKinds', enumOf('projectKinds')[0]);
    const before = await stored();
    for (const headers of [{}, bearer(editor)]) {
      for (const [method, path] of [
        ['get', '/api/terms'],
        ['post', '/api/terms'],
        ['get', `/api/terms/${term.documentId}`],
        ['put', `/api/terms/${term.documentId}`],
        ['delete', `/api/terms/${term.documentId}`],
      ] as const) {
        const agent = app.http();
        const response = await agent[method](path)
          .set(headers)
          .send(
            method === 'get'
              ? undefined
              : { data: { label: 'Pirate', key: 'pirate', group: 'project-kind' } },
          );
        // 404 (no route), or 405 (the path exists for no method) from the router.
        expect({ method, path, refused: [404, 405].includes(response.status) }).toEqual({
          method,
          path,
          refused: true,
        });
      }
      for (const query of [
        '{ terms { key label } }',
        `mutation { updateTerm(documentId: "${term.documentId}", data: { label: "Pirate" }) { label } }`,
        'mutation { createTerm(data: { label: "Pirate", key: "pirate", group: project_kind }) { label } }',
        `mutation { deleteTerm(documentId: "${term.documentId}") { documentId } }`,
      ]) {
        const response = await app.http().post('/graphql').set(headers).send({ query });
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
        expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      }
    }
    expect(await stored()).toEqual(before);
  });
});
