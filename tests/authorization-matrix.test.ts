/**
 * Issue 13, the authorization matrix: every caller (anonymous, the `authenticated` and `editor`
 * roles, read-only tokens made both ways, each admin role) × every content type × every operation
 * × every document state, generated from the schemas (tests/support/schema-walk.ts) and checked
 * over HTTP; after each call the database is read (Document Service / db.query) to see whether the
 * data changed, and it must have changed exactly when the call was allowed.
 *
 * The expectations below (CONTENT_API, ADMIN) are the only hand-written part: a small table keyed
 * by caller × operation class. Types, fields, relations, locales, states and routes come from the
 * running app, so a new content type, field or relation is covered without editing this file.
 */
import { randomBytes } from 'node:crypto';
import { HISTORY_UIDS } from '../src/history';
import { VOCABULARY_UIDS } from '../src/permissions/table';
import { seedTerms } from '../src/vocabulary/terms';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { documentData, documents, NO_DOCUMENT, seededDocumentIds } from './support/fixtures';
import {
  TEXT_TYPES,
  canaryValue,
  changedValue,
  contentApiRoutes,
  fillRoute,
  graphqlEnum,
  restQuery,
  runLimited,
  walkSchemas,
  type Attribute,
  type ContentTypeInfo,
  type Schema,
} from './support/schema-walk';
import { startStrapi, type TestApp } from './support/strapi';
import { tokenFromAdminApi, tokenFromCli } from './support/tokens';
import { bearer, createApiUser } from './support/users';

// ---------------------------------------------------------------------------------------------
// The expectations

/** Content API callers (REST and GraphQL). */
interface ContentApiRule {
  /** `published`: published versions only, whatever `status` says; `drafts on request`: status=draft shows drafts. */
  read: 'published' | 'drafts on request';
  /** Create and update: refused, or allowed on the draft & publish collection types, as drafts. */
  write: 'refused' | 'drafts of draft & publish collections';
  /** Delete: refused, or allowed on documents that were never published (of those types). */
  delete: 'refused' | 'never-published documents';
  /** A write asking to publish (`status=published`, `status: PUBLISHED`): refused, or a draft. */
  publish: 'refused' | 'lands as a draft';
}

const READER: ContentApiRule = { read: 'published', write: 'refused', delete: 'refused', publish: 'refused' };

const CONTENT_API: Record<string, ContentApiRule> = {
  anonymous: READER,
  authenticated: READER,
  'token (npm run token:create)': READER,
  'token (admin API, 7 days)': READER,
  'token (admin API, unlimited)': READER,
  editor: {
    read: 'drafts on request',
    write: 'drafts of draft & publish collections',
    delete: 'never-published documents',
    publish: 'lands as a draft',
  },
};

/**
 * Admin panel roles (the Content Manager's admin API). `all`: allowed; `none`: 403; `own`: on the
 * documents the user created, 403 on others'; `translations`: in the locales other than the
 * default, localized fields only (a changed shared field or relation, or any write in the
 * default locale: 403). `types` limits the create and update grants to those types.
 */
type Scope = 'all' | 'none' | 'own' | 'translations';
interface AdminRule {
  /** A new document (create, clone, create-and-publish). */
  create: Scope;
  /** A new locale of an existing document. */
  addLocale: Scope;
  update: Scope;
  delete: Scope;
  publish: Scope;
  types?: string[];
}

const EVERYTHING: AdminRule = {
  create: 'all',
  addLocale: 'all',
  update: 'all',
  delete: 'all',
  publish: 'all',
};

const ADMIN: Record<string, AdminRule> = {
  communication: EVERYTHING,
  'project-coordinator': {
    create: 'all',
    addLocale: 'own',
    update: 'own',
    delete: 'none',
    publish: 'none',
    types: ['project', 'service'],
  },
  translator: {
    create: 'none',
    addLocale: 'translations',
    update: 'translations',
    delete: 'none',
    publish: 'none',
  },
};

// ---------------------------------------------------------------------------------------------
// Setup: callers, and documents in every state

type State = 'draft only' | 'published' | 'published with an unpublished edit' | 'default locale only';

interface Doc {
  type: ContentTypeInfo;
  state: State;
  documentId: string;
  /** Text in the published (or only) version; in the draft of a draft-only document: none. */
  pub?: string;
  /** Text in the unpublished draft. */
  draft?: string;
  locales: string[];
}

let app: TestApp;
let schema: Schema;
/** The vocabulary terms (VOCABULARY_UIDS): labels only, no content API route; section C. */
let vocabularyTypes: ContentTypeInfo[] = [];
let seeded = new Map<string, string[]>();
let superAdmin: AdminSession;
const contentCallers: Record<string, Record<string, string>> = {};
const admins: Record<string, AdminSession> = {};
/** A second project coordinator: the owner of "someone else's" documents. */
let otherCoordinator: AdminSession;
/** Shared documents per type and state (for the refused cases: they must stay unchanged). */
const fixtures = new Map<string, Doc[]>();
let defaultLocale: string;
let otherLocale: string;

/** What a refused call left in the database, for its failure message. */
const databaseSays = (before: string, after: string) =>
  after === before ? 'nothing changed in the database' : 'THE DOCUMENT CHANGED in the database';

const marker = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`;
const markedText = (mark: string) => (attribute: Attribute, label: string) =>
  canaryValue(attribute, mark, label);

function statesOf(type: ContentTypeInfo): State[] {
  if (type.kind === 'singleType') return ['published with an unpublished edit'];
  return type.draftAndPublish
    ? ['draft only', 'published', 'published with an unpublished edit', 'default locale only']
    : ['published', 'default locale only'];
}

const isWritableByEditor = (type: ContentTypeInfo) => type.draftAndPublish && type.kind === 'collectionType';

/** Relations the data of a new document may carry: owning sides only (inverse sides are refused). */
const owningOnly = (type: ContentTypeInfo, data: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(data).filter(
      ([name]) => !type.relations.some((relation) => relation.name === name && relation.side !== 'owning'),
    ),
  );

/**
 * The relations a role limited to some types (`types`) may link on its new documents: a link to a
 * document with drafts changes that document's draft too, which takes the right to edit it
 * (src/security/relation-writes.ts; tests/relation-writes.test.ts covers the refusals); a link
 * from a draft to a type without drafts (a project's site) changes nothing of it until published.
 */
const linkableBy = (rule: AdminRule, type: ContentTypeInfo, data: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(data).filter(([name]) => {
      const relation = type.relations.find((candidate) => candidate.name === name);
      const target = relation && schema.byUid.get(relation.target);
      return !target?.draftAndPublish || !rule.types || rule.types.includes(target.singularName);
    }),
  );

/** Full valid data of a new document of `type` whose text carries `mark`. */
async function newData(type: ContentTypeInfo, mark: string, localizedOnly = false) {
  return documentData(app, schema, type, seeded, {
    text: markedText(mark),
    label: type.singularName,
    localizedOnly,
  });
}

/** A document of `type` in `state`, made through the Document Service. */
async function makeDoc(type: ContentTypeInfo, state: State): Promise<Doc> {
  const docs = documents(app, type.uid);
  const pub = marker('p');
  const draft = marker('d');
  if (type.kind === 'singleType') {
    // The single type, reset in place: published in every locale but the last one, which is
    // removed, then an unpublished edit of the default locale.
    let current = await docs.findFirst({ locale: defaultLocale });
    const rows = (await app.strapi.db.query(type.uid as never).findMany({ select: ['documentId'] })) as Row[];
    const ids = new Set(rows.map((row) => row.documentId as string));
    if (!current || ids.size > 1) {
      // A case deleted the default locale: start again from nothing (no orphan locales left).
      for (const id of ids) await docs.delete({ documentId: id, locale: '*' });
      current = await docs.create({ locale: defaultLocale, data: await newData(type, pub) });
      seeded.set(type.uid, [current.documentId]);
    }
    const documentId = current.documentId;
    const locales = schema.locales.slice(0, -1);
    for (const locale of locales) {
      await docs.update({ documentId, locale, data: await newData(type, pub, locale !== defaultLocale) });
    }
    const last = schema.locales.at(-1) as string;
    if (await docs.findOne({ documentId, locale: last })) await docs.delete({ documentId, locale: last });
    if (type.draftAndPublish) await docs.publish({ documentId, locale: '*' });
    await docs.update({ documentId, locale: defaultLocale, data: await newData(type, draft) });
    return { type, state, documentId, pub, draft, locales };
  }
  if (state === 'draft only') {
    const created = await docs.create({ locale: defaultLocale, data: await newData(type, draft) });
    return { type, state, documentId: created.documentId, draft, locales: [defaultLocale] };
  }
  const created = await docs.create({ locale: defaultLocale, data: await newData(type, pub) });
  const locales = [defaultLocale];
  if (state !== 'default locale only') {
    await docs.update({
      documentId: created.documentId,
      locale: otherLocale,
      data: await newData(type, pub, true),
    });
    locales.push(otherLocale);
  }
  if (type.draftAndPublish) await docs.publish({ documentId: created.documentId, locale: '*' });
  if (state === 'published with an unpublished edit') {
    await docs.update({
      documentId: created.documentId,
      locale: defaultLocale,
      data: await newData(type, draft),
    });
    await docs.update({
      documentId: created.documentId,
      locale: otherLocale,
      data: await newData(type, draft, true),
    });
    return { type, state, documentId: created.documentId, pub, draft, locales };
  }
  return { type, state, documentId: created.documentId, pub, locales };
}

beforeAll(async () => {
  // Without the response cache, read-only tokens' GETs go through Strapi's scope checks and their
  // narrowing (src/security/read-only-tokens.ts); tests/canary.test.ts and tests/cache.test.ts read
  // them through the cache, where they are served as the public (src/security/read-only-cache.ts).
  app = await startStrapi({ env: { RESPONSE_CACHE: 'false' } });
  const walked = await walkSchemas(app.strapi);
  // The vocabulary terms follow their own rules (labels only): section C covers them.
  schema = { ...walked, types: walked.types.filter((type) => !VOCABULARY_UIDS.includes(type.uid)) };
  vocabularyTypes = walked.types.filter((type) => VOCABULARY_UIDS.includes(type.uid));
  defaultLocale = schema.defaultLocale;
  otherLocale = schema.locales[1];
  seeded = await seededDocumentIds(app, schema);
  superAdmin = await registerFirstAdmin(app);
  contentCallers.anonymous = {};
  contentCallers.authenticated = bearer(await createApiUser(app, 'authenticated'));
  contentCallers.editor = bearer(await createApiUser(app, 'editor'));
  contentCallers['token (npm run token:create)'] = await tokenFromCli(app, 'Matrix CLI token');
  contentCallers['token (admin API, 7 days)'] = await tokenFromAdminApi(app, superAdmin, 'Matrix 7 days');
  contentCallers['token (admin API, unlimited)'] = await tokenFromAdminApi(app, superAdmin, 'Matrix', null);
  for (const code of Object.keys(ADMIN)) {
    admins[code] = await createAdminUser(app, superAdmin, code, `matrix-${code}`);
  }
  otherCoordinator = await createAdminUser(
    app,
    superAdmin,
    'project-coordinator',
    'matrix-other-coordinator',
  );
  for (const type of schema.types.filter((t) => t.kind === 'collectionType')) {
    const docs: Doc[] = [];
    for (const state of statesOf(type)) docs.push(await makeDoc(type, state));
    fixtures.set(type.uid, docs);
  }
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

// ---------------------------------------------------------------------------------------------
// Reading the database after a call

/** Every row (each locale and status) of a document, with its components and relation ids. */
async function snapshot(type: ContentTypeInfo, documentId: string): Promise<string> {
  const populate: Record<string, unknown> = {};
  for (const relation of type.relations.filter((r) => r.side !== 'system'))
    populate[relation.name] = { select: ['id'] };
  for (const name of Object.keys(type.components)) populate[name] = true;
  const rows = await app.strapi.db
    .query(type.uid as never)
    .findMany({ where: { documentId }, populate, orderBy: { id: 'asc' } });
  return JSON.stringify(canonical(rows));
}

/** Keys sorted, lists of rows in id order (populated fields and relations come in no fixed order). */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    const id = (item: unknown) => Number((item as { id?: number } | null)?.id ?? 0);
    return items.every((item) => item && typeof item === 'object' && 'id' in item)
      ? items.sort((a, b) => id(a) - id(b))
      : items;
  }
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, child]) => [key, canonical(child)]),
    );
  return value;
};

interface Row {
  locale?: string;
  publishedAt?: string | null;
  [field: string]: unknown;
}

const rowsOf = async (type: ContentTypeInfo, where: Record<string, unknown>): Promise<Row[]> =>
  (await app.strapi.db.query(type.uid as never).findMany({ where })) as Row[];

/** A text field that every write may change: localized first, plain strings and texts only. */
function editableField(type: ContentTypeInfo): string {
  const candidates = type.textFields.filter(
    (field) =>
      field.path.length === 1 &&
      ['string', 'text', 'richtext'].includes(field.attribute.type) &&
      !field.attribute.regex,
  );
  const localized = candidates.find((field) => type.localizedFields.includes(field.path[0]));
  return (localized ?? candidates[0]).path[0];
}

/** A text field to filter on: the first top-level text field (it carries the document's marker). */
const markedField = (type: ContentTypeInfo) =>
  type.textFields.find((field) => field.path.length === 1 && field.attribute.type !== 'blocks')
    ?.path[0] as string;

// ---------------------------------------------------------------------------------------------
// Running cases

/** A generated case: returns a problem, or undefined when the answer and the database are right. */
interface Case {
  name: string;
  run: () => Promise<string | undefined>;
  /** Cases on single types run one at a time (they share the one document). */
  serial?: boolean;
}

const counts: Record<string, number> = {};

async function runCases(group: string, cases: Case[]): Promise<string> {
  counts[group] = (counts[group] ?? 0) + cases.length;
  const guarded = (item: Case) => async () => {
    try {
      const problem = await item.run();
      return problem ? `${item.name}\n    -> ${problem}` : undefined;
    } catch (error) {
      return `${item.name}\n    -> threw ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  const parallel = await runLimited(cases.filter((c) => !c.serial).map(guarded), 8);
  const serial = await runLimited(cases.filter((c) => c.serial).map(guarded), 1);
  const found = [...parallel, ...serial].filter((p): p is string => Boolean(p));
  const lines = Number(process.env.MATRIX_REPORT_LINES ?? 40);
  return found.length
    ? `${found.length} of ${cases.length} cases wrong:\n${found.slice(0, lines).join('\n')}`
    : '';
}

