/**
 * Relations changed from the other side (issue 23, section 7). Both sides of a relation live in one
 * join table: saving a site with a published project moves that project at once, and creating a
 * service linked to an enterprise changes that enterprise's draft. Generated from the schemas:
 * every relation of every public type, from each of its two sides, by connect, disconnect and set.
 * - The change feed names every document whose public answer changed, the other side's and a
 *   former partner's included: at once when the link joins public rows (a type without drafts),
 *   only at publish when the write is a draft (src/changes, src/changes/links.ts).
 * - A role that may not edit a document may not change its links from the other side either: the
 *   Content Manager, REST and GraphQL answer 403 and write nothing (src/security/relation-writes.ts).
 */
import { CHANGE_TYPES } from '../src/changes';
import { REQUIRED_RELATIONS } from '../src/validation/document-rules';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { documentData, documents, seededDocumentIds } from './support/fixtures';
import {
  plainValue,
  walkSchemas,
  type ContentTypeInfo,
  type RelationInfo,
  type Schema,
} from './support/schema-walk';
import { startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser } from './support/users';

jest.setTimeout(600_000);

let app: TestApp;
let schema: Schema;
let seeded: Map<string, string[]>;
let superAdmin: AdminSession;
const FR = 'fr';

type Data = Record<string, unknown>;
interface Event {
  type: string;
  documentId: string;
  locale: string;
  action: string;
}

beforeAll(async () => {
  app = await startStrapi();
  schema = await walkSchemas(app.strapi);
  seeded = await seededDocumentIds(app, schema);
  superAdmin = await registerFirstAdmin(app);
});

afterAll(async () => {
  await app?.stop();
});

const typeOf = (uid: string) => schema.byUid.get(uid) as ContentTypeInfo;
const publicTypes = () =>
  schema.types.filter((type) => (CHANGE_TYPES as readonly string[]).includes(type.singularName));
/** Every relation between public types, from each side. */
const relations = () =>
  publicTypes().flatMap((type) =>
    type.relations
      .filter(
        (relation) =>
          relation.side !== 'system' && relation.inverse && publicTypes().includes(typeOf(relation.target)),
      )
      .map((relation) => ({ type, relation, target: typeOf(relation.target) })),
  );
const single = (type: ContentTypeInfo) => type.kind === 'singleType';

// ---------------------------------------------------------------------------------------------
// Documents

let made = 0;
/**
 * A new document of `type`, published (a type without drafts is at once), linked to nothing but
 * what it requires (a project's site: a new site of its own); made by `creator` in the Content
 * Manager, its own draft. The single type: the one document.
 */
async function fresh(type: ContentTypeInfo, creator?: AdminSession): Promise<string> {
  if (single(type)) return seeded.get(type.uid)![0];
  made += 1;
  const overrides: Data = {};
  for (const field of REQUIRED_RELATIONS[type.uid] ?? []) {
    const relation = type.relations.find((candidate) => candidate.name === field)!;
    overrides[field] = await fresh(typeOf(relation.target));
  }
  const data = await documentData(app, schema, type, seeded, {
    text: (attribute, label) => plainValue(attribute, label),
    label: `rel ${type.singularName} ${made}`,
    relations: false,
    overrides,
  });
  if (creator) {
    const body: Data = { ...data };
    for (const [field, documentId] of Object.entries(overrides))
      body[field] = { connect: [{ documentId, locale: FR }] };
    const created = await app.http().post(cmBase(type)).query({ locale: FR }).set(creator.headers).send(body);
    if (created.status !== 201) throw new Error(`setup: create answered ${created.status} ${created.text}`);
    return created.body.data.documentId as string;
  }
  const created = await documents(app, type.uid).create({ locale: FR, data });
  if (type.draftAndPublish)
    await documents(app, type.uid).publish({ documentId: created.documentId, locale: FR });
  return created.documentId;
}

/** Links `documentId` (of `type`) to `targets` through `relation`, published, behind the API. */
async function link(type: ContentTypeInfo, documentId: string, relation: RelationInfo, targets: string[]) {
  const docs = documents(app, type.uid);
  const value = relation.many ? { connect: targets } : targets[0];
  await docs.update({ documentId, locale: FR, data: { [relation.name]: value } });
  if (type.draftAndPublish) await docs.publish({ documentId, locale: FR });
}

const cmBase = (type: ContentTypeInfo) =>
  `/content-manager/${single(type) ? 'single-types' : 'collection-types'}/${type.uid}`;
