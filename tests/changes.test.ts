/**
 * The change feed (issue 16): GET /api/changes and GraphQL `changes`, recorded by the write path
 * (src/changes). The scripted run is generated from the schemas: every public type gets the
 * writes its kind allows, through REST (editor: drafts only), GraphQL (editor) and the admin
 * API's Content Manager (publishing), and a partner that did a full sync and then applied the
 * feed must hold exactly what the API shows: each entry's fields and the entries it is linked to,
 * also after relations changed from the other side (a site saved with a project moves it).
 */
import { CHANGE_TYPES, type ChangeEvent } from '../src/changes';
import { REQUIRED_RELATIONS } from '../src/validation/document-rules';
import { registerFirstAdmin, type AdminSession } from './support/admin';
import { createCallers, type Callers } from './support/callers';
import { documentData, seededDocumentIds } from './support/fixtures';
import {
  graphqlEnum,
  plainValue,
  changedValue,
  walkSchemas,
  type ContentTypeInfo,
  type Schema,
} from './support/schema-walk';
import { appModule, startStrapi, type TestApp } from './support/strapi';

// The app's own instance of the module: its listeners and the cache it bumps are per instance.
const { onChangesCommitted, pruneChanges } = appModule<typeof import('../src/changes')>('src/changes');

jest.setTimeout(300_000);

let app: TestApp;
let callers: Callers;
let admin: AdminSession;
let schema: Schema;
let seeded: Map<string, string[]>;
const committed: ChangeEvent[] = [];

type Data = Record<string, unknown>;
interface FeedEvent {
  cursor: string;
  type: string;
  documentId: string;
  locale: string;
  action: string;
  at: string;
}

beforeAll(async () => {
  app = await startStrapi();
  callers = await createCallers(app, 'changes-partner');
  admin = await registerFirstAdmin(app);
  schema = await walkSchemas(app.strapi);
  seeded = await seededDocumentIds(app, schema);
  onChangesCommitted(app.strapi, (events) => void committed.push(...events));
});

afterAll(async () => {
  await app?.stop();
});

const token = () => callers.headers.token;
const typeName = (type: ContentTypeInfo) => type.singularName;
/** The six types of the feed, from the schema walk (with their REST and GraphQL names). */
const publicTypes = () =>
  schema.types.filter((type) => (CHANGE_TYPES as readonly string[]).includes(type.singularName));

async function feedPage(query: Record<string, string | string[]>, headers: Record<string, string> = token()) {
  const response = await app.http().get('/api/changes').query(query).set(headers);
  return response;
}

/** Every event after `since` (from the beginning without it) and the cursor to continue from. */
async function readFeed(since?: string, extra: Record<string, string> = {}) {
  const events: FeedEvent[] = [];
  let cursor = since;
  for (;;) {
    const response = await feedPage({ ...(cursor ? { since: cursor } : {}), pageSize: '7', ...extra });
    expect(response.status).toBe(200);
    events.push(...response.body.data);
    cursor = response.body.meta.next;
    if (!response.body.meta.hasMore) return { events, next: cursor as string };
  }
}

// ---------------------------------------------------------------------------------------------
// The partner's copy: what the API shows of each (type, documentId, locale): its scalar fields and
// the entries each of its relations links (populated, as documentIds).

const SCALAR_SKIP = new Set(['relation', 'component', 'media', 'dynamiczone', 'password']);
/** The relations a partner reads with an entry: to the other public types, both sides. */
const linksOf = (type: ContentTypeInfo) =>
  type.relations
    .filter((relation) => relation.side !== 'system' && publicTypes().some((t) => t.uid === relation.target))
    .map((relation) => relation.name);
