/**
 * History and restore (issue 25, section 1): every write path keeps a version of each document
 * and locale it saved (src/history), read and restored through the staff API
 * (/admin/history/..., src/history/routes.ts) with the Content Manager's rights.
 *
 * Generated over the six types with a history, from the schema walk: each gets the writes its kind
 * allows, through REST and GraphQL (an API editor), the admin API's Content Manager (create, save,
 * publish, unpublish, discard, clone) and a script (the Document Service without a request), and
 * each restore round-trips every field: scalars, components, relations and media.
 */
import { HISTORY_UIDS } from '../src/history';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { createCallers, type Callers } from './support/callers';
import { documentData, seededDocumentIds } from './support/fixtures';
import { PNG } from './support/images';
import {
  changedValue,
  plainValue,
  walkSchemas,
  type ContentTypeInfo,
  type Schema,
} from './support/schema-walk';
import { statementsDuring } from './support/sql';
import { appModule, startStrapi, type TestApp } from './support/strapi';

const { pruneHistory } = appModule<typeof import('../src/history')>('src/history');

jest.setTimeout(300_000);

type Data = Record<string, unknown>;
interface Listed {
  id: number;
  createdAt: string;
  status: string;
  author: { id: number; firstname: string | null; lastname: string | null } | null;
  source: string;
  changedFields: string[];
}

let app: TestApp;
let admin: AdminSession;
let callers: Callers;
let schema: Schema;
let seeded: Map<string, string[]>;
let adminId: number;

beforeAll(async () => {
  app = await startStrapi();
  admin = await registerFirstAdmin(app);
  callers = await createCallers(app, 'history-partner');
  schema = await walkSchemas(app.strapi);
  seeded = await seededDocumentIds(app, schema);
  adminId = (await app.http().get('/admin/users/me').set(admin.headers).expect(200)).body.data.id;
});

afterAll(async () => {
  await app?.stop();
});

const types = () => schema.types.filter((type) => (HISTORY_UIDS as readonly string[]).includes(type.uid));
const fr = 'fr';
const de = 'de';
const cm = (type: ContentTypeInfo) =>
  type.kind === 'singleType'
    ? `/content-manager/single-types/${type.uid}`
    : `/content-manager/collection-types/${type.uid}`;
const cmDocument = (type: ContentTypeInfo, documentId: string) =>
  type.kind === 'singleType' ? cm(type) : `${cm(type)}/${documentId}`;

async function adminCall(
  method: 'post' | 'put' | 'delete',
  path: string,
  locale: string,
  body: Data = {},
  session: AdminSession = admin,
) {
  const response = await app.http()[method](path).query({ locale }).set(session.headers).send(body);
  if (response.status >= 300)
    throw new Error(`${method.toUpperCase()} ${path} answered ${response.status}: ${response.text}`);
  return response.body as Data;
}

let counter = 0;
const text = (attribute: Parameters<typeof plainValue>[0], label: string) => plainValue(attribute, label);
async function newData(type: ContentTypeInfo, extra: Data = {}): Promise<Data> {
  counter += 1;
  return documentData(app, schema, type, seeded, {
    text,
    label: `history ${type.singularName} ${counter}`,
    overrides: extra,
  });
}
/** The first localized string or text field: what the edits below change. */
const textField = (type: ContentTypeInfo) =>
  type.localizedFields.find((field) => ['string', 'text'].includes(type.attributes[field].type))!;

const historyPath = (type: ContentTypeInfo, documentId: string) => `/admin/history/${type.uid}/${documentId}`;
async function versions(type: ContentTypeInfo, documentId: string, locale = fr, session = admin) {
  const response = await app
    .http()
    .get(historyPath(type, documentId))
    .query({ locale, pageSize: 100 })
    .set(session.headers);
  expect(response.status).toBe(200);
  return response.body.data as Listed[];
}
async function version(type: ContentTypeInfo, documentId: string, id: number, locale = fr) {
  const response = await app
    .http()
    .get(`${historyPath(type, documentId)}/${id}`)
    .query({ locale })
    .set(admin.headers);
  expect(response.status).toBe(200);
  return response.body as { data: Data; meta: Data };
}
const restore = (type: ContentTypeInfo, documentId: string, id: number, locale: string, session = admin) =>
  app
    .http()
    .post(`${historyPath(type, documentId)}/${id}/restore`)
    .query({ locale })
    .set(session.headers);

/** Runs `write` and returns the versions it added (newest first). */
async function added(
  type: ContentTypeInfo,
  documentId: () => string,
  write: () => Promise<unknown>,
  locale = fr,
) {
  const before = documentId() ? (await versions(type, documentId(), locale)).length : 0;
  await write();
  const after = await versions(type, documentId(), locale);
  return after.slice(0, after.length - before);
}

