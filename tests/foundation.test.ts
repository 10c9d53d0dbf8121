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