const populateOf = (type: ContentTypeInfo) => ({ populate: linksOf(type).join(',') });
function fieldsOf(type: ContentTypeInfo, entry: Data): Data {
  const fields: Data = { documentId: entry.documentId, locale: entry.locale };
  for (const [name, attribute] of Object.entries(type.attributes)) {
    if (!SCALAR_SKIP.has(attribute.type) && name in entry) fields[name] = entry[name];
  }
  for (const name of linksOf(type)) {
    const value = entry[name] as Data | Data[] | null | undefined;
    const list = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
    fields[name] = list.map((linked) => linked.documentId as string).sort();
  }
  return fields;
}
const keyOf = (type: string, documentId: string, locale: string) => `${type}|${documentId}|${locale}`;

/** What the API shows now, read as a partner would (each locale's own versions only). */
async function fullSync(): Promise<Map<string, Data>> {
  const copy = new Map<string, Data>();
  for (const type of publicTypes()) {
    for (const locale of schema.locales) {
      if (type.kind === 'singleType') {
        const response = await app
          .http()
          .get(type.restBase)
          .query({ locale, ...populateOf(type) })
          .set(token());
        if (response.status === 404) continue;
        expect(response.status).toBe(200);
        const entry = response.body.data as Data;
        if (entry.locale === locale)
          copy.set(keyOf(typeName(type), entry.documentId as string, locale), fieldsOf(type, entry));
        continue;
      }
      for (let page = 1; ; page += 1) {
        const response = await app
          .http()
          .get(type.restBase)
          .query({ locale, 'pagination[page]': page, 'pagination[pageSize]': 100, ...populateOf(type) })
          .set(token());
        expect(response.status).toBe(200);
        for (const entry of response.body.data as Data[]) {
          if (entry.locale === locale)
            copy.set(keyOf(typeName(type), entry.documentId as string, locale), fieldsOf(type, entry));
        }
        if (page >= response.body.meta.pagination.pageCount) break;
      }
    }
  }
  return copy;
}

/** The partner's algorithm (docs/partners.en.md, "Change feed"): re-read what `published` names, drop the rest. */
async function applyFeed(copy: Map<string, Data>, events: FeedEvent[]) {
  for (const event of events) {
    const key = keyOf(event.type, event.documentId, event.locale);
    copy.delete(key);
    if (event.action !== 'published') continue;
    const type = publicTypes().find((candidate) => typeName(candidate) === event.type)!;
    const path = type.kind === 'singleType' ? type.restBase : `${type.restBase}/${event.documentId}`;
    const response = await app
      .http()
      .get(path)
      .query({ locale: event.locale, ...populateOf(type) })
      .set(token());
    if (response.status === 404) continue; // gone again since: a later event says so
    expect(response.status).toBe(200);
    const entry = response.body.data as Data;
    if (entry.locale === event.locale) copy.set(key, fieldsOf(type, entry));
  }
}

// ---------------------------------------------------------------------------------------------
// Writers

const cm = (type: ContentTypeInfo) =>
  type.kind === 'singleType'
    ? `/content-manager/single-types/${type.uid}`
    : `/content-manager/collection-types/${type.uid}`;
const cmDocument = (type: ContentTypeInfo, documentId: string) =>
  type.kind === 'singleType' ? cm(type) : `${cm(type)}/${documentId}`;

async function adminCall(method: 'post' | 'put' | 'delete', path: string, locale: string, body: Data = {}) {
  const response = await app.http()[method](path).query({ locale }).set(admin.headers).send(body);
  if (response.status >= 300)
    throw new Error(`${method.toUpperCase()} ${path} answered ${response.status}: ${response.text}`);
  return response.body as Data;
}
const adminPublish = (type: ContentTypeInfo, documentId: string, locale: string) =>
  adminCall('post', `${cmDocument(type, documentId)}/actions/publish`, locale);
const adminUnpublish = (type: ContentTypeInfo, documentId: string, locale: string) =>
  adminCall('post', `${cmDocument(type, documentId)}/actions/unpublish`, locale);
const adminDelete = (type: ContentTypeInfo, documentId: string, locale: string) =>
  adminCall('delete', cmDocument(type, documentId), locale);
