/**
 * Partners' read-only API tokens are served from the response cache, like anonymous readers.
 *
 * A read-only token reads exactly what the public reads (./read-only-tokens.ts narrows every scope
 * it is granted to the public role's), so its answers to GETs of the content API are the public
 * ones. Before the response cache looks a GET up, `readsAsPublic` checks the token on every
 * request, as Strapi's content-api-token strategy does (the same service, lookup by hashed key,
 * kind, expiry, and last-use date), and when it is a valid, unexpired read-only token it takes the
 * Authorization header off: the request is then answered, cached or not, exactly as the public's,
 * by construction. A revoked or expired token is not touched here; Strapi refuses it (401) as
 * before, at once, whatever the cache holds. Full-access and custom tokens, and users' JWTs, keep
 * their header and bypass the cache.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

interface ApiToken {
  id: number;
  type: string;
  kind?: string | null;
  expiresAt?: string | null;
  lastUsedAt?: string | null;
}

interface ContentApiTokens {
  hash: (accessKey: string) => string;
  getByAccessKey: (hashed: string) => Promise<ApiToken | null | undefined>;
}

const HOUR_MS = 60 * 60 * 1000;

/** The bearer token of the request, if the header is exactly `Bearer <token>`. */
function bearerToken(ctx: Context): string | undefined {
  const parts = ctx.get('Authorization').trim().split(/\s+/);
  return parts.length === 2 && parts[0].toLowerCase() === 'bearer' ? parts[1] : undefined;
}

/**
 * True, with the Authorization header removed, when the request carries a valid read-only content
 * API token; false, with the request untouched, otherwise.
 */
export async function readsAsPublic(strapi: Core.Strapi, ctx: Context): Promise<boolean> {
  const accessKey = bearerToken(ctx);
  if (!accessKey) return false;
  const tokens = strapi.service('admin::api-token-content-api') as unknown as ContentApiTokens;
  const token = await tokens.getByAccessKey(tokens.hash(accessKey));
  if (!token || token.type !== 'read-only' || (token.kind !== 'content-api' && token.kind != null))
    return false;
  const now = Date.now();
  if (token.expiresAt && new Date(token.expiresAt).getTime() < now) return false;
  // Strapi records the last use at most hourly; the panel's token list shows it.
  if (!token.lastUsedAt || now - new Date(token.lastUsedAt).getTime() >= HOUR_MS) {
    await strapi.db
      .query('admin::api-token')
      .update({ where: { id: token.id }, data: { lastUsedAt: new Date(now) } });
  }
  delete ctx.request.headers.authorization;
  ctx.state.readOnlyToken = token.id;
  return true;
}