afterAll(() => {
  process.stdout.write(`authorization matrix, cases per group: ${JSON.stringify(counts)}\n`);
});

/** Where a snapshot changed, for the report. */
function changedMessage(before: string, after: string): string {
  let at = 0;
  while (at < before.length && before[at] === after[at]) at += 1;
  return `refused, yet the document changed in the database: …${before.slice(Math.max(0, at - 60), at + 40)}… became …${after.slice(Math.max(0, at - 60), at + 40)}…`;
}

const isRefusal = (status: number) => status === 401 || status === 403;
const short = (text: string) => text.slice(0, 240);

interface Answer {
  status: number;
  text: string;
  body: {
    data?: unknown;
    meta?: { pagination?: { total?: number } };
    errors?: { extensions?: { code?: string } }[];
  };
}

async function call(
  method: 'get' | 'post' | 'put' | 'delete',
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  let request = app.http()[method](url).set(headers);
  if (body !== undefined) request = request.send(body as object);
  const response = await request;
  return { status: response.status, text: response.text ?? '', body: response.body ?? {} };
}

const graphql = (headers: Record<string, string>, query: string, variables?: Record<string, unknown>) =>
  call('post', '/graphql', headers, { query, variables });

const graphqlCodes = (answer: Answer) => (answer.body.errors ?? []).map((error) => error.extensions?.code);

/** GraphQL input: enumeration keys with `_`, numbers as numbers, components likewise. */
function graphqlInput(
  attributes: Record<string, Attribute>,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const convert = (attribute: Attribute | undefined, value: unknown): unknown => {
    if (value === null || value === undefined || !attribute) return value;
    if (attribute.type === 'enumeration') return graphqlEnum(String(value));
    if (['decimal', 'float', 'integer', 'biginteger'].includes(attribute.type)) return Number(value);
    if (attribute.type === 'component' && attribute.component) {
      const inner = schema.components[attribute.component]?.attributes ?? {};
      const one = (item: Record<string, unknown>) => graphqlInput(inner, item);
      return Array.isArray(value) ? value.map(one) : one(value as Record<string, unknown>);
    }
    return value;
  };
  return Object.fromEntries(
    Object.entries(data)
      .filter(([name]) => !['id', '__component'].includes(name))
      .map(([name, value]) => [name, convert(attributes[name], value)]),
  );
}

const restOne = (type: ContentTypeInfo, documentId: string) =>
  type.kind === 'singleType' ? type.restBase : `${type.restBase}/${documentId}`;

/** What anonymous reads of a document (one and in the other locale): must not move on a draft write. */
const publicAnswer = async (type: ContentTypeInfo, documentId: string) =>
  JSON.stringify(
    await Promise.all(
      [restOne(type, documentId), `${restOne(type, documentId)}?locale=${otherLocale}`].map(async (url) => {
        const answer = await call('get', url, {});
        return [answer.status, answer.body];
      }),
    ),
  );

// ---------------------------------------------------------------------------------------------
// Content API cases

