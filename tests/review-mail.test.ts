/**
 * The review's mails (issue 25, section 2; src/review/mail.ts) at a real SMTP server on 127.0.0.1:
 * Communication gets one mail when entries enter « À relire », listing them with links; the author
 * one when its entry is approved, sent back (with the comment) or published; at most one mail per
 * recipient every 10 minutes, what happens in between going in the next one.
 */
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { decodeQuotedPrintable, smtpEnv, startMailbox, type Mailbox } from './support/smtp';
import { appModule, startStrapi, type TestApp } from './support/strapi';

const { reviewMailsSettled, sendDueReviewMails } =
  appModule<typeof import('../src/review/mail')>('src/review/mail');

jest.setTimeout(120_000);

const PUBLIC_URL = 'https://cms.example.test';
const PROJECTS = '/content-manager/collection-types/api::project.project';
const UID = 'api::project.project';
type Data = Record<string, unknown>;

let app: TestApp;
let mailbox: Mailbox;
let superAdmin: AdminSession;
let claire: AdminSession;
let david: AdminSession;
let coordinator: AdminSession;
const projects: Record<string, string> = {};

beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startStrapi({ env: { PUBLIC_URL, AUTH_RATE_LIMIT_MAX: '10000', ...smtpEnv(mailbox) } });
  superAdmin = await registerFirstAdmin(app);
  claire = await createAdminUser(app, superAdmin, 'communication', 'mail-claire');
  david = await createAdminUser(app, superAdmin, 'communication', 'mail-david');
  coordinator = await createAdminUser(app, superAdmin, 'project-coordinator', 'mail-coordinator');
  const [site] = (await app.strapi
    .documents('api::site.site')
    .findMany({ locale: 'fr', limit: 1 } as never)) as unknown as Data[];
  for (const [key, title] of [
    ['a', 'Maison relue A'],
    ['b', 'Maison relue B'],
  ]) {
    const created = await app
      .http()
      .post(PROJECTS)
      .query({ locale: 'fr' })
      .set(coordinator.headers)
      .send({
        title,
        slug: `maison-relue-${key}`,
        kind: 'youth-house',
        foundedYear: 2021,
        site: { connect: [{ documentId: site.documentId, locale: 'fr' }] },
      });
    expect(created.status).toBe(201);
    projects[key] = created.body.data.documentId;
  }
});

afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

const move = (session: AdminSession, key: string, stage: string, comment?: string) =>
  app
    .http()
    .put(`/admin/review/${UID}/${projects[key]}`)
    .query({ locale: 'fr' })
    .set(session.headers)
    .send({ stage, ...(comment ? { comment } : {}) })
    .expect(200);
const text = (mail: { data: string }) => decodeQuotedPrintable(mail.data);
/** The review mails `session` got (not its invitation). */
const mailsTo = (session: AdminSession) =>
  mailbox.received.filter(
    (mail) => mail.to.includes(session.email) && text(mail).includes('au plus un toutes les dix minutes'),
  );
/** Runs the sender at `at` once the runs the moves started have finished. */
const sendAt = async (at?: Date) => {
  await reviewMailsSettled(app.strapi);
  return sendDueReviewMails(app.strapi, at);
};
/** Waits for the runs the moves started, then returns the review mails of `session`. */
const settled = async (session: AdminSession) => {
  await reviewMailsSettled(app.strapi);
  return mailsTo(session);
};
/** Ten minutes later, for the mail window. */
const later = () => new Date(Date.now() + 11 * 60 * 1000);

describe('review mails', () => {
  it('a submission: one mail to each Communication user, with the entry and a link to its edit view', async () => {
    await move(coordinator, 'a', 'review', 'Prêt pour relecture');
    for (const session of [claire, david]) {
      const mails = await settled(session);
      expect(mails).toHaveLength(1);
      const body = text(mails[0]);
      expect(body).toContain('Maison relue A');
      expect(body).toContain('Prêt pour relecture');
      expect(body).toContain(
        `${PUBLIC_URL}/admin/content-manager/collection-types/${UID}/${projects.a}?plugins[i18n][locale]=fr`,
      );
    }
    expect(await settled(coordinator)).toEqual([]);
  });

  it('a second submission within ten minutes waits, then goes in the next mail', async () => {
    await move(coordinator, 'b', 'review');
    expect(await sendAt()).toBe(0);
    expect(await settled(claire)).toHaveLength(1);
    expect(await sendAt(later())).toBe(2);
    for (const session of [claire, david]) {
      const mails = await settled(session);
      expect(mails).toHaveLength(2);
      expect(text(mails[1])).toContain('Maison relue B');
      expect(text(mails[1])).not.toContain('Maison relue A');
    }
  });

  it('the author hears that its entry was sent back (with the comment), approved and published', async () => {
    await move(claire, 'a', 'draft', 'Le résumé manque');
    const [sentBack] = await settled(coordinator);
    expect(text(sentBack)).toContain('Renvoy');
    expect(text(sentBack)).toContain('Le résumé manque');
    // Within its ten minutes: the approval and the publication of B wait, then go in one mail.
    await move(david, 'b', 'approved');
    await app
      .http()
      .post(`${PROJECTS}/${projects.b}/actions/publish`)
      .query({ locale: 'fr' })
      .set(david.headers)
      .send({})
      .expect(200);
    expect(await settled(coordinator)).toHaveLength(1);
    expect(await sendAt(later())).toBe(1);
    const digest = (await settled(coordinator))[1];
    expect(text(digest)).toContain('Approuv');
    expect(text(digest)).toContain('Publi');
    expect(text(digest)).toContain('Maison relue B');
    // Nobody gets a mail twice for the same move.
    expect(await sendAt(new Date(Date.now() + 30 * 60 * 1000))).toBe(0);
  });
});
