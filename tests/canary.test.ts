/**
 * Issue 13, the canary: drafts never reach a reader who may not read drafts (anonymous, the
 * `authenticated` role, read-only API tokens made by `npm run token:create` or through the admin
 * API), whatever route, parameter, populate, filter, sort or GraphQL shape they use.
 *
 * Setup plants a random canary string in every text field (and component text field) of drafts of
 * every draft & publish type: a draft-only document, a published document with an unpublished
 * edit, a published document whose other locale exists only as a draft, and an unpublished edit of
 * each single type; every relation of them is connected to seeded entries, so the canary is
 * reachable by traversal from the types without drafts. Then every request below is generated from
 * the schemas (tests/support/schema-walk.ts), the routes and the GraphQL schema, and sent as
 * anonymous and as one of the other readers (in turn). Nothing is listed by hand: a new type,
 * field, relation, locale or route is crawled without editing this file.
 *
 * Every answer: no 5xx, no canary anywhere in the body; a filter on the canary gets the same
 * answer (status, total, ids) as the same filter on a string that exists nowhere; relation paths
 * of 3 hops and sorts along relations into draft & publish types are refused with 400.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerFirstAdmin } from './support/admin';
import { documentData, documents, NO_DOCUMENT, seededDocumentIds } from './support/fixtures';
import { problems, runProbes, type Expectation, type Outcome, type Probe } from './support/probe';
import {
  FILTERABLE_TEXT_TYPES,
  canaryValue,
  contentApiRoutes,
  crossesDraftAndPublish,
  describePath,
  graphqlTextSelection,
  nest,
  pathNames,
  plainValue,
  relationPaths,
  restQuery,
  walkSchemas,
  type ContentTypeInfo,
  type Schema,
  type TextField,
} from './support/schema-walk';
import { startStrapi, type TestApp } from './support/strapi';
import { tokenFromAdminApi, tokenFromCli } from './support/tokens';
import { bearer, createApiUser } from './support/users';
import { PNG } from './support/images';

const CANARY = `canary${randomBytes(5).toString('hex')}`;
const NOWHERE = `nowhere${randomBytes(5).toString('hex')}`;
const PAGE = { pageSize: 100 };
const GRAPHQL_PAGE = '{ limit: 100 }';

let app: TestApp;
let schema: Schema;
/**
 * Content types the content API has no route to (vocabulary terms, read through /api/vocabulary;
 * types kept for the server's own use): not crawled, but each is checked to answer 404.
 */
let unrouted: ContentTypeInfo[] = [];
/** The readers: anonymous gets every request; the others take turns on a second copy of each. */
const readers: { name: string; headers: Record<string, string> }[] = [];
let editorHeaders: Record<string, string>;
/** Canary documents per type: draft only, published with a draft edit, fr published + de draft. */
const canaries = new Map<string, { draftOnly?: string; edited: string; otherLocaleDraft?: string }>();
/** A seeded published document per type (for comparisons). */
const seeded = new Map<string, string[]>();
/** GraphQL root fields' arguments: name -> { argument -> enum values, or [] for other types } */
const rootArguments = new Map<string, Map<string, string[]>>();
const relationFieldArguments = new Map<string, Set<string>>();
/** GraphQL type name -> its fields (named type, whether an argument is required), from introspection. */
const objectFields = new Map<string, { name: string; type: string; requiredArgs: boolean }[]>();
const typeKinds = new Map<string, string>();
/** Kinds whose fields need a selection of their own. */
const COMPOSITE = new Set(['OBJECT', 'UNION', 'INTERFACE']);
interface TypeRef {
  kind: string;
  name: string | null;
  ofType?: TypeRef | null;
}
const namedType = (ref: TypeRef): string => ref.name ?? (ref.ofType ? namedType(ref.ofType) : '');

const canaryText = (label: string) => (attribute: Parameters<typeof canaryValue>[0]) =>
  canaryValue(attribute, CANARY, label);
const cleanText = (label: string) => (attribute: Parameters<typeof plainValue>[0]) =>
  plainValue(attribute, `${label} ${randomBytes(3).toString('hex')}`);

