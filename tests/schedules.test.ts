/**
 * Scheduled publishing (issue 25, section 3; src/schedules): Communication schedules « Publier » or
 * « Retirer » at a time in Europe/Luxembourg; a pg-boss job runs it once, as that user's publish
 * (history, change feed, audit log), after judging the user's rights again; lost rights cancel it
 * with an audit entry and a mail at a real SMTP server. Two instances and a restart:
 * tests/cluster/cluster.test.js.
 */
import { adminRoleId, createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { decodeQuotedPrintable, smtpEnv, startMailbox, type Mailbox } from './support/smtp';
import { appModule, startStrapi, type TestApp } from './support/strapi';

const { runSchedule } = appModule<typeof import('../src/schedules')>('src/schedules');

jest.setTimeout(120_000);

type Data = Record<string, unknown>;
const PROJECTS = '/content-manager/collection-types/api::project.project';
const UID = 'api::project.project';

let app: TestApp;
let mailbox: Mailbox;
let superAdmin: AdminSession;
let communication: AdminSession;
let coordinator: AdminSession;
let translator: AdminSession;
let siteId: string;

beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startStrapi({ env: { AUTH_RATE_LIMIT_MAX: '10000', ...smtpEnv(mailbox) } });
  superAdmin = await registerFirstAdmin(app);
  communication = await createAdminUser(app, superAdmin, 'communication', 'schedule-communication');
  coordinator = await createAdminUser(app, superAdmin, 'project-coordinator', 'schedule-coordinator');
  translator = await createAdminUser(app, superAdmin, 'translator', 'schedule-translator');
  const [site] = (await app.strapi
    .documents('api::site.site')
    .findMany({ locale: 'fr', limit: 1 } as never)) as unknown as Data[];
  siteId = String(site.documentId);
});

afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

let projects = 0;
/** A new French draft project, made in the panel by `session`. */
async function draftProject(session: AdminSession, title: string): Promise<string> {
  projects += 1;
  const created = await app
    .http()
    .post(PROJECTS)
    .query({ locale: 'fr' })
    .set(session.headers)
    .send({
      title,
      slug: `planifie-${projects}`,
      kind: 'youth-house',
      foundedYear: 2022,
      site: { connect: [{ documentId: siteId, locale: 'fr' }] },
    });
  expect(created.status).toBe(201);
  return created.body.data.documentId;
}

const schedule = (session: AdminSession, body: Data) =>
  app.http().post('/admin/schedules').set(session.headers).send(body);
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const publicTitle = async (documentId: string) => {
  const response = await app.http().get(`/api/projects/${documentId}`).query({ locale: 'fr' });
  return response.status === 200 ? (response.body.data.title as string) : null;
};
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, seconds = 60): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
const rows = (documentId: string) =>
  app.strapi.db.connection('publish_schedules').where('document_id', documentId).orderBy('id');
const auditOf = async (action: string, documentId: string) => {
  const response = await app
    .http()
    .get('/admin/audit-logs')
    .query({ action, pageSize: '100' })
    .set(superAdmin.headers);
  expect(response.status).toBe(200);
  return (response.body.data as { object: Data; actor: Data; summary: string }[]).filter(
    (entry) => entry.object.id === documentId,
  );
};