const byAdmin = () => ({ id: adminId, firstname: 'First', lastname: 'Admin' });

describe('every write path keeps a version', () => {
  it('REST, GraphQL, the Content Manager and scripts, with who, how, the status after and the fields changed', async () => {
    for (const type of types()) {
      const field = textField(type);
      let documentId = '';
      const id = () => documentId;
      const expectOne = async (list: Listed[], expected: Partial<Listed>) => {
        if (list.length !== 1)
          console.log(
            JSON.stringify(
              await app.strapi.db
                .connection('history_versions')
                .where('document_id', documentId)
                .select(
                  'id',
                  'locale',
                  'status',
                  'action',
                  'source',
                  'author',
                  'changed_fields',
                  'created_at',
                ),
              null,
              1,
            ),
          );
        expect({ type: type.uid, list }).toEqual({ type: type.uid, list: [expect.anything()] });
        expect(list[0]).toMatchObject(expected);
      };
      if (type.kind === 'singleType') {
        const current = (await app.strapi
          .documents(type.uid as never)
          .findFirst({ locale: fr } as never)) as unknown as Data;
        documentId = String(current.documentId);
        const value = changedValue(type.attributes[field], current[field], 'history save');
        await expectOne(await added(type, id, () => adminCall('put', cm(type), fr, { [field]: value })), {
          source: 'admin',
          author: byAdmin(),
          status: 'modified',
          changedFields: [field],
        });
        await expectOne(await added(type, id, () => adminCall('post', `${cm(type)}/actions/publish`, fr)), {
          source: 'admin',
          status: 'published',
          changedFields: [],
        });
        continue;
      }
      if (!type.draftAndPublish) {
        // Types without drafts are written in the admin panel (and by scripts): each save is live.
        const created = await adminCall('post', cm(type), fr, await newData(type));
        documentId = String((created.data as Data).documentId);
        const first = await versions(type, documentId);
        expect(first).toHaveLength(1);
        expect(first[0]).toMatchObject({ source: 'admin', author: byAdmin(), status: 'published' });
        expect(first[0].changedFields).toContain(field);
        const value = changedValue(type.attributes[field], (created.data as Data)[field], 'saved');
        await expectOne(
          await added(type, id, () => adminCall('put', cmDocument(type, documentId), fr, { [field]: value })),
          {
            status: 'published',
            changedFields: [field],
          },
        );
        await expectOne(
          await added(type, id, () =>
            app.strapi
              .documents(type.uid as never)
              .update({ documentId, locale: fr, data: { [field]: `${value} script` } } as never),
          ),
          { source: 'script', author: null, changedFields: [field] },
        );
        continue;
      }
      // Draft & publish: an API editor writes drafts (REST, GraphQL), the admin publishes.
      const created = await app
        .http()
        .post(type.restBase)
        .set(callers.headers.editor)
        .send({ data: await newData(type) });
      expect(created.status).toBe(201);
      documentId = created.body.data.documentId;
      const first = await versions(type, documentId);
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({ source: 'content-api', author: null, status: 'draft' });
      expect(first[0].changedFields).toContain(field);

      const graphqlValue = changedValue(type.attributes[field], created.body.data[field], 'graphql');
      expectOne(
        await added(type, id, async () => {
          const response = await app
            .http()
            .post('/graphql')
            .set(callers.headers.editor)
            .send({
              query: `mutation($id: ID!, $value: String) { ${type.graphql.updateMutation}(documentId: $id, locale: "${fr}", data: { ${field}: $value }) { documentId } }`,
              variables: { id: documentId, value: graphqlValue },
            });
          expect(response.body.errors ?? []).toEqual([]);
        }),
        { source: 'content-api', status: 'draft', changedFields: [field] },
      );
      expectOne(
        await added(type, id, () => adminCall('post', `${cmDocument(type, documentId)}/actions/publish`, fr)),
        {
          source: 'admin',
          author: byAdmin(),
          status: 'published',
          changedFields: [],
        },
      );
      const saved = changedValue(type.attributes[field], graphqlValue, 'saved');
      expectOne(
        await added(type, id, () => adminCall('put', cmDocument(type, documentId), fr, { [field]: saved })),
        {
          status: 'modified',
          changedFields: [field],
        },
      );
      expectOne(
        await added(type, id, () => adminCall('post', `${cmDocument(type, documentId)}/actions/discard`, fr)),
        {
          status: 'published',
          changedFields: [field],
        },
      );
      expectOne(
        await added(type, id, () =>
          app.strapi
            .documents(type.uid as never)
            .update({ documentId, locale: fr, data: { [field]: `${String(saved)} script` } } as never),
        ),
        { source: 'script', author: null, status: 'modified', changedFields: [field] },
      );
      expectOne(
        await added(type, id, () =>
          adminCall('post', `${cmDocument(type, documentId)}/actions/unpublish`, fr),
        ),
        {
          status: 'draft',
        },
      );
      // A translation is a version of its own locale; the French history does not move.
      const german = await newData(type);
      expect(
        await added(type, id, () =>
          adminCall('put', cmDocument(type, documentId), de, { [field]: german[field] }),
        ),
      ).toEqual([]);
      expect((await versions(type, documentId, de))[0]).toMatchObject({ status: 'draft', source: 'admin' });
      // A clone starts its own history.
      const clone = await adminCall('post', `${cm(type)}/clone/${documentId}`, fr, await newData(type));
      const cloneId = String((clone.data as Data).documentId);
      expect(cloneId).not.toBe(documentId);
      expect(await versions(type, cloneId)).toHaveLength(1);
      // A delete keeps the values it removed, as a last version with the status `deleted`.
      await adminCall('delete', cmDocument(type, cloneId), fr);
      const gone = await versions(type, cloneId);
      expect(gone.map((entry) => entry.status)).toEqual(['deleted', 'draft']);
      expect((await version(type, cloneId, gone[0].id)).data[field]).toBe(
        (await version(type, cloneId, gone[1].id)).data[field],
      );
    }
  });

  it('a relation changed from the other side is a version of the documents at both ends', async () => {
    const project = schema.byUid.get('api::project.project')!;
    const site = schema.byUid.get('api::site.site')!;
    const [first, second] = seeded.get(site.uid)!;
    const created = await adminCall('post', cm(project), fr, await newData(project, { site: first }));
    const documentId = String((created.data as Data).documentId);
    const sitesBefore = await Promise.all([versions(site, first), versions(site, second)]);
    await adminCall('put', cmDocument(project, documentId), fr, { site: second });
    const [left, joined] = await Promise.all([versions(site, first), versions(site, second)]);
    expect(left.length - sitesBefore[0].length).toBe(1);
    expect(joined.length - sitesBefore[1].length).toBe(1);
    expect(left[0].changedFields).toEqual(['projects']);
    expect(joined[0].changedFields).toEqual(['projects']);
    expect((await version(site, second, joined[0].id)).data.projects).toContain(documentId);
    expect((await version(site, first, left[0].id)).data.projects).not.toContain(documentId);
  });
});

