/**
 * Review before publishing (issue 25, section 2; src/review): stages per document and locale,
 * moved through the staff API with the Content Manager's rights, and by the write path (a save
 * after approval goes back to « À relire », a publish ends the cycle), each move in the audit log.
 */
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { createCallers, type Callers } from './support/callers';
import { startStrapi, type TestApp } from './support/strapi';

jest.setTimeout(120_000);

type Data = Record<string, unknown>;
let app: TestApp;
let superAdmin: AdminSession;
let communication: AdminSession;
let coordinator: AdminSession;
let otherCoordinator: AdminSession;
let translator: AdminSession;
let callers: Callers;
let documentId: string;

const PROJECTS = '/content-manager/collection-types/api::project.project';
const UID = 'api::project.project';

beforeAll(async () => {
  app = await startStrapi();
  superAdmin = await registerFirstAdmin(app);
  communication = await createAdminUser(app, superAdmin, 'communication', 'review-communication');
  coordinator = await createAdminUser(app, superAdmin, 'project-coordinator', 'review-coordinator');
  otherCoordinator = await createAdminUser(app, superAdmin, 'project-coordinator', 'review-other');
  translator = await createAdminUser(app, superAdmin, 'translator', 'review-translator');
  callers = await createCallers(app, 'review-partner');
  const [site] = (await app.strapi
    .documents('api::site.site')
    .findMany({ locale: 'fr', limit: 1 } as never)) as unknown as Data[];
  const created = await app
    .http()
    .post(PROJECTS)
    .query({ locale: 'fr' })
    .set(coordinator.headers)
    .send({
      title: 'Projet à relire',
      slug: 'projet-a-relire',
      kind: 'youth-house',
      foundedYear: 2020,
      site: { connect: [{ documentId: site.documentId, locale: 'fr' }] },
    });
  expect(created.status).toBe(201);
  documentId = created.body.data.documentId;
});

afterAll(async () => {
  await app?.stop();
});

const move = (session: AdminSession, stage: unknown, locale = 'fr', comment?: unknown, id = documentId) =>
  app
    .http()
    .put(`/admin/review/${UID}/${id}`)
    .query({ locale })
    .set(session.headers)
    .send({ stage, ...(comment === undefined ? {} : { comment }) });
const listed = async (session: AdminSession, stage: string, extra: Record<string, string> = {}) => {
  const response = await app
    .http()
    .get('/admin/review')
    .query({ stage, ...extra })
    .set(session.headers);
  expect(response.status).toBe(200);
  return response.body.data as {
    documentId: string;
    locale: string;
    stage: string;
    comment: string | null;
    title: string;
  }[];
};
const stageNow = async (locale = 'fr') => {
  for (const stage of ['review', 'approved', 'draft']) {
    if ((await listed(communication, stage, { locale })).some((entry) => entry.documentId === documentId))
      return stage;
  }
  return 'draft';
};