async function plantCanaries() {
  const fr = schema.defaultLocale;
  const other = schema.locales.find((code) => code !== fr);
  for (const type of schema.types.filter((t) => t.draftAndPublish)) {
    const docs = documents(app, type.uid);
    const canaryData = (label: string, localizedOnly = false) =>
      documentData(app, schema, type, seeded, {
        text: (attribute, fieldLabel) => canaryText(fieldLabel)(attribute),
        label,
        localizedOnly,
      });
    const cleanData = (label: string, localizedOnly = false) =>
      documentData(app, schema, type, seeded, {
        text: (attribute, fieldLabel) => cleanText(fieldLabel)(attribute),
        label,
        localizedOnly,
      });

    if (type.kind === 'singleType') {
      // The single type exists (seeded and published): an unpublished edit of every locale.
      for (const locale of schema.locales) {
        const current = await docs.findFirst({ locale });
        if (!current) continue;
        await docs.update({
          documentId: current.documentId,
          locale,
          data: await canaryData(`${type.singularName} edit ${locale}`, locale !== fr),
        });
      }
      const current = await docs.findFirst({ locale: fr });
      canaries.set(type.uid, { edited: current?.documentId as string });
      continue;
    }

    // (i) a draft-only document, in the default locale and another one.
    const draft = await docs.create({ locale: fr, data: await canaryData(`${type.singularName} draft`) });
    if (other) {
      await docs.update({
        documentId: draft.documentId,
        locale: other,
        data: await canaryData(`${type.singularName} draft ${other}`, true),
      });
    }
    // (ii) published (clean), then an unpublished edit carrying the canary, in both locales.
    const edited = await docs.create({ locale: fr, data: await cleanData(`${type.singularName} published`) });
    if (other) {
      await docs.update({
        documentId: edited.documentId,
        locale: other,
        data: await cleanData(`${type.singularName} published ${other}`, true),
      });
    }
    await docs.publish({ documentId: edited.documentId, locale: '*' });
    await docs.update({
      documentId: edited.documentId,
      locale: fr,
      data: await canaryData(`${type.singularName} edited`),
    });
    if (other) {
      await docs.update({
        documentId: edited.documentId,
        locale: other,
        data: await canaryData(`${type.singularName} edited ${other}`, true),
      });
    }
    // (iii) published in the default locale only; the other locale exists only as a draft.
    const partly = await docs.create({ locale: fr, data: await cleanData(`${type.singularName} partly`) });
    await docs.publish({ documentId: partly.documentId, locale: fr });
    if (other) {
      await docs.update({
        documentId: partly.documentId,
        locale: other,
        data: await canaryData(`${type.singularName} partly ${other}`, true),
      });
    }
    canaries.set(type.uid, {
      draftOnly: draft.documentId,
      edited: edited.documentId,
      otherLocaleDraft: partly.documentId,
    });
  }
}

/**
 * Setup guard (not an assertion about the API): the canaries are really reachable, at the database
 * level, through at least one relation from every type that has a relation into a draft & publish
 * type; otherwise the crawl would prove nothing.
 */
async function assertCanariesReachable() {
  const unreachable: string[] = [];
  for (const type of schema.types) {
    for (const path of relationPaths(schema, type.uid, 1)) {
      if (path.hops[0].side === 'system') continue;
      const target = schema.byUid.get(path.target) as ContentTypeInfo;
      if (!target.draftAndPublish) continue;
      const field = filterableFields(target)[0];
      if (!field) continue;
      const count = await documents(app, type.uid).findMany({
        locale: schema.defaultLocale,
        ...(type.draftAndPublish ? { status: 'draft' } : {}),
        filters: nest([...pathNames(path), ...field.path], { $containsi: CANARY }),
        fields: ['documentId'],
      });
      if (count.length === 0) unreachable.push(describePath(path));
    }
  }
  if (unreachable.length > 0) throw new Error(`canaries not reachable through: ${unreachable.join(', ')}`);
}

/**
 * The seed has no media: one image goes into every media field of a seeded published entry of
 * each type (every version of it), so that the crawl reads inside media files too.
 */
async function attachMedia() {
  const filepath = path.join(os.tmpdir(), `canary-${randomBytes(4).toString('hex')}.png`);
  fs.writeFileSync(filepath, PNG);
  try {
    const [file] = (await app.strapi
      .plugin('upload')
      .service('upload')
      .upload({
        data: { fileInfo: { name: 'canary.png', alternativeText: 'canary' } },
        files: { filepath, originalFilename: 'canary.png', mimetype: 'image/png', size: PNG.length },
      })) as { id: number }[];
    for (const type of schema.types) {
      const fields = Object.entries(type.attributes)
        .filter(([, attribute]) => attribute.type === 'media')
        .map(([name]) => name);
      const documentId = seeded.get(type.uid)?.[0];
      if (fields.length === 0 || !documentId) continue;
      const rows = (await app.strapi.db
        .query(type.uid as never)
        .findMany({ where: { documentId }, select: ['id'] })) as { id: number }[];
      for (const row of rows)
        await app.strapi.db.query(type.uid as never).update({
          where: { id: row.id },
          data: Object.fromEntries(fields.map((field) => [field, file.id])),
        });
    }
  } finally {
    fs.rmSync(filepath, { force: true });
  }
}

