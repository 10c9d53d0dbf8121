/**
 * Who may read, write, publish and translate, through the real routes: REST, GraphQL and the
 * admin API that the panel calls. Every role gets at least one allowed and one refused action of
 * each kind.
 */
import { createReadOnlyToken } from '../src/permissions/tokens';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { startStrapi, type TestApp } from './support/strapi';
import { bearer, createApiUser, type ApiUser } from './support/users';

let app: TestApp;
let siteId: string;
let funderId: string;

const TYPES = [
  { plural: 'projects', single: 'Project' },
  { plural: 'services', single: 'Service' },
  { plural: 'enterprises', single: 'Enterprise' },
  { plural: 'sites', single: 'Site' },
  { plural: 'funders', single: 'Funder' },
];

/** A valid new entry of each type (valid, so that a refusal can only be about permission). */
const newEntry = (plural: string, suffix: string): Record<string, unknown> =>
  ({
    projects: {
      title: `P ${suffix}`,
      slug: `p-${suffix}`,
      kind: 'youth-house',
      foundedYear: 2020,
      site: siteId,
    },
    services: { name: `S ${suffix}`, slug: `s-${suffix}`, theme: 'job-coaching', foundedYear: 2020 },
    enterprises: { name: `E ${suffix}`, slug: `e-${suffix}`, foundedYear: 2020 },
    sites: { name: `Site ${suffix}`, slug: `site-${suffix}`, commune: 'Mersch' },
    funders: { name: `F ${suffix}`, slug: `f-${suffix}`, kind: 'foundation' },
  })[plural] as Record<string, unknown>;

/** GraphQL input: the same keys as REST, enumeration values included (src/graphql/enums.ts). */
const graphqlInput = (data: Record<string, unknown>) => data;

const firstDocumentId = async (plural: string) =>
  (await app.http().get(`/api/${plural}`).query({ sort: 'id' }).expect(200)).body.data[0]
    .documentId as string;

beforeAll(async () => {
  app = await startStrapi();
  siteId = await firstDocumentId('sites');
  funderId = await firstDocumentId('funders');
});

afterAll(async () => {
  await app?.stop();
});

/** Asserts that `headers` may read every type and write none, by REST and by GraphQL. */
function readsButNeverWrites(who: string, headers: () => Record<string, string>) {
  describe(`${who}: reads everything, writes nothing`, () => {
    it.each(TYPES)('reads $plural and the organisation', async ({ plural }) => {
      const list = await app.http().get(`/api/${plural}`).set(headers()).expect(200);
      expect(list.body.data.length).toBeGreaterThan(0);
      const one = await app
        .http()
        .get(`/api/${plural}/${list.body.data[0].documentId}`)
        .set(headers())
        .expect(200);
      expect(one.body.data.documentId).toBe(list.body.data[0].documentId);
      await app.http().get('/api/organisation').set(headers()).expect(200);
    });

    it.each(TYPES)('gets 403 on every REST write to $plural, and nothing changes', async ({ plural }) => {
      const documentId = await firstDocumentId(plural);
      const before = (await app.http().get(`/api/${plural}/${documentId}`).expect(200)).body.data;
      const post = await app
        .http()
        .post(`/api/${plural}`)
        .set(headers())
        .send({ data: newEntry(plural, who) });
      const put = await app
        .http()
        .put(`/api/${plural}/${documentId}`)
        .set(headers())
        .send({ data: { slug: 'x' } });
      const del = await app.http().delete(`/api/${plural}/${documentId}`).set(headers());
      expect([post.status, put.status, del.status]).toEqual([403, 403, 403]);
      expect(post.body).toMatchObject({ data: null, error: { status: 403, name: 'ForbiddenError' } });
      expect((await app.http().get(`/api/${plural}/${documentId}`).expect(200)).body.data).toEqual(before);
    });

    it.each(TYPES)('gets Forbidden on every GraphQL mutation of $single', async ({ plural, single }) => {
      const documentId = await firstDocumentId(plural);
      const response = await app
        .http()
        .post('/graphql')
        .set(headers())
        .send({
          query: `mutation ($data: ${single}Input!, $id: ID!) {
            c: create${single}(data: $data) { documentId }
            u: update${single}(documentId: $id, data: $data) { documentId }
            d: delete${single}(documentId: $id) { documentId }
          }`,
          variables: { data: graphqlInput(newEntry(plural, `${who}-gql`)), id: documentId },
        });
      expect(response.body.data).toEqual({ c: null, u: null, d: null });
      const codes = response.body.errors.map(
        (error: { extensions: { code: string } }) => error.extensions.code,
      );
      expect(codes).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    });

    it('cannot write the organisation', async () => {
      const put = await app
        .http()
        .put('/api/organisation')
        .set(headers())
        .send({ data: { name: 'X' } });
      expect(put.status).toBe(403);
    });
  });
}