describe('scheduling', () => {
  it('Communication schedules a publish at a Luxembourg time: 201, listed, in the audit log', async () => {
    const documentId = await draftProject(coordinator, 'Maison planifiée');
    const created = await schedule(communication, {
      uid: UID,
      documentId,
      locale: 'fr',
      action: 'publish',
      at: '2027-06-07T09:00', // Monday 9:00, summer time in Luxembourg (UTC+2)
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      uid: UID,
      documentId,
      locale: 'fr',
      action: 'publish',
      at: '2027-06-07T07:00:00.000Z',
      atLocal: '2027-06-07T09:00:00+02:00',
      status: 'pending',
      title: 'Maison planifiée',
      createdBy: { firstname: 'schedule-communication' },
    });
    expect(typeof created.body.data.id).toBe('number');
    // Winter time (UTC+1), and a time given with its own offset is kept as given.
    const winter = await schedule(communication, {
      uid: UID,
      documentId,
      locale: '*',
      action: 'unpublish',
      at: '2027-12-06T09:00',
    });
    expect(winter.body.data.at).toBe('2027-12-06T08:00:00.000Z');
    const utc = await schedule(communication, {
      uid: UID,
      documentId,
      locale: 'fr',
      action: 'publish',
      at: '2027-03-01T09:00:00Z',
    });
    expect(utc.body.data.atLocal).toBe('2027-03-01T10:00:00+01:00');

    const listed = await app
      .http()
      .get('/admin/schedules')
      .query({ uid: UID, documentId })
      .set(communication.headers);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((entry: Data) => entry.at)).toEqual([
      '2027-03-01T09:00:00.000Z',
      '2027-06-07T07:00:00.000Z',
      '2027-12-06T08:00:00.000Z',
    ]);
    // The job waits in pg-boss, to start after the time.
    const { rows: jobs } = (await app.strapi.db.connection.raw(
      "SELECT start_after FROM pgboss.job WHERE name = 'publish-schedules' AND singleton_key = ?",
      [`schedule-${created.body.data.id}`],
    )) as { rows: { start_after: Date }[] };
    expect(jobs.map((job) => job.start_after.toISOString())).toEqual(['2027-06-07T07:00:00.000Z']);
    const audited = await auditOf('entry.schedule', documentId);
    expect(audited).toHaveLength(3);
    expect(audited[0].actor).toMatchObject({ kind: 'admin', email: communication.email });
  });

  it('a bad request is a 400 in Strapi’s shape and writes nothing', async () => {
    const documentId = await draftProject(communication, 'Maison mal planifiée');
    const good = { uid: UID, documentId, locale: 'fr', action: 'publish', at: inSeconds(3600) };
    const cases: [string, Data][] = [
      ['a past time', { ...good, at: '2020-01-01T09:00' }],
      ['now', { ...good, at: new Date(Date.now() - 1000).toISOString() }],
      ['too far', { ...good, at: '2099-01-01T09:00' }],
      ['not a time', { ...good, at: 'lundi à 9h' }],
      ['a number', { ...good, at: 1893456000000 }],
      ['an unknown action', { ...good, action: 'delete' }],
      ['no action', { ...good, action: undefined }],
      ['an unknown document', { ...good, documentId: 'nosuchdocument0000000000' }],
      ['a missing locale of it', { ...good, locale: 'de' }],
      ['an unknown locale', { ...good, locale: 'it' }],
      ['an unknown type', { ...good, uid: 'admin::user' }],
      ['a type without drafts', { ...good, uid: 'api::site.site', documentId: siteId }],
      ['a documentId object', { ...good, documentId: { $ne: null } }],
    ];
    for (const [what, body] of cases) {
      const answer = await schedule(communication, body);
      expect({ what, status: answer.status, name: answer.body.error?.name }).toEqual({
        what,
        status: 400,
        name: 'ValidationError',
      });
    }
    expect(await rows(documentId)).toEqual([]);
  });

  it('an admin token is refused (a schedule runs later with its owner’s rights); a NUL byte is a 400', async () => {
    const documentId = await draftProject(communication, 'Maison du jeton');
    const token = await app
      .http()
      .post('/admin/admin-tokens')
      .set(superAdmin.headers)
      .send({ name: 'schedule token', description: 'full rights', lifespan: null, adminPermissions: [] });
    expect(token.status).toBe(201);
    const headers = { Authorization: `Bearer ${token.body.data.accessKey}` };
    const body = { uid: UID, documentId, locale: 'fr', action: 'publish', at: inSeconds(3600) };
    expect((await app.http().post('/admin/schedules').set(headers).send(body)).status).toBe(403);
    expect((await app.http().get('/admin/schedules').set(headers)).status).toBe(403);
    const made = await schedule(communication, body);
    expect((await app.http().delete(`/admin/schedules/${made.body.data.id}`).set(headers)).status).toBe(403);
    expect((await rows(documentId))[0].status).toBe('pending');
    const nul = await schedule(communication, { ...body, documentId: `${documentId}\u0000` });
    expect({ status: nul.status, name: nul.body.error?.name }).toEqual({
      status: 400,
      name: 'ValidationError',
    });
    const listed = await app
      .http()
      .get('/admin/schedules')
      .query({ documentId: 'a\u0000b' })
      .set(communication.headers);
    expect(listed.status).toBe(400);
    await app.http().delete(`/admin/schedules/${made.body.data.id}`).set(communication.headers).expect(200);
  });

  it('who may not publish gets a 403, API callers a 401; nothing written', async () => {
    const documentId = await draftProject(coordinator, 'Maison du coordinateur');
    const body = { uid: UID, documentId, locale: 'fr', action: 'publish', at: inSeconds(3600) };
    expect((await schedule(coordinator, body)).status).toBe(403);
    expect((await schedule(translator, body)).status).toBe(403);
    expect((await schedule(translator, { ...body, locale: '*' })).status).toBe(403);
    expect((await app.http().post('/admin/schedules').send(body)).status).toBe(401);
    expect(await rows(documentId)).toEqual([]);
  });

  it('cancelling: 403 for who may not publish, 200 for Communication, then 404; audited', async () => {
    const documentId = await draftProject(communication, 'Maison annulée');
    const created = await schedule(communication, {
      uid: UID,
      documentId,
      locale: 'fr',
      action: 'publish',
      at: inSeconds(3600),
    });
    const id = created.body.data.id;
    expect((await app.http().delete(`/admin/schedules/${id}`).set(coordinator.headers)).status).toBe(403);
    const cancelled = await app.http().delete(`/admin/schedules/${id}`).set(communication.headers);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ id, status: 'cancelled' });
    expect((await app.http().delete(`/admin/schedules/${id}`).set(communication.headers)).status).toBe(404);
    expect((await app.http().delete('/admin/schedules/abc').set(communication.headers)).status).toBe(400);
    const listed = await app.http().get('/admin/schedules').query({ documentId }).set(communication.headers);
    expect(listed.body.data).toEqual([]);
    expect(await auditOf('entry.schedule.cancel', documentId)).toHaveLength(1);
    // Its job, if it ran now, would find nothing to do.
    expect(await runSchedule(app.strapi, id)).toBe('nothing');
  });
});