async function introspectGraphql() {
  const response = await app.http().post('/graphql').send({
    query: `{ __schema { queryType { fields { name args { name type { kind name ofType { kind name } } } } } types { name kind enumValues { name } fields { name args { name type { kind } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`,
  });
  const data = response.body.data.__schema as {
    queryType: {
      fields: {
        name: string;
        args: { name: string; type: { name?: string; ofType?: { name?: string } } }[];
      }[];
    };
    types: {
      name: string;
      kind: string;
      enumValues: { name: string }[] | null;
      fields: { name: string; args: { name: string; type: { kind: string } }[]; type: TypeRef }[] | null;
    }[];
  };
  const enums = new Map(
    data.types.filter((t) => t.kind === 'ENUM').map((t) => [t.name, (t.enumValues ?? []).map((v) => v.name)]),
  );
  for (const field of data.queryType.fields) {
    const args = new Map<string, string[]>();
    for (const arg of field.args) {
      const typeName = arg.type.name ?? arg.type.ofType?.name ?? '';
      args.set(arg.name, typeName === 'Boolean' ? ['true', 'false'] : (enums.get(typeName) ?? []));
    }
    rootArguments.set(field.name, args);
  }
  for (const type of data.types) {
    for (const field of type.fields ?? []) {
      relationFieldArguments.set(`${type.name}.${field.name}`, new Set(field.args.map((arg) => arg.name)));
    }
    objectFields.set(
      type.name,
      (type.fields ?? []).map((field) => ({
        name: field.name,
        type: namedType(field.type),
        requiredArgs: field.args.some((arg) => arg.type.kind === 'NON_NULL'),
      })),
    );
    typeKinds.set(type.name, type.kind);
  }
}