const cmOne = (type: ContentTypeInfo, documentId: string) =>
  single(type) ? cmBase(type) : `${cmBase(type)}/${documentId}`;
const ref = (documentId: string) => ({ documentId, locale: FR });

// ---------------------------------------------------------------------------------------------
// What the public reads, and the feed

/** The documentIds `documentId` is linked to through `attribute`, as the public reads them (fr). */
async function publicLinks(type: ContentTypeInfo, documentId: string, attribute: string): Promise<string[]> {
  const url = single(type) ? type.restBase : `${type.restBase}/${documentId}`;
  const response = await app.http().get(url).query({ locale: FR, populate: attribute });
  if (response.status === 404) return [];
  expect(response.status).toBe(200);
  const value = response.body.data[attribute] as Data | Data[] | null;
  const list = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((entry) => entry.documentId as string).sort();
}

async function feedEnd(): Promise<string> {
  let cursor: string | undefined;
  for (;;) {
    const response = await app
      .http()
      .get('/api/changes')
      .query({ pageSize: 500, ...(cursor ? { since: cursor } : {}) })
      .expect(200);
    cursor = response.body.meta.next;
    if (!response.body.meta.hasMore) return cursor as string;
  }
}

async function eventsSince(cursor: string): Promise<Event[]> {
  const response = await app.http().get('/api/changes').query({ since: cursor, pageSize: 500 }).expect(200);
  return (response.body.data as Event[]).map(({ type, documentId, locale, action }) => ({
    type,
    documentId,
    locale,
    action,
  }));
}

const eventKey = (event: { type: string; documentId: string; locale?: string; action?: string }) =>
  `${event.type} ${event.documentId} ${event.locale ?? FR} ${event.action ?? 'published'}`;

/** A document and the relation through which its public answer is watched. */
interface Watched {
  type: ContentTypeInfo;
  documentId: string;
  attribute: string;
}

async function publicState(watched: Watched[]): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  for (const { type, documentId, attribute } of watched) {
    const key = eventKey({ type: type.singularName, documentId });
    state.set(
      key,
      `${state.get(key) ?? ''}${attribute}=${(await publicLinks(type, documentId, attribute)).join(',')};`,
    );
  }
  return state;
}

// ---------------------------------------------------------------------------------------------
// A. Every relation, from each side: what the public reads changes, and the feed says so

type Operation = 'connect' | 'disconnect' | 'set';
const OPERATIONS: Operation[] = ['connect', 'disconnect', 'set'];

/** Whether `operation` on `relation` would leave a document without a relation it requires. */
function strandsRequired(relation: RelationInfo, target: ContentTypeInfo, operation: Operation): boolean {
  const required = (uid: string, field: string) => (REQUIRED_RELATIONS[uid] ?? []).includes(field);
  if (required(relation.owner, relation.name)) return operation === 'disconnect';
  return operation !== 'connect' && required(target.uid, relation.inverse as string);
}

