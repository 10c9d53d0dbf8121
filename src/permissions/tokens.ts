/** Read-only API tokens for partner ministries (Strapi's `read-only` token type). */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssuedToken {
  id: number;
  name: string;
  accessKey: string;
  expiresAt: string;
}

/**
 * Creates a read-only token valid for `days` days. Strapi's token service accepts only the
 * admin panel's lifespans (7, 30, 90 days or unlimited); a partner agreement may run a year, so the
 * token is created unlimited and its expiry then set to the requested day, which Strapi enforces
 * on every request like any other.
 */
export async function createReadOnlyToken(
  strapi: Core.Strapi,
  { name, days, description }: { name: string; days: number; description?: string },
): Promise<IssuedToken> {
  const tokens = strapi.service('admin::api-token');
  if (await tokens.exists({ name }))
    throw new errors.ValidationError(`An API token named "${name}" exists already`);

  const created = await tokens.create({
    name,
    description: description ?? '',
    type: 'read-only',
    kind: 'content-api',
    lifespan: null,
  });
  const expiresAt = new Date(Date.now() + days * DAY_MS);
  await strapi.db
    .query('admin::api-token')
    .update({ where: { id: created.id }, data: { expiresAt, lifespan: days * DAY_MS } });
  return { id: created.id, name, accessKey: created.accessKey, expiresAt: expiresAt.toISOString() };
}