beforeAll(async () => {
  app = await startStrapi();
  const walked = await walkSchemas(app.strapi);
  const routed = new Set(contentApiRoutes(app.strapi).map((route) => route.uid));
  schema = { ...walked, types: walked.types.filter((type) => routed.has(type.uid)) };
  unrouted = walked.types.filter((type) => !routed.has(type.uid));
  for (const [uid, ids] of await seededDocumentIds(app, schema)) seeded.set(uid, ids);
  const superAdmin = await registerFirstAdmin(app);
  const authenticated = await createApiUser(app, 'authenticated');
  editorHeaders = bearer(await createApiUser(app, 'editor'));
  readers.push(
    { name: 'anonymous', headers: {} },
    { name: 'token (npm run token:create)', headers: await tokenFromCli(app, 'Canary CLI token') },
    {
      name: 'token (admin API, 7 days)',
      headers: await tokenFromAdminApi(app, superAdmin, 'Canary admin token 7d'),
    },
    {
      name: 'token (admin API, unlimited)',
      headers: await tokenFromAdminApi(app, superAdmin, 'Canary admin token', null),
    },
    { name: 'authenticated', headers: bearer(authenticated) },
  );
  await plantCanaries();
  await assertCanariesReachable();
  await introspectGraphql();
  await attachMedia();
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

// ---------------------------------------------------------------------------------------------
// Generators

const filterableFields = (type: ContentTypeInfo): TextField[] =>
  type.textFields.filter((field) => FILTERABLE_TEXT_TYPES.has(field.attribute.type));

/** One generated request, before a caller is assigned. */
type Case = Omit<Probe, 'caller' | 'headers'>;

const rest = (
  category: string,
  path: string,
  params: Record<string, unknown>,
  extra: Partial<Case> = {},
): Case => {
  const query = restQuery(params);
  return { category, method: 'GET', url: query ? `${path}?${query}` : path, ...extra };
};

const withPage = (type: ContentTypeInfo, params: Record<string, unknown>) =>
  type.kind === 'collectionType' ? { ...params, pagination: PAGE } : params;

const both = [
  ['canary', () => CANARY],
  ['nowhere', () => NOWHERE],
] as const;

/** Every GET route of the app's APIs, with each status and locale, and single documents by id. */
function routeCases(): Case[] {
  const cases: Case[] = [];
  const routes = contentApiRoutes(app.strapi).filter(
    (route) => route.method === 'GET' && route.origin.startsWith('api::'),
  );
  for (const route of routes) {
    const type = route.uid ? schema.byUid.get(route.uid) : undefined;
    if (!type) {
      // Custom endpoints (listings, timeline, vocabulary, OpenAPI): each locale, and status=draft.
      // The preview answers only with a preview token (tests/preview.test.ts): here a refusal,
      // never a 5xx and never a canary.
      // A path with a placeholder (the listing's unknown-format route) answers 400 to any
      // value not listed: not-5xx. The search looks for the canary by all but its last letter
      // (the last word is matched as a prefix; the echoed query is not the canary, so no leak).
      const expectOk = route.path === '/api/preview' || route.path.includes(':') ? 'not-5xx' : 'ok';
      const required = route.path === '/api/search' ? { q: CANARY.slice(0, -1) } : {};
      for (const locale of [undefined, ...schema.locales]) {
        cases.push(rest('routes', route.path, { ...required, locale }, { expect: expectOk }));
      }
      for (const params of [{ locale: '*' }, { status: 'draft' }]) {
        cases.push(rest('routes', route.path, { ...required, ...params }, { expect: 'not-5xx' }));
      }
      continue;
    }
    if (!route.path.includes(':')) {
      // The list (or the single type): every status with every locale.
      for (const status of [undefined, 'draft', 'published']) {
        for (const locale of [undefined, ...schema.locales, '*']) {
          const expect = locale === '*' ? 'not-5xx' : 'ok';
          cases.push(rest('routes', route.path, withPage(type, { status, locale }), { expect }));
        }
      }
      continue;
    }
    // One document: the planted ones, a seeded one and one that does not exist, asked as drafts in
    // every locale; a draft-only document is answered exactly like one that does not exist.
    const planted = canaries.get(type.uid);
    const ids = [
      planted?.draftOnly,
      planted?.edited,
      planted?.otherLocaleDraft,
      seeded.get(type.uid)?.[0],
      NO_DOCUMENT,
    ].filter((id): id is string => Boolean(id));
    const variants: { status?: string; locale?: string }[] = [
      {},
      ...[undefined, ...schema.locales, '*'].map((locale) => ({ status: 'draft', locale })),
    ];
    for (const id of ids) {
      for (const params of variants) {
        const pair =
          id === planted?.draftOnly || id === NO_DOCUMENT
            ? {
                key: `one ${type.uid} ${JSON.stringify(params)}`,
                role: id === NO_DOCUMENT ? ('nowhere' as const) : ('canary' as const),
              }
            : undefined;
        const expect = id === seeded.get(type.uid)?.[0] && params.locale !== '*' ? 'ok' : undefined;
        cases.push(rest('routes', route.path.replace(/:[A-Za-z_]+/, id), params, { pair, expect }));
      }
    }
  }
  return cases;
}

/** populate=<each relation, component, media field>, one level, with status and a locale. */
function populateCases(): Case[] {
  const cases: Case[] = [];
  for (const type of schema.types) {
    const system = type.relations.filter((relation) => relation.side === 'system').map((r) => r.name);
    for (const name of [...type.populatable, '*', ...system]) {
      const expect: Expectation = system.includes(name) ? 'not-5xx' : 'ok';
      for (const extra of [{}, { status: 'draft' }, { status: 'draft', locale: schema.locales[1] }]) {
        cases.push(rest('populate', type.restBase, withPage(type, { populate: name, ...extra }), { expect }));
      }
      const planted = canaries.get(type.uid);
      if (planted && type.kind === 'collectionType') {
        for (const id of [planted.edited, planted.otherLocaleDraft]) {
          const params = { populate: name, status: 'draft', locale: schema.locales[1] };
          cases.push(rest('populate', `${type.restBase}/${id}`, params, { expect }));
        }
      }
    }
    // A filter inside the populate of each relation: the same answer on the canary as on nothing.
    for (const relation of type.relations.filter((r) => r.side !== 'system')) {
      const target = schema.byUid.get(relation.target) as ContentTypeInfo;
      if (!target.draftAndPublish) continue;
      for (const field of filterableFields(target).slice(0, 2)) {
        for (const [role, value] of both) {
          const populate = { [relation.name]: { filters: nest(field.path, { $containsi: value() }) } };
          cases.push(
            rest('populate', type.restBase, withPage(type, { populate, status: 'draft' }), {
              pair: { key: `populate-filter ${type.uid} ${relation.name} ${field.path.join('.')}`, role },
              expect: role === 'nowhere' ? 'ok' : undefined,
            }),
          );
        }
      }
    }
  }
  return cases;
}

/**
 * Filters along every relation path of 0 to 2 hops ending at a draft & publish type: every text
 * field of the target at 0 and 1 hop, two at 2 hops. Paths ending at a type without drafts (no
 * canary there) get one request, which must be accepted (2 hops are allowed).
 */
function filterCases(): Case[] {
  const cases: Case[] = [];
  let turn = 0;
  for (const type of schema.types) {
    for (const hops of [0, 1, 2]) {
      for (const path of relationPaths(schema, type.uid, hops)) {
        const target = schema.byUid.get(path.target) as ContentTypeInfo;
        const all = filterableFields(target);
        const fields = !target.draftAndPublish ? all.slice(0, 1) : hops === 2 ? all.slice(0, 2) : all;
        for (const field of fields) {
          turn += 1;
          const status = turn % 2 === 0 ? { status: 'draft' } : {};
          const key = `filter ${describePath(path)}.${field.path.join('.')} ${JSON.stringify(status)}`;
          for (const [role, value] of target.draftAndPublish ? both : both.slice(1)) {
            const filters = nest([...pathNames(path), ...field.path], { $containsi: value() });
            // A single type matching no filter is a 404, on the canary as on nothing.
            const expect = role === 'nowhere' && type.kind === 'collectionType' ? 'ok' : undefined;
            cases.push(
              rest('filters', type.restBase, withPage(type, { filters, ...status }), {
                pair: { key, role },
                expect,
              }),
            );
          }
        }
      }
    }
    // Full-text search of the list routes.
    if (type.kind === 'collectionType') {
      for (const [role, value] of both) {
        for (const status of [{}, { status: 'draft' }]) {
          cases.push(
            rest('filters', type.restBase, withPage(type, { _q: value(), ...status }), {
              pair: { key: `_q ${type.uid} ${JSON.stringify(status)}`, role },
            }),
          );
        }
      }
    }
  }
  return cases;
}

/** Three hops: 400, even on the canary. */
function deepFilterCases(): Case[] {
  return schema.types.flatMap((type) =>
    relationPaths(schema, type.uid, 3).map((path) => {
      const target = schema.byUid.get(path.target) as ContentTypeInfo;
      const field = filterableFields(target)[0] ?? { path: ['documentId'] };
      const filters = nest([...pathNames(path), ...field.path], { $containsi: CANARY });
      return rest('filters (3 hops)', type.restBase, withPage(type, { filters }), { expect: 'bad-request' });
    }),
  );
}

/**
 * Sort along every relation path of 1 and 2 hops (string and object forms): 400 when the path
 * goes into a draft & publish type; and at 3 hops, one path per first hop: 400.
 */
function sortCases(): Case[] {
  const cases: Case[] = [];
  for (const type of schema.types) {
    const firstHops = new Set<string>();
    for (const hops of [1, 2, 3]) {
      for (const path of relationPaths(schema, type.uid, hops)) {
        if (hops === 3) {
          if (firstHops.has(path.hops[0].name)) continue;
          firstHops.add(path.hops[0].name);
        }
        const target = schema.byUid.get(path.target) as ContentTypeInfo;
        const field = filterableFields(target).find((f) => f.path.length === 1) ?? { path: ['documentId'] };
        const refused = hops > 2 || crossesDraftAndPublish(schema, path);
        const expect: Expectation = refused ? 'bad-request' : 'not-5xx';
        const names = [...pathNames(path), ...field.path];
        cases.push(
          rest('sort', type.restBase, withPage(type, { sort: `${names.join('.')}:asc` }), { expect }),
        );
        if (hops < 3) {
          const params = { sort: nest(names, 'desc'), status: 'draft' };
          cases.push(rest('sort', type.restBase, withPage(type, params), { expect }));
        }
      }
    }
  }
  return cases;
}

/** Whether a list answer singles out the document with an unpublished edit from a seeded one. */
function draftOracle(
  type: ContentTypeInfo,
  listed: (outcome: Outcome) => (string | undefined)[] | undefined,
) {
  const edited = canaries.get(type.uid)?.edited as string;
  const reference = seeded.get(type.uid)?.[0] as string;
  return (outcome: Outcome) => {
    const found = listed(outcome);
    if (!found || found.includes(edited) === found.includes(reference)) return undefined;
    return `draft oracle: the document with an unpublished edit is ${found.includes(edited) ? '' : 'not '}listed, a seeded published one is ${found.includes(reference) ? '' : 'not '}listed`;
  };
}

/**
 * Strapi's `publicationFilter` (and the older `hasPublishedVersion`), every value: questions about
 * drafts, refused (400) for these readers; no canary, and no oracle on drafts either way.
 */
function publicationFilterCases(): Case[] {
  const values = [...rootArguments.values()].find((args) => args.has('publicationFilter'));
  const modes = (values?.get('publicationFilter') ?? []).map((v) => v.toLowerCase().replace(/_/g, '-'));
  const cases: Case[] = [];
  for (const type of schema.types.filter((t) => t.draftAndPublish && t.kind === 'collectionType')) {
    const check = draftOracle(type, (outcome) =>
      outcome.status === 200
        ? ((outcome.body as { data?: { documentId: string }[] }).data ?? []).map((entry) => entry.documentId)
        : undefined,
    );
    for (const status of [undefined, 'draft', 'published']) {
      for (const mode of modes) {
        const params = withPage(type, { publicationFilter: mode, status });
        cases.push(rest('publicationFilter', type.restBase, params, { check, expect: 'bad-request' }));
      }
      for (const flag of ['true', 'false']) {
        const params = withPage(type, { hasPublishedVersion: flag, status });
        cases.push(rest('publicationFilter', type.restBase, params, { check, expect: 'bad-request' }));
      }
    }
  }
  return cases;
}

// GraphQL ------------------------------------------------------------------------------------

const gqlValue = (value: unknown): string => {
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, child]) => `${key.replace(/^\$/, '')}: ${gqlValue(child)}`,
    );
    return `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
};

/** Whether the GraphQL field `type.field` takes `argument` (from introspection). */
const takes = (type: ContentTypeInfo, field: string, argument: string) =>
  relationFieldArguments.get(`${type.graphql.typeName}.${field}`)?.has(argument) ?? false;

/** The selection of a type: its text fields and every relation's text fields (lists paged). */
function fullSelection(type: ContentTypeInfo, relationArgs = ''): string {
  const relations = type.relations.map((relation) => {
    const target = schema.byUid.get(relation.target) as ContentTypeInfo;
    const paged = takes(type, relation.name, 'pagination') ? `pagination: ${GRAPHQL_PAGE}` : '';
    const args = [paged, relationArgs].filter(Boolean).join(', ');
    return `${relation.name}${args ? `(${args})` : ''} { ${graphqlTextSelection(target)} }`;
  });
  return `${graphqlTextSelection(type, type.draftAndPublish ? ['publishedAt'] : [])} ${relations.join(' ')}`;
}

const argList = (args: Record<string, string | undefined>) => {
  const parts = Object.entries(args)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${value}`);
  return parts.length ? `(${parts.join(', ')})` : '';
};