function readCases(caller: string): Case[] {
  const rule = CONTENT_API[caller];
  const headers = () => contentCallers[caller];
  const cases: Case[] = [];
  for (const type of schema.types.filter((t) => t.kind === 'collectionType')) {
    for (const doc of fixtures.get(type.uid) ?? []) {
      const visible = doc.state !== 'draft only';
      const label = `${caller} × ${type.singularName} (${doc.state})`;
      // Read one, and list (filtered on the document), without status and with each status.
      for (const status of [undefined, 'draft', 'published']) {
        const drafts = rule.read === 'drafts on request' && status === 'draft' && type.draftAndPublish;
        const seen = drafts ? (doc.draft ?? doc.pub) : doc.pub;
        const hidden = drafts ? undefined : doc.draft;
        const query = status ? `?status=${status}` : '';
        cases.push({
          name: `${label}: GET ${type.restBase}/:id${query}`,
          run: async () => {
            const answer = await call('get', `${type.restBase}/${doc.documentId}${query}`, headers());
            if (!visible && !drafts)
              return answer.status === 404 ? undefined : `expected 404, got ${answer.status}`;
            if (answer.status !== 200) return `expected 200, got ${answer.status} ${short(answer.text)}`;
            if (seen && !answer.text.includes(seen))
              return `expected the ${drafts ? 'draft' : 'published'} text ${seen}`;
            if (hidden && answer.text.includes(hidden)) return `shows the unpublished draft (${hidden})`;
            return undefined;
          },
        });
        cases.push({
          name: `${label}: GET ${type.restBase}?filters[documentId][$eq]=:id${status ? `&status=${status}` : ''}`,
          run: async () => {
            const url = `${type.restBase}?${restQuery({ filters: { documentId: { $eq: doc.documentId } }, status })}`;
            const answer = await call('get', url, headers());
            const total = answer.body.meta?.pagination?.total;
            const expected = visible || drafts ? 1 : 0;
            if (answer.status !== 200 || total !== expected)
              return `expected 200 with total ${expected}, got ${answer.status} total ${total}`;
            if (hidden && answer.text.includes(hidden)) return `shows the unpublished draft (${hidden})`;
            return undefined;
          },
        });
      }
      // The other locale: its own version where it exists, else the default locale's (fallback).
      cases.push({
        name: `${label}: GET ${type.restBase}/:id?locale=${otherLocale}`,
        run: async () => {
          const answer = await call(
            'get',
            `${type.restBase}/${doc.documentId}?locale=${otherLocale}`,
            headers(),
          );
          if (!visible) return answer.status === 404 ? undefined : `expected 404, got ${answer.status}`;
          const expectedLocale = doc.locales.includes(otherLocale) ? otherLocale : defaultLocale;
          const data = answer.body.data as { locale?: string } | undefined;
          if (answer.status !== 200 || data?.locale !== expectedLocale)
            return `expected 200 in ${expectedLocale}, got ${answer.status} ${short(answer.text)}`;
          if (doc.draft && answer.text.includes(doc.draft))
            return `shows the unpublished draft (${doc.draft})`;
          return undefined;
        },
      });
      // Filter on a relation and populate, from each related type that declares the other side.
      for (const relation of type.relations.filter((r) => r.side !== 'system' && r.inverse)) {
        const target = schema.byUid.get(relation.target) as ContentTypeInfo;
        const inverse = relation.inverse as string;
        const field = markedField(type);
        for (const [which, text] of [
          ['published', doc.pub],
          ['draft', doc.draft],
        ] as const) {
          if (!text || target.kind !== 'collectionType') continue;
          // The published version is linked to published targets: a type without drafts linked to
          // one with drafts is linked to its draft only (until that one is published again).
          const linked = type.draftAndPublish || !target.draftAndPublish;
          // The editor may read drafts: what its relation filters see of them is not ruled here.
          if (which === 'draft' && rule.read === 'drafts on request') continue;
          // Whether such a link reaches the published target depends on the relation's kind.
          if (which === 'published' && visible && !linked) continue;
          const expected = which === 'published' && visible ? 'some' : 'none';
          const url = `${target.restBase}?${restQuery({
            filters: { [inverse]: { documentId: { $eq: doc.documentId }, [field]: { $containsi: text } } },
          })}`;
          cases.push({
            name: `${label}: GET ${target.restBase}?filters[${inverse}][${field}][$containsi]=<${which} text>`,
            run: async () => {
              const answer = await call('get', url, headers());
              const total = answer.body.meta?.pagination?.total ?? -1;
              if (answer.status !== 200) return `expected 200, got ${answer.status} ${short(answer.text)}`;
              if (total > 0 !== (expected === 'some'))
                return `expected ${expected} found, got total ${total}`;
              return undefined;
            },
          });
        }
        const targetId = seeded.get(target.uid)?.[0];
        if (!targetId) continue;
        cases.push({
          name: `${label}: GET ${target.restBase}/<its ${relation.name}>?populate=${inverse}`,
          run: async () => {
            const answer = await call('get', `${restOne(target, targetId)}?populate=${inverse}`, headers());
            if (answer.status !== 200) return `expected 200, got ${answer.status} ${short(answer.text)}`;
            if (doc.draft && rule.read === 'published' && answer.text.includes(doc.draft))
              return `shows the unpublished draft (${doc.draft})`;
            const linked = type.draftAndPublish || !target.draftAndPublish;
            if (doc.pub && visible && linked && !answer.text.includes(doc.pub))
              return `does not show the published version`;
            return undefined;
          },
        });
      }
    }
  }
  return cases;
}

/** Data of a new document for a content API write: owning relations only. */
const writeData = async (type: ContentTypeInfo, mark: string) => owningOnly(type, await newData(type, mark));

function writeCases(caller: string): Case[] {
  const rule = CONTENT_API[caller];
  const headers = () => contentCallers[caller];
  const cases: Case[] = [];
  for (const type of schema.types) {
    const writer = rule.write !== 'refused' && isWritableByEditor(type);
    const names = type.graphql;
    const serial = type.kind === 'singleType';

    // Create: REST (also asking to publish) and GraphQL.
    if (type.kind === 'collectionType') {
      for (const [how, publish] of [
        ['REST', false],
        ['REST ?status=published', true],
        ['GraphQL', false],
      ] as const) {
        const allowed = writer && (!publish || rule.publish !== 'refused');
        cases.push({
          name: `${caller} × ${type.singularName}: create (${how})`,
          run: async () => {
            const mark = marker('n');
            const data = await writeData(type, mark);
            const field = editableField(type);
            const answer =
              how === 'GraphQL'
                ? await graphql(
                    headers(),
                    `mutation ($data: ${names.inputName}!) { r: ${names.createMutation}(data: $data) { documentId } }`,
                    { data: graphqlInput(type.attributes, data) },
                  )
                : await call('post', `${type.restBase}${publish ? '?status=published' : ''}`, headers(), {
                    data,
                  });
            const rows = await rowsOf(type, { [field]: { $contains: mark } });
            const ok =
              how === 'GraphQL' ? answer.status === 200 && !answer.body.errors : answer.status === 201;
            if (!allowed) {
              const refused =
                how === 'GraphQL' ? graphqlCodes(answer).includes('FORBIDDEN') : isRefusal(answer.status);
              if (!refused) return `expected 401/403, got ${answer.status} ${short(answer.text)}`;
              return rows.length ? `refused, yet ${rows.length} rows were written` : undefined;
            }
            if (!ok) return `expected success, got ${answer.status} ${short(answer.text)}`;
            if (rows.length === 0) return 'answered success, but nothing is in the database';
            if (rows.some((row) => row.publishedAt)) return 'a published version was written';
            const visible = await call(
              'get',
              `${type.restBase}?${restQuery({ filters: { [field]: { $containsi: mark } } })}`,
              {},
            );
            return visible.body.meta?.pagination?.total ? 'the new draft is in the public answer' : undefined;
          },
        });
      }
    }

    // Update, publish (a write asking to publish) and delete, on every state.
    const states =
      type.kind === 'singleType' ? ['published with an unpublished edit' as State] : statesOf(type);
    for (const state of states) {
      const label = `${caller} × ${type.singularName} (${state})`;
      const target = async (fresh: boolean): Promise<Doc> =>
        fresh || serial
          ? makeDoc(type, state)
          : ((fixtures.get(type.uid) ?? []).find((doc) => doc.state === state) as Doc);
      const field = editableField(type);
      const value = (mark: string) => canaryValue(type.attributes[field], mark, 'update');

      for (const how of ['REST', 'REST ?status=published', 'GraphQL', 'GraphQL status: PUBLISHED'] as const) {
        const publish = how.includes('ublish');
        if (how === 'GraphQL status: PUBLISHED' && !type.draftAndPublish) continue;
        const allowed = writer && (!publish || rule.publish !== 'refused');
        cases.push({
          name: `${label}: update (${how})`,
          serial,
          run: async () => {
            const doc = await target(allowed);
            const before = await snapshot(type, doc.documentId);
            const publicBefore = allowed ? await publicAnswer(type, doc.documentId) : '';
            const mark = marker('u');
            const data = { [field]: value(mark) };
            let answer: Answer;
            if (how.startsWith('GraphQL')) {
              const args = [
                type.kind === 'collectionType' ? 'documentId: $id' : '',
                'data: $data',
                publish ? 'status: PUBLISHED' : '',
              ].filter(Boolean);
              const variables = type.kind === 'collectionType' ? '$id: ID!, $data: ' : '$data: ';
              answer = await graphql(
                headers(),
                `mutation (${variables}${names.inputName}!) { r: ${names.updateMutation}(${args.join(', ')}) { documentId } }`,
                { id: doc.documentId, data: graphqlInput(type.attributes, data) },
              );
            } else {
              answer = await call(
                'put',
                `${restOne(type, doc.documentId)}${publish ? '?status=published' : ''}`,
                headers(),
                { data },
              );
            }
            const after = await snapshot(type, doc.documentId);
            if (!allowed) {
              const refused = how.startsWith('GraphQL')
                ? graphqlCodes(answer).includes('FORBIDDEN')
                : isRefusal(answer.status);
              if (!refused) return `expected 401/403, got ${answer.status} ${short(answer.text)}`;
              return after === before ? undefined : changedMessage(before, after);
            }
            const ok = how.startsWith('GraphQL')
              ? answer.status === 200 && !answer.body.errors
              : answer.status === 200;
            if (!ok) return `expected 200, got ${answer.status} ${short(answer.text)}`;
            const rows = await rowsOf(type, { documentId: doc.documentId, locale: defaultLocale });
            const draftRow = rows.find((row) => !row.publishedAt);
            if (!String(draftRow?.[field] ?? '').includes(mark))
              return 'the draft does not hold the new value';
            if (rows.some((row) => row.publishedAt && String(row[field] ?? '').includes(mark)))
              return 'the published version changed';
            const publicAfter = await publicAnswer(type, doc.documentId);
            return publicAfter === publicBefore ? undefined : 'the public answer changed';
          },
        });
      }

      // Delete: REST (no locale, each locale, every locale) and GraphQL.
      const hasPublished = state !== 'draft only';
      const deleter = writer && rule.delete !== 'refused' && !hasPublished;
      // Every locale for the editor (whose rule depends on them), no locale and all for the others.
      const locales = rule.delete === 'refused' ? ['*'] : [...schema.locales, '*'];
      const variants = [undefined, ...(hasPublished ? locales : [])];
      for (const how of [
        ...variants.map((locale) => ({ locale, gql: false })),
        { locale: undefined, gql: true },
      ]) {
        const suffix = how.gql ? 'GraphQL' : how.locale ? `REST ?locale=${how.locale}` : 'REST';
        cases.push({
          name: `${label}: delete (${suffix})`,
          serial,
          run: async () => {
            const doc = await target(deleter);
            const before = await snapshot(type, doc.documentId);
            const answer = how.gql
              ? await graphql(
                  headers(),
                  type.kind === 'collectionType'
                    ? `mutation ($id: ID!) { r: ${names.deleteMutation}(documentId: $id) { documentId } }`
                    : `mutation { r: ${names.deleteMutation} { documentId } }`,
                  { id: doc.documentId },
                )
              : await call(
                  'delete',
                  `${restOne(type, doc.documentId)}${how.locale ? `?locale=${encodeURIComponent(how.locale)}` : ''}`,
                  headers(),
                );
            const after = await snapshot(type, doc.documentId);
            if (!deleter) {
              const refused = how.gql ? graphqlCodes(answer).includes('FORBIDDEN') : isRefusal(answer.status);
              if (!refused)
                return `expected 401/403, got ${answer.status} ${short(answer.text)} [${databaseSays(before, after)}]`;
              return after === before ? undefined : changedMessage(before, after);
            }
            const ok = how.gql
              ? answer.status === 200 && !answer.body.errors
              : [200, 204].includes(answer.status);
            if (!ok) return `expected success, got ${answer.status} ${short(answer.text)}`;
            return after === '[]' ? undefined : 'answered success, but the document is still there';
          },
        });
      }
    }

    // Writing the inverse side of a relation (mappedBy): refused where writes are; where the
    // editor writes drafts, a draft's relations change and the published version does not.
    for (const relation of type.relations.filter((r) => r.side === 'inverse')) {
      for (const doc of type.kind === 'collectionType' ? (fixtures.get(type.uid) ?? []).slice(0, 1) : []) {
        if (rule.write !== 'refused' && isWritableByEditor(type)) {
          cases.push({
            name: `${caller} × ${type.singularName}: PUT ${type.restBase}/:id { ${relation.name}: { set: [] } } (inverse side, a draft)`,
            run: async () => {
              const url = `${restOne(type, doc.documentId)}?populate=${relation.name}`;
              const before = await call('get', url, {});
              const answer = await call('put', restOne(type, doc.documentId), headers(), {
                data: { [relation.name]: { set: [] } },
              });
              if (answer.status !== 200) return `expected 200, got ${answer.status} ${short(answer.text)}`;
              const after = await call('get', url, {});
              return after.text === before.text ? undefined : 'the public answer changed';
            },
          });
          continue;
        }
        cases.push({
          name: `${caller} × ${type.singularName}: PUT ${type.restBase}/:id { ${relation.name}: { set: [] } } (inverse side)`,
          run: async () => {
            const before = await snapshot(type, doc.documentId);
            const answer = await call('put', `${type.restBase}/${doc.documentId}`, headers(), {
              data: { [relation.name]: { set: [] } },
            });
            const after = await snapshot(type, doc.documentId);
            if (!isRefusal(answer.status))
              return `expected 403, got ${answer.status} ${short(answer.text)} [${databaseSays(before, after)}]`;
            return after === before ? undefined : changedMessage(before, after);
          },
        });
        cases.push({
          name: `${caller} × ${type.singularName}: create with ${relation.name} (inverse side)`,
          run: async () => {
            const mark = marker('i');
            const data = {
              ...(await writeData(type, mark)),
              [relation.name]: [seeded.get(relation.target)?.[0]],
            };
            const answer = await call('post', type.restBase, headers(), { data });
            const rows = await rowsOf(type, { [editableField(type)]: { $contains: mark } });
            if (!isRefusal(answer.status)) return `expected 403, got ${answer.status} ${short(answer.text)}`;
            return rows.length ? `refused, yet ${rows.length} rows were written` : undefined;
          },
        });
      }
    }
  }
  return cases;
}