describe('the stages of an entry', () => {
  it('a coordinator submits its entry; Communication sees it « À relire », with the comment', async () => {
    const answer = await move(coordinator, 'review', 'fr', 'Prêt pour relecture');
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      uid: UID,
      documentId,
      locale: 'fr',
      stage: 'review',
      comment: 'Prêt pour relecture',
    });
    const entries = await listed(communication, 'review');
    expect(entries).toContainEqual(
      expect.objectContaining({ documentId, title: 'Projet à relire', comment: 'Prêt pour relecture' }),
    );
  });

  it('only who may publish approves; another coordinator may not submit what it may not edit', async () => {
    expect((await move(coordinator, 'approved')).status).toBe(403);
    expect((await move(otherCoordinator, 'review')).status).toBe(403);
    expect((await move(translator, 'approved')).status).toBe(403);
    const approved = await move(communication, 'approved');
    expect(approved.status).toBe(200);
    expect(await stageNow()).toBe('approved');
  });

  it('any save after approval sends it back « À relire »', async () => {
    const saved = await app
      .http()
      .put(`${PROJECTS}/${documentId}`)
      .query({ locale: 'fr' })
      .set(coordinator.headers)
      .send({ summary: 'Un changement après approbation' });
    expect(saved.status).toBe(200);
    expect(await stageNow()).toBe('review');
  });

  it('Communication sends it back « En cours » with a comment; approving what is not « À relire » is refused', async () => {
    const back = await move(communication, 'draft', 'fr', 'Le résumé est à revoir');
    expect(back.status).toBe(200);
    expect(back.body.data).toMatchObject({ stage: 'draft', comment: 'Le résumé est à revoir' });
    expect((await move(communication, 'approved')).status).toBe(403);
    // The author finds it among its own entries sent back (the home page's « Renvoyé »); nobody else.
    const mine = (await listed(coordinator, 'draft', { mine: 'true' })).find(
      (entry) => entry.documentId === documentId,
    );
    expect(mine).toMatchObject({ comment: 'Le résumé est à revoir' });
    expect(
      (await listed(otherCoordinator, 'draft', { mine: 'true' })).some(
        (entry) => entry.documentId === documentId,
      ),
    ).toBe(false);
    expect(
      (
        await app
          .http()
          .get('/admin/review')
          .query({ stage: 'draft', mine: 'maybe' })
          .set(coordinator.headers)
      ).status,
    ).toBe(400);
  });

  it('a publish ends the cycle: « En cours » for the next change', async () => {
    await move(coordinator, 'review');
    await move(communication, 'approved');
    const published = await app
      .http()
      .post(`${PROJECTS}/${documentId}/actions/publish`)
      .query({ locale: 'fr' })
      .set(communication.headers)
      .send({});
    expect(published.status).toBe(200);
    expect(await stageNow()).toBe('draft');
  });

  it('a Translator submits German, never French', async () => {
    const german = await app
      .http()
      .put(`${PROJECTS}/${documentId}`)
      .query({ locale: 'de' })
      .set(translator.headers)
      .send({ title: 'Projekt zur Durchsicht' });
    expect(german.status).toBe(200);
    expect((await move(translator, 'review', 'de')).status).toBe(200);
    expect((await move(translator, 'review', 'fr')).status).toBe(403);
    expect((await listed(translator, 'review', { locale: 'de' })).map((entry) => entry.documentId)).toContain(
      documentId,
    );
  });

  it('each move is in the audit log, with who and the transition', async () => {
    const response = await app
      .http()
      .get('/admin/audit-logs')
      .query({ action: 'entry.stage', pageSize: '100' })
      .set(superAdmin.headers);
    const summaries = (response.body.data as { summary: string; object: Data; actor: Data }[])
      .filter((entry) => entry.object.id === documentId)
      .map((entry) => entry.summary);
    // Moves through the API, and those of the write path: a save after approval, a publish.
    expect(summaries).toEqual(
      expect.arrayContaining([
        'draft → review',
        'review → approved',
        'approved → review',
        'review → draft',
        'approved → draft',
      ]),
    );
  });
});

describe('bad requests', () => {
  it('an unknown stage or a bad comment is a 400, a missing entry a 404, API callers a 401', async () => {
    for (const [stage, comment] of [
      ['published', undefined],
      [undefined, undefined],
      [['review'], undefined],
      ['review', 'x'.repeat(2001)],
      ['review', { a: 1 }],
    ] as const) {
      const answer = await move(communication, stage, 'fr', comment);
      expect({ stage, status: answer.status, name: answer.body.error?.name }).toEqual({
        stage,
        status: 400,
        name: 'ValidationError',
      });
    }
    expect((await move(communication, 'review', 'xx')).status).toBe(400);
    expect(
      (
        await app
          .http()
          .put(`/admin/review/admin::user/${documentId}`)
          .set(communication.headers)
          .send({ stage: 'review' })
      ).status,
    ).toBe(400);
    expect((await move(communication, 'review', 'fr', undefined, 'zzzzzzzzzzzznonexistent0')).status).toBe(
      404,
    );
    expect(
      (await app.http().get('/admin/review').query({ stage: 'nope' }).set(communication.headers)).status,
    ).toBe(400);
    for (const headers of [callers.headers.anonymous, callers.headers.editor, callers.headers.token]) {
      expect((await app.http().get('/admin/review').set(headers)).status).toBe(401);
      expect(
        (await app.http().put(`/admin/review/${UID}/${documentId}`).set(headers).send({ stage: 'review' }))
          .status,
      ).toBe(401);
    }
  });
});