const gql = (category: string, query: string, extra: Partial<Case> = {}): Case => ({
  category,
  method: 'POST',
  url: '/graphql',
  graphql: query,
  ...extra,
});

const graphqlIds = (outcome: Outcome): (string | undefined)[] | undefined => {
  const data = (outcome.body as { data?: { r?: ({ documentId: string } | null)[] | null } }).data?.r;
  return Array.isArray(data) ? data.map((entry) => entry?.documentId) : undefined;
};

/** Root fields of each type with every argument value the schema declares, and single documents. */
function graphqlReadCases(): Case[] {
  const cases: Case[] = [];
  for (const type of schema.types) {
    const root = type.graphql.findQuery;
    const args = rootArguments.get(root) ?? new Map<string, string[]>();
    const draft = args.has('status') ? 'DRAFT' : undefined;
    const page = type.kind === 'collectionType' ? GRAPHQL_PAGE : undefined;
    const variants: { args: Record<string, string | undefined>; expect: Expectation }[] = [
      { args: {}, expect: 'ok' },
    ];
    for (const status of args.get('status') ?? []) variants.push({ args: { status }, expect: 'ok' });
    if (args.has('locale')) {
      for (const locale of schema.locales) {
        variants.push({ args: { locale: JSON.stringify(locale), status: draft }, expect: 'ok' });
      }
      variants.push({ args: { locale: '"*"', status: draft }, expect: 'not-5xx' });
    }
    // Questions about drafts: refused for these readers.
    for (const mode of args.get('publicationFilter') ?? []) {
      variants.push({ args: { publicationFilter: mode }, expect: 'bad-request' });
      variants.push({ args: { publicationFilter: mode, status: draft }, expect: 'bad-request' });
    }
    for (const flag of args.get('hasPublishedVersion') ?? []) {
      variants.push({ args: { hasPublishedVersion: flag, status: draft }, expect: 'bad-request' });
    }
    const oracle =
      type.draftAndPublish && type.kind === 'collectionType' ? draftOracle(type, graphqlIds) : undefined;
    for (const { args: variant, expect } of variants) {
      const query = `{ r: ${root}${argList({ ...variant, pagination: page })} { ${fullSelection(type)} } }`;
      cases.push(
        gql('graphql', query, {
          expect,
          check: 'publicationFilter' in variant || 'hasPublishedVersion' in variant ? oracle : undefined,
        }),
      );
    }
    // Relation fields asked for drafts: the schema has no such argument (then a 400), or ignores it.
    const relationStatus = type.relations.some((relation) =>
      relationFieldArguments.get(`${type.graphql.typeName}.${relation.name}`)?.has('status'),
    );
    const withStatus = `{ r: ${root}${argList({ status: draft, pagination: page })} { ${fullSelection(type, 'status: DRAFT')} } }`;
    cases.push(gql('graphql', withStatus, { expect: relationStatus ? 'ok' : 'not-5xx' }));
    // The _connection forms, with relations' _connection fields.
    if (type.graphql.connectionQuery) {
      const many = type.relations
        .filter((relation) =>
          relationFieldArguments.has(`${type.graphql.typeName}.${relation.name}_connection`),
        )
        .map((relation) => {
          const target = schema.byUid.get(relation.target) as ContentTypeInfo;
          const field = `${relation.name}_connection`;
          const args = takes(type, field, 'pagination') ? `(pagination: ${GRAPHQL_PAGE})` : '';
          return `${field}${args} { nodes { ${graphqlTextSelection(target)} } }`;
        });
      // One relation per query: the GraphQL cost limit refuses them all at once.
      for (const connection of many.length ? many : ['']) {
        for (const status of [undefined, ...(args.get('status') ?? [])]) {
          // The localizations' text with the root's would cost over the limit: the root's text is
          // read with the other relations.
          const own = connection.startsWith('localizations_connection')
            ? 'documentId'
            : graphqlTextSelection(type);
          const selection = `nodes { ${own} ${connection} } pageInfo { total }`;
          const query = `{ r: ${type.graphql.connectionQuery}${argList({ status, pagination: GRAPHQL_PAGE })} { ${selection} } }`;
          cases.push(gql('graphql', query, { expect: 'ok' }));
        }
      }
    }
    // Single documents, the planted ones included, in every locale, asked as drafts.
    const planted = canaries.get(type.uid);
    if (type.graphql.findOneQuery) {
      const oneArgs = rootArguments.get(type.graphql.findOneQuery) ?? new Map<string, string[]>();
      const ids = [planted?.draftOnly, planted?.edited, planted?.otherLocaleDraft, seeded.get(type.uid)?.[0]];
      for (const id of ids.filter(Boolean)) {
        for (const locale of [undefined, ...schema.locales]) {
          const query = `{ r: ${type.graphql.findOneQuery}${argList({
            documentId: JSON.stringify(id),
            status: oneArgs.has('status') ? 'DRAFT' : undefined,
            locale: locale && oneArgs.has('locale') ? JSON.stringify(locale) : undefined,
          })} { ${fullSelection(type)} } }`;
          cases.push(gql('graphql', query, { expect: 'ok' }));
        }
      }
    }
  }
  return cases;
}

