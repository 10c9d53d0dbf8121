/**
 * GET /api/openapi.json: valid OpenAPI 3.1 (checked by @seriousme/openapi-schema-validator), with
 * the contact, the data licence and the servers of the configuration, and every documented GET
 * path answers what it documents (checked with ajv, JSON Schema 2020-12). The server is booted
 * with PUBLIC_URL and DATA_LICENSE set, so that the document shows it reads both.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import { DEFAULT_DATA_LICENSE, dataLicense } from '../src/utils/data-license';
import { APP_DIR } from './support/server-process';
import { startStrapi, type TestApp } from './support/strapi';

const run = promisify(execFile);
type Operation = {
  parameters?: { name: string; in: string; required?: boolean; example?: unknown }[];
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
};

let app: TestApp;
let document: {
  info: Record<string, unknown>;
  paths: Record<string, { get: Operation }>;
  components: object;
  servers: { url: string }[];
};
const PUBLIC_URL = 'https://cms.inter-actions.example';
const LICENSE = 'https://creativecommons.org/publicdomain/zero/1.0/';
/** The path of a documented URL on this server (the document's servers carry PUBLIC_URL). */
const local = (url: string) => url.replace(PUBLIC_URL, '');

beforeAll(async () => {
  app = await startStrapi({ env: { PUBLIC_URL: `${PUBLIC_URL}/`, DATA_LICENSE: LICENSE } });
  document = (await app.http().get('/api/openapi.json').expect(200)).body;
});

afterAll(async () => {
  await app?.stop();
});

it('is a valid OpenAPI 3.1 document', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-')), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(document));
  // The validator is an ES module with a command-line entry: run it as a process of its own.
  const cli = path.join(
    APP_DIR,
    'node_modules',
    '@seriousme',
    'openapi-schema-validator',
    'bin',
    'validate-api-cli.js',
  );
  const { stdout } = await run(process.execPath, [cli, file]);
  expect(JSON.parse(stdout)).toMatchObject({ valid: true });
});

describe('info and servers', () => {
  it('names the association as contact, with no invented e-mail, and its history page', () => {
    expect(document.info.contact).toEqual({ name: 'Inter-Actions asbl', url: `${PUBLIC_URL}/` });
  });

  it('states the licence of DATA_LICENSE, and CC BY 4.0 without it', () => {
    expect(document.info.license).toEqual({ name: 'CC0 1.0', url: LICENSE });
    const previous = process.env.DATA_LICENSE;
    try {
      delete process.env.DATA_LICENSE;
      expect(dataLicense()).toEqual({ name: 'CC BY 4.0', url: DEFAULT_DATA_LICENSE });
      expect(DEFAULT_DATA_LICENSE).toBe('https://creativecommons.org/licenses/by/4.0/');
      process.env.DATA_LICENSE = 'https://example.org/our-licence';
      expect(dataLicense()).toEqual({
        name: 'https://example.org/our-licence',
        url: 'https://example.org/our-licence',
      });
    } finally {
      if (previous === undefined) delete process.env.DATA_LICENSE;
      else process.env.DATA_LICENSE = previous;
    }
  });

  it('serves from PUBLIC_URL, and says which identifier to store and what the terms are', () => {
    expect(document.servers[0].url).toBe(`${PUBLIC_URL}/api`);
    const description = String(document.info.description);
    expect(description).toMatch(/`documentId`: the stable key to store/);
    expect(description).toMatch(/numeric `id`[^.]*changes when staff republish/);
    expect(description).toMatch(/`slug`[^.]*staff can edit/);
    expect(description).toContain(`published under CC0 1.0 (${LICENSE})`);
    // No terms page exists: the licence is the terms, and no URL is made up for one.
    expect(document.info.termsOfService).toBeUndefined();
  });
});

it('covers the content types, the listings and the timeline, with the read-only token scheme', () => {
  expect(Object.keys(document.paths).sort()).toEqual(
    [
      '/enterprises',
      '/enterprises/{documentId}',
      '/catalog',
      '/changes',
      '/funders',
      '/funders/{documentId}',
      '/listings/projects',
      '/listings/projects.csv',
      '/listings/projects.xlsx',
      '/organisation',
      '/projects',
      '/projects/{documentId}',
      '/search',
      '/services',
      '/services/{documentId}',
      '/sites',
      '/sites/{documentId}',
      '/timeline',
      '/vocabulary',
    ].sort(),
  );
  expect(document.components).toMatchObject({
    securitySchemes: { readOnlyToken: { type: 'http', scheme: 'bearer' } },
  });
});

describe('precise enough for generated clients', () => {
  type Schemas = Record<string, { allOf?: { required: string[] }[]; properties?: Record<string, object> }>;
  const schemas = () => (document.components as { schemas: Schemas }).schemas;

  it("states each route's default populate as required properties", () => {
    const populated = (name: string) => schemas()[name].allOf?.[1].required.sort();
    expect(populated('Project')).toEqual(['funders', 'site']);
    expect(populated('Service')).toEqual(['enterprises', 'funders']);
    expect(populated('Enterprise')).toEqual(['sectors', 'services']);
    expect(populated('Site')).toEqual(['location']);
    expect(populated('Funder')).toEqual([]);
    expect(populated('Organisation')).toEqual(['funders']);
  });

  it('types filters and populate as deep objects of the known names', () => {
    const parameters = (
      document.paths['/projects'].get as unknown as { parameters: Record<string, unknown>[] }
    ).parameters;
    const filters = parameters.find((parameter) => parameter.name === 'filters');
    expect(filters).toMatchObject({
      style: 'deepObject',
      explode: true,
      schema: { $ref: '#/components/schemas/ProjectFilters' },
    });
    const projectFilters = schemas().ProjectFilters as { additionalProperties?: boolean; properties: object };
    expect(projectFilters.additionalProperties).toBe(false);
    expect(projectFilters.properties).toMatchObject({
      kind: { properties: { $eq: { enum: expect.arrayContaining(['youth-house']) } } },
      site: { $ref: '#/components/schemas/SiteFilters' },
      foundedYear: { $ref: '#/components/schemas/IntegerFilter' },
    });
    const populate = parameters.find((parameter) => parameter.name === 'populate');
    expect(populate).toMatchObject({ style: 'deepObject', explode: true });
    expect(JSON.stringify(populate)).toContain('"enum":["*","site","funders","contact","seo","cover"]');
  });
});