describe('A. a relation changed from either side: the feed names both sides', () => {
  const cases = () =>
    relations().flatMap(({ type, relation, target }) =>
      OPERATIONS.map((operation) => ({ type, relation, target, operation })),
    );

  it('Content Manager (super admin): connect, disconnect and set of every relation, from each side', async () => {
    // Generated: every relation between public types, from both of its sides, with and without drafts.
    const names = relations().map(({ type, relation }) => `${type.singularName}.${relation.name}`);
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const { relation, target } of relations())
      expect(names).toContain(`${target.singularName}.${relation.inverse}`);
    expect(new Set(relations().map(({ type }) => type.draftAndPublish))).toEqual(new Set([true, false]));
    const problems: string[] = [];
    for (const { type, relation, target, operation } of cases()) {
      const name = `${type.singularName}.${relation.name} ${operation}`;
      const documentId = await fresh(type);
      const [first, second] = [await fresh(target), await fresh(target)];
      // Disconnect and set start from a link to `first`; connect and set link `second`.
      if (operation !== 'connect') await link(type, documentId, relation, [first]);
      const body = {
        connect: { connect: [ref(second)] },
        disconnect: { disconnect: [ref(first)] },
        // The single type is its own second target: set it to none.
        set: { set: first === second ? [] : [ref(second)] },
      }[operation];
      // Every document whose public answer may change: this one, its targets old and new, and
      // the documents those targets leave (a project has one site).
      const watched: Watched[] = [{ type, documentId, attribute: relation.name }];
      const current = await publicLinks(type, documentId, relation.name);
      for (const other of new Set([...current, first, second])) {
        watched.push({ type: target, documentId: other, attribute: relation.inverse! });
        for (const former of await publicLinks(target, other, relation.inverse!))
          if (former !== documentId) watched.push({ type, documentId: former, attribute: relation.name });
      }
      const before = await publicState(watched);
      const cursor = await feedEnd();
      const answer = await app
        .http()
        .put(cmOne(type, documentId))
        .query({ locale: FR })
        .set(superAdmin.headers)
        .send({ [relation.name]: body });
      if (strandsRequired(relation, target, operation)) {
        if (answer.status !== 400) problems.push(`${name}: expected 400, got ${answer.status}`);
        else if ((await eventsSince(cursor)).length > 0) problems.push(`${name}: refused, yet events`);
        continue;
      }
      if (answer.status !== 200) {
        problems.push(`${name}: expected 200, got ${answer.status} ${answer.text.slice(0, 200)}`);
        continue;
      }
      if (type.draftAndPublish) {
        // A draft: nothing public changed, nothing is recorded, until it is published.
        const draft = await eventsSince(cursor);
        if (draft.length > 0)
          problems.push(`${name}: a draft save recorded ${draft.map(eventKey).join('; ')}`);
        if (JSON.stringify([...(await publicState(watched))]) !== JSON.stringify([...before]))
          problems.push(`${name}: a draft save changed a public answer`);
        await app
          .http()
          .post(`${cmOne(type, documentId)}/actions/publish`)
          .query({ locale: FR })
          .set(superAdmin.headers)
          .send({})
          .expect(200);
      }
      const after = await publicState(watched);
      const changed = [...after.keys()].filter((key) => after.get(key) !== before.get(key)).sort();
      const recorded = [...new Set((await eventsSince(cursor)).map(eventKey))].sort();
      const otherSide = changed.filter((key) => !key.startsWith(`${type.singularName} ${documentId} `));
      if (otherSide.length === 0)
        problems.push(`${name}: no public answer of the other side changed (bad case)`);
      if (JSON.stringify(recorded) !== JSON.stringify(changed))
        problems.push(
          `${name}: public answers changed for [${changed.join('; ')}], the feed says [${recorded.join('; ')}]`,
        );
    }
    expect(problems).toEqual([]);
  });

  it('a draft linked to a document with drafts that is not published yet: both appear when both are', async () => {
    // A site (no drafts) saved with a project that was never published: only the site's own
    // version changes; the project's publish then changes the site's public answer too.
    const siteType = typeOf('api::site.site');
    const projectType = typeOf('api::project.project');
    const site = await fresh(siteType);
    const data = await documentData(app, schema, projectType, seeded, {
      text: (attribute, label) => plainValue(attribute, label),
      label: 'rel unpublished project',
      relations: false,
      overrides: { site: await fresh(siteType) },
    });
    const project = (await documents(app, projectType.uid).create({ locale: FR, data })).documentId;
    let cursor = await feedEnd();
    await app
      .http()
      .put(cmOne(siteType, site))
      .query({ locale: FR })
      .set(superAdmin.headers)
      .send({ projects: { connect: [ref(project)] } })
      .expect(200);
    expect((await eventsSince(cursor)).map(eventKey)).toEqual([eventKey({ type: 'site', documentId: site })]);
    expect(await publicLinks(siteType, site, 'projects')).toEqual([]);
    cursor = await feedEnd();
    await app
      .http()
      .post(`${cmOne(projectType, project)}/actions/publish`)
      .query({ locale: FR })
      .set(superAdmin.headers)
      .send({})
      .expect(200);
    expect(await publicLinks(siteType, site, 'projects')).toEqual([project]);
    expect((await eventsSince(cursor)).map(eventKey).sort()).toEqual(
      [
        eventKey({ type: 'project', documentId: project }),
        eventKey({ type: 'site', documentId: site }),
      ].sort(),
    );
  });

  it('unpublishing a document and deleting one without drafts: the other side is told', async () => {
    const projectType = typeOf('api::project.project');
    const funderType = typeOf('api::funder.funder');
    const project = await fresh(projectType);
    const funder = await fresh(funderType);
    const site = (await publicLinks(projectType, project, 'site'))[0];
    await link(
      projectType,
      project,
      projectType.relations.find((r) => r.name === 'funders')!,
      [funder],
    );
    let cursor = await feedEnd();
    await app
      .http()
      .post(`${cmOne(projectType, project)}/actions/unpublish`)
      .query({ locale: FR })
      .set(superAdmin.headers)
      .send({})
      .expect(200);
    expect((await eventsSince(cursor)).map(eventKey).sort()).toEqual(
      [
        eventKey({ type: 'project', documentId: project, action: 'unpublished' }),
        eventKey({ type: 'funder', documentId: funder }),
        eventKey({ type: 'site', documentId: site }),
      ].sort(),
    );
    // Published again, then its funder deleted: the project's funders change.
    await documents(app, projectType.uid).publish({ documentId: project, locale: FR });
    cursor = await feedEnd();
    await app
      .http()
      .delete(cmOne(funderType, funder))
      .query({ locale: FR })
      .set(superAdmin.headers)
      .expect(200);
    expect((await eventsSince(cursor)).map(eventKey).sort()).toEqual(
      [
        eventKey({ type: 'funder', documentId: funder, action: 'deleted' }),
        eventKey({ type: 'project', documentId: project }),
      ].sort(),
    );
    expect(await publicLinks(projectType, project, 'funders')).toEqual([]);
  });

  it('a copy of a document without drafts is public at once: the copy and what it links to are told', async () => {
    const funderType = typeOf('api::funder.funder');
    const projectType = typeOf('api::project.project');
    const funder = await fresh(funderType);
    const project = await fresh(projectType);
    await link(
      funderType,
      funder,
      funderType.relations.find((r) => r.name === 'projects')!,
      [project],
    );
    const cursor = await feedEnd();
    const copy = await app
      .http()
      .post(`${cmBase(funderType)}/clone/${funder}`)
      .query({ locale: FR })
      .set(superAdmin.headers)
      .send({ slug: `copy-of-${funder}`, name: 'Copie' });
    expect(copy.status).toBe(200);
    const copyId = copy.body.data.documentId as string;
    expect(await publicLinks(projectType, project, 'funders')).toEqual([funder, copyId].sort());
    expect((await eventsSince(cursor)).map(eventKey).sort()).toEqual(
      [
        eventKey({ type: 'funder', documentId: copyId }),
        eventKey({ type: 'project', documentId: project }),
      ].sort(),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// B. Rights on both sides

/**
 * What a role may do to the document at the other end, asked the way staff meet it: a direct
 * edit of that document in the Content Manager (an empty save: 200 or 403).
 */
async function mayEdit(session: AdminSession, type: ContentTypeInfo, documentId: string): Promise<boolean> {
  const answer = await app
    .http()
    .put(cmOne(type, documentId))
    .query({ locale: FR })
    .set(session.headers)
    .send({});
  if (![200, 403].includes(answer.status))
    throw new Error(`direct edit answered ${answer.status} ${answer.text}`);
  return answer.status === 200;
}

/** Whether a link between a version of `type` and `target` changes `target`'s document. */
const changesTarget = (type: ContentTypeInfo, target: ContentTypeInfo) =>
  // A draft linked to a document without drafts changes nothing of it until published.
  !type.draftAndPublish || target.draftAndPublish;

/** Keys sorted and lists in a fixed order (populated relations come in no fixed order). */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value))
    return value.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, child]) => [key, canonical(child)]),
    );
  return value;
};