/** Filters along relation paths (0 to 2 hops), filters of relation fields, sorts along relations. */
/**
 * Every field one level inside the objects a content type holds that are not content types
 * themselves (media files, components: what the relation crawl does not walk), each in its own
 * query from the type's list query: `UploadFile.related` answered INTERNAL_SERVER_ERROR there.
 */
function graphqlNestedCases(): Case[] {
  const contentTypeNames = new Set(schema.types.map((type) => type.graphql.typeName));
  const cases: Case[] = [];
  for (const type of schema.types) {
    const root = type.graphql.findQuery;
    if (!root) continue;
    const page = rootArguments.get(root)?.has('pagination') ? argList({ pagination: GRAPHQL_PAGE }) : '';
    for (const outer of objectFields.get(type.graphql.typeName) ?? []) {
      if (outer.requiredArgs || contentTypeNames.has(outer.type) || typeKinds.get(outer.type) !== 'OBJECT')
        continue;
      if (outer.type.endsWith('RelationResponseCollection')) continue;
      for (const inner of objectFields.get(outer.type) ?? []) {
        if (inner.requiredArgs) continue;
        const selection = COMPOSITE.has(typeKinds.get(inner.type) ?? '')
          ? `${inner.name} { __typename }`
          : inner.name;
        cases.push(
          gql('graphql nested', `{ r: ${root}${page} { ${outer.name} { ${selection} } } }`, {
            expect: 'not-5xx',
          }),
        );
      }
    }
  }
  return cases;
}