describe.each(Object.keys(CONTENT_API))('content API: %s', (caller) => {
  it('reads: one, list, other locale, filter on a relation, populate; every type and state', async () => {
    expect(await runCases('content API reads', readCases(caller))).toBe('');
  });

  it('writes: create, update, publish, delete (REST and GraphQL); every type and state', async () => {
    expect(await runCases('content API writes', writeCases(caller))).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// Admin panel cases (Content Manager admin API)

const cmBase = (type: ContentTypeInfo) =>
  `/content-manager/${type.kind === 'singleType' ? 'single-types' : 'collection-types'}/${type.uid}`;
const cmOne = (type: ContentTypeInfo, documentId: string) =>
  type.kind === 'singleType' ? cmBase(type) : `${cmBase(type)}/${documentId}`;

/** The Content Manager's body: relations as `connect` lists with the target's locale. */
function cmData(
  type: ContentTypeInfo,
  data: Record<string, unknown>,
  locale: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...data };
  for (const relation of type.relations) {
    const value = data[relation.name];
    if (value === undefined) continue;
    const target = schema.byUid.get(relation.target) as ContentTypeInfo;
    const ids = (Array.isArray(value) ? value : [value]).filter(Boolean) as string[];
    body[relation.name] = {
      connect: ids.map((documentId) => (target.localized ? { documentId, locale } : { documentId })),
    };
  }
  return body;
}

const adminTypes = (rule: AdminRule, type: ContentTypeInfo) =>
  !rule.types || rule.types.includes(type.singularName);

/** Whether `scope` allows a write in `locale` on a document the user does (not) own. */
function allows(rule: AdminRule, scope: Scope, type: ContentTypeInfo, locale: string, own: boolean): boolean {
  if (!adminTypes(rule, type)) return false;
  if (scope === 'all') return true;
  if (scope === 'own') return own;
  if (scope === 'translations') return locale !== defaultLocale;
  return false;
}

/** A document created through the Content Manager by `session` (so that it is "own"). */
async function ownDoc(
  session: AdminSession,
  rule: AdminRule,
  type: ContentTypeInfo,
  publish: boolean,
): Promise<Doc> {
  const pub = marker('o');
  const data = linkableBy(rule, type, owningOnly(type, await newData(type, pub)));
  const created = await call(
    'post',
    `${cmBase(type)}?locale=${defaultLocale}`,
    session.headers,
    cmData(type, data, defaultLocale),
  );
  if (created.status !== 201)
    throw new Error(`setup: create as the owner answered ${created.status} ${short(created.text)}`);
  const documentId = (created.body.data as { documentId: string }).documentId;
  if (publish) await documents(app, type.uid).publish({ documentId, locale: defaultLocale });
  return { type, state: publish ? 'published' : 'draft only', documentId, pub, locales: [defaultLocale] };
}

/** A localized text change of a document version: what a translation edits. */
function localizedChange(type: ContentTypeInfo, mark: string): Record<string, unknown> {
  const field = editableField(type);
  return { [field]: canaryValue(type.attributes[field], mark, 'admin') };
}

const isSuccess = (status: number) => status >= 200 && status < 300;

/** The locales a document in `state` has (as makeDoc makes it). */
function localesOf(type: ContentTypeInfo, state: State): string[] {
  if (type.kind === 'singleType') return schema.locales.slice(0, -1);
  return state === 'draft only' || state === 'default locale only'
    ? [defaultLocale]
    : [defaultLocale, otherLocale];
}

/**
 * What the panel sends for a new locale: the translation (localized fields) and the shared fields
 * as they are in the default locale; relations untouched (not sent).
 */
async function translation(type: ContentTypeInfo, doc: Doc, mark: string): Promise<Record<string, unknown>> {
  const stored: Record<string, unknown> =
    (await documents(app, type.uid).findOne({
      documentId: doc.documentId,
      locale: defaultLocale,
      ...(type.draftAndPublish ? { status: 'draft' } : {}),
      populate: Object.keys(type.components),
    })) ?? {};
  const shared = Object.fromEntries(
    type.sharedFields
      .filter((name) => type.attributes[name].type !== 'media' && stored[name] !== undefined)
      .map((name) => [name, stripIds(stored[name])]),
  );
  const body = { ...(await newData(type, mark, true)), ...shared, ...localizedChange(type, mark) };
  for (const relation of type.relations) delete body[relation.name];
  return body;
}

const stripIds = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(stripIds);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'id')
        .map(([k, v]) => [k, stripIds(v)]),
    );
  return value;
};

/** Whether the draft (or only) version of `locale` holds `mark` in the edited field. */
async function holds(
  type: ContentTypeInfo,
  documentId: string,
  locale: string,
  mark: string,
): Promise<boolean> {
  const field = editableField(type);
  const rows = await rowsOf(type, { documentId, locale });
  return rows.some(
    (row) => (!type.draftAndPublish || !row.publishedAt) && String(row[field] ?? '').includes(mark),
  );
}