const adminSave = (type: ContentTypeInfo, documentId: string, locale: string, data: Data) =>
  adminCall('put', cmDocument(type, documentId), locale, data);
async function adminCreate(type: ContentTypeInfo, data: Data): Promise<string> {
  const body = await adminCall('post', cm(type), schema.defaultLocale, data);
  return (body.data as Data).documentId as string;
}

let labels = 0;
const text = (attribute: Parameters<typeof plainValue>[0], label: string) => plainValue(attribute, label);
async function newData(type: ContentTypeInfo): Promise<Data> {
  labels += 1;
  return documentData(app, schema, type, seeded, { text, label: `feed ${typeName(type)} ${labels}` });
}
async function translation(type: ContentTypeInfo, locale: string): Promise<Data> {
  labels += 1;
  return documentData(app, schema, type, seeded, {
    text,
    label: `feed ${typeName(type)} ${locale} ${labels}`,
    localizedOnly: true,
    relations: false,
  });
}
/** A change of the first localized string field. */
function edit(type: ContentTypeInfo, current: Data, suffix: string): Data {
  const name = type.localizedFields.find((field) =>
    ['string', 'text'].includes(type.attributes[field].type),
  )!;
  return { [name]: changedValue(type.attributes[name], current[name], suffix) };
}

async function graphql(query: string, variables: Data, headers: Record<string, string>) {
  const response = await app.http().post('/graphql').set(headers).send({ query, variables });
  if (response.status !== 200 && !response.body?.errors)
    throw new Error(`GraphQL answered ${response.status}: ${response.text}`);
  return response.body as { data?: Data; errors?: { message: string; extensions?: Data }[] };
}

/** The data as a GraphQL input: no component ids, enumeration values as GraphQL enum names. */
function graphqlInput(type: ContentTypeInfo, data: Data): Data {
  const convert = (attributes: Record<string, { type: string; component?: string }>, value: Data): Data =>
    Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'id')
        .map(([key, item]) => {
          const attribute = attributes[key];
          if (attribute?.type === 'enumeration' && typeof item === 'string') return [key, graphqlEnum(item)];
          if (attribute?.type === 'component' && item && typeof item === 'object') {
            const inner = schema.components[attribute.component!]?.attributes ?? {};
            return [
              key,
              Array.isArray(item)
                ? item.map((one) => convert(inner, one as Data))
                : convert(inner, item as Data),
            ];
          }
          return [key, item];
        }),
    );
  return convert(type.attributes, data);
}

async function eventsSince(cursor: string) {
  return (await readFeed(cursor)).events;
}

// ---------------------------------------------------------------------------------------------

describe('the feed from the beginning', () => {
  it('starts with the seed: a published event for every seeded version of the six types', async () => {
    const { events } = await readFeed();
    const types = new Set(events.map((event) => event.type));
    expect([...types].sort()).toEqual(['enterprise', 'funder', 'organisation', 'project', 'service', 'site']);
    expect(events.every((event) => event.action === 'published')).toBe(true);
    // Applying it to an empty copy is a full sync.
    const copy = new Map<string, Data>();
    await applyFeed(copy, events);
    expect(copy).toEqual(await fullSync());
  });
});