function graphqlTraversalCases(): Case[] {
  const cases: Case[] = [];
  for (const type of schema.types) {
    const root = type.graphql.findQuery;
    const args = rootArguments.get(root) ?? new Map<string, string[]>();
    const draft = args.has('status') ? 'DRAFT' : undefined;
    const page = type.kind === 'collectionType' ? GRAPHQL_PAGE : undefined;
    if (args.has('filters')) {
      for (const hops of [0, 1, 2]) {
        for (const path of relationPaths(schema, type.uid, hops)) {
          const target = schema.byUid.get(path.target) as ContentTypeInfo;
          if (!target.draftAndPublish) continue;
          const fields = filterableFields(target).slice(0, hops === 0 ? undefined : hops === 1 ? 3 : 1);
          for (const field of fields) {
            for (const [role, value] of both) {
              const filters = gqlValue(nest([...pathNames(path), ...field.path], { containsi: value() }));
              const query = `{ r: ${root}${argList({ filters, status: draft, pagination: page })} { documentId } }`;
              const key = `gql filter ${describePath(path)}.${field.path.join('.')}`;
              const expect = role === 'nowhere' ? 'ok' : undefined;
              cases.push(gql('graphql filters', query, { pair: { key, role }, expect }));
            }
          }
        }
      }
      for (const hops of [1, 2]) {
        for (const path of relationPaths(schema, type.uid, hops)) {
          if (!crossesDraftAndPublish(schema, path)) continue;
          const target = schema.byUid.get(path.target) as ContentTypeInfo;
          const field = filterableFields(target).find((f) => f.path.length === 1) ?? { path: ['documentId'] };
          const sort = JSON.stringify(`${[...pathNames(path), ...field.path].join('.')}:asc`);
          const query = `{ r: ${root}${argList({ sort, pagination: page })} { documentId } }`;
          cases.push(gql('graphql sort', query, { expect: 'bad-request' }));
        }
      }
    }
    for (const relation of type.relations) {
      const target = schema.byUid.get(relation.target) as ContentTypeInfo;
      if (!target.draftAndPublish || !takes(type, relation.name, 'filters')) continue;
      for (const field of filterableFields(target).slice(0, 2)) {
        for (const [role, value] of both) {
          const filters = gqlValue(nest(field.path, { containsi: value() }));
          const query = `{ r: ${root}${argList({ pagination: page })} { documentId ${relation.name}(filters: ${filters}, pagination: ${GRAPHQL_PAGE}) { documentId } } }`;
          const key = `gql relation filter ${type.uid}.${relation.name}.${field.path.join('.')}`;
          const expect = role === 'nowhere' ? 'ok' : undefined;
          cases.push(gql('graphql filters', query, { pair: { key, role }, expect }));
        }
      }
    }
  }
  return cases;
}

