/**
 * Deleting a published entry (issue 23, section 7): the staff guide says a published entry is
 * unpublished before it is deleted. An entry with drafts that has a published version in any
 * locale is not deleted, whoever asks and whatever the path (the Content Manager's delete, delete
 * of one locale, of every locale, bulk delete; the content API's REST and GraphQL delete): the
 * answer tells to unpublish first and nothing is written. Once no locale is published, the roles
 * that may delete do. Generated over the types with drafts and every admin role.
 */
import { ADMIN_ROLES } from '../src/permissions/table';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { documentData, documents, seededDocumentIds } from './support/fixtures';
import { plainValue, walkSchemas, type ContentTypeInfo, type Schema } from './support/schema-walk';
import { startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser } from './support/users';

jest.setTimeout(600_000);

let app: TestApp;
let schema: Schema;
let seeded: Map<string, string[]>;
const sessions: Record<string, AdminSession> = {};
let editor: Record<string, string>;
let fr: string;
let de: string;

/** Every admin role: the table's, Strapi's own Editor and Author, and the super admin. */
const ROLES = [...ADMIN_ROLES.map((role) => role.code), 'strapi-editor', 'strapi-author', 'super admin'];

beforeAll(async () => {
  app = await startStrapi();
  schema = await walkSchemas(app.strapi);
  seeded = await seededDocumentIds(app, schema);
  fr = schema.defaultLocale;
  de = schema.locales[1];
  const superAdmin = await registerFirstAdmin(app);
  sessions['super admin'] = superAdmin;
  for (const code of ROLES.filter((role) => role !== 'super admin'))
    sessions[code] = await createAdminUser(app, superAdmin, code, `del-${code}`);
  editor = bearer(await createApiUser(app, 'editor'));
});

afterAll(async () => {
  await app?.stop();
});

const withDrafts = () =>
  schema.types.filter(
    (type) => type.draftAndPublish && (type.kind === 'singleType' || seeded.get(type.uid)?.length),
  );
const single = (type: ContentTypeInfo) => type.kind === 'singleType';
const cmBase = (type: ContentTypeInfo) =>
  `/content-manager/${single(type) ? 'single-types' : 'collection-types'}/${type.uid}`;
const cmOne = (type: ContentTypeInfo, documentId: string) =>
  single(type) ? cmBase(type) : `${cmBase(type)}/${documentId}`;

let made = 0;
/**
 * A document published in the default locale, with an unpublished translation (a German draft that
 * was never published): the single type is made again from nothing.
 */
async function publishedEntry(type: ContentTypeInfo, publish = true): Promise<string> {
  made += 1;
  const docs = documents(app, type.uid);
  const data = (locale: string) =>
    documentData(app, schema, type, seeded, {
      text: (attribute, label) => plainValue(attribute, label),
      label: `del ${type.singularName} ${made} ${locale}`,
      localizedOnly: locale !== fr,
      relations: locale === fr,
    });
  // The data first: its template is read from a seeded entry, which the single type's reset deletes.
  const [frData, deData] = [await data(fr), await data(de)];
  if (single(type)) {
    const rows = (await app.strapi.db.query(type.uid as never).findMany({ select: ['documentId'] })) as {
      documentId: string;
    }[];
    for (const documentId of new Set(rows.map((row) => row.documentId)))
      await docs.delete({ documentId, locale: '*' });
  }
  const created = await docs.create({ locale: fr, data: frData });
  if (publish) await docs.publish({ documentId: created.documentId, locale: fr });
  await docs.update({ documentId: created.documentId, locale: de, data: deData });
  return created.documentId;
}

/** Every row of a document (each locale and state), to see that a refused delete wrote nothing. */
async function rows(type: ContentTypeInfo, documentId: string): Promise<string> {
  const found = (await app.strapi.db
    .query(type.uid as never)
    .findMany({ where: { documentId }, orderBy: { id: 'asc' } } as never)) as Record<string, unknown>[];
  return JSON.stringify(
    found.map(({ id, locale, publishedAt, updatedAt }) => [id, locale, publishedAt, updatedAt]),
  );
}

interface Path {
  name: string;
  /** The locales a successful delete removes: the default one, the other one, or all. */
  removes: 'default' | 'other' | 'all';
  send: (
    type: ContentTypeInfo,
    documentId: string,
    who: string,
  ) => Promise<{ status: number; message: string }>;
}

