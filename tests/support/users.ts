/** Content API users for tests: created through the plugin's service, logged in over HTTP. */
import type { TestApp } from './strapi';

let created = 0;

export interface ApiUser {
  id: number;
  email: string;
  password: string;
  jwt: string;
}

/** Creates a confirmed user with the users-permissions role of `roleType`, then logs in by HTTP. */
export async function createApiUser(app: TestApp, roleType: string): Promise<ApiUser> {
  const role = await app.strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: roleType } });
  if (!role) throw new Error(`no users-permissions role of type ${roleType}`);
  created += 1;
  const email = `${roleType}-${created}-${Date.now()}@example.test`;
  const password = `Pw-${roleType}-${created}-secret!`;
  const user = await app.strapi.plugin('users-permissions').service('user').add({
    username: email,
    email,
    password,
    provider: 'local',
    confirmed: true,
    blocked: false,
    role: role.id,
  });

  const response = await app.http().post('/api/auth/local').send({ identifier: email, password });
  if (response.status !== 200) throw new Error(`login of ${email} answered ${response.status}`);
  return { id: user.id, email, password, jwt: response.body.jwt };
}

export const bearer = (user: { jwt: string }) => ({ Authorization: `Bearer ${user.jwt}` });
