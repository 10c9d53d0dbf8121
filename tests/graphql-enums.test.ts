/**
 * One spelling of enumeration values (src/graphql/enums.ts), the schema document
 * (src/graphql/schema-document.ts) and the IDE's assets (src/graphql/ide.ts).
 *
 * The enumeration cases come from the running app's schemas: every enumeration attribute of every
 * content type GraphQL exposes, and of every component such a type holds. For each, the values
 * GraphQL answers are the keys of the schema, and filtering REST and GraphQL with each value just
 * read gives back exactly the entries that hold it.
 */
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  type GraphQLObjectType,
  type GraphQLInputObjectType,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { enumerationFields } from '../src/graphql/enums';
import { createCallers, type Callers } from './support/callers';
import { startStrapi, type TestApp } from './support/strapi';

let app: TestApp;
let callers: Callers;

beforeAll(async () => {
  app = await startStrapi({ env: { RESPONSE_CACHE: 'false' } });
  callers = await createCallers(app, 'GraphQL enums test');
});

afterAll(async () => {
  await app?.stop();
});

interface Naming {
  getFindQueryName(model: unknown): string;
  getTypeName(model: unknown): string;
  getContentTypeInputName(model: unknown): string;
}
interface Case {
  /** e.g. api::project.project kind, or api::x.x address.kind for a component's field */
  label: string;
  query: string;
  plural: string;
  typeName: string;
  path: string[];
  values: string[];
}

const naming = () => app.strapi.plugin('graphql').service('utils').naming as Naming;
const exposed = (uid: string) =>
  !app.strapi.plugin('graphql').service('extension').shadowCRUD(uid).isDisabled();

/** Every enumeration path readable through a collection type of the content API. */
function cases(): Case[] {
  const withEnums = enumerationFields(app.strapi);
  const found: Case[] = [];
  for (const contentType of Object.values(app.strapi.contentTypes) as unknown as {
    uid: string;
    kind: string;
    info: { pluralName: string };
    attributes: Record<string, { type: string; component?: string; private?: boolean; enum?: string[] }>;
  }[]) {
    if (
      !contentType.uid.startsWith('api::') ||
      contentType.kind !== 'collectionType' ||
      !exposed(contentType.uid)
    )
      continue;
    const base = {
      query: naming().getFindQueryName(contentType),
      plural: contentType.info.pluralName,
      typeName: naming().getTypeName(contentType),
    };
    for (const [name, attribute] of Object.entries(contentType.attributes)) {
      if (attribute.private) continue;
      if (attribute.type === 'enumeration')
        found.push({
          ...base,
          label: `${contentType.uid} ${name}`,
          path: [name],
          values: attribute.enum ?? [],
        });
      if (attribute.type === 'component') {
        const component = withEnums.find(({ model }) => model.uid === attribute.component);
        for (const [inner, innerAttribute] of component?.fields ?? [])
          found.push({
            ...base,
            label: `${contentType.uid} ${name}.${inner}`,
            path: [name, inner],
            values: innerAttribute.enum ?? [],
          });
      }
    }
  }
  return found;
}

async function graphql(query: string, variables: Record<string, unknown> = {}, headers = {}) {
  const response = await app.http().post('/graphql').set(headers).send({ query, variables });
  return response.body as {
    data?: Record<string, unknown>;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

/** `a { b }` for the path [a, b]. */
const selection = (path: string[]): string =>
  path.length === 1 ? path[0] : `${path[0]} { ${selection(path.slice(1))} }`;
/** `{ a: { b: { eq: $value } } }` for the path [a, b]. */
const filter = (path: string[]): string =>
  path.length === 1 ? `{ ${path[0]}: { eq: $value } }` : `{ ${path[0]}: ${filter(path.slice(1))} }`;

/** The value at the path of an entry (a repeatable component gives each of its values). */
function valuesAt(entry: unknown, path: string[]): string[] {
  if (entry === null || entry === undefined) return [];
  if (Array.isArray(entry)) return entry.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return [String(entry)];
  return valuesAt((entry as Record<string, unknown>)[path[0]], path.slice(1));
}

describe('enumeration values have one spelling in REST and GraphQL', () => {
  it('the cases come from the schemas and include the known ones', () => {
    const labels = cases().map((one) => one.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'api::project.project kind',
        'api::service.service theme',
        'api::funder.funder kind',
      ]),
    );
  });

  it.each(['anonymous', 'token'] as const)(
    'every value read through GraphQL is a schema key, and filtering REST and GraphQL with it finds its entries (%s)',
    async (who) => {
      const headers = callers.headers[who];
      for (const one of cases()) {
        const read = await graphql(
          `{ ${one.query}(pagination: { pageSize: 100 }) { documentId ${selection(one.path)} } }`,
          {},
          headers,
        );
        expect({ case: one.label, errors: read.errors }).toEqual({ case: one.label, errors: undefined });
        const entries = read.data![one.query] as Record<string, unknown>[];
        const byValue = new Map<string, string[]>();
        for (const entry of entries)
          for (const value of valuesAt(entry, one.path))
            byValue.set(value, [...(byValue.get(value) ?? []), entry.documentId as string]);
        // The seed holds values of every case: the test would otherwise prove nothing about it.
        expect({ case: one.label, read: byValue.size > 0 }).toEqual({ case: one.label, read: true });
        for (const [value, documentIds] of byValue) {
          expect({ case: one.label, value, key: one.values.includes(value) }).toEqual({
            case: one.label,
            value,
            key: true,
          });
          const filtered = await graphql(
            `query ($value: String) { ${one.query}(filters: ${filter(one.path)}, pagination: { pageSize: 100 }) { documentId } }`,
            { value },
            headers,
          );
          const graphqlIds = (filtered.data?.[one.query] as { documentId: string }[]).map(
            (entry) => entry.documentId,
          );
          const rest = await app
            .http()
            .get(`/api/${one.plural}`)
            .set(headers)
            .query(
              `filters[${one.path.join('][')}][$eq]=${encodeURIComponent(value)}&pagination[pageSize]=100`,
            );
          expect(rest.status).toBe(200);
          const restEntries = rest.body.data as Record<string, unknown>[];
          const restIds = restEntries.map((entry) => entry.documentId as string);
          const expected = [...new Set(documentIds)].sort();
          expect({ case: one.label, value, graphql: graphqlIds.sort(), rest: restIds.sort() }).toEqual({
            case: one.label,
            value,
            graphql: expected,
            rest: expected,
          });
          // REST answers the same spelling for a top-level field.
          if (one.path.length === 1) for (const entry of restEntries) expect(entry[one.path[0]]).toBe(value);
        }
      }
    },
  );

  it('a GraphQL write takes the same keys, and refuses the underscore spelling with nothing written', async () => {
    const siteId = (await app.http().get('/api/sites').expect(200)).body.data[0].documentId as string;
    const rows = () => app.strapi.db.query('api::project.project').count();
    const mutation = `mutation ($data: ProjectInput!) { createProject(data: $data) { documentId kind } }`;
    const data = { title: 'Projet enum', slug: 'projet-enum', foundedYear: 2020, site: siteId };

    const before = await rows();
    const refused = await graphql(
      mutation,
      { data: { ...data, kind: 'youth_house' } },
      callers.headers.editor,
    );
    expect(refused.data?.createProject ?? null).toBeNull();
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(refused.errors?.[0].message).toContain('kind');
    expect(await rows()).toBe(before);

    const created = await graphql(
      mutation,
      { data: { ...data, kind: 'youth-house' } },
      callers.headers.editor,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createProject).toMatchObject({ kind: 'youth-house' });
    const documentId = (created.data!.createProject as { documentId: string }).documentId;
    const stored = await app.strapi.db.query('api::project.project').findOne({ where: { documentId } });
    expect(stored?.kind).toBe('youth-house');
  });
});