function adminCases(role: string): Case[] {
  const rule = ADMIN[role];
  const session = () => admins[role];
  const cases: Case[] = [];
  for (const type of schema.types) {
    const serial = type.kind === 'singleType';
    const fixture = async (state: State) =>
      serial
        ? makeDoc(type, state)
        : ((fixtures.get(type.uid) ?? []).find((doc) => doc.state === state) as Doc);

    // Read: every state, every locale it has.
    for (const state of statesOf(type)) {
      cases.push({
        name: `${role} × ${type.singularName} (${state}): read every locale`,
        serial,
        run: async () => {
          const doc = await fixture(state);
          for (const locale of doc.locales) {
            const answer = await call(
              'get',
              `${cmOne(type, doc.documentId)}?locale=${locale}`,
              session().headers,
            );
            if (answer.status !== 200) return `GET ?locale=${locale}: expected 200, got ${answer.status}`;
          }
          return undefined;
        },
      });
    }

    // Create a new document, in each locale (collection types).
    if (type.kind === 'collectionType') {
      for (const locale of schema.locales) {
        const allowed = allows(rule, rule.create, type, locale, true);
        cases.push({
          name: `${role} × ${type.singularName}: create a new document (POST ?locale=${locale})`,
          run: async () => {
            const mark = marker('c');
            const data = cmData(
              type,
              linkableBy(rule, type, owningOnly(type, await newData(type, mark, false))),
              locale,
            );
            const answer = await call('post', `${cmBase(type)}?locale=${locale}`, session().headers, data);
            const rows = await rowsOf(type, { [editableField(type)]: { $contains: mark } });
            if (!allowed) {
              if (answer.status !== 403) return `expected 403, got ${answer.status} ${short(answer.text)}`;
              return rows.length ? `refused, yet ${rows.length} rows were written` : undefined;
            }
            // A new entry starts in the default locale, whoever creates it (a rule of the content,
            // not a permission: 400); its translations are added to it.
            if (locale !== defaultLocale) {
              if (answer.status !== 400) return `expected 400, got ${answer.status} ${short(answer.text)}`;
              return rows.length ? `refused, yet ${rows.length} rows were written` : undefined;
            }
            if (answer.status !== 201) return `expected 201, got ${answer.status} ${short(answer.text)}`;
            if (!rows.some((row) => row.locale === locale)) return `no ${locale} row in the database`;
            return undefined;
          },
        });
      }
      // The other routes that make a new document: clone, auto-clone, create-and-publish.
      if (rule.create === 'none' || !adminTypes(rule, type)) {
        const source = () => (fixtures.get(type.uid) ?? [])[0];
        for (const [route, body] of [
          ['clone/:id', true],
          ['auto-clone/:id', false],
          ['actions/publish', true],
        ] as const) {
          cases.push({
            name: `${role} × ${type.singularName}: POST ${cmBase(type)}/${route}`,
            run: async () => {
              const mark = marker('k');
              // New rows carry the new text (create-and-publish) or the source's (clones).
              const field = markedField(type);
              const sourceText = source().pub ?? source().draft ?? mark;
              const written = async () =>
                (
                  await rowsOf(type, {
                    $or: [{ [field]: { $contains: mark } }, { [field]: { $contains: sourceText } }],
                  })
                ).length;
              const count = await written();
              const data = body
                ? cmData(type, owningOnly(type, await newData(type, mark)), defaultLocale)
                : {};
              const url = `${cmBase(type)}/${route.replace(':id', source().documentId)}?locale=${defaultLocale}`;
              const answer = await call('post', url, session().headers, data);
              const after = await written();
              // These routes may also fail on their own (auto-clone refuses unique fields with 400):
              // any refusal that writes nothing will do.
              if (answer.status < 400 || answer.status >= 500)
                return `expected 403, got ${answer.status} ${short(answer.text)}`;
              return after === count ? undefined : 'refused, yet rows were written';
            },
          });
        }
      }
    }

    // Update each locale a document has, add each one it lacks; every state (others' documents:
    // fixtures made without a creator; a coordinator's own ones are in their own describe below).
    for (const state of statesOf(type)) {
      const label = `${role} × ${type.singularName} (${state})`;
      for (const locale of schema.locales) {
        const adding = !localesOf(type, state).includes(locale);
        const allowed = allows(rule, adding ? rule.addLocale : rule.update, type, locale, false);
        cases.push({
          name: `${label}: ${adding ? 'add' : 'update'} the ${locale} version (PUT ?locale=${locale}${adding ? ', the translation and the shared fields unchanged' : ', a localized field'})`,
          serial,
          run: async () => {
            const doc = await (allowed ? makeDoc(type, state) : fixture(state));
            const before = await snapshot(type, doc.documentId);
            const mark = marker('t');
            const body = adding ? await translation(type, doc, mark) : localizedChange(type, mark);
            const answer = await call(
              'put',
              `${cmOne(type, doc.documentId)}?locale=${locale}`,
              session().headers,
              body,
            );
            const after = await snapshot(type, doc.documentId);
            if (!allowed) {
              if (answer.status !== 403)
                return `expected 403, got ${answer.status} ${short(answer.text)} [${databaseSays(before, after)}]`;
              return after === before ? undefined : changedMessage(before, after);
            }
            if (answer.status !== 200) return `expected 200, got ${answer.status} ${short(answer.text)}`;
            return (await holds(type, doc.documentId, locale, mark))
              ? undefined
              : `the ${locale} draft does not hold the new text`;
          },
        });
      }
    }

    // Delete and publish: every state, the default and the other locale, and every route of the
    // class (bulk actions, unpublish, discard) when refused.
    for (const state of statesOf(type)) {
      const label = `${role} × ${type.singularName} (${state})`;
      for (const locale of [defaultLocale, otherLocale, '*']) {
        const allowed = allows(rule, rule.delete, type, locale, false);
        cases.push({
          name: `${label}: DELETE ?locale=${locale}`,
          serial,
          run: async () => {
            const doc = await (allowed ? makeDoc(type, state) : fixture(state));
            const before = await snapshot(type, doc.documentId);
            const answer = await call(
              'delete',
              `${cmOne(type, doc.documentId)}?locale=${encodeURIComponent(locale)}`,
              session().headers,
            );
            const after = await snapshot(type, doc.documentId);
            if (!allowed) {
              if (answer.status !== 403)
                return `expected 403, got ${answer.status} ${short(answer.text)} [${databaseSays(before, after)}]`;
              return after === before ? undefined : changedMessage(before, after);
            }
            if (!doc.locales.includes(locale) && locale !== '*')
              return answer.status < 500 ? undefined : `a locale it does not have: got ${answer.status}`;
            // A published entry is unpublished before it is deleted, in any locale (400: the rule of
            // src/security/admin-writes.ts; tests/published-deletes.test.ts covers every path).
            if (type.draftAndPublish && state !== 'draft only') {
              if (answer.status !== 400 || !/unpublish it first/.test(answer.text))
                return `expected 400 telling to unpublish first, got ${answer.status} ${short(answer.text)}`;
              return after === before ? undefined : changedMessage(before, after);
            }
            if (!isSuccess(answer.status)) return `expected 200, got ${answer.status} ${short(answer.text)}`;
            const rows = await rowsOf(type, {
              documentId: doc.documentId,
              ...(locale === '*' ? {} : { locale }),
            });
            return rows.length === 0 ? undefined : `the ${locale} version is still in the database`;
          },
        });
      }
      if (!type.draftAndPublish) continue;
      for (const locale of [defaultLocale, otherLocale]) {
        const allowed = allows(rule, rule.publish, type, locale, false);
        cases.push({
          name: `${label}: publish (POST actions/publish ?locale=${locale})`,
          serial,
          run: async () => {
            const doc = await (allowed ? makeDoc(type, state) : fixture(state));
            const before = await snapshot(type, doc.documentId);
            const url =
              type.kind === 'singleType'
                ? `${cmBase(type)}/actions/publish`
                : `${cmBase(type)}/${doc.documentId}/actions/publish`;
            const answer = await call('post', `${url}?locale=${locale}`, session().headers, {});
            const after = await snapshot(type, doc.documentId);
            if (!allowed) {
              if (answer.status !== 403)
                return `expected 403, got ${answer.status} ${short(answer.text)} [${databaseSays(before, after)}]`;
              return after === before ? undefined : changedMessage(before, after);
            }
            if (!doc.locales.includes(locale))
              return answer.status < 500 ? undefined : `a locale it does not have: got ${answer.status}`;
            if (!isSuccess(answer.status)) return `expected 200, got ${answer.status} ${short(answer.text)}`;
            const rows = await rowsOf(type, {
              documentId: doc.documentId,
              locale,
              publishedAt: { $notNull: true },
            });
            const text = doc.draft ?? doc.pub;
            const field = markedField(type);
            return rows.some((row) => !text || String(row[field] ?? '').includes(text))
              ? undefined
              : 'no published version holds the draft';
          },
        });
      }
      if (rule.publish === 'none' || rule.delete === 'none') {
        const refusedRoutes: [
          string,
          string,
          Record<string, unknown> | ((id: string) => Record<string, unknown>),
        ][] =
          type.kind === 'singleType'
            ? [
                ['POST', 'actions/unpublish', {}],
                ['POST', 'actions/discard', {}],
              ]
            : [
                ['POST', ':id/actions/unpublish', {}],
                ['POST', 'actions/bulkPublish', (id) => ({ documentIds: [id] })],
                ['POST', 'actions/bulkUnpublish', (id) => ({ documentIds: [id] })],
                ['POST', 'actions/bulkDelete', (id) => ({ documentIds: [id] })],
              ];
        for (const [, route, body] of refusedRoutes) {
          const isDelete = route.includes('Delete');
          if ((isDelete ? rule.delete : rule.publish) !== 'none') continue;
          if (route.includes('discard')) continue;
          cases.push({
            name: `${label}: POST ${route} ?locale=${defaultLocale}`,
            serial,
            run: async () => {
              const doc = await fixture(state);
              const before = await snapshot(type, doc.documentId);
              const url = `${cmBase(type)}/${route.replace(':id', doc.documentId)}?locale=${defaultLocale}`;
              const answer = await call(
                'post',
                url,
                session().headers,
                typeof body === 'function' ? body(doc.documentId) : body,
              );
              const after = await snapshot(type, doc.documentId);
              if (answer.status !== 403)
                return `expected 403, got ${answer.status} ${short(answer.text)} [${databaseSays(before, after)}]`;
              return after === before ? undefined : changedMessage(before, after);
            },
          });
        }
      }
    }
  }
  return cases;
}

/**
 * Shared (non-localized) fields and relations through a translation: a changed value of any of
 * them, sent with an update of the other locale or with a new locale, is refused when the role
 * may not edit the default locale (`translations`) and the default version stays as it was;
 * Communication makes the same change (which proves the value valid).
 */
async function sharedFieldCases(role: string): Promise<Case[]> {
  const rule = ADMIN[role];
  // Roles limited to their own documents or refused every update are covered elsewhere.
  if (rule.update !== 'translations' && rule.update !== 'all') return [];
  const cases: Case[] = [];
  for (const type of schema.types) {
    const serial = type.kind === 'singleType';
    const allowed = rule.update === 'all' && adminTypes(rule, type);
    const existingState: State =
      type.kind === 'singleType' ? 'published with an unpublished edit' : 'published';
    const missingState: State =
      type.kind === 'singleType' ? 'published with an unpublished edit' : 'default locale only';
    const missingLocale = type.kind === 'singleType' ? (schema.locales.at(-1) as string) : otherLocale;
    // A document of its own for every case: a change wrongly accepted must not show up in others.
    const docFor = (state: State) => makeDoc(type, state);

    const changes: { name: string; change: (doc: Doc) => Promise<Record<string, unknown> | undefined> }[] =
      [];
    for (const name of type.sharedFields) {
      const attribute = type.attributes[name];
      changes.push({ name, change: (doc) => sharedChange(type, name, attribute, doc) });
    }
    for (const relation of type.relations.filter((r) => r.side !== 'system')) {
      changes.push({
        name: `${relation.name} (relation)`,
        change: async () => {
          const target = schema.byUid.get(relation.target) as ContentTypeInfo;
          const other = seeded.get(relation.target)?.[1] ?? seeded.get(relation.target)?.[0];
          if (!other) return undefined;
          const ref = target.localized ? { documentId: other, locale: otherLocale } : { documentId: other };
          return { [relation.name]: { connect: [ref] } };
        },
      });
    }
    for (const { name, change } of changes) {
      for (const [mode, state, locale] of [
        ['update', existingState, otherLocale],
        ['new locale', missingState, missingLocale],
      ] as const) {
        // Roles allowed everything: one control per field (the value is valid), on an update.
        if (allowed && mode === 'new locale') continue;
        cases.push({
          name: `${role} × ${type.singularName}: ${mode} in ${locale} (PUT ${cmBase(type)}${type.kind === 'singleType' ? '' : '/:id'}?locale=${locale}) changing ${name}`,
          serial,
          run: async () => {
            const doc = await docFor(state);
            const changed = await change(doc);
            if (!changed) return undefined;
            const before = await snapshot(type, doc.documentId);
            const defaultRows = async () =>
              JSON.stringify(await rowsOf(type, { documentId: doc.documentId, locale: defaultLocale }));
            const defaultBefore = await defaultRows();
            const mark = marker('s');
            const body =
              mode === 'new locale'
                ? { ...(await translation(type, doc, mark)), ...changed }
                : { ...localizedChange(type, mark), ...changed };
            const answer = await call(
              'put',
              `${cmOne(type, doc.documentId)}?locale=${locale}`,
              admins[role].headers,
              body,
            );
            const after = await snapshot(type, doc.documentId);
            const sent = short(JSON.stringify(changed));
            if (!allowed) {
              if (answer.status !== 403)
                return `expected 403, got ${answer.status} (sent ${sent}) ${short(answer.text)} [${databaseSays(before, after)}]`;
              if ((await defaultRows()) !== defaultBefore)
                return `refused, yet the ${defaultLocale} version changed`;
              return after === before ? undefined : changedMessage(before, after);
            }
            return answer.status === 200
              ? undefined
              : `expected 200, got ${answer.status} (sent ${sent}) ${short(answer.text)}`;
          },
        });
      }
    }
  }
  return cases;
}