describe('content API', () => {
  let authenticated: ApiUser;
  let editor: ApiUser;
  let readOnlyToken: string;

  beforeAll(async () => {
    authenticated = await createApiUser(app, 'authenticated');
    editor = await createApiUser(app, 'editor');
    readOnlyToken = (await createReadOnlyToken(app.strapi, { name: 'Ministry of Family (test)', days: 30 }))
      .accessKey;
  });

  readsButNeverWrites('public', () => ({}));
  readsButNeverWrites('authenticated', () => bearer(authenticated));
  readsButNeverWrites('read-only token', () => ({ Authorization: `Bearer ${readOnlyToken}` }));

  describe('authenticated user', () => {
    it('reads its own profile, without private fields', async () => {
      const response = await app.http().get('/api/users/me').set(bearer(authenticated)).expect(200);
      expect(response.body).toMatchObject({ id: authenticated.id, email: authenticated.email });
      expect(response.body.password).toBeUndefined();
    });

    it('cannot list users, nor change its own role', async () => {
      await app.http().get('/api/users').set(bearer(authenticated)).expect(403);
      const editorRole = await app.strapi.db
        .query('plugin::users-permissions.role')
        .findOne({ where: { type: 'editor' } });
      await app
        .http()
        .put(`/api/users/${authenticated.id}`)
        .set(bearer(authenticated))
        .send({ role: editorRole.id })
        .expect(403);
      const stored = await app.strapi.db
        .query('plugin::users-permissions.user')
        .findOne({ where: { id: authenticated.id }, populate: ['role'] });
      expect(stored.role.type).toBe('authenticated');
    });

    it('the public cannot read /api/users/me', async () => {
      await app.http().get('/api/users/me').expect(403);
    });
  });

  describe('editor', () => {
    const DRAFT_TYPES = TYPES.filter(({ plural }) =>
      ['projects', 'services', 'enterprises'].includes(plural),
    );
    const LIVE_TYPES = TYPES.filter((type) => !DRAFT_TYPES.includes(type));

    it.each(DRAFT_TYPES)('creates, updates and deletes $plural drafts by REST', async ({ plural }) => {
      const created = await app
        .http()
        .post(`/api/${plural}`)
        .set(bearer(editor))
        .send({ data: newEntry(plural, `ed-${plural}`) });
      expect(created.status).toBe(201);
      const { documentId } = created.body.data;
      const updated = await app
        .http()
        .put(`/api/${plural}/${documentId}`)
        .set(bearer(editor))
        .send({ data: { slug: `ed-${plural}-renamed` } });
      expect(updated.status).toBe(200);
      expect(updated.body.data.slug).toBe(`ed-${plural}-renamed`);
      await app.http().delete(`/api/${plural}/${documentId}`).set(bearer(editor)).expect(204);
      await app.http().get(`/api/${plural}/${documentId}`).set(bearer(editor)).expect(404);
    });

    // Sites and funders have no drafts: an editor's write would be live at once (issue 13).
    it.each(LIVE_TYPES)('may not create, update or delete $plural (no drafts)', async ({ plural }) => {
      const before = await app.strapi.db
        .query(`api::${plural.slice(0, -1)}.${plural.slice(0, -1)}` as never)
        .count();
      await app
        .http()
        .post(`/api/${plural}`)
        .set(bearer(editor))
        .send({ data: newEntry(plural, `ed-${plural}`) })
        .expect(403);
      const documentId = await firstDocumentId(plural);
      await app
        .http()
        .put(`/api/${plural}/${documentId}`)
        .set(bearer(editor))
        .send({ data: { slug: `ed-${plural}-renamed` } })
        .expect(403);
      await app.http().delete(`/api/${plural}/${documentId}`).set(bearer(editor)).expect(403);
      await app.http().get(`/api/${plural}/${documentId}`).expect(200);
      expect(
        await app.strapi.db.query(`api::${plural.slice(0, -1)}.${plural.slice(0, -1)}` as never).count(),
      ).toBe(before);
    });

    it('creates and updates drafts through GraphQL mutations, and may not write a funder', async () => {
      const created = await app
        .http()
        .post('/graphql')
        .set(bearer(editor))
        .send({
          query: `mutation ($data: ServiceInput!) { createService(data: $data) { documentId slug } }`,
          variables: { data: graphqlInput(newEntry('services', 'ed-gql')) },
        });
      expect(created.body.errors).toBeUndefined();
      const { documentId } = created.body.data.createService;
      const updated = await app
        .http()
        .post('/graphql')
        .set(bearer(editor))
        .send({
          query: `mutation ($id: ID!) { updateService(documentId: $id, data: { foundedYear: 2021 }) { foundedYear publishedAt } }`,
          variables: { id: documentId },
        });
      expect(updated.body).toEqual({ data: { updateService: { foundedYear: 2021, publishedAt: null } } });
      const funder = await app
        .http()
        .post('/graphql')
        .set(bearer(editor))
        .send({
          query: `mutation ($data: FunderInput!) { createFunder(data: $data) { documentId } }`,
          variables: { data: graphqlInput(newEntry('funders', 'ed-gql')) },
        });
      expect(funder.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('cannot touch the organisation nor users', async () => {
      await app
        .http()
        .put('/api/organisation')
        .set(bearer(editor))
        .send({ data: { name: 'X' } })
        .expect(403);
      await app.http().get('/api/users').set(bearer(editor)).expect(403);
    });

    describe('drafts stay drafts', () => {
      let draftId: string;

      beforeAll(async () => {
        // Even asking to publish (status=published) creates a draft through the content API.
        const created = await app
          .http()
          .post('/api/projects')
          .query({ status: 'published' })
          .set(bearer(editor))
          .send({ data: newEntry('projects', 'draft-only') });
        expect(created.status).toBe(201);
        expect(created.body.data.publishedAt).toBeNull();
        draftId = created.body.data.documentId;
      });

      it('the editor sees its draft', async () => {
        const response = await app
          .http()
          .get(`/api/projects/${draftId}`)
          .query({ status: 'draft' })
          .set(bearer(editor));
        expect(response.status).toBe(200);
      });

      it.each([
        ['public', () => ({})],
        ['authenticated', () => bearer(authenticated)],
        ['read-only token', () => ({ Authorization: `Bearer ${readOnlyToken}` })],
      ])('%s never sees it, whatever status the query asks for', async (_, headers) => {
        for (const status of [undefined, 'draft', 'published']) {
          const list = await app
            .http()
            .get('/api/projects')
            .query({ status, pagination: { pageSize: 100 } })
            .set(headers());
          expect(list.status).toBe(200);
          expect(list.body.meta.pagination.total).toBe(29);
          expect(list.body.data.map((project: { documentId: string }) => project.documentId)).not.toContain(
            draftId,
          );
          await app.http().get(`/api/projects/${draftId}`).query({ status }).set(headers()).expect(404);
        }
        const graphql = await app.http().post('/graphql').set(headers()).send({
          query: `{ projects(status: DRAFT, pagination: { limit: 100 }) { documentId publishedAt } }`,
        });
        expect(graphql.body.data.projects).toHaveLength(29);
        expect(
          graphql.body.data.projects.every((project: { publishedAt: string }) => project.publishedAt),
        ).toBe(true);
      });

      it('an update asking to publish leaves it a draft', async () => {
        const updated = await app
          .http()
          .put(`/api/projects/${draftId}`)
          .query({ status: 'published' })
          .set(bearer(editor))
          .send({ data: { foundedYear: 2021 } });
        expect(updated.status).toBe(200);
        await app.http().get(`/api/projects/${draftId}`).expect(404);
      });
    });
  });

  describe('self-registration', () => {
    it('is refused while ALLOW_REGISTRATION is off (the default)', async () => {
      const response = await app
        .http()
        .post('/api/auth/local/register')
        .send({ username: 'newcomer', email: 'newcomer@example.test', password: 'Newcomer-passw0rd' });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/disabled/i);
      expect(
        await app.strapi.db
          .query('plugin::users-permissions.user')
          .count({ where: { email: 'newcomer@example.test' } }),
      ).toBe(0);
    });
  });
});

describe('admin panel (admin API)', () => {
  let communication: AdminSession;
  let coordinatorA: AdminSession;
  let coordinatorB: AdminSession;
  let translator: AdminSession;
  const CM = '/content-manager/collection-types/api::project.project';

  const projectBody = (suffix: string) => ({
    title: `Admin ${suffix}`,
    slug: `admin-${suffix}`,
    kind: 'day-care',
    foundedYear: 2024,
    site: { connect: [{ documentId: siteId, locale: 'fr' }] },
    funders: { connect: [{ documentId: funderId, locale: 'fr' }] },
  });

  beforeAll(async () => {
    const superAdmin = await registerFirstAdmin(app);
    communication = await createAdminUser(app, superAdmin, 'communication', 'comms');
    coordinatorA = await createAdminUser(app, superAdmin, 'project-coordinator', 'coord-a');
    coordinatorB = await createAdminUser(app, superAdmin, 'project-coordinator', 'coord-b');
    translator = await createAdminUser(app, superAdmin, 'translator', 'translator');
  });

  describe('Communication', () => {
    it('creates, translates, publishes and deletes a project', async () => {
      const created = await app
        .http()
        .post(CM)
        .query({ locale: 'fr' })
        .set(communication.headers)
        .send(projectBody('comms'));
      expect(created.status).toBe(201);
      const { documentId } = created.body.data;
      const german = await app
        .http()
        .put(`${CM}/${documentId}`)
        .query({ locale: 'de' })
        .set(communication.headers)
        .send({ ...projectBody('comms'), title: 'Admin comms (de)' });
      expect(german.status).toBe(200);
      await app
        .http()
        .post(`${CM}/${documentId}/actions/publish`)
        .query({ locale: 'fr' })
        .set(communication.headers)
        .send({})
        .expect(200);
      const published = await app.http().get(`/api/projects/${documentId}`).expect(200);
      expect(published.body.data).toMatchObject({ title: 'Admin comms', locale: 'fr' });
      // A published entry is unpublished first (docs/staff.fr.md), then deleted.
      const refused = await app
        .http()
        .delete(`${CM}/${documentId}`)
        .query({ locale: '*' })
        .set(communication.headers)
        .expect(400);
      expect(refused.body.error.message).toMatch(/unpublish it first/);
      await app.http().get(`/api/projects/${documentId}`).expect(200);
      await app
        .http()
        .post(`${CM}/${documentId}/actions/unpublish`)
        .query({ locale: 'fr' })
        .set(communication.headers)
        .send({})
        .expect(200);
      await app
        .http()
        .delete(`${CM}/${documentId}`)
        .query({ locale: '*' })
        .set(communication.headers)
        .expect(200);
      await app.http().get(`/api/projects/${documentId}`).expect(404);
    });

    it('edits the organisation single type', async () => {
      const response = await app
        .http()
        .get('/content-manager/single-types/api::organisation.organisation')
        .query({ locale: 'fr' })
        .set(communication.headers);
      expect(response.status).toBe(200);
      expect(response.body.data.name).toBe('Inter-Actions');
    });

    it('cannot manage admin users or roles', async () => {
      await app.http().get('/admin/users').set(communication.headers).expect(403);
    });
  });

  describe('Project coordinator', () => {
    let ownId: string;

    beforeAll(async () => {
      const created = await app
        .http()
        .post(CM)
        .query({ locale: 'fr' })
        .set(coordinatorA.headers)
        .send(projectBody('coord'));
      expect(created.status).toBe(201);
      ownId = created.body.data.documentId;
    });

    it('updates a project it created', async () => {
      const response = await app
        .http()
        .put(`${CM}/${ownId}`)
        .query({ locale: 'fr' })
        .set(coordinatorA.headers)
        .send({ ...projectBody('coord'), title: 'Admin coord, edited' });
      expect(response.status).toBe(200);
      expect(response.body.data.title).toBe('Admin coord, edited');
    });

    it('cannot update another coordinator’s project, nor a seeded one', async () => {
      const seeded = await firstDocumentId('projects');
      for (const [who, id] of [
        [coordinatorB, ownId],
        [coordinatorA, seeded],
      ] as const) {
        const response = await app
          .http()
          .put(`${CM}/${id}`)
          .query({ locale: 'fr' })
          .set(who.headers)
          .send({ title: 'Hijacked' });
        expect(response.status).toBe(403);
      }
      const own = await app.http().get(`${CM}/${ownId}`).query({ locale: 'fr' }).set(coordinatorA.headers);
      expect(own.body.data.title).toBe('Admin coord, edited');
    });

    it('cannot publish nor delete, even its own', async () => {
      await app
        .http()
        .post(`${CM}/${ownId}/actions/publish`)
        .query({ locale: 'fr' })
        .set(coordinatorA.headers)
        .send({})
        .expect(403);
      await app.http().delete(`${CM}/${ownId}`).query({ locale: 'fr' }).set(coordinatorA.headers).expect(403);
    });

    it('cannot create a site (only projects and services)', async () => {
      const response = await app
        .http()
        .post('/content-manager/collection-types/api::site.site')
        .query({ locale: 'fr' })
        .set(coordinatorA.headers)
        .send({ name: 'Nowhere', slug: 'nowhere', commune: 'Mersch' });
      expect(response.status).toBe(403);
    });
  });

  describe('Translator', () => {
    let seededId: string;

    beforeAll(async () => {
      seededId = await firstDocumentId('projects');
    });

    it('reads every locale', async () => {
      for (const locale of ['fr', 'de', 'lb', 'en']) {
        await app.http().get(`${CM}/${seededId}`).query({ locale }).set(translator.headers).expect(200);
      }
    });

    it('saves the German version', async () => {
      const current = await app
        .http()
        .get(`${CM}/${seededId}`)
        .query({ locale: 'de' })
        .set(translator.headers);
      const response = await app
        .http()
        .put(`${CM}/${seededId}`)
        .query({ locale: 'de' })
        .set(translator.headers)
        .send({ title: `${current.body.data.title} (überarbeitet)` });
      expect(response.status).toBe(200);
      expect(response.body.data.title).toMatch(/\(überarbeitet\)$/);
    });

    it('is refused on the French version', async () => {
      const response = await app
        .http()
        .put(`${CM}/${seededId}`)
        .query({ locale: 'fr' })
        .set(translator.headers)
        .send({ title: 'Traduit par erreur' });
      expect(response.status).toBe(403);
      const french = await app.http().get(`/api/projects/${seededId}`).expect(200);
      expect(french.body.data.title).not.toBe('Traduit par erreur');
    });

    it('cannot publish nor delete', async () => {
      await app
        .http()
        .post(`${CM}/${seededId}/actions/publish`)
        .query({ locale: 'de' })
        .set(translator.headers)
        .send({})
        .expect(403);
      await app
        .http()
        .delete(`${CM}/${seededId}`)
        .query({ locale: 'de' })
        .set(translator.headers)
        .expect(403);
    });
  });
});
