/**
 * A typed client generated from the served /api/openapi.json works without casts (issue 18):
 * openapi-typescript 7 writes the types, tests/typed-client/client.ts (openapi-fetch, strict, no
 * cast) compiles against them, a wrong filter does not, and the client's calls answer what the
 * seed holds when run against this server.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { docSnippet } from './support/doc-snippets';
import { APP_DIR } from './support/server-process';
import { listen, startStrapi, type TestApp } from './support/strapi';

const CLIENT_DIR = path.join(__dirname, 'typed-client');
const GENERATED = path.join(CLIENT_DIR, 'generated');
const CLIENT = path.join(CLIENT_DIR, 'client.ts');

/**
 * openapi-typescript's Node API, in a process of its own: the package's CommonJS build requires an
 * ES module (parse-json), which jest's module loader refuses.
 */
const GENERATE = `
import fs from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
const [source, target] = process.argv.slice(1);
fs.writeFileSync(target, astToString(await openapiTS(new URL(source))));
`;

interface SeedProject {
  slug: string;
  title: Record<string, string>;
  kind: string;
  foundedYear: number;
  site: string;
}
const seed = <T>(name: string): T[] =>
  JSON.parse(fs.readFileSync(path.join(APP_DIR, 'database', 'seed', `${name}.json`), 'utf8'));
const projects = seed<SeedProject>('projects');
const sites = seed<{ slug: string; commune: string }>('sites');

/** What the test uses of the client (its own types need the generated file, made below). */
interface ProjectLine {
  documentId: string;
  title: string;
  foundedYear: number;
  closedYear: number | null;
  commune: string | null;
  funders: string[];
}
interface Client {
  strapiQuery(query: object): string;
  projectsOfKind(
    baseUrl: string,
    kind: string,
    foundedFrom: number,
    locale?: string,
  ): Promise<{ total: number; projects: ProjectLine[] }>;
  projectsInCommune(baseUrl: string, commune: string): Promise<ProjectLine[]>;
  projectByDocumentId(baseUrl: string, documentId: string): Promise<ProjectLine | null>;
  listingRows(baseUrl: string, kind: string): Promise<{ documentId: string; slug: string; kind: string }[]>;
  badRequestMessage(baseUrl: string): Promise<string | null>;
}

let app: TestApp;
let baseUrl: string;

beforeAll(async () => {
  app = await startStrapi();
  baseUrl = `${await listen(app)}/api`;

  // Generated from the document as served, as a front-end developer would.
  fs.rmSync(GENERATED, { recursive: true, force: true });
  fs.mkdirSync(GENERATED, { recursive: true });
  await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', GENERATE, `${baseUrl}/openapi.json`, path.join(GENERATED, 'api.d.ts')],
    { cwd: APP_DIR },
  );
});

afterAll(async () => {
  await app?.stop();
});