/** Every row of a document, with its links (relation ids): to see that nothing changed. */
async function rows(type: ContentTypeInfo, documentId: string): Promise<string> {
  const populate: Data = {};
  for (const relation of type.relations.filter((r) => r.side !== 'system'))
    populate[relation.name] = { select: ['id'] };
  const found = await app.strapi.db
    .query(type.uid as never)
    .findMany({ where: { documentId }, populate } as never);
  return JSON.stringify(canonical(found));
}

/**
 * A role made for this test, as an administrator would in Settings > Roles: it creates services and
 * enterprises, reads them, and updates those it created ("is creator", as the Project coordinator
 * has on projects and services): whether it may link an enterprise depends on who created it.
 */
async function authorRole(code: string): Promise<void> {
  const roles = app.strapi.service('admin::role');
  const role = await roles.create({ name: 'Services and enterprises (own)', code, description: 'test' });
  const { actionProvider } = app.strapi.service('admin::permission');
  const subjects = ['api::service.service', 'api::enterprise.enterprise'];
  const permissions: Data[] = [];
  for (const verb of ['create', 'read', 'update']) {
    const action = actionProvider.get(`plugin::content-manager.explorer.${verb}`);
    const withFields = app.strapi
      .service('admin::content-type')
      .getPermissionsWithNestedFields([{ ...action, subjects }]) as {
      action: string;
      subject: string;
      properties: Data;
    }[];
    for (const permission of withFields)
      permissions.push({
        action: permission.action,
        subject: permission.subject,
        properties: { ...permission.properties, locales: null },
        conditions: verb === 'read' ? [] : ['admin::is-creator'],
      });
  }
  await roles.addPermissions(role.id, permissions);
}