const PATHS: Path[] = [
  ...(
    [
      [undefined, 'default'],
      ['default', 'default'],
      ['other', 'other'],
      ['*', 'all'],
    ] as const
  ).map(([locale, removes]) => ({
    name: `Content Manager DELETE${locale ? ` ?locale=<${locale}>` : ''}`,
    removes,
    send: async (type: ContentTypeInfo, documentId: string, who: string) => {
      const request = app.http().delete(cmOne(type, documentId)).set(sessions[who].headers);
      const value = { default: fr, other: de, '*': '*' };
      const answer = await (locale ? request.query({ locale: value[locale] }) : request);
      return { status: answer.status, message: answer.body?.error?.message ?? '' };
    },
  })),
  {
    name: 'Content Manager bulk delete (with a draft that was never published)',
    removes: 'default',
    send: async (type, documentId, who) => {
      if (single(type)) return { status: -1, message: 'no bulk delete of a single type' };
      const draft = await documents(app, type.uid).create({
        locale: fr,
        data: await documentData(app, schema, type, seeded, {
          text: (attribute, label) => plainValue(attribute, label),
          label: `del draft ${type.singularName} ${(made += 1)}`,
        }),
      });
      const answer = await app
        .http()
        .post(`${cmBase(type)}/actions/bulkDelete`)
        .set(sessions[who].headers)
        .send({ documentIds: [draft.documentId, documentId] });
      const left = await app.strapi.db
        .query(type.uid as never)
        .count({ where: { documentId: draft.documentId } });
      if (answer.status < 300 && left > 0)
        return { status: 500, message: 'answered success, the draft is left' };
      if (answer.status >= 300 && left === 0)
        return { status: 500, message: 'refused, yet the draft was deleted' };
      return { status: answer.status, message: answer.body?.error?.message ?? '' };
    },
  },
];

/** The content API's deletes, with the editor's token (it may delete drafts of some types). */
const API_PATHS: Path[] = [
  {
    name: 'REST DELETE (editor)',
    removes: 'all',
    send: async (type, documentId) => {
      const answer = await app
        .http()
        .delete(single(type) ? type.restBase : `${type.restBase}/${documentId}`)
        .set(editor);
      return { status: answer.status, message: answer.body?.error?.message ?? '' };
    },
  },
  {
    name: 'GraphQL delete (editor)',
    removes: 'all',
    send: async (type, documentId) => {
      const query = single(type)
        ? `mutation { r: ${type.graphql.deleteMutation} { documentId } }`
        : `mutation ($id: ID!) { r: ${type.graphql.deleteMutation}(documentId: $id) { documentId } }`;
      const answer = await app
        .http()
        .post('/graphql')
        .set(editor)
        .send({ query, variables: { id: documentId } });
      const error = answer.body.errors?.[0];
      return {
        status: error ? (error.extensions?.code === 'FORBIDDEN' ? 403 : 400) : 200,
        message: error?.message ?? '',
      };
    },
  },
];

/** Whether `who` may delete documents of `type` at all (RBAC), asked of a draft that was never published. */
async function mayDelete(type: ContentTypeInfo, who: string): Promise<boolean> {
  const documentId = await publishedEntry(type, false);
  const answer = await app
    .http()
    .delete(cmOne(type, documentId))
    .query({ locale: fr })
    .set(sessions[who].headers);
  if (![200, 403].includes(answer.status))
    throw new Error(`probe delete answered ${answer.status} ${answer.text}`);
  return answer.status === 200;
}

/** A published entry: every path refused (400, or RBAC's 403 for roles that may not delete), nothing written. */
async function refusedWhilePublished(
  who: string,
  type: ContentTypeInfo,
  deletes: boolean,
): Promise<string[]> {
  const problems: string[] = [];
  const documentId = await publishedEntry(type);
  for (const path of PATHS) {
    const before = await rows(type, documentId);
    const { status, message } = await path.send(type, documentId, who);
    if (status === -1) continue;
    const name = `${who} × ${type.singularName} (published): ${path.name}`;
    if (deletes && (status !== 400 || !/published \(fr\): unpublish it first/.test(message)))
      problems.push(`${name}: expected 400 telling to unpublish first, got ${status} ${message}`);
    if (!deletes && status !== 403) problems.push(`${name}: expected 403, got ${status} ${message}`);
    if ((await rows(type, documentId)) !== before) problems.push(`${name}: refused, yet the entry changed`);
  }
  return problems;
}

