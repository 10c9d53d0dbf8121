/** The content model and the seeded content of the history page, read over REST and GraphQL. */
import { seed } from '../src/seed';
import { startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser, type ApiUser } from './support/users';

let app: TestApp;

beforeAll(async () => {
  app = await startStrapi();
});

afterAll(async () => {
  await app?.stop();
});

const LOCALES = ['fr', 'de', 'lb', 'en'];
const EXPECTED_COUNTS: Record<string, number> = {
  sites: 13,
  projects: 29,
  services: 5,
  enterprises: 2,
  funders: 12,
};

async function rest(path: string, query: Record<string, unknown> = {}) {
  const response = await app.http().get(path).query(query);
  expect(response.status).toBe(200);
  return response.body;
}

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const response = await app.http().post('/graphql').send({ query, variables });
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  return response.body.data;
}

const projectBySlug = async (slug: string, locale = 'fr') =>
  (await rest('/api/projects', { locale, filters: { slug: { $eq: slug } }, populate: ['site', 'funders'] }))
    .data[0];

describe('counts per type and locale', () => {
  it.each(LOCALES)('REST serves the seeded totals in %s', async (locale) => {
    for (const [plural, total] of Object.entries(EXPECTED_COUNTS)) {
      const body = await rest(`/api/${plural}`, { locale });
      expect({ plural, total: body.meta.pagination.total }).toEqual({ plural, total });
      expect(body.data.every((entry: { locale: string }) => entry.locale === locale)).toBe(true);
    }
    const organisation = await rest('/api/organisation', { locale });
    expect(organisation.data).toMatchObject({
      name: 'Inter-Actions',
      legalForm: 'asbl',
      foundedYear: 1979,
      locale,
    });
  });

  it.each(LOCALES)('GraphQL serves the same totals in %s', async (locale) => {
    const data = await graphql(
      `
        query ($locale: I18NLocaleCode) {
          sites_connection(locale: $locale) {
            pageInfo {
              total
            }
          }
          projects_connection(locale: $locale) {
            pageInfo {
              total
            }
          }
          services_connection(locale: $locale) {
            pageInfo {
              total
            }
          }
          enterprises_connection(locale: $locale) {
            pageInfo {
              total
            }
          }
          funders_connection(locale: $locale) {
            pageInfo {
              total
            }
          }
        }
      `,
      { locale },
    );
    expect(
      Object.fromEntries(
        Object.entries(data).map(([key, value]) => [
          key.replace('_connection', ''),
          (value as { pageInfo: { total: number } }).pageInfo.total,
        ]),
      ),
    ).toEqual(EXPECTED_COUNTS);
  });

  it('counts 9 youth houses, 4 community-work projects and 4 projects in Mersch', async () => {
    const byKind = await rest('/api/projects', { filters: { kind: { $eq: 'youth-house' } } });
    expect(byKind.meta.pagination.total).toBe(9);
    const community = await rest('/api/projects', { filters: { kind: { $eq: 'community-work' } } });
    expect(community.meta.pagination.total).toBe(4);
    const mersch = await rest('/api/projects', { filters: { site: { commune: { $eq: 'Mersch' } } } });
    expect(mersch.meta.pagination.total).toBe(4);
  });
});

