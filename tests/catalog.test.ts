/**
 * GET /api/catalog, the DCAT-AP 3.0 catalogue that data.public.lu harvests (src/catalog): the
 * three serializations are one graph (read back by parsers other than the rdflib that wrote it),
 * the graph passes the official DCAT-AP 3.0.1 SHACL shapes with no violation, it states what the
 * seed says with URLs from PUBLIC_URL, its modified dates follow writes, and content negotiation
 * and bad input answer 406 and 400 in Strapi's error shape.
 */
import path from 'node:path';
import { createReadOnlyToken } from '../src/permissions/tokens';
import { parseRdf, validateShacl, type MediaType } from './support/rdf';
import { startStrapi, type TestApp } from './support/strapi';

const PUBLIC_URL = 'https://cms.example.lu';
const CATALOG = `${PUBLIC_URL}/api/catalog`;
const SHAPES = ['dcat-ap-SHACL.ttl', 'ranges.ttl'].map((file) =>
  path.join(__dirname, 'fixtures', 'dcat-ap-3.0.1', file),
);
const TYPES: MediaType[] = ['application/ld+json', 'text/turtle', 'application/rdf+xml'];

const RDF_TYPE = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
const DCAT = (name: string) => `<http://www.w3.org/ns/dcat#${name}>`;
const DCT = (name: string) => `<http://purl.org/dc/terms/${name}>`;
const EU = (table: string, code: string) =>
  `<http://publications.europa.eu/resource/authority/${table}/${code}>`;

let app: TestApp;

beforeAll(async () => {
  app = await startStrapi({ env: { PUBLIC_URL } });
});

afterAll(async () => {
  await app?.stop();
});

async function fetchCatalog(accept?: string) {
  const request = app.http().get('/api/catalog');
  if (accept) request.set('Accept', accept);
  const response = await request.buffer(true).parse((res, done) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => done(null, text));
  });
  return {
    status: response.status,
    type: String(response.headers['content-type']),
    text: String(response.body),
    headers: response.headers,
  };
}

/** The catalogue's triples, read from the `type` serialization. */
async function triples(type: MediaType = 'text/turtle'): Promise<string[]> {
  const response = await fetchCatalog(type);
  expect({ status: response.status, type: response.type }).toEqual({
    status: 200,
    type: `${type}; charset=utf-8`,
  });
  return parseRdf(response.text, type, CATALOG);
}

/** The objects of `subject predicate ?` in `lines`. */
const objects = (lines: string[], subject: string, predicate: string) =>
  lines
    .filter((line) => line.startsWith(`${subject} ${predicate} `))
    .map((line) => line.slice(subject.length + predicate.length + 2, -2))
    .sort();

