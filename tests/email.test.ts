/**
 * E-mail end to end against a real SMTP server on 127.0.0.1 (tests/support/smtp.ts): an admin's
 * forgotten password, an invitation to the admin panel, and an API account's forgotten password.
 * Each mail arrives through SMTP with its login, in French (German or English for an invitation
 * to a user with that admin language), and its link works: the new password logs in, the old
 * one no longer does, and a link works once.
 */
import { adminRoleId, createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { decodeQuotedPrintable, smtpEnv, startMailbox, SMTP_USER, type Mailbox } from './support/smtp';
import { startStrapi, type TestApp } from './support/strapi';
import { createApiUser } from './support/users';

const PUBLIC_URL = 'https://cms.example.test';
// Each test asks for more resets and logins than the production budget allows.
const TEST_ENV = { PUBLIC_URL, AUTH_RATE_LIMIT_MAX: '10000' };

let app: TestApp;
let mailbox: Mailbox;
let superAdmin: AdminSession;

beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startStrapi({ env: { ...TEST_ENV, ...smtpEnv(mailbox) } });
  superAdmin = await registerFirstAdmin(app);
});

afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

/** The first link of `mail` that starts with `prefix`, and its query parameter `name`. */
function linkIn(mail: { data: string }, prefix: string, name: string): { url: string; value: string } {
  const body = decodeQuotedPrintable(mail.data);
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}[^\\s"<>]+`).exec(body);
  if (!match) throw new Error(`no link ${prefix}… in the mail:\n${body}`);
  const url = new URL(match[0].replace(/&amp;/g, '&'));
  const value = url.searchParams.get(name) ?? new URLSearchParams(url.hash.slice(1)).get(name) ?? '';
  return { url: match[0], value };
}

const adminLogin = (email: string, password: string) =>
  app.http().post('/admin/login').send({ email, password });

describe('an admin user who forgot the password', () => {
  it('gets a French mail with a link to the panel; the new password logs in, the old does not', async () => {
    const staff = await createAdminUser(app, superAdmin, 'communication', 'oubli');
    const since = mailbox.received.length;
    const asked = await app.http().post('/admin/forgot-password').send({ email: staff.email });
    expect(asked.status).toBe(204);
    const mail = await mailbox.waitFor(staff.email, since);
    expect(mail).toMatchObject({ from: 'cms@example.test', user: SMTP_USER });
    expect(decodeQuotedPrintable(mail.data)).toContain('réinitialisation du mot de passe');

    const { value: code } = linkIn(mail, `${PUBLIC_URL}/admin/auth/reset-password?code=`, 'code');
    expect(code).toMatch(/^[0-9a-f]{40,}$/);
    const newPassword = 'Nouveau-Passw0rd-admin';
    const reset = await app
      .http()
      .post('/admin/reset-password')
      .send({ resetPasswordToken: code, password: newPassword });
    expect(reset.status).toBe(200);

    expect((await adminLogin(staff.email, newPassword)).status).toBe(200);
    expect((await adminLogin(staff.email, 'Admin-Passw0rd-for-tests')).status).toBe(400);
    const again = await app
      .http()
      .post('/admin/reset-password')
      .send({ resetPasswordToken: code, password: 'Another-Passw0rd-1' });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ status: 400 });
  });

  it('sends nothing for an unknown address, and answers the same', async () => {
    const since = mailbox.received.length;
    const asked = await app.http().post('/admin/forgot-password').send({ email: 'nobody@example.test' });
    expect(asked.status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailbox.received.slice(since)).toEqual([]);
  });
});

describe('an invitation to the admin panel', () => {
  const invite = async (email: string, preferedLanguage?: string) => {
    const since = mailbox.received.length;
    const response = await app
      .http()
      .post('/admin/users')
      .set(superAdmin.headers)
      .send({
        email,
        firstname: 'Nouvelle',
        lastname: 'Recrue',
        roles: [await adminRoleId(app, superAdmin, 'communication')],
        ...(preferedLanguage ? { preferedLanguage } : {}),
      });
    expect(response.status).toBe(201);
    return { response, mail: await mailbox.waitFor(email, since) };
  };

  it('mails the registration link in French; registering with it opens the account', async () => {
    const email = 'nouvelle.recrue@example.test';
    const { response, mail } = await invite(email);
    const body = decodeQuotedPrintable(mail.data);
    expect(body).toContain('vous a créé un compte');
    expect(body).toContain('First Admin');
    const { value: token } = linkIn(
      mail,
      `${PUBLIC_URL}/admin/auth/register?registrationToken=`,
      'registrationToken',
    );
    expect(token).toBe(response.body.data.registrationToken);

    const password = 'Recrue-Passw0rd-1';
    const registered = await app
      .http()
      .post('/admin/register')
      .send({ registrationToken: token, userInfo: { firstname: 'Nouvelle', lastname: 'Recrue', password } });
    expect(registered.status).toBe(200);
    expect((await adminLogin(email, password)).status).toBe(200);
  });

  it.each([
    ['de', 'hat für Sie ein Konto'],
    ['en', 'has created an account for you'],
  ])('writes to a user whose admin language is %s in that language', async (language, phrase) => {
    const { mail } = await invite(`invite-${language}@example.test`, language);
    expect(decodeQuotedPrintable(mail.data)).toContain(phrase);
  });
});

describe('an API account that forgot its password', () => {
  it('gets a French mail whose link opens our reset page; the new password logs in', async () => {
    const user = await createApiUser(app, 'authenticated');
    const since = mailbox.received.length;
    const asked = await app.http().post('/api/auth/forgot-password').send({ email: user.email });
    expect({ status: asked.status, body: asked.body }).toEqual({ status: 200, body: { ok: true } });
    const mail = await mailbox.waitFor(user.email, since);
    expect(mail).toMatchObject({ from: 'cms@example.test', user: SMTP_USER });
    expect(decodeQuotedPrintable(mail.data)).toContain('réinitialisation du mot de passe');

    // The code comes after `#`: browsers never send it, so no log holds it.
    const { url, value: code } = linkIn(mail, `${PUBLIC_URL}/mot-de-passe.html#code=`, 'code');
    expect(new URL(url).search).toBe('');
    const page = await app.http().get(new URL(url).pathname);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('/mot-de-passe.js');

    // What public/mot-de-passe.js posts.
    const newPassword = 'Nouveau-Passw0rd-api';
    const reset = await app
      .http()
      .post('/api/auth/reset-password')
      .send({ code, password: newPassword, passwordConfirmation: newPassword });
    expect(reset.status).toBe(200);
    const login = (password: string) =>
      app.http().post('/api/auth/local').send({ identifier: user.email, password });
    expect((await login(newPassword)).status).toBe(200);
    expect((await login(user.password)).status).toBe(400);
  });

  it('answers a known address as an unknown one while the SMTP server is unreachable', async () => {
    const user = await createApiUser(app, 'authenticated');
    await mailbox.close();
    const known = await app.http().post('/api/auth/forgot-password').send({ email: user.email });
    const unknown = await app.http().post('/api/auth/forgot-password').send({ email: 'nobody@example.test' });
    expect({ status: known.status, body: known.body }).toEqual({ status: 200, body: { ok: true } });
    expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 200, body: { ok: true } });
  });
});