/** Every versioned value of `type` changed: scalars, components, relations, media. */
function changedEverything(type: ContentTypeInfo, current: Data, files: number[], step: number): Data {
  const data: Data = {};
  for (const [name, attribute] of Object.entries(type.attributes)) {
    if (attribute.type === 'relation') {
      const relation = type.relations.find((candidate) => candidate.name === name);
      if (!relation || relation.side !== 'owning') continue;
      const targets = seeded.get(relation.target) ?? [];
      const pick = targets[step % targets.length];
      if (pick) data[name] = relation.many ? targets.slice(step, step + 2) : pick;
    } else if (attribute.type === 'media') {
      data[name] = attribute.multiple ? [files[step % files.length]] : files[step % files.length];
    } else if (attribute.type === 'component' && attribute.component) {
      const inner = schema.components[attribute.component].attributes as Record<
        string,
        Parameters<typeof changedValue>[0]
      >;
      const one = (item: Data | undefined) =>
        Object.fromEntries(
          Object.entries(inner).map(([key, spec]) => [
            key,
            changedValue(spec, item?.[key], `c${step}`) ?? plainValue(spec, `component ${step}`),
          ]),
        );
      const value = current[name] as Data | Data[] | null | undefined;
      data[name] = attribute.repeatable
        ? [one(undefined), one(undefined)].slice(0, 1 + (step % 2))
        : one(value as Data);
    } else if (
      !['uid', 'password'].includes(attribute.type) &&
      !['createdBy', 'updatedBy', 'localizations'].includes(name)
    ) {
      const value = changedValue(attribute, current[name], `v${step}`);
      if (value !== undefined) data[name] = value;
    }
  }
  // The document's rules hold: a project closes after it was founded.
  if ('closedYear' in type.attributes)
    data.closedYear = Number(data.foundedYear ?? current.foundedYear ?? 1979) + 1 + step;
  return data;
}