/**
 * A changed, valid value of the shared field `name` of `doc`: numbers +1 within range, another
 * enumeration value, strings and uids suffixed, a component with a text field changed; an empty
 * field takes a value another document has.
 */
async function sharedChange(
  type: ContentTypeInfo,
  name: string,
  attribute: Attribute,
  doc: Doc,
): Promise<Record<string, unknown> | undefined> {
  const stored = await documents(app, type.uid).findOne({
    documentId: doc.documentId,
    locale: defaultLocale,
    ...(type.draftAndPublish ? { status: 'draft' } : {}),
    populate: attribute.type === 'component' ? [name] : [],
  });
  const current = stored?.[name];
  if (attribute.type === 'component' && attribute.component) {
    const fields = Object.entries(schema.components[attribute.component]?.attributes ?? {});
    const [field, inner] = fields.find(([, a]) => TEXT_TYPES.has(a.type)) ?? fields[0] ?? [];
    if (!field || !inner) return undefined;
    const one = (item: unknown) => {
      const copy = stripIds(item ?? {}) as Record<string, unknown>;
      copy[field] =
        changedValue(inner, copy[field], 'changed') ??
        (TEXT_TYPES.has(inner.type) ? canaryValue(inner, marker('x'), 'x') : undefined);
      return copy;
    };
    if (attribute.repeatable) {
      const items = Array.isArray(current) && current.length ? current : [undefined];
      return { [name]: items.map(one) };
    }
    return { [name]: one(current) };
  }
  if (current === null || current === undefined) {
    // An empty field: a value another document has; for a number, one of this document's other
    // numbers (+1), so that rules tying them (a closing year after the founding year) hold.
    const others = (await app.strapi.db
      .query(type.uid as never)
      .findMany({ where: { [name]: { $notNull: true } }, limit: 1 })) as Row[];
    const numbers = Object.entries(type.attributes)
      .filter(
        ([other, a]) => other !== name && a.type === attribute.type && typeof stored?.[other] === 'number',
      )
      .map(([other]) => (stored?.[other] as number) + 1);
    const value = others[0]?.[name] ?? numbers[0] ?? changedValue(attribute, current, 'changed');
    return value === undefined || value === null ? undefined : { [name]: value };
  }
  const value = changedValue(attribute, current, 'changed');
  return value === undefined ? undefined : { [name]: value };
}

describe.each(Object.keys(ADMIN))('admin panel: %s', (role) => {
  it('read, create, add a locale, update, delete, publish on documents it did not create; every type and state', async () => {
    expect(await runCases('admin', adminCases(role))).toBe('');
  });

  it('shared fields and relations changed through another locale', async () => {
    expect(await runCases('admin shared fields', await sharedFieldCases(role))).toBe('');
  });
});