describe('a partner that synced, then applies the feed, holds exactly what the API shows', () => {
  it('after creates, edits, publishes, unpublishes, deletes and locale deletions through REST, GraphQL and the admin API', async () => {
    const start = (await readFeed()).next;
    const copy = await fullSync();
    const [secondLocale, thirdLocale] = schema.locales.filter((locale) => locale !== schema.defaultLocale);
    const fr = schema.defaultLocale;

    for (const type of publicTypes()) {
      const kind = type.uid;
      if (type.kind === 'singleType') {
        const organisation = (await app.strapi
          .documents(kind as never)
          .findFirst({ locale: fr } as never)) as unknown as Data;
        const documentId = organisation.documentId as string;
        // A draft edit is invisible until published.
        await adminSave(type, documentId, fr, edit(type, organisation, 'draft edit'));
        expect(await eventsSince((await readFeed()).next)).toEqual([]);
        await adminPublish(type, documentId, fr);
        await adminUnpublish(type, documentId, secondLocale);
        // Deleting a locale of a published entry takes its unpublishing first, in every locale.
        await expect(adminDelete(type, documentId, thirdLocale)).rejects.toThrow(/answered 400/);
        const published = schema.locales.filter((locale) => locale !== secondLocale);
        for (const locale of published) await adminUnpublish(type, documentId, locale);
        await adminDelete(type, documentId, thirdLocale);
        for (const locale of published.filter((locale) => locale !== thirdLocale))
          await adminPublish(type, documentId, locale);
        continue;
      }
      if (!type.draftAndPublish) {
        // Types without drafts: each save is live (admin panel only).
        const a = await adminCreate(type, await newData(type));
        await adminSave(type, a, fr, edit(type, await newData(type), 'edited'));
        await adminSave(type, a, secondLocale, await translation(type, secondLocale));
        await adminSave(type, a, thirdLocale, await translation(type, thirdLocale));
        await adminDelete(type, a, secondLocale);
        const b = await adminCreate(type, await newData(type));
        await adminDelete(type, b, fr);
        continue;
      }
      // Draft & publish: the editor writes drafts through REST and GraphQL, the admin publishes.
      const created = await app
        .http()
        .post(type.restBase)
        .set(callers.headers.editor)
        .send({ data: await newData(type) });
      expect(created.status).toBe(201);
      const a = created.body.data.documentId as string;
      await adminPublish(type, a, fr);
      await adminSave(type, a, secondLocale, await translation(type, secondLocale));
      await adminPublish(type, a, secondLocale);
      await adminSave(type, a, thirdLocale, await translation(type, thirdLocale));
      await adminPublish(type, a, thirdLocale);
      const gql = await graphql(
        `mutation($id: ID!, $data: ${type.graphql.inputName}!) { ${type.graphql.updateMutation}(documentId: $id, locale: "${fr}", data: $data) { documentId } }`,
        { id: a, data: graphqlInput(type, edit(type, created.body.data, 'graphql edit')) },
        callers.headers.editor,
      );
      expect(gql.errors ?? []).toEqual([]);
      await adminPublish(type, a, fr);
      // A published entry is unpublished, in every locale, before a locale of it is deleted.
      await expect(adminDelete(type, a, secondLocale)).rejects.toThrow(/answered 400/);
      for (const locale of [fr, secondLocale, thirdLocale]) await adminUnpublish(type, a, locale);
      await adminDelete(type, a, secondLocale);
      await adminPublish(type, a, fr);
      // A document created through GraphQL, published, then deleted.
      const viaGraphql = await graphql(
        `mutation($data: ${type.graphql.inputName}!) { ${type.graphql.createMutation}(data: $data) { documentId } }`,
        { data: graphqlInput(type, await newData(type)) },
        callers.headers.editor,
      );
      expect(viaGraphql.errors ?? []).toEqual([]);
      const b = (viaGraphql.data![type.graphql.createMutation!] as Data).documentId as string;
      await adminPublish(type, b, fr);
      await adminUnpublish(type, b, fr);
      await adminDelete(type, b, fr);
      // A seeded entry: edited and published again, then a locale of another one unpublished.
      const [first, second] = seeded.get(kind)!;
      const current = (await app.strapi
        .documents(kind as never)
        .findOne({ documentId: first, locale: fr } as never)) as unknown as Data;
      await adminSave(type, first, fr, edit(type, current, 'republished'));
      await adminPublish(type, first, fr);
      if (second) await adminUnpublish(type, second, fr);
    }

    const events = await eventsSince(start);
    const actions = new Set(events.map((event) => event.action));
    expect([...actions].sort()).toEqual(['deleted', 'published', 'unpublished']);
    expect(new Set(events.map((event) => event.type)).size).toBe(publicTypes().length);
    await applyFeed(copy, events);
    expect(copy).toEqual(await fullSync());
  });
});