/** Type-checks files as a strict project would (DOM types for fetch), errors as "file:line message". */
function typeErrors(files: string[], options: ts.CompilerOptions = {}): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    ...options,
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file
      ? `${path.basename(diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
      : '';
    return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

describe('the types generated from /api/openapi.json', () => {
  it('compile the client, strict, with no cast, no any and no non-null assertion', () => {
    expect(typeErrors([CLIENT])).toEqual([]);

    const source = ts.createSourceFile(CLIENT, fs.readFileSync(CLIENT, 'utf8'), ts.ScriptTarget.ES2022, true);
    const escapes: string[] = [];
    const visit = (node: ts.Node) => {
      if (
        ts.isAsExpression(node) ||
        ts.isTypeAssertionExpression(node) ||
        ts.isNonNullExpression(node) ||
        node.kind === ts.SyntaxKind.AnyKeyword
      )
        escapes.push(node.getText());
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(escapes).toEqual([]);
  });

  it("compile the front-end guide's example as it is written (docs/front-end.md, read from the guide)", () => {
    const { language, code } = docSnippet('docs/front-end.md', 'typed-client');
    expect(language).toBe('ts');
    // The guide generates the types into ./inter-actions.d.ts beside the example; here, ./api.d.ts.
    expect(code).toContain("from './inter-actions';");
    const example = path.join(GENERATED, 'guide-example.ts');
    fs.writeFileSync(example, code.replace("from './inter-actions';", "from './api';"));
    // Its top-level await needs an ES module.
    expect(typeErrors([example], { module: ts.ModuleKind.ES2022 })).toEqual([]);
  });

  it('refuse an unknown filter field, an unknown operator, a wrong enum value and a wrong populate', () => {
    const wrong = path.join(GENERATED, 'wrong.ts');
    const cases = [
      `filters: { colour: { $eq: 'red' } }`,
      `filters: { kind: { $like: 'youth-house' } }`,
      `filters: { kind: { $eq: 'castle' } }`,
      `filters: { site: { mayor: { $eq: 'x' } } }`,
      `populate: { parking: true }`,
      `fields: ['colour']`,
    ];
    fs.writeFileSync(
      wrong,
      [
        `import { apiClient } from '../client';`,
        `const client = apiClient('http://localhost');`,
        ...cases.map((query) => `void client.GET('/projects', { params: { query: { ${query} } } });`),
        // The control: a right query on the same lines compiles.
        `void client.GET('/projects', { params: { query: { filters: { kind: { $eq: 'youth-house' } } } } });`,
        '',
      ].join('\n'),
    );
    const errors = typeErrors([wrong]);
    const lines = new Set(errors.map((error) => Number(error.match(/^wrong\.ts:(\d+)/)?.[1])));
    expect({ errors, lines: [...lines].sort((a, b) => a - b) }).toEqual({
      errors,
      lines: cases.map((_, index) => index + 3),
    });
  });
});

describe('the client, run against this server', () => {
  let client: Client;
  beforeAll(async () => {
    // Loaded at run time (its types were checked above): the test file's own types cannot
    // depend on the generated file, which does not exist before this test has run.
    client = (await import(CLIENT)) as Client;
  });

  it("serializes Strapi's nested query parameters", () => {
    expect(
      decodeURIComponent(
        client.strapiQuery({
          locale: 'de',
          filters: {
            kind: { $in: ['youth-house', 'day-care'] },
            site: { commune: { $eq: 'Esch-sur-Alzette' } },
          },
          populate: { funders: { fields: ['name'] } },
        }),
      ),
    ).toBe(
      'locale=de&filters[kind][$in][0]=youth-house&filters[kind][$in][1]=day-care&filters[site][commune][$eq]=Esch-sur-Alzette&populate[funders][fields][0]=name',
    );
  });

  it('lists the projects of a kind with a filter and a populate, with their site and funders', async () => {
    const expected = projects.filter(
      (project) => project.kind === 'youth-house' && project.foundedYear >= 1990,
    );
    expect(expected.length).toBeGreaterThan(2);
    const { total, projects: shown } = await client.projectsOfKind(baseUrl, 'youth-house', 1990);
    expect(total).toBe(expected.length);
    expect(shown.map((project) => project.title).sort()).toEqual(
      expected.map((project) => project.title.fr).sort(),
    );
    for (const project of shown) {
      const seeded = expected.find((candidate) => candidate.title.fr === project.title);
      const site = sites.find((candidate) => candidate.slug === seeded?.site);
      expect({ title: project.title, commune: project.commune, year: project.foundedYear }).toEqual({
        title: project.title,
        commune: site?.commune,
        year: seeded?.foundedYear,
      });
      expect(project.funders.length).toBeGreaterThan(0);
    }

    // German: the same entries, the titles in German.
    const german = await client.projectsOfKind(baseUrl, 'youth-house', 1990, 'de');
    expect(german.projects.map((project) => project.documentId).sort()).toEqual(
      shown.map((project) => project.documentId).sort(),
    );
  });

  it('filters through the site relation', async () => {
    const communeOf = new Map(sites.map((site) => [site.slug, site.commune]));
    const expected = projects.filter((project) => communeOf.get(project.site) === 'Dudelange');
    expect(expected.length).toBeGreaterThan(0);
    const shown = await client.projectsInCommune(baseUrl, 'Dudelange');
    expect(shown.map((project) => project.title).sort()).toEqual(
      expected.map((project) => project.title.fr).sort(),
    );
  });

  it('reads one project by documentId, and null for an unknown one', async () => {
    const {
      projects: [first],
    } = await client.projectsOfKind(baseUrl, 'youth-house', 1900);
    expect(await client.projectByDocumentId(baseUrl, first.documentId)).toEqual(first);
    expect(await client.projectByDocumentId(baseUrl, 'nosuchdocumentid0000000')).toBeNull();
  });

  it('reads the listing rows of a kind', async () => {
    const rows = await client.listingRows(baseUrl, 'youth-house');
    expect(rows.map((row) => row.slug).sort()).toEqual(
      projects
        .filter((project) => project.kind === 'youth-house')
        .map((project) => project.slug)
        .sort(),
    );
    expect(new Set(rows.map((row) => row.kind))).toEqual(new Set(['youth-house']));
  });

  it('gets the typed error of a bad query', async () => {
    expect(await client.badRequestMessage(baseUrl)).toMatch(/page/i);
  });
});
