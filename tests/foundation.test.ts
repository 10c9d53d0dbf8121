import { startStrapi, type TestApp } from './support/strapi';

let app: TestApp;

beforeAll(async () => {
  app = await startStrapi();
});

afterAll(async () => {
  await app?.stop();
});

describe('foundation', () => {
  it('runs on PostgreSQL', () => {
    expect(app.strapi.db.dialect.client).toBe('postgres');
  });

  it('answers /_health with 204', async () => {
    await app.http().get('/_health').expect(204);
  });

  it('has the four locales with fr as default', async () => {
    const locales = app.strapi.plugin('i18n').service('locales');
    const codes = (await locales.find()).map((locale: { code: string }) => locale.code).sort();
    expect(codes).toEqual(['de', 'en', 'fr', 'lb']);
    expect(await locales.getDefaultLocale()).toBe('fr');
  });

  it('answers a GraphQL query at /graphql', async () => {
    const response = await app
      .http()
      .post('/graphql')
      .send({ query: '{ organisation(locale: "fr") { name foundedYear } }' })
      .expect(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.organisation).toEqual({ name: 'Inter-Actions', foundedYear: 1979 });
  });
});

describe('public files', () => {
  it('serves the history page at / (not a redirect to the admin panel)', async () => {
    const response = await app.http().get('/').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('<script src="/history.js" defer></script>');
    await app
      .http()
      .get('/history.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await app.http().get('/history.css').expect(200).expect('Content-Type', /css/);
  });

  it('serves the favicon (Strapi answered 500 without favicon.png)', async () => {
    const response = await app.http().get('/favicon.ico').expect(200);
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0);
  });
});