describe('relations changed from either side: the partner still holds what the API shows', () => {
  let made = 0;
  /** A new published document (a type without drafts: saved), linked only to what it requires. */
  async function fresh(type: ContentTypeInfo): Promise<string> {
    if (type.kind === 'singleType') return seeded.get(type.uid)![0];
    made += 1;
    const overrides: Data = {};
    for (const field of REQUIRED_RELATIONS[type.uid] ?? []) {
      const relation = type.relations.find((candidate) => candidate.name === field)!;
      overrides[field] = await fresh(schema.byUid.get(relation.target)!);
    }
    const data = await documentData(app, schema, type, seeded, {
      text,
      label: `feed link ${typeName(type)} ${made}`,
      relations: false,
      overrides,
    });
    const docs = app.strapi.documents(type.uid as never);
    const created = (await docs.create({ locale: schema.defaultLocale, data } as never)) as unknown as Data;
    const documentId = created.documentId as string;
    if (type.draftAndPublish) await docs.publish({ documentId, locale: schema.defaultLocale } as never);
    return documentId;
  }
  const required = (uid: string, field: string) => (REQUIRED_RELATIONS[uid] ?? []).includes(field);

  it('connect, set and disconnect of every relation from each side (Content Manager), and the editor’s relation writes (REST, GraphQL) once published', async () => {
    const start = (await readFeed()).next;
    const copy = await fullSync();
    const fr = schema.defaultLocale;
    const ref = (documentId: string) => ({ documentId, locale: fr });
    let writes = 0;
    for (const type of publicTypes()) {
      for (const name of linksOf(type)) {
        const relation = type.relations.find((candidate) => candidate.name === name)!;
        const target = schema.byUid.get(relation.target)!;
        const documentId = await fresh(type);
        // A seeded target (with links of its own: a seeded project leaves its site) and a new one.
        const existing = seeded.get(target.uid)!.at(-1)!;
        const created = await fresh(target);
        const removes = required(type.uid, name) || required(target.uid, relation.inverse!);
        const operations: Data[] = [
          { connect: [ref(existing)] },
          ...(required(target.uid, relation.inverse!) ? [] : [{ set: [ref(created)] }]),
          ...(removes ? [] : [{ disconnect: [ref(created)] }]),
        ];
        for (const operation of operations) {
          await adminSave(type, documentId, fr, { [name]: operation });
          if (type.draftAndPublish) await adminPublish(type, documentId, fr);
          writes += 1;
        }
        // The editor writes drafts, REST and GraphQL alike; they reach the public when published.
        if (
          !type.draftAndPublish ||
          type.kind === 'singleType' ||
          !['project', 'service', 'enterprise'].includes(typeName(type))
        )
          continue;
        const rest = await fresh(target);
        await app
          .http()
          .put(`${type.restBase}/${documentId}`)
          .set(callers.headers.editor)
          .send({ data: { [name]: { connect: [ref(rest)] } } })
          .expect(200);
        await adminPublish(type, documentId, fr);
        const viaGraphql = await fresh(target);
        const gql = await graphql(
          `mutation($id: ID!, $data: ${type.graphql.inputName}!) { ${type.graphql.updateMutation}(documentId: $id, data: $data) { documentId } }`,
          { id: documentId, data: { [name]: relation.many ? [viaGraphql] : viaGraphql } },
          callers.headers.editor,
        );
        expect(gql.errors ?? []).toEqual([]);
        await adminPublish(type, documentId, fr);
        writes += 2;
      }
    }
    expect(writes).toBeGreaterThanOrEqual(30);
    await applyFeed(copy, await eventsSince(start));
    expect(copy).toEqual(await fullSync());
  });
});