describe('restore', () => {
  it('round-trips every field, component, relation and media of every type, as a new draft that is not published', async () => {
    const files: number[] = [];
    for (const name of ['history-a.png', 'history-b.png']) {
      const uploaded = await app
        .http()
        .post('/upload')
        .set(admin.headers)
        .attach('files', PNG, { filename: name, contentType: 'image/png' });
      expect(uploaded.status).toBe(201);
      files.push(uploaded.body[0].id);
    }
    for (const type of types()) {
      const documentId =
        type.kind === 'singleType'
          ? String(
              (
                (await app.strapi
                  .documents(type.uid as never)
                  .findFirst({ locale: fr } as never)) as unknown as Data
              ).documentId,
            )
          : String(((await adminCall('post', cm(type), fr, await newData(type))).data as Data).documentId);
      const path = cmDocument(type, documentId);
      const current = (await app.http().get(path).query({ locale: fr }).set(admin.headers).expect(200)).body
        .data as Data;
      await adminCall('put', path, fr, changedEverything(type, current, files, 0));
      const [kept] = await versions(type, documentId);
      const keptValues = (await version(type, documentId, kept.id)).data;
      const publishedBefore = type.draftAndPublish
        ? await app.strapi
            .documents(type.uid as never)
            .findOne({ documentId, locale: fr, status: 'published' } as never)
        : null;
      const afterKept = (await app.http().get(path).query({ locale: fr }).set(admin.headers).expect(200)).body
        .data as Data;
      await adminCall('put', path, fr, changedEverything(type, afterKept, files, 1));
      const [changed] = await versions(type, documentId);
      const changedValues = (await version(type, documentId, changed.id)).data;
      // Every field the type has changed between the two versions (the test changes them all).
      const fields = Object.keys(keptValues).filter((field) => type.attributes[field].type !== 'uid');
      expect({
        type: type.uid,
        differ: fields.filter(
          (field) => JSON.stringify(keptValues[field]) === JSON.stringify(changedValues[field]),
        ),
      }).toEqual({
        type: type.uid,
        differ: fields.filter((field) =>
          type.relations.some((relation) => relation.name === field && relation.side !== 'owning'),
        ),
      });

      const restored = await restore(type, documentId, kept.id, fr);
      expect({ status: restored.status, error: restored.body.error }).toEqual({
        status: 200,
        error: undefined,
      });
      expect(restored.body.meta).toEqual({ skipped: [], notRestored: [] });
      const [newest] = await versions(type, documentId);
      expect(newest.id).toBeGreaterThan(changed.id);
      expect((await version(type, documentId, newest.id)).meta.action).toBe('restore');
      expect({ type: type.uid, values: (await version(type, documentId, newest.id)).data }).toEqual({
        type: type.uid,
        values: keptValues,
      });
      if (type.draftAndPublish) {
        // Never published: what the public reads is what it read before the restore.
        const publishedAfter = await app.strapi
          .documents(type.uid as never)
          .findOne({ documentId, locale: fr, status: 'published' } as never);
        expect(publishedAfter).toEqual(publishedBefore);
        expect(newest.status).toBe(publishedBefore ? 'modified' : 'draft');
      }
    }
  });

  it('skips and names a link to a document deleted since', async () => {
    const service = schema.byUid.get('api::service.service')!;
    const enterprise = schema.byUid.get('api::enterprise.enterprise')!;
    const linked = String(
      ((await adminCall('post', cm(enterprise), fr, await newData(enterprise))).data as Data).documentId,
    );
    const linkedName = String(
      (
        (await app.strapi
          .documents(enterprise.uid as never)
          .findOne({ documentId: linked, locale: fr } as never)) as unknown as Data
      ).name,
    );
    const created = await adminCall(
      'post',
      cm(service),
      fr,
      await newData(service, { enterprises: [linked] }),
    );
    const documentId = String((created.data as Data).documentId);
    const [kept] = await versions(service, documentId);
    await adminCall('delete', cmDocument(enterprise, linked), fr);
    const restored = await restore(service, documentId, kept.id, fr);
    expect(restored.status).toBe(200);
    expect(restored.body.meta.skipped).toEqual([
      { field: 'enterprises', documentId: linked, label: linkedName },
    ]);
  });
});