describe('the API reference at /api/docs', () => {
  it('is a page of this server, its scripts files of this server, under a CSP without inline scripts', async () => {
    const page = await app.http().get('/api/docs').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const policy: string = page.headers['content-security-policy'];
    const scripts = policy.split(';').find((part) => part.trim().startsWith('script-src'));
    expect(scripts?.trim()).toBe("script-src 'self'");
    const sources = [...page.text.matchAll(/<script src="([^"]+)"><\/script>/g)].map((match) => match[1]);
    expect(sources).toEqual(['/api/docs/swagger-ui-bundle.js', '/api/docs/init.js']);
    expect(page.text.match(/<script/g)).toHaveLength(2);
    for (const source of sources) {
      const asset = await app.http().get(source).expect(200);
      expect(asset.headers['content-type']).toContain('application/javascript');
      expect(asset.text).not.toContain('sourceMappingURL');
    }
    const init = await app.http().get('/api/docs/init.js');
    expect(init.text).toContain('validatorUrl: null');
    expect(init.text).toContain("supportedSubmitMethods: ['get']");
    await app
      .http()
      .get('/api/docs/swagger-ui.css')
      .expect('Content-Type', /text\/css/)
      .expect(200);
    const missing = await app.http().get('/api/docs/package.json').expect(404);
    expect(missing.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
    await app.http().get('/api/docs/..%2Fpackage.json').expect(404);
  });
});

describe('every documented GET path answers its documented shape', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', true).addFormat('date', true);

  const cases = () =>
    Object.entries(document.paths).map(([template, item]) => ({ template, operation: item.get }));

  it('the documented shapes are strict enough to refuse a wrong answer', () => {
    const { schema } = document.paths['/projects'].get.responses['200'].content!['application/json'];
    const validate = ajv.compile({ ...schema, components: document.components });
    const meta = { pagination: { page: 1, pageSize: 25, pageCount: 1, total: 1 } };
    const project = {
      id: 1,
      documentId: 'x',
      title: 'Maison des jeunes',
      slug: 'maison-des-jeunes',
      kind: 'youth-house',
      foundedYear: 1990,
      closedYear: null,
      summary: null,
      description: null,
      partner: null,
      inferred: null,
      coverAlt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      publishedAt: '2026-01-01T00:00:00.000Z',
      locale: 'fr',
      site: null,
      funders: [{ id: 2, documentId: 'y', name: 'Commune de Mersch', slug: 'commune-mersch' }],
    };
    expect(validate({ data: [project], meta })).toBe(true);
    expect(validate({ data: [{ ...project, foundedYear: 'long ago' }], meta })).toBe(false);
    expect(validate({ data: [{ id: 1 }], meta })).toBe(false);
    expect(validate({ data: [{ ...project, kind: 'castle' }], meta })).toBe(false);
    // Required fields are never null; the populated funders are required and carry their name.
    expect(validate({ data: [{ ...project, title: null }], meta })).toBe(false);
    expect(validate({ data: [{ ...project, funders: undefined }], meta })).toBe(false);
    expect(validate({ data: [{ ...project, funders: [{ id: 2, documentId: 'y' }] }], meta })).toBe(false);
    expect(validate({ data: [project], meta: {} })).toBe(false);
  });

  it('in French and German, anonymous', async () => {
    let checked = 0;
    for (const { template, operation } of cases()) {
      let url = `${local(document.servers[0].url)}${template}`;
      if (url.includes('{documentId}')) {
        const plural = template.split('/')[1];
        const list = await app.http().get(`/api/${plural}`).expect(200);
        url = url.replace('{documentId}', list.body.data[0].documentId);
      }
      // A required parameter (the search's q) takes its documented example.
      const required = Object.fromEntries(
        (operation.parameters ?? [])
          .filter((parameter) => parameter.required && parameter.in === 'query')
          .map((parameter) => [parameter.name, parameter.example]),
      );
      for (const locale of ['fr', 'de']) {
        const response = await app
          .http()
          .get(url)
          .query({ ...required, locale });
        expect({ url, status: response.status }).toEqual({ url, status: 200 });
        const [type, { schema }] = Object.entries(operation.responses['200'].content ?? {})[0];
        expect(response.headers['content-type']).toContain(type);
        const validate = ajv.compile({ ...schema, components: document.components });
        // The workbook is binary (tests/listing-formats.test.ts reads it back): its type is checked.
        const body = type.endsWith('json') ? response.body : (response.text ?? '');
        const valid = validate(body);
        expect({ url, errors: valid ? null : validate.errors }).toEqual({ url, errors: null });
        checked += 1;
      }
    }
    expect(checked).toBe(2 * Object.keys(document.paths).length);
  });
});