/** Every case for anonymous, and again for one of the other readers, in turn. */
function assign(cases: Case[]): Probe[] {
  const others = readers.slice(1);
  const pairTurn = new Map<string, number>();
  let turn = 0;
  return cases.flatMap((item) => {
    let index: number;
    if (item.pair) {
      index = pairTurn.get(item.pair.key) ?? turn++;
      pairTurn.set(item.pair.key, index);
    } else {
      index = turn++;
    }
    const second = others[index % others.length];
    return [readers[0], second].map((reader) => ({ ...item, caller: reader.name, headers: reader.headers }));
  });
}

const counts: Record<string, number> = {};

async function crawl(cases: Case[]): Promise<string[]> {
  const probes = assign(cases);
  for (const probe of probes) counts[probe.category] = (counts[probe.category] ?? 0) + 1;
  const outcomes = await runProbes(app, probes, 8);
  return problems(outcomes, [CANARY]);
}

const report = (found: string[]) =>
  found.length
    ? `${found.length} problems:\n${found.slice(0, Number(process.env.CANARY_REPORT_LINES ?? 60)).join('\n')}`
    : '';

afterAll(() => {
  process.stdout.write(`canary crawl, requests per category: ${JSON.stringify(counts)}\n`);
});

describe('the canaries are planted (the editor reads them as drafts)', () => {
  it('in every draft & publish type', async () => {
    const missing: string[] = [];
    for (const type of schema.types.filter((t) => t.draftAndPublish)) {
      const planted = canaries.get(type.uid);
      const url =
        type.kind === 'singleType'
          ? `${type.restBase}?status=draft`
          : `${type.restBase}/${planted?.draftOnly}?status=draft`;
      const response = await app.http().get(url).set(editorHeaders);
      if (response.status !== 200 || !response.text.includes(CANARY))
        missing.push(`${url}: ${response.status}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('no draft reaches a reader who may not read drafts', () => {
  it('(control) the same crawl finds the canaries when the reader may read drafts: the editor', async () => {
    const probes = routeCases().map((item) => ({ ...item, caller: 'editor', headers: editorHeaders }));
    const found = problems(await runProbes(app, probes, 8), [CANARY]).join('\n');
    for (const type of schema.types.filter((t) => t.draftAndPublish)) {
      expect({ type: type.uid, seen: found.includes(`GET ${type.restBase}`) }).toEqual({
        type: type.uid,
        seen: true,
      });
    }
  });

  it('every GET route, with each status and locale, list and single documents', async () => {
    expect(report(await crawl(routeCases()))).toBe('');
  });

  it('populate of every relation, component and media field', async () => {
    expect(report(await crawl(populateCases()))).toBe('');
  });

  it('filters along every relation path up to 2 hops, on every text field, and _q', async () => {
    expect(report(await crawl(filterCases()))).toBe('');
  });

  it('filters along relation paths of 3 hops answer 400', async () => {
    expect(report(await crawl(deepFilterCases()))).toBe('');
  });

  it('sort along relations into draft & publish types answers 400', async () => {
    expect(report(await crawl(sortCases()))).toBe('');
  });

  it('publicationFilter and hasPublishedVersion show nothing of drafts', async () => {
    expect(report(await crawl(publicationFilterCases()))).toBe('');
  });

  it('GraphQL: every root field with each status, locale and publication filter, every relation field', async () => {
    expect(report(await crawl(graphqlReadCases()))).toBe('');
  });

  it('GraphQL: every field inside media and components, from each list query', async () => {
    const cases = graphqlNestedCases();
    expect(cases.length).toBeGreaterThan(20);
    expect(report(await crawl(cases))).toBe('');
  });

  it('GraphQL: filters along relation paths and in relation fields, sorts along relations', async () => {
    expect(report(await crawl(graphqlTraversalCases()))).toBe('');
  });

  it('types without a content API route answer 404 on REST and have no GraphQL root field', async () => {
    const wrong: string[] = [];
    for (const type of unrouted) {
      for (const reader of readers) {
        for (const url of [
          type.restBase,
          `${type.restBase}?status=draft&populate=*`,
          `${type.restBase}/${NO_DOCUMENT}`,
        ]) {
          const response = await app.http().get(url).set(reader.headers);
          if (response.status !== 404) wrong.push(`${reader.name}: GET ${url} -> ${response.status}`);
        }
        const query = `{ r: ${type.graphql.findQuery} { documentId } }`;
        const answer = await app.http().post('/graphql').set(reader.headers).send({ query });
        if (answer.body.errors?.[0]?.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED')
          wrong.push(`${reader.name}: ${query} -> ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