const dateOf = (lines: string[], subject: string, predicate: string) => {
  const [literal] = objects(lines, subject, predicate);
  expect(literal).toMatch(/\^\^<http:\/\/www\.w3\.org\/2001\/XMLSchema#dateTime>$/);
  return new Date(JSON.parse(literal.replace(/\^\^<.*>$/, '')));
};

describe('serializations', () => {
  it('JSON-LD by default, with an ETag, Vary: Accept and the public cache policy', async () => {
    const response = await fetchCatalog();
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/ld+json; charset=utf-8');
    expect(JSON.parse(response.text)['@context']).toMatchObject({ dcat: 'http://www.w3.org/ns/dcat#' });
    expect(response.headers.vary).toMatch(/\bAccept\b/);
    expect(response.headers.etag).toMatch(/^"/);
    expect(response.headers['cache-control']).toMatch(/^public/);
    const again = await app.http().get('/api/catalog').set('If-None-Match', response.headers.etag);
    expect(again.status).toBe(304);
  });

  it('JSON-LD, Turtle and RDF/XML are the same graph', async () => {
    const [jsonld, turtle, rdfxml] = await Promise.all(TYPES.map((type) => triples(type)));
    expect(turtle.length).toBeGreaterThan(300);
    expect(turtle).toContain(`<${CATALOG}> ${RDF_TYPE} ${DCAT('Catalog')} .`);
    expect(rdfxml).toEqual(turtle);
    expect(jsonld).toEqual(turtle);
  });

  it('follows Accept with q-values; plain JSON clients get the JSON-LD', async () => {
    const xml = await fetchCatalog('text/turtle;q=0.5, application/rdf+xml;q=0.9, text/html;q=1');
    expect(xml.type).toBe('application/rdf+xml; charset=utf-8');
    expect(xml.text).toMatch(/^<rdf:RDF/);
    const browser = await fetchCatalog('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(browser.type).toBe('application/ld+json; charset=utf-8');
    const json = await fetchCatalog('application/json');
    expect(json.type).toBe('application/json; charset=utf-8');
    expect(await parseRdf(json.text, 'application/ld+json', CATALOG)).toEqual(await triples());
  });
});

describe('DCAT-AP 3.0.1 SHACL shapes (tests/fixtures/dcat-ap-3.0.1)', () => {
  it('the catalogue has no violation of the shapes nor of their ranges', async () => {
    const response = await fetchCatalog('text/turtle');
    const report = await validateShacl(response.text, SHAPES);
    expect(report.results.filter((result) => result.severity.endsWith('#Violation'))).toEqual([]);
    expect(report.results).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  it('control: the same catalogue without its titles or a dataset’s description violates them', async () => {
    const lines = await triples();
    const damaged = lines.filter(
      (line) =>
        !line.startsWith(`<${CATALOG}> ${DCT('title')} `) &&
        !line.startsWith(`<${CATALOG}#dataset-sites> ${DCT('description')} `),
    );
    expect(damaged.length).toBeLessThan(lines.length);
    const report = await validateShacl(damaged.join('\n'), SHAPES);
    expect(report.conforms).toBe(false);
    expect(
      report.results
        .filter((result) => result.severity.endsWith('#Violation'))
        .map((result) => `${result.focusNode} ${result.path}`)
        .sort(),
    ).toEqual([
      `${CATALOG} http://purl.org/dc/terms/title`,
      `${CATALOG}#dataset-sites http://purl.org/dc/terms/description`,
    ]);
  });
});

describe('what the catalogue states', () => {
  it('the publisher and contact point from the seed, in Luxembourg, with languages and the licence', async () => {
    const lines = await triples();
    const catalog = `<${CATALOG}>`;
    const publisher = `<${CATALOG}#publisher>`;
    expect(objects(lines, catalog, DCT('publisher'))).toEqual([publisher]);
    expect(objects(lines, publisher, '<http://xmlns.com/foaf/0.1/name>')).toEqual(['"Inter-Actions asbl"']);
    expect(objects(lines, publisher, RDF_TYPE)).toContain('<http://xmlns.com/foaf/0.1/Agent>');
    expect(objects(lines, `<${CATALOG}#contact>`, '<http://www.w3.org/2006/vcard/ns#hasURL>')).toEqual([
      `<${PUBLIC_URL}/>`,
    ]);
    expect(objects(lines, catalog, '<http://xmlns.com/foaf/0.1/homepage>')).toEqual([`<${PUBLIC_URL}/>`]);
    expect(
      objects(lines, catalog, DCT('title'))
        .map((title) => title.split('@')[1])
        .sort(),
    ).toEqual(['de', 'en', 'fr']);
    expect(objects(lines, catalog, DCT('spatial'))).toEqual([EU('country', 'LUX')]);
    expect(objects(lines, catalog, DCT('language'))).toEqual(
      ['DEU', 'ENG', 'FRA', 'LTZ'].map((code) => EU('language', code)),
    );
    expect(objects(lines, catalog, DCT('license'))).toEqual([
      '<https://creativecommons.org/licenses/by/4.0/>',
    ]);
    // The mission comes from the Organisation entry, not from code.
    expect(objects(lines, catalog, DCT('description')).join(' ')).toContain('1979');
  });

  it('three datasets with themes, frequency and 16 + 4 + 4 distributions, every URL from PUBLIC_URL', async () => {
    const lines = await triples();
    const datasets = objects(lines, `<${CATALOG}>`, DCAT('dataset'));
    expect(datasets).toEqual(['funders', 'projects', 'sites'].map((key) => `<${CATALOG}#dataset-${key}>`));
    const projects = `<${CATALOG}#dataset-projects>`;
    expect(objects(lines, projects, DCAT('theme'))).toEqual([
      EU('data-theme', 'EDUC'),
      EU('data-theme', 'SOCI'),
    ]);
    expect(objects(lines, projects, DCT('accrualPeriodicity'))).toEqual([EU('frequency', 'IRREG')]);
    expect(objects(lines, projects, DCAT('keyword')).length).toBeGreaterThan(3);

    const urls = (dataset: string) =>
      objects(lines, `<${CATALOG}#dataset-${dataset}>`, DCAT('distribution'))
        .flatMap((distribution) => objects(lines, distribution, DCAT('accessURL')))
        .sort();
    const listing = `${PUBLIC_URL}/api/listings/projects`;
    expect(urls('projects')).toEqual(
      ['fr', 'de', 'lb', 'en']
        .flatMap((locale) => [
          `<${listing}.csv?locale=${locale}>`,
          `<${listing}.csv?dialect=excel&locale=${locale}>`,
          `<${listing}.xlsx?locale=${locale}>`,
          `<${listing}?locale=${locale}>`,
        ])
        .sort(),
    );
    expect(urls('sites')).toEqual(
      ['de', 'en', 'fr', 'lb'].map((l) => `<${PUBLIC_URL}/api/sites?locale=${l}>`),
    );
    expect(urls('funders')).toEqual(
      ['de', 'en', 'fr', 'lb'].map((l) => `<${PUBLIC_URL}/api/funders?locale=${l}>`),
    );

    const xlsx = `<${CATALOG}#distribution-projects-xlsx-lb>`;
    expect(objects(lines, xlsx, DCAT('downloadURL'))).toEqual([`<${listing}.xlsx?locale=lb>`]);
    expect(objects(lines, xlsx, DCAT('mediaType'))).toEqual([
      '<https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet>',
    ]);
    expect(objects(lines, xlsx, DCT('format'))).toEqual([EU('file-type', 'XLSX')]);
    expect(objects(lines, xlsx, DCT('language'))).toEqual([EU('language', 'LTZ')]);
    // A paged JSON answer is reached through the API, not downloaded whole.
    const json = `<${CATALOG}#distribution-sites-json-fr>`;
    expect(objects(lines, json, DCAT('downloadURL'))).toEqual([]);
    expect(objects(lines, json, DCAT('accessService'))).toEqual([`<${CATALOG}#api>`]);

    // Every IRI under the server's own origin is under PUBLIC_URL, none under the test's origin.
    const iris = lines.join('\n').match(/<[^>]+>/g) ?? [];
    expect(iris.filter((iri) => /127\.0\.0\.1|localhost/.test(iri))).toEqual([]);
  });

  it('the licence is DATA_LICENSE, on the catalogue, the API and every distribution', async () => {
    const CC0 = 'https://creativecommons.org/publicdomain/zero/1.0/';
    const previous = process.env.DATA_LICENSE;
    process.env.DATA_LICENSE = CC0; // read on each request (src/utils/data-license.ts)
    try {
      const lines = await triples();
      const licensed = lines.filter((line) => line.includes(` ${DCT('license')} `));
      expect(licensed.length).toBe(1 + 1 + 16 + 4 + 4);
      expect(licensed.filter((line) => !line.endsWith(` <${CC0}> .`))).toEqual([]);
      expect(objects(lines, `<${CC0}>`, DCT('title'))).toEqual(['"CC0 1.0"']);
    } finally {
      if (previous === undefined) delete process.env.DATA_LICENSE;
      else process.env.DATA_LICENSE = previous;
    }
  });

  it('the REST API as a dcat:DataService described by /api/openapi.json', async () => {
    const lines = await triples();
    const api = `<${CATALOG}#api>`;
    expect(objects(lines, `<${CATALOG}>`, DCAT('service'))).toEqual([api]);
    expect(objects(lines, api, RDF_TYPE)).toEqual([DCAT('DataService')]);
    expect(objects(lines, api, DCAT('endpointURL'))).toEqual([`<${PUBLIC_URL}/api>`]);
    expect(objects(lines, api, DCAT('endpointDescription'))).toEqual([`<${PUBLIC_URL}/api/openapi.json>`]);
    expect(objects(lines, api, DCAT('servesDataset'))).toHaveLength(3);
    await app.http().get('/api/openapi.json').expect(200);
  });
});

describe('modified dates follow the published content', () => {
  const modified = (lines: string[], key: string) =>
    dateOf(lines, `<${CATALOG}#dataset-${key}>`, DCT('modified'));

  it('are the newest change of what each dataset shows, moved by the next write and by a deletion', async () => {
    const knex = app.strapi.db.connection;
    const before = await triples();
    const newestFunder = await knex('funders').whereNotNull('published_at').max({ at: 'updated_at' }).first();
    expect(modified(before, 'funders').getTime()).toBeGreaterThanOrEqual(
      new Date(newestFunder?.at).getTime(),
    );

    const { rows } = await knex.raw('SELECT now() AS now');
    const writeTime = new Date(rows[0].now);
    const funder = await app.strapi.documents('api::funder.funder').findFirst({ locale: 'fr' });
    await app.strapi.documents('api::funder.funder').update({
      documentId: funder!.documentId,
      locale: 'fr',
      data: { name: `${funder!.name} (renamed)` } as never,
    });

    const afterUpdate = await triples();
    expect(modified(afterUpdate, 'funders').getTime()).toBeGreaterThanOrEqual(writeTime.getTime());
    // A listing row carries its funders' names: the projects dataset changed too; sites did not.
    expect(modified(afterUpdate, 'projects').getTime()).toBeGreaterThanOrEqual(writeTime.getTime());
    expect(modified(afterUpdate, 'sites')).toEqual(modified(before, 'sites'));
    expect(dateOf(afterUpdate, `<${CATALOG}>`, DCT('modified')).getTime()).toBeGreaterThanOrEqual(
      writeTime.getTime(),
    );

    // A deletion leaves no row to date it: the change feed does.
    const deletionTime = new Date((await knex.raw('SELECT now() AS now')).rows[0].now);
    const project = await app.strapi.documents('api::project.project').findFirst({ status: 'published' });
    await app.strapi.documents('api::project.project').delete({ documentId: project!.documentId });
    const afterDelete = await triples();
    expect(modified(afterDelete, 'projects').getTime()).toBeGreaterThanOrEqual(deletionTime.getTime());
    // Every seeded project has funders, and a relation has two sides: the funders that listed the
    // project changed too (their change-feed events), so their dataset moved with it.
    expect(modified(afterDelete, 'funders').getTime()).toBeGreaterThanOrEqual(deletionTime.getTime());
    expect(modified(afterUpdate, 'funders').getTime()).toBeLessThan(deletionTime.getTime());
  });
});

describe('callers and bad input', () => {
  it('a read-only token reads it as the public does', async () => {
    const token = await createReadOnlyToken(app.strapi, { name: 'Catalogue reader', days: 7 });
    const response = await app
      .http()
      .get('/api/catalog')
      .set('Authorization', `Bearer ${token.accessKey}`)
      .set('Accept', 'text/turtle');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/turtle; charset=utf-8');
  });

  it.each(['text/html', 'application/xml', 'text/csv, application/ld+json;q=0'])(
    'Accept: %s -> 406 in Strapi’s error shape, listing the types offered',
    async (accept) => {
      const response = await app.http().get('/api/catalog').set('Accept', accept);
      expect(response.status).toBe(406);
      expect(response.body).toEqual({
        data: null,
        error: {
          status: 406,
          name: 'NotAcceptableError',
          message: expect.stringContaining('text/turtle'),
          details: {
            offered: ['application/ld+json', 'text/turtle', 'application/rdf+xml', 'application/json'],
          },
        },
      });
    },
  );

  it.each([
    ['format=ttl', 'format'],
    ['populate=*', 'populate'],
    ['locale=xx', 'xx'],
  ])('?%s -> 400 naming %s', async (query, name) => {
    const response = await app.http().get(`/api/catalog?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.data).toBeNull();
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    expect(response.body.error.message).toContain(name);
  });

  it('?locale=de is accepted (as on every read endpoint) and changes nothing', async () => {
    const german = await app.http().get('/api/catalog?locale=de').set('Accept', 'text/turtle');
    expect(german.status).toBe(200);
    expect(await parseRdf(german.text, 'text/turtle', CATALOG)).toEqual(await triples());
  });
});