describe('facts from the history page', () => {
  it.each([
    ['maison-des-jeunes-river-clausen', 'youth-house', 1989, 'luxembourg-clausen'],
    ['wanteraktioun', 'field-coordination', 2013, 'luxembourg-ville'],
    ['travail-communautaire-stadtgrund', 'community-work', 1977, 'luxembourg-stadtgrund'],
    ['haus-vun-de-kanner', 'childcare', 1979, 'luxembourg-stadtgrund'],
    ['foyer-de-jour-pinocchio', 'day-care', 1984, 'luxembourg-gare-bonnevoie'],
    ['maison-des-jeunes-pfaffenthal', 'youth-house', 1993, 'luxembourg-pfaffenthal'],
    ['zone-d-assainissement-petite-italie', 'urban-renewal', 1996, 'dudelange-petite-italie'],
    ['ensemble-al-esch-brill-grenz', 'community-work', 2016, 'esch-sur-alzette'],
    ['garderie-klengt-butzenhaus', 'childcare', 2004, 'mersch'],
    ['maison-des-jeunes-leudelange', 'youth-house', 2010, 'leudelange'],
    ['premier-appel', 'first-contact', 2017, 'luxembourg-ville'],
  ])('%s is a %s project of %i at %s', async (slug, kind, foundedYear, site) => {
    const project = await projectBySlug(slug);
    expect(project).toMatchObject({ slug, kind, foundedYear, site: { slug: site } });
  });

  it('keeps the page’s wording in French and translates it', async () => {
    expect((await projectBySlug('maison-des-jeunes-river-clausen')).title).toBe(
      'Maison des jeunes River Clausen',
    );
    expect((await projectBySlug('maison-des-jeunes-river-clausen', 'de')).title).toBe(
      'Jugendhaus River Clausen',
    );
    expect((await projectBySlug('maison-des-jeunes-river-clausen', 'en')).title).toBe(
      'River Clausen Youth Centre',
    );
    // Proper names stay as they are in every language.
    expect((await projectBySlug('haus-vun-de-kanner', 'lb')).title).toBe('Haus vun de Kanner');
    const site = await rest('/api/sites', {
      locale: 'lb',
      filters: { slug: { $eq: 'luxembourg-gare-bonnevoie' } },
    });
    expect(site.data[0]).toMatchObject({ name: 'Lëtzebuerg – Gare a Bouneweg', commune: 'Luxembourg' });
  });

  it('Babbeltiermchen is a maison relais of 2009 in collaboration with the university', async () => {
    const project = await projectBySlug('maison-relais-babbeltiermchen');
    expect(project).toMatchObject({
      kind: 'maison-relais',
      foundedYear: 2009,
      partner: 'collaboration université',
      site: { slug: 'luxembourg-limpertsberg' },
    });
  });

  it('ACT, formerly CSP, dates from 1986 and follows the young people of both enterprises', async () => {
    const body = await rest('/api/services', {
      filters: { slug: { $eq: 'act' } },
      populate: ['enterprises'],
    });
    const act = body.data[0];
    expect(act).toMatchObject({ formerName: 'CSP', foundedYear: 1986, theme: 'job-coaching' });
    expect(act.enterprises.map((enterprise: { slug: string }) => enterprise.slug).sort()).toEqual([
      'ecotec',
      'polygone',
    ]);
  });

  it('Polygone (1981) and Ecotec (1994) are s.à r.l., Polygone with about 100 employees, half social', async () => {
    const body = await rest('/api/enterprises', { sort: 'foundedYear', populate: ['sectors', 'services'] });
    expect(body.data).toMatchObject([
      {
        slug: 'polygone',
        foundedYear: 1981,
        legalForm: 's.à r.l.',
        employeesApprox: 100,
        socialPurposeShare: 0.5,
      },
      {
        slug: 'ecotec',
        foundedYear: 1994,
        legalForm: 's.à r.l.',
        sectors: [{ name: 'Gestion des déchets industriels' }],
      },
    ]);
    expect(body.data[0].sectors).toHaveLength(5);
    // The inverse side: each enterprise lists the ACT service.
    expect(body.data[0].services.map((service: { slug: string }) => service.slug)).toEqual(['act']);
  });

  it('has the five services with their years and themes', async () => {
    const body = await rest('/api/services', {
      sort: ['foundedYear', 'slug'],
      fields: ['slug', 'foundedYear', 'theme'],
    });
    expect(
      body.data.map(({ slug, foundedYear, theme }: Record<string, unknown>) => [slug, foundedYear, theme]),
    ).toEqual([
      ['act', 1986, 'job-coaching'],
      ['atelier-schlaifmillen', 1986, 'work-initiation'],
      ['service-surendettement', 1991, 'debt-counselling'],
      ['foyer-obenthalt', 2012, 'emergency-housing'],
      ['service-suivi-financier', 2017, 'budget-management'],
    ]);
  });

  it('the organisation: 1979, no political or religious affiliation, all 12 funders', async () => {
    const body = await rest('/api/organisation', { populate: ['funders'] });
    expect(body.data.independence).toBe('L’association n’a pas de dépendance politique ou religieuse.');
    expect(body.data.funders).toHaveLength(12);
    const kinds = body.data.funders.map((funder: { kind: string }) => funder.kind);
    expect(kinds.filter((kind: string) => kind === 'ministry')).toHaveLength(4);
    expect(kinds.filter((kind: string) => kind === 'commune')).toHaveLength(6);
  });
});

