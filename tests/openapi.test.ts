/**
 * GET /api/openapi.json: valid OpenAPI 3.1 (checked by @seriousme/openapi-schema-validator), and
 * every documented GET path answers what it documents (checked with ajv, JSON Schema 2020-12).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import { APP_DIR } from './support/server-process';
import { startStrapi, type TestApp } from './support/strapi';

const run = promisify(execFile);
type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };

let app: TestApp;
let document: { paths: Record<string, { get: Operation }>; components: object; servers: { url: string }[] };

beforeAll(async () => {
  app = await startStrapi();
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

it('covers the content types, the listings and the timeline, with the read-only token scheme', () => {
  expect(Object.keys(document.paths).sort()).toEqual(
    [
      '/enterprises',
      '/enterprises/{documentId}',
      '/changes',
      '/funders',
      '/funders/{documentId}',
      '/listings/projects',
      '/listings/projects.csv',
      '/organisation',
      '/projects',
      '/projects/{documentId}',
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

describe('every documented GET path answers its documented shape', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', true).addFormat('date', true);

  const cases = () =>
    Object.entries(document.paths).map(([template, item]) => ({ template, operation: item.get }));

  it('the documented shapes are strict enough to refuse a wrong answer', () => {
    const { schema } = document.paths['/projects'].get.responses['200'].content!['application/json'];
    const validate = ajv.compile({ ...schema, components: document.components });
    expect(validate({ data: [{ id: 1, documentId: 'x', foundedYear: 'long ago' }], meta: {} })).toBe(false);
    expect(validate({ data: [{ id: 1 }], meta: {} })).toBe(false);
    expect(validate({ data: [{ id: 1, documentId: 'x', kind: 'castle' }], meta: {} })).toBe(false);
    expect(
      validate({ data: [{ id: 1, documentId: 'x', kind: 'youth-house', summary: null }], meta: {} }),
    ).toBe(true);
  });

  it('in French and German, anonymous', async () => {
    let checked = 0;
    for (const { template, operation } of cases()) {
      let url = `${document.servers[0].url}${template}`;
      if (url.includes('{documentId}')) {
        const plural = template.split('/')[1];
        const list = await app.http().get(`/api/${plural}`).expect(200);
        url = url.replace('{documentId}', list.body.data[0].documentId);
      }
      for (const locale of ['fr', 'de']) {
        const response = await app.http().get(url).query({ locale });
        expect({ url, status: response.status }).toEqual({ url, status: 200 });
        const [type, { schema }] = Object.entries(operation.responses['200'].content ?? {})[0];
        expect(response.headers['content-type']).toContain(type);
        const validate = ajv.compile({ ...schema, components: document.components });
        const body = type === 'application/json' ? response.body : response.text;
        const valid = validate(body);
        expect({ url, errors: valid ? null : validate.errors }).toEqual({ url, errors: null });
        checked += 1;
      }
    }
    expect(checked).toBe(2 * Object.keys(document.paths).length);
  });
});