describe('GET /graphql/schema.graphql', () => {
  it('is the served schema as SDL, the same for every caller', async () => {
    const answers = await Promise.all(
      (['anonymous', 'editor', 'token'] as const).map((who) =>
        app.http().get('/graphql/schema.graphql').set(callers.headers[who]),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    const sdl = answers[0].text;
    const schema = buildSchema(sdl);

    // The same schema introspection gives (on outside production): the document cannot drift.
    const introspection = await graphql(getIntrospectionQuery({ specifiedByUrl: true }));
    expect(introspection.errors).toBeUndefined();
    const served = lexicographicSortSchema(buildClientSchema(introspection.data as never));
    expect(printSchema(served)).toBe(printSchema(lexicographicSortSchema(schema)));

    const query = schema.getQueryType()!.getFields();
    for (const field of ['projects', 'services', 'sites', 'funders', 'timeline', 'changes'])
      expect({ field, present: field in query }).toEqual({ field, present: true });
    // Enumeration fields are strings in output and input types; no enum type is left.
    for (const one of cases().filter((candidate) => candidate.path.length === 1)) {
      const type = schema.getType(one.typeName) as GraphQLObjectType;
      expect({ case: one.label, type: type.getFields()[one.path[0]].type.toString() }).toEqual({
        case: one.label,
        type: expect.stringMatching(/^String!?$/),
      });
      const input = schema.getType(`${one.typeName}Input`) as GraphQLInputObjectType;
      expect({ case: one.label, input: input.getFields()[one.path[0]].type.toString() }).toEqual({
        case: one.label,
        input: 'String',
      });
    }
    expect(sdl).not.toMatch(/^enum ENUM_/m);
    // Private attributes stay out (Strapi leaves them out of the types).
    const user = schema.getType('UsersPermissionsUser') as GraphQLObjectType | undefined;
    if (user) expect(Object.keys(user.getFields())).not.toContain('password');
    // Staff-only types (vocabulary terms, webhook subscriptions and their log) have no GraphQL type.
    const staffOnly = Object.keys(schema.getTypeMap()).filter((name) => /^(Term|Webhook)/.test(name));
    expect(staffOnly).toEqual([]);
  });
});

describe('the GraphQL IDE outside production', () => {
  it('GET /graphql for a browser is GraphiQL from this server, its assets served', async () => {
    const page = await app.http().get('/graphql').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="graphiql">');
    expect(page.text).not.toMatch(/<script>(?!<\/script>)|https?:\/\//);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(assets).toHaveLength(6);
    for (const asset of assets) {
      const answer = await app.http().get(asset);
      expect({ asset, status: answer.status, type: answer.headers['content-type'] }).toEqual({
        asset,
        status: 200,
        type: expect.stringMatching(asset.endsWith('.css') ? /^text\/css/ : /^application\/javascript/),
      });
    }
    expect((await app.http().get('/graphql/ide/package.json')).status).toBe(404);
    // A POST is still the API.
    const answer = await graphql('{ projects(pagination: { pageSize: 1 }) { kind } }');
    expect(answer.errors).toBeUndefined();
  });
});