describe('rights', () => {
  let translator: AdminSession;
  let coordinator: AdminSession;
  let otherCoordinator: AdminSession;
  const project = () => schema.byUid.get('api::project.project')!;

  beforeAll(async () => {
    translator = await createAdminUser(app, admin, 'translator', 'history-translator');
    coordinator = await createAdminUser(app, admin, 'project-coordinator', 'history-coordinator');
    otherCoordinator = await createAdminUser(app, admin, 'project-coordinator', 'history-other');
  });

  it('a Translator reads the French history but restores German, never French', async () => {
    const type = project();
    const documentId = String(
      ((await adminCall('post', cm(type), fr, await newData(type))).data as Data).documentId,
    );
    const field = textField(type);
    await adminCall('put', cmDocument(type, documentId), de, { [field]: 'Erste Fassung' }, translator);
    await adminCall('put', cmDocument(type, documentId), de, { [field]: 'Zweite Fassung' }, translator);
    const german = await versions(type, documentId, de, translator);
    expect(german[0].author).toMatchObject({ firstname: 'history-translator' });
    const french = await versions(type, documentId, fr, translator);
    expect((await restore(type, documentId, french[0].id, fr, translator)).status).toBe(403);
    const restored = await restore(type, documentId, german[1].id, de, translator);
    expect(restored.status).toBe(200);
    expect(restored.body.data[field]).toBe('Erste Fassung');
  });

  it('a Project coordinator restores its own entries only; API tokens and users never reach the history', async () => {
    const type = project();
    const field = textField(type);
    const own = await adminCall('post', cm(type), fr, await newData(type), coordinator);
    const documentId = String((own.data as Data).documentId);
    await adminCall('put', cmDocument(type, documentId), fr, { [field]: 'Deuxième version' }, coordinator);
    const list = await versions(type, documentId, fr, coordinator);
    expect((await restore(type, documentId, list[1].id, fr, coordinator)).status).toBe(200);
    expect((await restore(type, documentId, list[1].id, fr, otherCoordinator)).status).toBe(403);
    for (const headers of [callers.headers.token, callers.headers.editor, callers.headers.anonymous]) {
      const response = await app.http().get(historyPath(type, documentId)).set(headers);
      expect(response.status).toBe(401);
    }
  });

  it('a version of another document or locale is a 404; a bad type, locale or page a 400', async () => {
    const type = project();
    const [a, b] = seeded.get(type.uid)!;
    const [versionOfA] = await versions(type, a);
    for (const [documentId, locale] of [
      [b, fr],
      [a, de],
    ]) {
      const shown = await app
        .http()
        .get(`${historyPath(type, documentId)}/${versionOfA.id}`)
        .query({ locale })
        .set(admin.headers);
      expect(shown.status).toBe(404);
      expect((await restore(type, documentId, versionOfA.id, locale)).status).toBe(404);
    }
    const bad = [
      `/admin/history/admin::user/${a}?locale=fr`,
      `/admin/history/${type.uid}/${a}?locale=xx`,
      `/admin/history/${type.uid}/${a}?locale=fr&pageSize=1000`,
      `/admin/history/${type.uid}/${a}?locale=fr&page=0`,
    ];
    for (const path of bad) {
      const response = await app.http().get(path).set(admin.headers);
      expect({ path, status: response.status, name: response.body.error?.name }).toEqual({
        path,
        status: 400,
        name: 'ValidationError',
      });
    }
    expect(
      (
        await app
          .http()
          .get(`${historyPath(type, a)}/notanumber`)
          .set(admin.headers)
      ).status,
    ).toBe(404);
  });
});

describe('costs and retention', () => {
  it('a public read sends no statement about the history', async () => {
    const statements = await statementsDuring(app, () =>
      app.http().get('/api/projects?populate=*').expect(200),
    );
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((sql) => sql.includes('history_versions'))).toEqual([]);
  });

  it('prunes versions past the retention, always keeping the newest 20 of each document and locale', async () => {
    const knex = app.strapi.db.connection;
    const old = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    const row = (documentId: string, index: number) => ({
      uid: 'api::site.site',
      document_id: documentId,
      locale: fr,
      status: 'published',
      action: 'update',
      source: 'script',
      changed_fields: JSON.stringify([]),
      data: JSON.stringify({ index }),
      labels: JSON.stringify({}),
      created_at: old,
    });
    await knex('history_versions').insert(
      Array.from({ length: 25 }, (_, index) => row('retention-old', index)),
    );
    await knex('history_versions').insert(
      Array.from({ length: 3 }, (_, index) => row('retention-few', index)),
    );
    const deleted = await pruneHistory(app.strapi, 365);
    expect(deleted).toBe(5);
    const left = await knex('history_versions')
      .select('data')
      .where('document_id', 'retention-old')
      .orderBy('id');
    const indexOf = (data: unknown) => (typeof data === 'string' ? JSON.parse(data) : data).index as number;
    expect(left.map((entry: { data: unknown }) => indexOf(entry.data))).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 5),
    );
    expect(await knex('history_versions').where('document_id', 'retention-few').count({ n: '*' })).toEqual([
      { n: '3' },
    ]);
  });
});