describe('running', () => {
  it('publishes the draft as it is at that time, once, as the user who scheduled it', async () => {
    const documentId = await draftProject(coordinator, 'Maison publiée à l’heure');
    const created = await schedule(communication, {
      uid: UID,
      documentId,
      locale: 'fr',
      action: 'publish',
      at: inSeconds(4),
    });
    expect(created.status).toBe(201);
    // Changed after scheduling: what goes live is the draft at that time.
    const edited = await app
      .http()
      .put(`${PROJECTS}/${documentId}`)
      .query({ locale: 'fr' })
      .set(coordinator.headers)
      .send({ title: 'Maison publiée à l’heure (relue)' });
    expect(edited.status).toBe(200);
    expect(await publicTitle(documentId)).toBeNull();

    const title = await until(
      () => publicTitle(documentId),
      (value) => value !== null,
    );
    expect(title).toBe('Maison publiée à l’heure (relue)');
    const [row] = await rows(documentId);
    expect(row).toMatchObject({ status: 'done', outcome: null });
    expect(new Date(row.done_at).getTime()).toBeGreaterThanOrEqual(new Date(created.body.data.at).getTime());
    // A second run (a duplicate job, another instance) does nothing.
    expect(await runSchedule(app.strapi, created.body.data.id)).toBe('nothing');

    // Like any publish: one audit entry, by that user; a history version; a change-feed event.
    const published = await auditOf('entry.publish', documentId);
    expect(published).toHaveLength(1);
    expect(published[0].actor).toMatchObject({ kind: 'admin', email: communication.email });
    const history = await app
      .http()
      .get(`/admin/history/${UID}/${documentId}`)
      .query({ locale: 'fr' })
      .set(communication.headers);
    expect(history.body.data[0]).toMatchObject({
      status: 'published',
      source: 'admin',
      author: { firstname: 'schedule-communication' },
    });
    const events = await app.strapi.db
      .connection('change_events')
      .where({ document_id: documentId, locale: 'fr' })
      .select('action');
    expect(events.map((event: Data) => event.action)).toEqual(['published']);
  });

  it('unpublishes every locale at once with *', async () => {
    const documentId = await draftProject(communication, 'Maison retirée');
    const german = await app
      .http()
      .put(`${PROJECTS}/${documentId}`)
      .query({ locale: 'de' })
      .set(communication.headers)
      .send({ title: 'Zurückgezogenes Haus', slug: `zurueckgezogen-${documentId}` });
    expect(german.status).toBe(200);
    for (const locale of ['fr', 'de'])
      expect(
        (
          await app
            .http()
            .post(`${PROJECTS}/${documentId}/actions/publish`)
            .query({ locale })
            .set(communication.headers)
            .send({})
        ).body,
      ).toMatchObject({ data: { documentId, locale } });
    expect(await publicTitle(documentId)).toBe('Maison retirée');
    const created = await schedule(communication, {
      uid: UID,
      documentId,
      locale: '*',
      action: 'unpublish',
      at: inSeconds(2),
    });
    expect(created.status).toBe(201);
    await until(
      () => publicTitle(documentId),
      (value) => value === null,
    );
    for (const locale of ['fr', 'de'])
      expect((await app.http().get(`/api/projects/${documentId}`).query({ locale })).status).toBe(404);
    expect((await rows(documentId))[0].status).toBe('done');
  });

  it('two runs at once (two instances) publish once', async () => {
    const documentId = await draftProject(communication, 'Maison disputée');
    const created = await schedule(communication, {
      uid: UID,
      documentId,
      locale: 'fr',
      action: 'publish',
      at: inSeconds(1),
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // The worker's job races these two.
    const outcomes = await Promise.all([
      runSchedule(app.strapi, created.body.data.id),
      runSchedule(app.strapi, created.body.data.id),
    ]);
    expect(outcomes.filter((outcome) => outcome === 'ran').length).toBeLessThanOrEqual(1);
    await until(
      () => rows(documentId),
      (found) => found[0].status === 'done',
    );
    expect(await auditOf('entry.publish', documentId)).toHaveLength(1);
  });

  it('lost rights cancel it: no publish, an audit entry, a mail to who scheduled it', async () => {
    const leaving = await createAdminUser(app, superAdmin, 'communication', 'schedule-leaving');
    const documentId = await draftProject(communication, 'Maison orpheline');
    const created = await schedule(leaving, {
      uid: UID,
      documentId,
      locale: 'fr',
      action: 'publish',
      at: inSeconds(3),
    });
    expect(created.status).toBe(201);
    // The super admin makes that user a coordinator (no publish right) before the time.
    const users = await app.http().get('/admin/users').query({ pageSize: '100' }).set(superAdmin.headers);
    const user = (users.body.data.results as { id: number; email: string }[]).find(
      (candidate) => candidate.email === leaving.email,
    )!;
    const seen = mailbox.received.length;
    const demoted = await app
      .http()
      .put(`/admin/users/${user.id}`)
      .set(superAdmin.headers)
      .send({ roles: [await adminRoleId(app, superAdmin, 'project-coordinator')] });
    expect(demoted.status).toBe(200);

    const [row] = await until(
      () => rows(documentId),
      (found) => found[0].status !== 'pending',
    );
    expect(row.status).toBe('cancelled');
    expect(row.outcome).toContain('plus le droit de publier');
    expect(await publicTitle(documentId)).toBeNull();
    const cancelled = await auditOf('entry.schedule.cancel', documentId);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0].summary).toContain(leaving.email);
    const mail = await mailbox.waitFor(leaving.email, seen);
    const text = decodeQuotedPrintable(mail.data);
    expect(text).toContain('n’a pas été faite : Publier « Maison orpheline » (fr)');
    expect(text).toContain('plus le droit de publier');
  });

  it('a draft changed since its approval (back « À relire ») is not published: failed, said why', async () => {
    const documentId = await draftProject(coordinator, 'Maison relue puis changée');
    const review = (session: AdminSession, stage: string) =>
      app
        .http()
        .put(`/admin/review/${UID}/${documentId}`)
        .query({ locale: 'fr' })
        .set(session.headers)
        .send({ stage });
    expect((await review(coordinator, 'review')).status).toBe(200);
    expect((await review(communication, 'approved')).status).toBe(200);
    const created = await schedule(communication, {
      uid: UID,
      documentId,
      locale: 'fr',
      action: 'publish',
      at: inSeconds(3),
    });
    expect(created.status).toBe(201);
    // The coordinator changes it after the approval: back « À relire ».
    const edited = await app
      .http()
      .put(`${PROJECTS}/${documentId}`)
      .query({ locale: 'fr' })
      .set(coordinator.headers)
      .send({ title: 'Maison relue puis changée (non relu)' });
    expect(edited.status).toBe(200);
    const [row] = await until(
      () => rows(documentId),
      (found) => found[0].status !== 'pending',
    );
    expect(row.status).toBe('failed');
    expect(row.outcome).toContain('attend une relecture');
    expect(await publicTitle(documentId)).toBeNull();
  });

  it('a publish the rules refuse ends as failed, audited and mailed, not retried', async () => {
    const documentId = await draftProject(communication, 'Maison incomplète');
    const created = await schedule(communication, {
      uid: UID,
      documentId,
      locale: 'fr',
      action: 'publish',
      at: inSeconds(2),
    });
    // Before the time, the draft loses its title (drafts may be incomplete; a publish may not).
    const emptied = await app
      .http()
      .put(`${PROJECTS}/${documentId}`)
      .query({ locale: 'fr' })
      .set(communication.headers)
      .send({ title: null });
    expect(emptied.status).toBe(200);
    const [row] = await until(
      () => rows(documentId),
      (found) => found[0].status !== 'pending',
    );
    expect({ status: row.status, id: Number(row.id) }).toEqual({
      status: 'failed',
      id: created.body.data.id,
    });
    expect(await publicTitle(documentId)).toBeNull();
    expect(await auditOf('entry.schedule.fail', documentId)).toHaveLength(1);
  });
});
