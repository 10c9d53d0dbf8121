/**
 * The API that websites and partner ministries read: filters, pinned populate, listings (JSON and
 * CSV), locale fallback, the timeline, caching headers and CORS, over HTTP with the seed content.
 */
import { parse } from 'csv-parse/sync';
import { startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser } from './support/users';

let app: TestApp;

beforeAll(async () => {
  app = await startStrapi({ env: { CORS_ORIGINS: 'https://www.inter-actions.lu,https://partner.example' } });
});

afterAll(async () => {
  await app?.stop();
});

const get = async (path: string, query: Record<string, unknown> = {}, status = 200) => {
  const response = await app.http().get(path).query(query);
  expect({ path, status: response.status }).toEqual({ path, status });
  return response.body;
};

const graphql = async (query: string) => {
  const response = await app.http().post('/graphql').send({ query });
  expect(response.body.errors).toBeUndefined();
  return response.body.data;
};

const slugs = (entries: { slug: string }[]) => entries.map((entry) => entry.slug).sort();

describe('filters on the auto-generated endpoints (REST and GraphQL agree)', () => {
  it.each([
    [
      'funder slug',
      { funders: { slug: { $eq: 'commune-mersch' } } },
      '{ funders: { slug: { eq: "commune-mersch" } } }',
      4,
    ],
    [
      'site slug',
      { site: { slug: { $eq: 'luxembourg-ville' } } },
      '{ site: { slug: { eq: "luxembourg-ville" } } }',
      5,
    ],
    ['commune', { site: { commune: { $eq: 'Dudelange' } } }, '{ site: { commune: { eq: "Dudelange" } } }', 3],
    ['kind', { kind: { $eq: 'youth-house' } }, '{ kind: { eq: "youth-house" } }', 9],
    [
      'founding-year range',
      { foundedYear: { $gte: 2000, $lte: 2009 } },
      '{ foundedYear: { gte: 2000, lte: 2009 } }',
      10,
    ],
  ])('projects by %s', async (_, filters, graphqlFilters, total) => {
    const rest = await get('/api/projects', { filters, pagination: { pageSize: 100 } });
    expect(rest.meta.pagination.total).toBe(total);
    const data = await graphql(
      `{ projects(filters: ${graphqlFilters}, pagination: { limit: 100 }) { slug } }`,
    );
    expect(slugs(data.projects)).toEqual(slugs(rest.data));
  });

  it('projects updated after a date (incremental sync)', async () => {
    const all = await get('/api/projects', { pagination: { pageSize: 100 }, sort: 'updatedAt' });
    const middle = all.data[14].updatedAt;
    const later = await get('/api/projects', {
      filters: { updatedAt: { $gt: middle } },
      pagination: { pageSize: 100 },
    });
    const expected = all.data.filter((project: { updatedAt: string }) => project.updatedAt > middle);
    expect(slugs(later.data)).toEqual(slugs(expected));
    const data = await graphql(
      `{ projects(filters: { updatedAt: { gt: "${middle}" } }, pagination: { limit: 100 }) { slug } }`,
    );
    expect(slugs(data.projects)).toEqual(slugs(expected));
    expect(later.data.length).toBeLessThan(29);
  });

  it('services by theme and by funder', async () => {
    const byTheme = await get('/api/services', { filters: { theme: { $eq: 'debt-counselling' } } });
    expect(slugs(byTheme.data)).toEqual(['service-surendettement']);
    const data = await graphql('{ services(filters: { theme: { eq: "emergency-housing" } }) { slug } }');
    expect(slugs(data.services)).toEqual(['foyer-obenthalt']);
    // The page names no service-level funding: no service has a funder.
    const byFunder = await get('/api/services', {
      filters: { funders: { slug: { $eq: 'ministry-of-family' } } },
    });
    expect(byFunder.meta.pagination.total).toBe(0);
  });
});