describe('relations read from both sides', () => {
  it('a site lists its projects (Mersch has 4)', async () => {
    const body = await rest('/api/sites', { filters: { slug: { $eq: 'mersch' } }, populate: ['projects'] });
    expect(body.data[0].projects.map((project: { slug: string }) => project.slug).sort()).toEqual([
      'foyer-de-jour-butzenhaus',
      'garderie-klengt-butzenhaus',
      'maison-relais-krounebierg',
      'maison-relais-wisestrooss-nic-welter',
    ]);
  });

  it('a commune funds exactly the projects located in it, and nothing else is linked', async () => {
    const data = await graphql(`
      {
        funders(filters: { slug: { eq: "commune-luxembourg" } }) {
          slug
          projects(pagination: { limit: 100 }) {
            slug
          }
          services {
            slug
          }
        }
        ministries: funders(filters: { kind: { eq: "ministry" } }) {
          projects {
            slug
          }
          services {
            slug
          }
        }
      }
    `);
    expect(data.funders[0].projects).toHaveLength(18);
    expect(data.funders[0].services).toEqual([]);
    for (const ministry of data.ministries) expect(ministry).toEqual({ projects: [], services: [] });
  });

  it('every project points to one funder: the commune of its site, in every locale', async () => {
    for (const locale of LOCALES) {
      const body = await rest('/api/projects', {
        locale,
        pagination: { pageSize: 100 },
        populate: { site: { fields: ['commune'] }, funders: { fields: ['slug', 'kind'] } },
      });
      expect(body.data).toHaveLength(29);
      for (const project of body.data) {
        expect(project.funders).toEqual([
          expect.objectContaining({ kind: 'commune', slug: `commune-${project.site.commune.toLowerCase()}` }),
        ]);
      }
    }
  });
});

describe('seeding', () => {
  it('is idempotent: a second run creates nothing and leaves the counts as they were', async () => {
    const count = (uid: string) => app.strapi.db.query(uid as never).count();
    const uids = ['api::site.site', 'api::project.project', 'api::service.service', 'api::funder.funder'];
    const before = await Promise.all(uids.map(count));
    const report = await seed(app.strapi);
    expect(Object.values(report.created).every((created) => created === 0)).toBe(true);
    expect(report.skipped).toEqual({ ...EXPECTED_COUNTS, organisation: 1 });
    expect(await Promise.all(uids.map(count))).toEqual(before);
  });
});

describe('invalid data is refused with 400 and nothing is written', () => {
  let editor: ApiUser;
  let siteId: string;

  beforeAll(async () => {
    editor = await createApiUser(app, 'editor');
    siteId = (await rest('/api/sites', { filters: { slug: { $eq: 'mersch' } } })).data[0].documentId;
  });

  const valid = () => ({
    title: 'Projet test',
    slug: 'projet-test',
    kind: 'youth-house',
    foundedYear: 2020,
    site: siteId,
  });
  const projectRows = () => app.strapi.db.query('api::project.project').count();

  it.each([
    ['foundedYear', { foundedYear: 1850 }],
    ['foundedYear', { foundedYear: new Date().getFullYear() + 2 }],
    ['kind', { kind: 'castle' }],
    ['site', { site: undefined }],
    ['closedYear', { foundedYear: 2000, closedYear: 1999 }],
  ])('a bad %s', async (field, change) => {
    const before = await projectRows();
    const response = await app
      .http()
      .post('/api/projects')
      .set(bearer(editor))
      .send({ data: { ...valid(), ...change } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
    expect(response.body.error.message).toContain(field);
    const paths = response.body.error.details.errors.map((error: { path: string[] }) => error.path.join('.'));
    expect(paths).toContain(field);
    expect(await projectRows()).toBe(before);
  });

  it('the same through a GraphQL mutation', async () => {
    const before = await projectRows();
    const response = await app
      .http()
      .post('/graphql')
      .set(bearer(editor))
      .send({
        query: `mutation ($data: ProjectInput!) { createProject(data: $data) { documentId } }`,
        variables: { data: { ...valid(), foundedYear: 1850 } },
      });
    expect(response.body.data?.createProject ?? null).toBeNull();
    expect(response.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(response.body.errors[0].message).toContain('foundedYear');
    expect(await projectRows()).toBe(before);
  });

  it('a valid project is accepted (the rules refuse only what is wrong)', async () => {
    const response = await app.http().post('/api/projects').set(bearer(editor)).send({ data: valid() });
    expect(response.status).toBe(201);
    expect(response.body.data).toMatchObject({ slug: 'projet-test', foundedYear: 2020, publishedAt: null });
  });
});

describe('vocabulary', () => {
  it('serves the labels of the keys in a locale', async () => {
    const body = await rest('/api/vocabulary', { locale: 'de' });
    expect(body.meta).toEqual({ locale: 'de' });
    expect(body.data.projectKinds).toContainEqual({ key: 'youth-house', label: 'Jugendhaus' });
    expect(body.data.serviceThemes).toContainEqual({ key: 'emergency-housing', label: 'Notunterkunft' });
    expect(body.data.projectKinds).toHaveLength(11);
  });

  it('refuses an unknown locale with 400', async () => {
    const response = await app.http().get('/api/vocabulary').query({ locale: 'xx' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('xx');
  });
});