describe('project coordinator: someone else’s documents', () => {
  it('a document another coordinator created: update and new locale refused; its own: allowed', async () => {
    const rule = ADMIN['project-coordinator'];
    const cases: Case[] = [];
    for (const type of schema.types.filter((t) => t.kind === 'collectionType' && adminTypes(rule, t))) {
      for (const locale of schema.locales) {
        for (const [owner, own] of [
          [() => otherCoordinator, false],
          [() => admins['project-coordinator'], true],
        ] as const) {
          const allowed = allows(
            rule,
            locale === defaultLocale ? rule.update : rule.addLocale,
            type,
            locale,
            own,
          );
          cases.push({
            name: `project-coordinator × ${type.singularName} made by ${own ? 'itself' : 'another coordinator'}: PUT ?locale=${locale}`,
            run: async () => {
              const doc = await ownDoc(owner(), rule, type, false);
              const before = await snapshot(type, doc.documentId);
              const body =
                locale === defaultLocale
                  ? localizedChange(type, marker('o'))
                  : owningOnly(type, await newData(type, marker('o'), true));
              for (const relation of type.relations) delete body[relation.name];
              const answer = await call(
                'put',
                `${cmOne(type, doc.documentId)}?locale=${locale}`,
                admins['project-coordinator'].headers,
                body,
              );
              const after = await snapshot(type, doc.documentId);
              if (!allowed) {
                if (answer.status !== 403)
                  return `expected 403, got ${answer.status} ${short(answer.text)} [${databaseSays(before, after)}]`;
                return after === before ? undefined : changedMessage(before, after);
              }
              return answer.status === 200
                ? undefined
                : `expected 200, got ${answer.status} ${short(answer.text)}`;
            },
          });
        }
      }
    }
    expect(await runCases('coordinator ownership', cases)).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// B. Read-only tokens read exactly what the public reads

describe('read-only tokens read exactly what the public role reads', () => {
  const tokens = () => Object.keys(contentCallers).filter((name) => name.startsWith('token'));

  it('every content API GET route: the same status and body as anonymous', async () => {
    const cases: Case[] = [];
    for (const route of contentApiRoutes(app.strapi).filter((r) => r.method === 'GET')) {
      const type = route.uid ? schema.byUid.get(route.uid) : undefined;
      const id = type ? (seeded.get(type.uid)?.[0] ?? NO_DOCUMENT) : '1';
      const url = fillRoute(route.path, id);
      for (const token of tokens()) {
        cases.push({
          name: `${token}: GET ${url}`,
          run: async () => {
            const anonymous = await call('get', url, {});
            const answer = await call('get', url, contentCallers[token]);
            // Refused to both: a refusal will do (the status may differ, 400 / 401 / 403).
            if (
              anonymous.status >= 400 &&
              anonymous.status < 500 &&
              answer.status >= 400 &&
              answer.status < 500
            )
              return undefined;
            if (answer.status !== anonymous.status)
              return `status ${answer.status}, anonymous gets ${anonymous.status} (${short(answer.text)})`;
            if (
              answer.text !== anonymous.text &&
              JSON.stringify(answer.body) !== JSON.stringify(anonymous.body)
            )
              return `body differs from anonymous: ${short(answer.text)} vs ${short(anonymous.text)}`;
            return undefined;
          },
        });
      }
    }
    expect(await runCases('token = public, REST routes', cases)).toBe('');
  });

  it('every GraphQL root query: the same answer as anonymous; plugin types forbidden', async () => {
    const introspection = await call(
      'post',
      '/graphql',
      {},
      {
        query: `{ __schema { queryType { fields { name args { name type { kind } } type { kind name ofType { kind name ofType { kind name } } } } } } }`,
      },
    );
    const fields = (
      introspection.body.data as {
        __schema: {
          queryType: { fields: { name: string; args: { name: string; type: { kind: string } }[] }[] };
        };
      }
    ).__schema.queryType.fields;
    const ours = new Set(
      schema.types.flatMap((t) => [t.graphql.findQuery, t.graphql.findOneQuery, t.graphql.connectionQuery]),
    );
    const cases: Case[] = [];
    for (const field of fields) {
      const required = field.args.filter((arg) => arg.type.kind === 'NON_NULL');
      const args = required.map(
        (arg) => `${arg.name}: ${JSON.stringify(arg.name === 'documentId' ? NO_DOCUMENT : '1')}`,
      );
      const query = `{ r: ${field.name}${args.length ? `(${args.join(', ')})` : ''} { __typename } }`;
      for (const token of tokens()) {
        cases.push({
          name: `${token}: POST /graphql ${query}`,
          run: async () => {
            const anonymous = await graphql({}, query);
            const answer = await graphql(contentCallers[token], query);
            const summary = (a: Answer) => JSON.stringify({ data: a.body.data, codes: graphqlCodes(a) });
            if (summary(answer) !== summary(anonymous))
              return `answer ${short(summary(answer))}, anonymous gets ${short(summary(anonymous))}`;
            // Our own queries beside the content types': the timeline, the change feed and the
            // search (public).
            const plugin =
              !ours.has(field.name) && !['me', 'timeline', 'changes', 'search'].includes(field.name);
            if (plugin && !graphqlCodes(answer).includes('FORBIDDEN'))
              return `expected FORBIDDEN, got ${short(answer.text)}`;
            return undefined;
          },
        });
      }
    }
    expect(await runCases('token = public, GraphQL', cases)).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// C. The vocabulary terms (src/vocabulary/terms.ts): labels only

/**
 * Admin roles on the terms: who renames labels (`update`, and `create` of a missing locale), in
 * which locales. For everyone, super admins included: a new term, a changed key or group, a
 * deletion or a copy is refused, with 400 when the role's permissions let the call reach the
 * rules of the data, else 403. The content API has no route and GraphQL no operation for terms.
 */
const VOCABULARY_ADMIN: Record<string, Scope> = {
  communication: 'all',
  'project-coordinator': 'none',
  translator: 'translations',
  'super admin': 'all',
};
/**
 * The roles holding `create` on terms in some locale: the Content Manager asks `create` of a new
 * document without its locale (see src/security/admin-writes.ts), so their new term or copy, in
 * any locale, reaches the rules of the data (400); the others get RBAC's 403.
 */
const VOCABULARY_CREATE: Record<string, Scope> = {
  communication: 'all',
  'project-coordinator': 'none',
  translator: 'all',
  'super admin': 'all',
};
/** Only super admins hold `delete` (every permission); the rules then answer 400. */
const VOCABULARY_DELETE: Record<string, Scope> = {
  communication: 'none',
  'project-coordinator': 'none',
  translator: 'none',
  'super admin': 'all',
};

const inScope = (scope: Scope, locale: string) =>
  scope === 'all' || (scope === 'translations' && locale !== defaultLocale);

async function termIds(type: ContentTypeInfo): Promise<string[]> {
  const rows = (await app.strapi.db
    .query(type.uid as never)
    .findMany({ select: ['documentId'], where: { locale: defaultLocale }, orderBy: { id: 'asc' } })) as Row[];
  return rows.map((row) => row.documentId as string);
}

function vocabularyContentApiCases(caller: string): Case[] {
  const headers = () => contentCallers[caller];
  const cases: Case[] = [];
  for (const type of vocabularyTypes) {
    const rest = [
      ['get', () => type.restBase],
      ['post', () => type.restBase],
      ['get', (id: string) => `${type.restBase}/${id}`],
      ['put', (id: string) => `${type.restBase}/${id}`],
      ['delete', (id: string) => `${type.restBase}/${id}`],
    ] as const;
    for (const [method, url] of rest) {
      cases.push({
        name: `${caller} × ${type.singularName}: ${method.toUpperCase()} ${url(':id')}`,
        serial: true,
        run: async () => {
          const [id] = await termIds(type);
          const before = await snapshot(type, id);
          const answer = await call(
            method,
            url(id),
            headers(),
            method === 'get' ? undefined : { data: { label: 'x' } },
          );
          const after = await snapshot(type, id);
          if (![404, 405].includes(answer.status))
            return `expected no route (404/405), got ${answer.status} ${short(answer.text)}`;
          return after === before ? undefined : changedMessage(before, after);
        },
      });
    }
    const names = type.graphql;
    for (const query of [
      `{ r: ${names.findQuery} { documentId } }`,
      `{ r: ${names.findOneQuery}(documentId: "${NO_DOCUMENT}") { documentId } }`,
      `mutation { r: ${names.createMutation}(data: {}) { documentId } }`,
      `mutation { r: ${names.updateMutation}(documentId: "${NO_DOCUMENT}", data: {}) { documentId } }`,
      `mutation { r: ${names.deleteMutation}(documentId: "${NO_DOCUMENT}") { documentId } }`,
    ]) {
      cases.push({
        name: `${caller} × ${type.singularName}: GraphQL ${query}`,
        run: async () => {
          const answer = await graphql(headers(), query);
          return graphqlCodes(answer).includes('GRAPHQL_VALIDATION_FAILED')
            ? undefined
            : `expected no such operation, got ${answer.status} ${short(answer.text)}`;
        },
      });
    }
  }
  return cases;
}

function vocabularyAdminCases(role: string): Case[] {
  const session = () => (role === 'super admin' ? superAdmin : admins[role]);
  const cases: Case[] = [];
  /** The expected refusal: 400 from the rules when RBAC lets the call through, else 403. */
  const refusal = (reaches: boolean) => (reaches ? 400 : 403);
  for (const type of vocabularyTypes) {
    schema.locales.forEach((locale, index) => {
      const mayUpdate = inScope(VOCABULARY_ADMIN[role], locale);
      const mayCreate = inScope(VOCABULARY_CREATE[role], locale);
      const mayDelete = inScope(VOCABULARY_DELETE[role], locale);
      const label = `${role} × ${type.singularName} (${locale})`;
      const pick = async (offset: number) => {
        const ids = await termIds(type);
        return ids[(index * 7 + offset) % ids.length];
      };
      /** Runs `send` on a term and checks the status, and that nothing changed unless allowed. */
      const expectCall = (
        name: string,
        offset: number,
        send: (id: string, term: Row) => Promise<Answer>,
        status: number,
        check?: (id: string) => Promise<string | undefined>,
      ) =>
        cases.push({
          name: `${label}: ${name}`,
          serial: true,
          run: async () => {
            const id = await pick(offset);
            const [term] = await rowsOf(type, { documentId: id, locale: defaultLocale });
            const before = await snapshot(type, id);
            const answer = await send(id, term);
            const after = await snapshot(type, id);
            if (answer.status !== status)
              return `expected ${status}, got ${answer.status} ${short(answer.text)} [${databaseSays(before, after)}]`;
            if (isSuccess(status)) return check?.(id);
            return after === before ? undefined : changedMessage(before, after);
          },
        });
      const put = (id: string, body: Record<string, unknown>) =>
        call('put', `${cmOne(type, id)}?locale=${locale}`, session().headers, body);

      cases.push({
        name: `${label}: list`,
        serial: true,
        run: async () => {
          const answer = await call(
            'get',
            `${cmBase(type)}?locale=${locale}&pageSize=100`,
            session().headers,
          );
          const expected = (await termIds(type)).length;
          const found = (answer.body as { results?: unknown[] }).results?.length;
          return answer.status === 200 && found === expected
            ? undefined
            : `expected 200 with ${expected} terms, got ${answer.status} ${short(answer.text)}`;
        },
      });
      const mark = marker('l');
      expectCall(
        'rename the label',
        0,
        (id) => put(id, { label: mark }),
        mayUpdate ? 200 : 403,
        async (id) => {
          const [row] = await rowsOf(type, { documentId: id, locale });
          return row?.label === mark ? undefined : 'answered 200, but the label is not saved';
        },
      );
      for (const field of ['key', 'group'] as const) {
        expectCall(
          `change the ${field}`,
          1,
          (id, term) =>
            put(id, {
              label: 'x',
              [field]:
                field === 'key'
                  ? `${String(term.key)}-changed`
                  : term.group === 'funder-kind'
                    ? 'project-kind'
                    : 'funder-kind',
            }),
          mayUpdate ? refusal(true) : 403,
        );
      }
      for (const [name, data] of [
        [
          'create a term of an existing key',
          (term: Row) => ({ label: 'x', key: term.key, group: term.group }),
        ],
        [
          'create a term of an unknown key',
          (term: Row) => ({ label: 'x', key: 'no-such-key', group: term.group }),
        ],
      ] as const) {
        expectCall(
          name,
          2,
          (_, term) => call('post', `${cmBase(type)}?locale=${locale}`, session().headers, data(term)),
          refusal(mayCreate),
        );
      }
      expectCall(
        'copy a term',
        3,
        (id, term) =>
          call('post', `${cmBase(type)}/clone/${id}?locale=${locale}`, session().headers, {
            label: 'x',
            key: term.key,
            group: term.group,
          }),
        refusal(mayCreate),
      );
      expectCall(
        'delete',
        4,
        (id) => call('delete', `${cmOne(type, id)}?locale=${locale}`, session().headers),
        refusal(mayDelete),
      );
      if (locale !== defaultLocale) {
        // A label missing in a locale (a locale added later): added through the panel.
        cases.push({
          name: `${label}: add the missing locale`,
          serial: true,
          run: async () => {
            const id = await pick(5);
            await app.strapi.db.query(type.uid as never).delete({ where: { documentId: id, locale } });
            const before = await snapshot(type, id);
            const answer = await put(id, { label: mark });
            const after = await snapshot(type, id);
            await seedTerms(app.strapi); // puts back what a refused case left missing
            const status = mayCreate && mayUpdate ? 200 : 403;
            if (answer.status !== status)
              return `expected ${status}, got ${answer.status} ${short(answer.text)}`;
            if (status !== 200) return after === before ? undefined : changedMessage(before, after);
            const [row] = await rowsOf(type, { documentId: id, locale });
            return row?.label === mark ? undefined : 'answered 200, but the locale was not added';
          },
        });
      }
    });
  }
  return cases;
}

describe('the vocabulary terms: labels only', () => {
  it('are generated for this matrix', () => {
    expect(vocabularyTypes.map((type) => type.uid)).toEqual(VOCABULARY_UIDS);
  });

  it.each(Object.keys(CONTENT_API))(
    'content API: %s has no route and no GraphQL operation to terms',
    async (caller) => {
      expect(await runCases('vocabulary, content API', vocabularyContentApiCases(caller))).toBe('');
    },
  );

  it.each(Object.keys(VOCABULARY_ADMIN))(
    'admin panel: %s renames labels where its role allows, never keys, terms or deletions',
    async (role) => {
      expect(Object.keys(VOCABULARY_ADMIN).filter((name) => name !== 'super admin')).toEqual(
        Object.keys(ADMIN),
      );
      expect(await runCases('vocabulary, admin', vocabularyAdminCases(role))).toBe('');
    },
  );
});

// ---------------------------------------------------------------------------------------------
// D. The editorial workflow's staff routes (issue 25): history and the audit log. Last in the file:
// the allowed restores write to the shared fixtures (a restore is a save).

interface Listed {
  id: number;
}

/**
 * Every role reads the history of every document and locale it reads (all of them); restores only
 * where it may update (refused: 403, and nothing written, not even a version); the coordinator
 * restores its own entries. API callers never reach the history.
 */
function historyCases(role: string): Case[] {
  const rule = ADMIN[role];
  const session = () => admins[role];
  const cases: Case[] = [];
  const history = (type: ContentTypeInfo, documentId: string) => `/admin/history/${type.uid}/${documentId}`;
  const restoreOldest = async (type: ContentTypeInfo, doc: Doc, locale: string) => {
    const listed = await call(
      'get',
      `${history(type, doc.documentId)}?locale=${locale}&pageSize=100`,
      session().headers,
    );
    if (listed.status !== 200)
      return { problem: `GET history: expected 200, got ${listed.status} ${short(listed.text)}` };
    const versions = listed.body.data as Listed[];
    if (versions.length === 0) return { problem: `no version of ${locale} listed` };
    const answer = await call(
      'post',
      `${history(type, doc.documentId)}/${versions[versions.length - 1].id}/restore?locale=${locale}`,
      session().headers,
    );
    // The newest version's id: a restore adds one (the single type has more than a page of them).
    const after = await call(
      'get',
      `${history(type, doc.documentId)}?locale=${locale}&pageSize=1`,
      session().headers,
    );
    return { answer, added: ((after.body.data as Listed[])[0]?.id ?? 0) !== versions[0].id };
  };
  for (const type of schema.types.filter((candidate) =>
    (HISTORY_UIDS as readonly string[]).includes(candidate.uid),
  )) {
    const serial = type.kind === 'singleType';
    for (const state of statesOf(type)) {
      for (const locale of schema.locales) {
        const allowed = allows(rule, rule.update, type, locale, false);
        cases.push({
          name: `${role} × ${type.singularName} (${state}): read the history of ${locale}, restore ${allowed ? 'allowed' : 'refused'}`,
          serial,
          run: async () => {
            const doc = serial
              ? await makeDoc(type, state)
              : ((fixtures.get(type.uid) ?? []).find((candidate) => candidate.state === state) as Doc);
            if (!doc.locales.includes(locale)) return undefined;
            const rowsBefore = JSON.stringify(await rowsOf(type, { documentId: doc.documentId }));
            const result = await restoreOldest(type, doc, locale);
            if ('problem' in result) return result.problem;
            const { answer, added } = result;
            if (allowed) {
              if (answer.status !== 200)
                return `restore: expected 200, got ${answer.status} ${short(answer.text)}`;
              return added ? undefined : 'restore: no version added';
            }
            if (answer.status !== 403)
              return `restore: expected 403, got ${answer.status} ${short(answer.text)}`;
            const rowsAfter = JSON.stringify(await rowsOf(type, { documentId: doc.documentId }));
            if (rowsAfter !== rowsBefore) return changedMessage(rowsBefore, rowsAfter);
            return added ? 'refused, yet a version was added' : undefined;
          },
        });
      }
    }
    // Its own entries: where the role may update its own (the coordinator), restored.
    if (rule.update === 'own' && adminTypes(rule, type) && type.kind === 'collectionType') {
      cases.push({
        name: `${role} × ${type.singularName}: restore a version of its own entry`,
        run: async () => {
          const doc = await ownDoc(session(), rule, type, false);
          const result = await restoreOldest(type, doc, defaultLocale);
          if ('problem' in result) return result.problem;
          if (result.answer.status !== 200)
            return `expected 200, got ${result.answer.status} ${short(result.answer.text)}`;
          return undefined;
        },
      });
    }
  }
  return cases;
}

/**
 * The review stages (src/review): who may update the entry in that locale sends it « À relire »,
 * who may publish it approves it; every other move is a 403 that writes nothing.
 */
function reviewCases(role: string): Case[] {
  const rule = ADMIN[role];
  const session = () => admins[role];
  const cases: Case[] = [];
  for (const type of schema.types.filter((candidate) =>
    (HISTORY_UIDS as readonly string[]).includes(candidate.uid),
  )) {
    const serial = type.kind === 'singleType';
    const state: State = 'published';
    const usable = statesOf(type).includes(state) ? state : statesOf(type)[0];
    for (const locale of schema.locales) {
      const submit = allows(rule, rule.update, type, locale, false);
      const approve = allows(rule, rule.publish, type, locale, false);
      cases.push({
        name: `${role} × ${type.singularName}: review stages in ${locale} (submit ${submit ? 'allowed' : 'refused'}, approve ${approve ? 'allowed' : 'refused'})`,
        serial: true,
        run: async () => {
          const doc = serial
            ? await makeDoc(type, usable)
            : ((fixtures.get(type.uid) ?? []).find((candidate) => candidate.state === usable) as Doc);
          if (!doc.locales.includes(locale)) return undefined;
          const knex = app.strapi.db.connection;
          const where = { uid: type.uid, document_id: doc.documentId, locale };
          await knex('review_states').where(where).delete();
          const path = `/admin/review/${type.uid}/${doc.documentId}?locale=${locale}`;
          const stage = async () =>
            ((await knex('review_states').where(where).first()) as Row | undefined)?.stage ?? 'draft';
          const sent = await call('put', path, session().headers, { stage: 'review' });
          if (sent.status !== (submit ? 200 : 403))
            return `submit: expected ${submit ? 200 : 403}, got ${sent.status} ${short(sent.text)}`;
          if ((await stage()) !== (submit ? 'review' : 'draft'))
            return `submit: the stage is ${await stage()}`;
          // Approving needs an entry « À relire »: put there by who may, if the role may not.
          if (!submit) await call('put', path, admins.communication.headers, { stage: 'review' });
          const approved = await call('put', path, session().headers, { stage: 'approved' });
          if (approved.status !== (approve ? 200 : 403))
            return `approve: expected ${approve ? 200 : 403}, got ${approved.status} ${short(approved.text)}`;
          if ((await stage()) !== (approve ? 'approved' : 'review'))
            return `approve: the stage is ${await stage()}`;
          await knex('review_states').where(where).delete();
          return undefined;
        },
      });
    }
  }
  return cases;
}

/**
 * Scheduled publishing (src/schedules): who may publish the entry in every targeted locale
 * schedules it (201) and cancels it (200); every other role gets a 403 and writes nothing, nor may
 * it cancel Communication's schedule. Types without drafts have nothing to schedule: 400 for all.
 */
const idOf = (answer: Answer) => (answer.body.data as { id: number }).id;
function scheduleCases(role: string): Case[] {
  const rule = ADMIN[role];
  const session = () => admins[role];
  const cases: Case[] = [];
  const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
  for (const type of schema.types.filter((candidate) =>
    (HISTORY_UIDS as readonly string[]).includes(candidate.uid),
  )) {
    const drafts = type.draftAndPublish;
    const usable: State = type.kind === 'singleType' ? statesOf(type)[0] : 'published';
    for (const locale of [...schema.locales, '*']) {
      cases.push({
        name: `${role} × ${type.singularName}: schedule a publish of ${locale}`,
        serial: true,
        run: async () => {
          const doc =
            type.kind === 'singleType'
              ? await makeDoc(type, usable)
              : ((fixtures.get(type.uid) ?? []).find((candidate) => candidate.state === usable) as Doc);
          if (locale !== '*' && !doc.locales.includes(locale)) return undefined;
          const targeted = locale === '*' ? doc.locales : [locale];
          const allowed = targeted.every((code) => allows(rule, rule.publish, type, code, false));
          const knex = app.strapi.db.connection;
          const count = async () =>
            Number(
              (
                (await knex('publish_schedules')
                  .where('document_id', doc.documentId)
                  .count('* as n')) as Row[]
              )[0].n,
            );
          const before = await count();
          const body = {
            uid: type.uid,
            documentId: doc.documentId,
            locale,
            action: 'publish',
            at: inAnHour(),
          };
          const answer = await call('post', '/admin/schedules', session().headers, body);
          const expected = !drafts ? 400 : allowed ? 201 : 403;
          if (answer.status !== expected)
            return `POST: expected ${expected}, got ${answer.status} ${short(answer.text)}`;
          if (expected !== 201) {
            if ((await count()) !== before) return 'refused, yet a schedule was written';
            if (!drafts) return undefined;
            // Nor may it cancel one made by Communication.
            const theirs = await call('post', '/admin/schedules', admins.communication.headers, body);
            if (theirs.status !== 201)
              return `Communication's schedule: ${theirs.status} ${short(theirs.text)}`;
            const cancel = await call('delete', `/admin/schedules/${idOf(theirs)}`, session().headers);
            const listed = await call(
              'get',
              `/admin/schedules?documentId=${doc.documentId}`,
              session().headers,
            );
            await call('delete', `/admin/schedules/${idOf(theirs)}`, admins.communication.headers);
            if (cancel.status !== 403) return `cancel: expected 403, got ${cancel.status}`;
            return listed.status === 200 ? undefined : `GET: expected 200, got ${listed.status}`;
          }
          const cancel = await call('delete', `/admin/schedules/${idOf(answer)}`, session().headers);
          return cancel.status === 200 ? undefined : `cancel: expected 200, got ${cancel.status}`;
        },
      });
    }
  }
  return cases;
}

describe('the editorial workflow: history and audit log', () => {
  it.each(Object.keys(ADMIN))(
    '%s: schedules and cancels publishes where its role may publish',
    async (role) => {
      expect(await runCases('schedules', scheduleCases(role))).toBe('');
    },
  );
  it.each(Object.keys(ADMIN))(
    '%s: review stages, submitted and approved where its role allows',
    async (role) => {
      expect(await runCases('review', reviewCases(role))).toBe('');
    },
  );

  it.each(Object.keys(ADMIN))('%s: reads every history, restores where it may update', async (role) => {
    expect(await runCases('history', historyCases(role))).toBe('');
  });

  it('the audit log: super administrators only; API callers and every other role refused', async () => {
    const cases: Case[] = [
      ...Object.keys(ADMIN).map((role) => ({
        name: `${role}: GET /admin/audit-logs`,
        run: async () => {
          const answer = await call('get', '/admin/audit-logs', admins[role].headers);
          return answer.status === 403 ? undefined : `expected 403, got ${answer.status}`;
        },
      })),
      {
        name: 'super admin: GET /admin/audit-logs',
        run: async () => {
          const answer = await call('get', '/admin/audit-logs', superAdmin.headers);
          return answer.status === 200 ? undefined : `expected 200, got ${answer.status}`;
        },
      },
      ...Object.keys(contentCallers).flatMap((caller) =>
        [
          '/admin/audit-logs',
          '/admin/schedules',
          `/admin/history/api::project.project/${seeded.get('api::project.project')?.[0]}`,
        ].map((path) => ({
          name: `${caller}: GET ${path}`,
          run: async () => {
            const answer = await call('get', path, contentCallers[caller]);
            return answer.status === 401 ? undefined : `expected 401, got ${answer.status}`;
          },
        })),
      ),
    ];
    expect(await runCases('audit log', cases)).toBe('');
  });
});
