/**
 * A read-only API token reads what the public reads, nothing more.
 *
 * Strapi's built-in "Read-only" token type (the one staff pick in Settings > API Tokens, and the
 * one `npm run token:create` issues) passes every scope that ends in `find` or `findOne`,
 * including users-permissions' (`GET /api/users?populate=role`: every account's e-mail) and the
 * upload plugin's (the media library with its `related` entries). Partners must read the published
 * content and this project's public routes, i.e. exactly the public role's grants.
 *
 * Strapi asks one service for every such decision: `strapi.get('auth').verify(auth, { scope })`
 * authorizes routes, GraphQL fields, and the sanitizers' and validators' relation checks (what may
 * be populated or filtered on). The check below runs after Strapi's own, for read-only content API
 * tokens only, and additionally requires every scope to be granted to the public role (the
 * users-permissions permissions, memoized until the next write like every other request).
 *
 * It narrows Strapi's answer and never widens it. It is not a speed patch and has no off switch;
 * `assertReadOnlyTokensLimited` runs at boot and refuses to start if the check is not in place.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

type Auth = { strategy?: { name?: string }; credentials?: { type?: string } | null } | undefined;
type AuthConfig = { scope?: string | string[] } | false | undefined;
type AuthService = { verify: (auth: Auth, config?: AuthConfig) => Promise<void> };

const TOKEN_STRATEGY = 'content-api-token';

const isReadOnlyToken = (auth: Auth): boolean =>
  auth?.strategy?.name === TOKEN_STRATEGY && auth.credentials?.type === 'read-only';

async function publicActions(strapi: Core.Strapi): Promise<Set<string>> {
  const permissions: { action: string }[] = await strapi
    .plugin('users-permissions')
    .service('permission')
    .findPublicPermissions();
  return new Set(permissions.map((permission) => permission.action));
}

export function limitReadOnlyTokens(strapi: Core.Strapi): void {
  const auth = strapi.get('auth') as AuthService;
  const strapiVerify = auth.verify.bind(auth);
  auth.verify = async (state, config) => {
    await strapiVerify(state, config);
    if (config === false || !isReadOnlyToken(state)) return;
    const scopes = config?.scope === undefined ? [] : ([] as string[]).concat(config.scope);
    if (scopes.length === 0) throw new errors.ForbiddenError();
    const allowed = await publicActions(strapi);
    if (!scopes.every((scope) => allowed.has(scope))) throw new errors.ForbiddenError();
  };
}

/**
 * Boot self-check: a read-only token is refused a read scope the public role does not have (one
 * that no role can have). Throws, so the server does not start, when the check is not in place.
 */
export async function assertReadOnlyTokensLimited(strapi: Core.Strapi): Promise<void> {
  const probe = {
    strategy: { name: TOKEN_STRATEGY, verify: () => undefined },
    credentials: { type: 'read-only' },
  };
  const refused = await (strapi.get('auth') as AuthService)
    .verify(probe, { scope: 'api::self-check.self-check.find' })
    .then(
      () => false,
      (error: unknown) => error instanceof errors.ForbiddenError,
    );
  if (!refused)
    throw new Error('src/security/read-only-tokens.ts: read-only API tokens are not limited to public reads');
}