describe('populate pinned per route', () => {
  it('a plain GET /api/projects returns the site and the funders’ name and slug', async () => {
    const body = await get('/api/projects', { filters: { slug: { $eq: 'wanteraktioun' } } });
    expect(body.data[0].site).toMatchObject({ slug: 'luxembourg-ville', name: 'Luxembourg – Ville' });
    expect(body.data[0].funders).toEqual([
      {
        id: expect.any(Number),
        documentId: expect.any(String),
        name: 'Commune de Luxembourg',
        slug: 'commune-luxembourg',
      },
    ]);
  });

  it('an explicit one-level populate of a direct relation works', async () => {
    const site = await get('/api/sites', { filters: { slug: { $eq: 'mersch' } }, populate: 'projects' });
    expect(site.data[0].projects).toHaveLength(4);
    const funder = await get('/api/funders', {
      filters: { slug: { $eq: 'commune-mersch' } },
      populate: { projects: { fields: ['slug'] } },
    });
    expect(funder.data[0].projects).toHaveLength(4);
    const service = await get('/api/services', {
      filters: { slug: { $eq: 'act' } },
      populate: ['enterprises'],
    });
    expect(slugs(service.data[0].enterprises)).toEqual(['ecotec', 'polygone']);
  });

  it.each([
    ['a nested populate', { populate: { site: { populate: { projects: true } } } }, 'site.populate'],
    ['a dotted path', { populate: 'site.projects' }, 'site.projects'],
    ['a field that is no relation', { populate: 'title' }, 'title'],
    ['the creator', { populate: 'createdBy' }, 'createdBy'],
  ])('refuses %s with 400', async (_, query, named) => {
    const body = await get('/api/projects', query, 400);
    expect(body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
    expect(body.error.message).toContain(named);
  });
});

describe('listings for partners', () => {
  it('lists every published project and service as flat rows, with the total', async () => {
    const body = await get('/api/listings/projects');
    expect(body.meta.pagination.total).toBe(34);
    expect(body.data.filter((row: { type: string }) => row.type === 'service')).toHaveLength(5);
    // Columns added later (issue 18) are checked in tests/listing-formats.test.ts.
    expect(body.data).toContainEqual(
      expect.objectContaining({
        type: 'project',
        documentId: expect.any(String),
        slug: 'maison-des-jeunes-river-clausen',
        title: 'Maison des jeunes River Clausen',
        locale: 'fr',
        kind: 'youth-house',
        kindLabel: 'Maison des jeunes',
        foundedYear: 1989,
        site: 'Luxembourg – Clausen',
        commune: 'Luxembourg',
        funders: ['commune-luxembourg'],
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    );
    expect(body.data).toContainEqual(
      expect.objectContaining({
        type: 'service',
        documentId: expect.any(String),
        slug: 'act',
        title: 'ACT – Accompagnement et Coaching pour le Travail',
        locale: 'fr',
        kind: 'job-coaching',
        kindLabel: 'Accompagnement et coaching pour le travail',
        foundedYear: 1986,
        site: '',
        commune: '',
        funders: [],
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    );
    expect(body.meta.links).toMatchObject({ next: null, prev: null });
  });

  it.each([
    [{ commune: 'Mersch' }, 4],
    [{ kind: 'youth-house' }, 9],
    [{ kind: 'job-coaching' }, 1],
    [{ type: 'service' }, 5],
    [{ funder: 'commune-dudelange' }, 3],
    [{ foundedFrom: 2010, foundedTo: 2013 }, 6],
    [{ since: '2000-01-01' }, 34],
    [{ since: '2999-01-01T00:00:00Z' }, 0],
  ])('filters by %j', async (query, total) => {
    expect((await get('/api/listings/projects', query)).meta.pagination.total).toBe(total);
  });

  it('pages with next and prev links', async () => {
    const first = await get('/api/listings/projects', { pageSize: 10, locale: 'de' });
    expect(first.data).toHaveLength(10);
    expect(first.meta.pagination).toEqual({ page: 1, pageSize: 10, pageCount: 4, total: 34 });
    expect(first.meta.links.prev).toBeNull();
    const second = await app.http().get(first.meta.links.next).expect(200);
    expect(second.body.meta.pagination.page).toBe(2);
    expect(second.body.meta.links.prev).toContain('page=1');
    expect(second.body.data[0].slug).not.toBe(first.data[0].slug);
    expect(second.body.data[0].kindLabel).toEqual(expect.any(String));
  });

  it.each([
    [{ colour: 'red' }, 'colour'],
    [{ type: 'castle' }, 'type'],
    [{ kind: 'castle' }, 'kind'],
    [{ foundedFrom: 'last year' }, 'foundedFrom'],
    [{ since: 'yesterday' }, 'since'],
    [{ locale: 'xx' }, 'locale'],
    [{ pageSize: 100000 }, 'pageSize'],
  ])('refuses %j with 400 naming the parameter', async (query, name) => {
    const body = await get('/api/listings/projects', query, 400);
    expect(body.error.message).toContain(`"${name}"`);
  });

  it('serves RFC 4180 CSV with a header row, as an attachment', async () => {
    const response = await app.http().get('/api/listings/projects.csv').query({ locale: 'en' }).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="inter-actions-projects-en-\d{4}-\d\d-\d\d\.csv"$/,
    );
    expect(response.text).toContain('\r\n');
    const rows: Record<string, string>[] = parse(response.text, { columns: true });
    expect(rows).toHaveLength(34);
    expect(rows.find((row) => row.slug === 'maison-des-jeunes-river-clausen')).toMatchObject({
      type: 'project',
      title: 'River Clausen Youth Centre',
      kind: 'youth-house',
      kindLabel: 'Youth centre',
      foundedYear: '1989',
      site: 'Luxembourg – Clausen',
      funders: 'commune-luxembourg',
    });
    // A title with a comma or quotes survives the round trip.
    const wanteraktioun = rows.find((row) => row.slug === 'wanteraktioun');
    expect(wanteraktioun?.title).toBe('Field coordination “Wanteraktioun”');
  });

  it('the CSV takes the same filters and refuses paging parameters', async () => {
    const response = await app
      .http()
      .get('/api/listings/projects.csv')
      .query({ commune: 'Mersch' })
      .expect(200);
    expect(parse(response.text, { columns: true })).toHaveLength(4);
    const refused = await get('/api/listings/projects.csv', { page: 2 }, 400);
    expect(refused.error.message).toContain('"page"');
  });

  it('is readable with a read-only token', async () => {
    const { createReadOnlyToken } = await import('../src/permissions/tokens');
    const token = await createReadOnlyToken(app.strapi, { name: 'Listing reader', days: 7 });
    const headers = { Authorization: `Bearer ${token.accessKey}` };
    await app.http().get('/api/listings/projects').set(headers).expect(200);
    await app.http().get('/api/listings/projects.csv').set(headers).expect(200);
    await app.http().get('/api/timeline').set(headers).expect(200);
  });
});

describe('locale fallback', () => {
  const SLUG = 'maison-des-jeunes-gasperich';
  let documentId: string;

  beforeAll(async () => {
    documentId = (await get('/api/projects', { filters: { slug: { $eq: SLUG } } })).data[0].documentId;
    // A translation goes missing: the German version of one project is deleted.
    await app.strapi.documents('api::project.project').delete({ documentId, locale: 'de' });
  });

  it('a list in de still has every entry, the untranslated one in fr', async () => {
    const body = await get('/api/projects', { locale: 'de', pagination: { pageSize: 100 } });
    expect(body.meta.pagination.total).toBe(29);
    const entry = body.data.find((project: { slug: string }) => project.slug === SLUG);
    expect(entry).toMatchObject({ locale: 'fr', title: 'Maison des jeunes Gasperich' });
    const others = body.data.filter((project: { slug: string }) => project.slug !== SLUG);
    expect(others.every((project: { locale: string }) => project.locale === 'de')).toBe(true);
  });

  it('filters, sorting and paging still apply across both locales', async () => {
    const filtered = await get('/api/projects', {
      locale: 'de',
      filters: { kind: { $eq: 'youth-house' } },
      sort: 'foundedYear:desc',
      pagination: { pageSize: 5 },
    });
    expect(filtered.meta.pagination).toMatchObject({ total: 9, pageCount: 2 });
    const years = filtered.data.map((project: { foundedYear: number }) => project.foundedYear);
    expect(years).toEqual([...years].sort((a, b) => b - a));
  });

  it('findOne in de answers the fr version instead of 404', async () => {
    const body = await get(`/api/projects/${documentId}`, { locale: 'de' });
    expect(body.data).toMatchObject({ documentId, locale: 'fr' });
  });

  it('GraphQL falls back too', async () => {
    const data = await graphql(`{
      projects_connection(locale: "de") { pageInfo { total } }
      project(documentId: "${documentId}", locale: "de") { locale title }
    }`);
    expect(data.projects_connection.pageInfo.total).toBe(29);
    expect(data.project).toEqual({ locale: 'fr', title: 'Maison des jeunes Gasperich' });
  });

  it('the listing in de counts the same as in fr', async () => {
    expect((await get('/api/listings/projects', { locale: 'de' })).meta.pagination.total).toBe(34);
  });
});

describe('timeline', () => {
  it('orders the founding and every project, service and enterprise by year', async () => {
    const body = await get('/api/timeline', { locale: 'fr' });
    expect(body.data).toHaveLength(1 + 29 + 5 + 2);
    expect(body.data[0]).toMatchObject({
      year: 1977,
      type: 'project',
      slug: 'travail-communautaire-stadtgrund',
      site: { name: 'Luxembourg – Stadtgrund' },
      kind: { key: 'community-work', label: 'Travail communautaire' },
    });
    const years = body.data.map((entry: { year: number }) => entry.year);
    expect(years).toEqual([...years].sort((a, b) => a - b));
    expect(body.data).toContainEqual(
      expect.objectContaining({
        type: 'organisation',
        year: 1979,
        title: 'Inter-Actions',
        legalForm: 'asbl',
      }),
    );
    expect(body.data).toContainEqual(
      expect.objectContaining({ type: 'service', slug: 'act', formerName: 'CSP', year: 1986 }),
    );
    expect(body.data).toContainEqual(
      expect.objectContaining({ type: 'enterprise', slug: 'polygone', year: 1981, legalForm: 's.à r.l.' }),
    );
    expect(body.meta.organisation).toMatchObject({ foundedYear: 1979, funders: expect.any(Array) });
    expect(body.meta.organisation.funders).toHaveLength(12);
  });

  it('speaks the asked locale', async () => {
    const body = await get('/api/timeline', { locale: 'de' });
    expect(body.data[0]).toMatchObject({
      title: 'Gemeinwesenarbeit Stadtgrund',
      kind: { label: 'Gemeinwesenarbeit' },
    });
    expect(body.meta.organisation.independence).toBe(
      'Die Vereinigung ist politisch und religiös unabhängig.',
    );
  });

  it('is a GraphQL query too', async () => {
    const data = await graphql(
      '{ timeline(locale: "en") { locale entries { type year title site { name } } organisation { name } } }',
    );
    expect(data.timeline.entries[0]).toEqual({
      type: 'project',
      year: 1977,
      title: 'Community work Stadtgrund',
      site: { name: 'Luxembourg – Stadtgrund' },
    });
    expect(data.timeline.organisation.name).toBe('Inter-Actions');
  });

  it('refuses an unknown locale or parameter with 400', async () => {
    expect((await get('/api/timeline', { locale: 'xx' }, 400)).error.message).toContain('xx');
    expect((await get('/api/timeline', { year: 1979 }, 400)).error.message).toContain('year');
  });
});

describe('caching headers', () => {
  it('a public GET has a strong ETag and public Cache-Control; If-None-Match answers 304', async () => {
    const first = await app.http().get('/api/projects').expect(200);
    expect(first.headers.etag).toMatch(/^"[^"]+"$/);
    expect(first.headers['cache-control']).toBe('public, no-cache, stale-if-error=300');
    const again = await app.http().get('/api/projects').set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('an authenticated GET is private', async () => {
    const user = await createApiUser(app, 'authenticated');
    const response = await app.http().get('/api/projects').set(bearer(user)).expect(200);
    expect(response.headers['cache-control']).toMatch(/^private/);
    expect(response.headers.etag).toBeDefined();
  });

  it('a change to a project changes the ETag of every response that shows it', async () => {
    const paths = ['/api/projects', '/api/timeline', '/api/listings/projects', '/api/listings/projects.csv'];
    const before = await Promise.all(paths.map((path) => app.http().get(path)));
    const project = (await get('/api/projects', { filters: { slug: { $eq: 'streetsport' } } })).data[0];
    await app.strapi.documents('api::project.project').update({
      documentId: project.documentId,
      locale: 'fr',
      data: { title: 'Streetsport (renommé)' } as never,
    });
    await app.strapi
      .documents('api::project.project')
      .publish({ documentId: project.documentId, locale: 'fr' });
    const after = await Promise.all(
      paths.map((path) =>
        app.http().get(path).set('If-None-Match', before[paths.indexOf(path)].headers.etag),
      ),
    );
    expect(after.map((response) => response.status)).toEqual([200, 200, 200, 200]);
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin', async () => {
    const response = await app
      .http()
      .options('/api/projects')
      .set('Origin', 'https://partner.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(response.headers['access-control-allow-origin']).toBe('https://partner.example');
  });

  it('gives no Access-Control-Allow-Origin to an origin not on the list', async () => {
    const response = await app
      .http()
      .options('/api/projects')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const get = await app.http().get('/api/projects').set('Origin', 'https://evil.example');
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });
});