/** The same entry unpublished (in its one published locale): each path deletes what it names. */
async function deletedOnceUnpublished(
  who: string,
  type: ContentTypeInfo,
  deletes: boolean,
): Promise<string[]> {
  const problems: string[] = [];
  for (const path of PATHS) {
    const documentId = await publishedEntry(type);
    await app
      .http()
      .post(`${cmOne(type, documentId)}/actions/unpublish`)
      .query({ locale: fr })
      .set(sessions['super admin'].headers)
      .send({})
      .expect(200);
    const { status, message } = await path.send(type, documentId, who);
    if (status === -1) continue;
    const name = `${who} × ${type.singularName} (unpublished): ${path.name}`;
    if (!deletes) {
      if (status !== 403) problems.push(`${name}: expected 403, got ${status} ${message}`);
      continue;
    }
    if (status !== 200) {
      problems.push(`${name}: expected 200, got ${status} ${message}`);
      continue;
    }
    const left = (
      (await app.strapi.db
        .query(type.uid as never)
        .findMany({ where: { documentId }, select: ['locale'] } as never)) as { locale: string }[]
    ).map((row) => row.locale);
    const removed = { default: [fr], other: [de], all: [fr, de] }[path.removes];
    if (left.some((locale) => removed.includes(locale)))
      problems.push(`${name}: answered 200, but ${left.join(', ')} rows are left`);
  }
  return problems;
}

describe('an entry with a published version is unpublished before it is deleted', () => {
  it('every admin role × every type with drafts × every Content Manager delete path', async () => {
    // Generated: the types with drafts (the single type included) and every admin role.
    expect(
      withDrafts()
        .map((type) => type.singularName)
        .sort(),
    ).toEqual(
      schema.types
        .filter((type) => type.draftAndPublish)
        .map((type) => type.singularName)
        .sort(),
    );
    expect(withDrafts().some(single)).toBe(true);
    const problems: string[] = [];
    const deleters: string[] = [];
    for (const who of ROLES) {
      for (const type of withDrafts()) {
        const deletes = await mayDelete(type, who);
        if (deletes) deleters.push(`${who} × ${type.singularName}`);
        problems.push(...(await refusedWhilePublished(who, type, deletes)));
        problems.push(...(await deletedOnceUnpublished(who, type, deletes)));
      }
    }
    expect(deleters.length).toBeGreaterThan(0);
    // A type without drafts is deleted at once: there is nothing to unpublish.
    const live = schema.types.find((type) => !type.draftAndPublish && seeded.get(type.uid)?.length)!;
    const documentId = (
      await documents(app, live.uid).create({
        locale: fr,
        data: await documentData(app, schema, live, seeded, {
          text: (attribute, label) => plainValue(attribute, label),
          label: `del live ${(made += 1)}`,
          relations: false,
        }),
      })
    ).documentId;
    await app
      .http()
      .delete(cmOne(live, documentId))
      .query({ locale: fr })
      .set(sessions.communication.headers)
      .expect(200);
    expect(await app.strapi.db.query(live.uid as never).count({ where: { documentId } })).toBe(0);
    expect(problems).toEqual([]);
  });

  it('the content API (editor token): REST and GraphQL answer 403 telling to unpublish first and write nothing; a draft that was never published is deleted', async () => {
    const problems: string[] = [];
    for (const type of withDrafts()) {
      const documentId = await publishedEntry(type);
      for (const path of API_PATHS) {
        const before = await rows(type, documentId);
        const { status, message } = await path.send(type, documentId, 'editor');
        const name = `editor × ${type.singularName}: ${path.name}`;
        if (status !== 403) problems.push(`${name}: expected 403, got ${status} ${message}`);
        // The single type is no editor's to delete: RBAC answers first.
        else if (!single(type) && !/published \(fr\): unpublish it first/.test(message))
          problems.push(`${name}: the message does not tell to unpublish first: ${message}`);
        if ((await rows(type, documentId)) !== before)
          problems.push(`${name}: refused, yet the entry changed`);
        if (single(type)) continue;
        const draft = await documents(app, type.uid).create({
          locale: fr,
          data: await documentData(app, schema, type, seeded, {
            text: (attribute, label) => plainValue(attribute, label),
            label: `del api draft ${type.singularName} ${(made += 1)}`,
          }),
        });
        const deleted = await path.send(type, draft.documentId, 'editor');
        const left = await app.strapi.db
          .query(type.uid as never)
          .count({ where: { documentId: draft.documentId } });
        if (deleted.status >= 300 || left > 0)
          problems.push(`${name}, a draft never published: got ${deleted.status}, ${left} rows left`);
      }
    }
    expect(problems).toEqual([]);
  });
});
