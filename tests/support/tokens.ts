/** Read-only API tokens made the two ways a partner gets one: the CLI's function and the admin API. */
import { createReadOnlyToken } from '../../src/permissions/tokens';
import type { AdminSession } from './admin';
import type { TestApp } from './strapi';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `npm run token:create`'s function (src/permissions/tokens.ts). */
export async function tokenFromCli(app: TestApp, name: string): Promise<Record<string, string>> {
  const token = await createReadOnlyToken(app.strapi, { name, days: 30 });
  return { Authorization: `Bearer ${token.accessKey}` };
}

/**
 * What the admin panel sends (Settings > API Tokens > Create): POST /admin/api-tokens as a super
 * admin, type read-only, lifespan 7 days in milliseconds or null (unlimited).
 */
export async function tokenFromAdminApi(
  app: TestApp,
  superAdmin: AdminSession,
  name: string,
  lifespan: number | null = 7 * DAY_MS,
  permissions: string[] | null = lifespan === null ? null : [],
): Promise<Record<string, string>> {
  const response = await app
    .http()
    .post('/admin/api-tokens')
    .set(superAdmin.headers)
    .send({ name, description: '', type: 'read-only', lifespan, permissions });
  if (response.status !== 201)
    throw new Error(`POST /admin/api-tokens answered ${response.status}: ${response.text}`);
  return { Authorization: `Bearer ${response.body.data.accessKey}` };
}