describe('what the feed leaves out', () => {
  it('drafts: an editor’s creates, edits and deletes of drafts record nothing', async () => {
    const { next } = await readFeed();
    const type = schema.byUid.get('api::project.project')!;
    const created = await app
      .http()
      .post(type.restBase)
      .set(callers.headers.editor)
      .send({ data: await newData(type) })
      .expect(201);
    const documentId = created.body.data.documentId as string;
    await app
      .http()
      .put(`${type.restBase}/${documentId}`)
      .set(callers.headers.editor)
      .send({ data: edit(type, created.body.data, 'draft') })
      .expect(200);
    // Asking to publish through the content API still makes a draft.
    await app
      .http()
      .put(`${type.restBase}/${documentId}`)
      .query({ status: 'published' })
      .set(callers.headers.editor)
      .send({ data: edit(type, created.body.data, 'draft two') });
    await app.http().delete(`${type.restBase}/${documentId}`).set(callers.headers.editor).expect(204);
    expect(await eventsSince(next)).toEqual([]);
  });

  it('a write whose transaction rolls back leaves no event, and tells no listener', async () => {
    const { next } = await readFeed();
    const heard = committed.length;
    const documentId = seeded.get('api::service.service')![0];
    const before: { count: string }[] = await app.strapi.db.connection('change_events').count({ count: '*' });
    await expect(
      app.strapi.db.transaction(async ({ trx }) => {
        await app.strapi.documents('api::service.service').publish({ documentId, locale: 'fr' } as never);
        // Inside the transaction the event exists...
        const inside: { count: string }[] = await trx('change_events').count({ count: '*' });
        expect(Number(inside[0].count)).toBe(Number(before[0].count) + 1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // ...and went with it.
    expect(await eventsSince(next)).toEqual([]);
    expect(committed.length).toBe(heard);
    // The same publish, committed, is one event, heard once.
    await app.strapi.documents('api::service.service').publish({ documentId, locale: 'fr' } as never);
    const events = await eventsSince(next);
    expect(events.map(({ type, documentId: id, locale, action }) => ({ type, id, locale, action }))).toEqual([
      { type: 'service', id: documentId, locale: 'fr', action: 'published' },
    ]);
    expect(committed.slice(heard).map((event) => event.cursor)).toEqual([events[0].cursor]);
  });

  it('Document Service create and update with status published publish', async () => {
    const { next } = await readFeed();
    const type = schema.byUid.get('api::enterprise.enterprise')!;
    const doc = (await app.strapi
      .documents(type.uid as never)
      .create({ data: await newData(type), status: 'published' } as never)) as unknown as Data;
    await app.strapi.documents(type.uid as never).update({
      documentId: doc.documentId,
      locale: 'fr',
      data: edit(type, doc, 'again'),
      status: 'published',
    } as never);
    await app.strapi
      .documents(type.uid as never)
      .discardDraft({ documentId: doc.documentId, locale: 'fr' } as never);
    const events = await eventsSince(next);
    // Its data links it to the first seeded service (tests/support/fixtures.ts): once published,
    // that link changes the service's public answer too, once.
    const service = seeded.get('api::service.service')![0];
    expect(events.map((event) => [event.type, event.documentId, event.action])).toEqual([
      ['enterprise', doc.documentId, 'published'],
      ['service', service, 'published'],
      ['enterprise', doc.documentId, 'published'],
    ]);
  });
});

describe('reading the feed', () => {
  it('filters by types and locale; pages with next and hasMore', async () => {
    const all = (await readFeed()).events;
    const filtered = (await readFeed(undefined, { types: 'project,site', locale: 'de' })).events;
    expect(filtered).toEqual(
      all.filter((event) => ['project', 'site'].includes(event.type) && event.locale === 'de'),
    );
    const first = await feedPage({ pageSize: '3' });
    expect(first.body.data).toHaveLength(3);
    expect(first.body.meta.hasMore).toBe(true);
    expect(first.body.meta.next).toBe(first.body.data[2].cursor);
    const second = await feedPage({ pageSize: '3', since: first.body.meta.next });
    expect(second.body.data).toEqual(all.slice(3, 6));
    // The default page is 100.
    expect((await feedPage({})).body.data).toHaveLength(Math.min(100, all.length));
  });

  it('is public and read-only tokens read it; the response cache is never stale', async () => {
    const anonymous = await feedPage({ types: 'site' }, {});
    expect(anonymous.status).toBe(200);
    const withToken = await feedPage({ types: 'site' });
    expect(withToken.body).toEqual(anonymous.body);
    const site = schema.byUid.get('api::site.site')!;
    const documentId = seeded.get(site.uid)![1];
    const current = (await app.strapi
      .documents(site.uid as never)
      .findOne({ documentId, locale: 'fr' } as never)) as unknown as Data;
    // Asked again until the page is full: the last page is the one that grows.
    let since: string | undefined;
    let last = anonymous;
    while (last.body.meta.hasMore) {
      since = last.body.meta.next;
      last = await feedPage({ types: 'site', since: since! }, {});
    }
    const query = { types: 'site', ...(since ? { since } : {}) };
    const cached = await feedPage(query, {});
    await adminSave(site, documentId, 'fr', edit(site, current, 'cache'));
    const fresh = await feedPage(query, {});
    expect(fresh.body.data.length).toBe(cached.body.data.length + 1);
    expect(fresh.body.data.at(-1)).toMatchObject({
      type: 'site',
      documentId,
      locale: 'fr',
      action: 'published',
    });
  });

  it('GraphQL changes gives what REST gives, and the same refusals', async () => {
    const rest = await feedPage({ types: 'project,funder', pageSize: '20' }, {});
    const query = `query($since: String, $types: [String!], $locale: I18NLocaleCode, $pageSize: Int) {
      changes(since: $since, types: $types, locale: $locale, pageSize: $pageSize) {
        data { cursor type documentId locale action at } next hasMore } }`;
    const answer = await graphql(query, { types: ['project', 'funder'], pageSize: 20 }, {});
    expect(answer.data!.changes).toEqual({
      data: rest.body.data,
      next: rest.body.meta.next,
      hasMore: rest.body.meta.hasMore,
    });
    const nextPage = await graphql(
      query,
      { since: rest.body.meta.next, types: ['project', 'funder'], pageSize: 20 },
      token(),
    );
    const restNext = await feedPage({ since: rest.body.meta.next, types: 'project,funder', pageSize: '20' });
    expect((nextPage.data!.changes as Data).data).toEqual(restNext.body.data);
    for (const variables of [{ since: 'nope' }, { types: ['page'] }, { pageSize: 501 }]) {
      const refused = await graphql(query, variables, {});
      expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('answers 400 naming a bad cursor, type, locale, page size or an unknown parameter', async () => {
    const valid = (await feedPage({ pageSize: '1' })).body.meta.next as string;
    const forged = Buffer.from(valid, 'base64url');
    forged[7] ^= 1; // another id, the same signature
    const cases: [Record<string, string | string[]>, RegExp][] = [
      [{ since: 'garbage!' }, /since/],
      [{ since: forged.toString('base64url') }, /since/],
      [{ since: valid.slice(0, -2) }, /since/],
      [{ types: 'project,page' }, /types.*page/],
      [{ types: ['project', 'site'] }, /types/],
      [{ locale: 'xx' }, /locale "xx"/],
      [{ pageSize: '0' }, /pageSize/],
      [{ pageSize: '501' }, /pageSize/],
      [{ pageSize: 'ten' }, /pageSize/],
      [{ page: '2' }, /"page"/],
      [{ 'filters[type]': 'project' }, /"filters"/],
    ];
    for (const [query, message] of cases) {
      const response = await app.http().get('/api/changes').query(query);
      expect([JSON.stringify(query), response.status]).toEqual([JSON.stringify(query), 400]);
      expect(response.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
      expect(response.body.error.message).toMatch(message);
    }
  });
});

describe('ordering and retention', () => {
  it('ids are in commit order: a writer that commits later waits for the lock, a reader never skips', async () => {
    // Without the lock, T2 could take id n+1 and commit while T1 (id n) is still open: a reader
    // polling then would move its cursor past n, and never see T1's event. With the advisory
    // lock taken before the insert and held until commit, T2 waits for T1's commit.
    const { next } = await readFeed();
    const service = seeded.get('api::service.service')![1];
    const site = seeded.get('api::site.site')![2];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let t1Inserted: () => void = () => {};
    const inserted = new Promise<void>((resolve) => (t1Inserted = resolve));
    const t1 = app.strapi.db.transaction(async () => {
      await app.strapi
        .documents('api::service.service')
        .publish({ documentId: service, locale: 'fr' } as never);
      t1Inserted();
      await gate;
    });
    await inserted;
    let t2Done = false;
    const t2 = app.strapi
      .documents('api::site.site')
      .update({ documentId: site, locale: 'fr', data: { name: 'Ordre des commits' } } as never)
      .then(() => (t2Done = true));
    // T2 is held by the advisory lock, which PostgreSQL shows as a lock not granted.
    let waiting = 0;
    for (let attempt = 0; attempt < 50 && waiting === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const rows = await app.strapi.db.connection.raw(
        "SELECT count(*) AS count FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
      );
      waiting = Number((rows as { rows: { count: string }[] }).rows[0].count);
    }
    expect(waiting).toBeGreaterThan(0);
    expect(t2Done).toBe(false);
    // A reader polling now sees neither.
    expect(await eventsSince(next)).toEqual([]);
    release();
    await Promise.all([t1, t2]);
    // T1's events (the service's, and its linked entries' if an earlier test had unpublished it)
    // all come before T2's.
    const events = (await eventsSince(next)).map((event) => [event.type, event.documentId]);
    expect(events.filter(([, id]) => [service, site].includes(id))).toEqual([
      ['service', service],
      ['site', site],
    ]);
    expect(events.at(-1)).toEqual(['site', site]);
  });

  it('events older than 400 days are pruned; a cursor before them answers 410 telling to resync', async () => {
    const all = (await readFeed()).events;
    const cut = all[9];
    const old = all[4];
    const ids: { id: string }[] = await app.strapi.db
      .connection('change_events')
      .select('id')
      .orderBy('id')
      .limit(10);
    await app.strapi.db
      .connection('change_events')
      .whereIn(
        'id',
        ids.map((row) => row.id),
      )
      .update({ at: new Date(Date.now() - 401 * 24 * 60 * 60 * 1000) });
    // Read (and cached) before the pruning: the pruning's raw SQL makes the cache forget it.
    expect((await feedPage({ since: old.cursor })).status).toBe(200);
    expect(await pruneChanges(app.strapi)).toBe(10);
    const gone = await feedPage({ since: old.cursor });
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ data: null, error: { status: 410, name: 'GoneError' } });
    expect(gone.body.error.message).toMatch(/full resync/);
    // From the last pruned event on, and from the beginning, the feed goes on.
    const after = await feedPage({ since: cut.cursor, pageSize: '500' });
    expect(after.status).toBe(200);
    expect(after.body.data[0]).toEqual(all[10]);
    const beginning = await feedPage({ pageSize: '1' });
    expect(beginning.body.data[0]).toEqual(all[10]);
    const graphqlGone = await graphql(`{ changes(since: "${old.cursor}") { next } }`, {}, {});
    expect(graphqlGone.errors?.[0].extensions?.error).toMatchObject({ name: 'GoneError' });
  });
});