describe('B. a role that may not edit the other side may not change its links from this side', () => {
  const ROLES = ['project-coordinator', 'services-and-enterprises-own', 'communication'];
  const sessions: Record<string, AdminSession> = {};

  beforeAll(async () => {
    await authorRole('services-and-enterprises-own');
    for (const code of ROLES) sessions[code] = await createAdminUser(app, superAdmin, code, `rel-${code}`);
  });

  it('every role: its own documents, each relation, a target it did or did not create (Content Manager)', async () => {
    const problems: string[] = [];
    const cases: Record<string, number> = {};
    for (const code of ROLES) {
      const session = sessions[code];
      cases[code] = 0;
      for (const { type, relation, target } of relations()) {
        if (single(type)) continue;
        // Its own new document, when the role may create one of this type.
        let documentId: string;
        try {
          documentId = await fresh(type, session);
        } catch {
          continue;
        }
        // Targets: one made by someone else, and (where the role may create them) one of its own.
        const targets = [await fresh(target)];
        if (!single(target)) {
          try {
            targets.push(await fresh(target, session));
          } catch {
            // the role may not create documents of that type
          }
        }
        for (const other of targets) {
          if (strandsRequired(relation, target, 'connect')) continue;
          cases[code] += 1;
          const allowed = !changesTarget(type, target) || (await mayEdit(session, target, other));
          const name = `${code}: ${type.singularName}.${relation.name} connect a ${target.singularName} it ${targets.indexOf(other) === 0 ? 'did not create' : 'created'}`;
          const before = [await rows(type, documentId), await rows(target, other)];
          const answer = await app
            .http()
            .put(cmOne(type, documentId))
            .query({ locale: FR })
            .set(session.headers)
            .send({ [relation.name]: { connect: [ref(other)] } });
          const after = [await rows(type, documentId), await rows(target, other)];
          if (allowed) {
            if (answer.status !== 200)
              problems.push(`${name}: expected 200, got ${answer.status} ${answer.text.slice(0, 160)}`);
            else if (after[1] === before[1]) problems.push(`${name}: answered 200, but no link was written`);
            continue;
          }
          if (answer.status !== 403 || answer.body?.error?.status !== 403)
            problems.push(`${name}: expected 403, got ${answer.status} ${answer.text.slice(0, 160)}`);
          else if (!/two sides/.test(answer.body.error.message))
            problems.push(`${name}: ${answer.body.error.message}`);
          if (JSON.stringify(after) !== JSON.stringify(before))
            problems.push(`${name}: refused, yet the database changed`);
        }
      }
    }
    for (const code of ROLES) expect([code, cases[code]]).not.toEqual([code, 0]);
    expect(problems).toEqual([]);
  });

  it('a Project coordinator may not create a service linked to an enterprise (Ecotec), and writes nothing', async () => {
    const session = sessions['project-coordinator'];
    const enterprise = seeded.get('api::enterprise.enterprise')![0];
    const before = await rows(typeOf('api::enterprise.enterprise'), enterprise);
    const services = await app.strapi.db.query('api::service.service').count();
    const answer = await app
      .http()
      .post(cmBase(typeOf('api::service.service')))
      .query({ locale: FR })
      .set(session.headers)
      .send({
        name: 'Service lié',
        slug: 'service-lie-a-ecotec',
        theme: 'job-coaching',
        foundedYear: 2020,
        enterprises: { connect: [ref(enterprise)] },
      });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      data: null,
      error: {
        status: 403,
        details: { relations: ['enterprises'], documents: [{ documentId: enterprise }] },
      },
    });
    expect(answer.body.error.message).toMatch(/Enterprise ".+" \(fr\), which this role may not edit/);
    expect(await app.strapi.db.query('api::service.service').count()).toBe(services);
    expect(await rows(typeOf('api::enterprise.enterprise'), enterprise)).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------
// C. The content API: REST and GraphQL with an editor's or a narrower role's token

describe('C. content API writes: judged against the role on both sides', () => {
  let headers: Record<string, string>;
  const permissions = () => app.strapi.db.query('plugin::users-permissions.permission');
  const editorRole = () =>
    app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'editor' } });

  beforeAll(async () => {
    headers = bearer(await createApiUser(app, 'editor'));
  });

  /** The types the editor role may update now, read from its grants. */
  async function updatable(): Promise<Set<string>> {
    const granted = (await permissions().findMany({ where: { role: (await editorRole()).id } })) as {
      action: string;
    }[];
    return new Set(
      granted.filter(({ action }) => action.endsWith('.update')).map(({ action }) => action.split('.')[1]),
    );
  }

  /** Every relation of every type the editor may update, connected by REST and by GraphQL. */
  async function editorCases(): Promise<{ problems: string[]; refusals: number }> {
    const mayUpdate = await updatable();
    const problems: string[] = [];
    let refusals = 0;
    for (const { type, relation, target } of relations()) {
      if (!mayUpdate.has(type.singularName) || strandsRequired(relation, target, 'connect')) continue;
      // Drafts (the content API writes drafts only): the other side changes where it has drafts.
      const allowed = !target.draftAndPublish || mayUpdate.has(target.singularName);
      if (!allowed) refusals += 2;
      for (const how of ['REST', 'GraphQL'] as const) {
        const name = `${how} ${type.singularName}.${relation.name} connect`;
        const documentId = await fresh(type);
        const other = await fresh(target);
        const before = [await rows(type, documentId), await rows(target, other)];
        const cursor = await feedEnd();
        let refused: boolean;
        let ok: boolean;
        let text: string;
        if (how === 'REST') {
          const answer = await app
            .http()
            .put(`${type.restBase}/${documentId}`)
            .set(headers)
            .send({ data: { [relation.name]: { connect: [ref(other)] } } });
          refused = answer.status === 403 && /two sides/.test(answer.body?.error?.message ?? '');
          ok = answer.status === 200;
          text = answer.text;
        } else {
          const answer = await app
            .http()
            .post('/graphql')
            .set(headers)
            .send({
              query: `mutation ($id: ID!, $data: ${type.graphql.inputName}!) { r: ${type.graphql.updateMutation}(documentId: $id, data: $data) { documentId } }`,
              variables: { id: documentId, data: { [relation.name]: relation.many ? [other] : other } },
            });
          const errors = (answer.body.errors ?? []) as { message: string; extensions?: { code?: string } }[];
          refused = errors.some(
            (error) => error.extensions?.code === 'FORBIDDEN' && /two sides/.test(error.message),
          );
          ok = answer.status === 200 && errors.length === 0;
          text = answer.text;
        }
        const after = [await rows(type, documentId), await rows(target, other)];
        if (allowed && !ok) problems.push(`${name}: expected success, got ${text.slice(0, 200)}`);
        if (allowed && ok && after[1] === before[1])
          problems.push(`${name}: success, but no link was written`);
        if (!allowed && !refused)
          problems.push(`${name}: expected a 403 naming both sides, got ${text.slice(0, 200)}`);
        if (!allowed && JSON.stringify(after) !== JSON.stringify(before))
          problems.push(`${name}: refused, yet the database changed`);
        // Drafts: nothing public changes, nothing is recorded.
        const events = await eventsSince(cursor);
        if (events.length > 0)
          problems.push(`${name}: a draft write recorded ${events.map(eventKey).join('; ')}`);
      }
    }
    return { problems, refusals };
  }

  it('REST and GraphQL, every relation of the types the role writes: allowed where it may update the other side; refused (403 naming both sides, nothing written) where not', async () => {
    // The editor role as granted: it updates every type with drafts.
    expect(await editorCases()).toEqual({ problems: [], refusals: 0 });
    // The same role without the right to update enterprises: linking one from a service is refused.
    const role = await editorRole();
    const action = 'api::enterprise.enterprise.update';
    await permissions().deleteMany({ where: { role: role.id, action } });
    try {
      const { problems, refusals } = await editorCases();
      expect(refusals).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await permissions().create({ data: { action, role: role.id } });
    }
  });
});
