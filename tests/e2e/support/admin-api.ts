/** Admin users made through the admin API, as the panel's own forms do (invite, register, login). */
import { baseUrl } from './browser';

async function call(method: string, route: string, body: unknown, token?: string) {
  const response = await fetch(`${baseUrl()}${route}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok)
    throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(json)}`);
  return json.data;
}

export async function adminToken(email: string, password: string): Promise<string> {
  return (await call('POST', '/admin/login', { email, password })).token;
}

/** Invites a user with the admin role `code` and registers it with `password`. */
export async function createAdminUser(
  superAdminToken: string,
  code: string,
  email: string,
  password: string,
  name = { firstname: 'Tom', lastname: 'Translator' },
) {
  const roles: { id: number; code: string }[] = await call('GET', '/admin/roles', undefined, superAdminToken);
  const role = roles.find((candidate) => candidate.code === code);
  if (!role) throw new Error(`no admin role ${code}`);
  const invited = await call('POST', '/admin/users', { email, ...name, roles: [role.id] }, superAdminToken);
  await call('POST', '/admin/register', {
    registrationToken: invited.registrationToken,
    userInfo: { ...name, password },
  });
}

/** Sets the admin language of the user of `token`, as its profile page does. */
export async function setAdminLanguage(token: string, preferedLanguage: string) {
  await call('PUT', '/admin/users/me', { preferedLanguage }, token);
}
