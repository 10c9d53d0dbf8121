/** Admin panel users for tests, made through the admin API the panel itself calls. */
import type { TestApp } from './strapi';

export interface AdminSession {
  email: string;
  token: string;
  headers: { Authorization: string };
}

const PASSWORD = 'Admin-Passw0rd-for-tests';

/** Registers the first administrator (super admin) through /admin/register-admin. */
export async function registerFirstAdmin(app: TestApp): Promise<AdminSession> {
  const email = 'first.admin@example.test';
  const response = await app
    .http()
    .post('/admin/register-admin')
    .send({ email, firstname: 'First', lastname: 'Admin', password: PASSWORD });
  if (response.status !== 200)
    throw new Error(`register-admin answered ${response.status}: ${response.text}`);
  return session(email, response.body.data.token);
}

const session = (email: string, token: string): AdminSession => ({
  email,
  token,
  headers: { Authorization: `Bearer ${token}` },
});

/** The id of the admin role with `code` (the roles table's stable key). */
export async function adminRoleId(app: TestApp, superAdmin: AdminSession, code: string): Promise<number> {
  const response = await app.http().get('/admin/roles').set(superAdmin.headers).expect(200);
  const role = response.body.data.find((candidate: { code: string }) => candidate.code === code);
  if (!role) throw new Error(`no admin role ${code}`);
  return role.id;
}

/**
 * Invites a user with the role `code` (POST /admin/users), registers it with the invitation
 * (POST /admin/register), then logs in (POST /admin/login), as a new staff member would.
 */
export async function createAdminUser(app: TestApp, superAdmin: AdminSession, code: string, name: string) {
  const email = `${name}@example.test`;
  const invited = await app
    .http()
    .post('/admin/users')
    .set(superAdmin.headers)
    .send({ email, firstname: name, lastname: 'Staff', roles: [await adminRoleId(app, superAdmin, code)] });
  if (invited.status !== 201) throw new Error(`invite answered ${invited.status}: ${invited.text}`);
  const registered = await app
    .http()
    .post('/admin/register')
    .send({
      registrationToken: invited.body.data.registrationToken,
      userInfo: { firstname: name, lastname: 'Staff', password: PASSWORD },
    });
  if (registered.status !== 200)
    throw new Error(`register answered ${registered.status}: ${registered.text}`);
  return loginAdmin(app, email);
}

export async function loginAdmin(app: TestApp, email: string, password = PASSWORD): Promise<AdminSession> {
  const response = await app.http().post('/admin/login').send({ email, password });
  if (response.status !== 200) throw new Error(`admin login answered ${response.status}: ${response.text}`);
  return session(email, response.body.data.token);
}
