/**
 * What the audit log records, and where from (issue 25, section 4).
 *
 * - Content (publish, unpublish, delete, restore of an entry of any type, whatever the path:
 *   REST, GraphQL, the Content Manager, a script): the change feed's Document Service middleware
 *   calls `auditContentWrite` in the write's transaction (../changes).
 * - Accounts, roles, API tokens, webhooks, media and settings: the admin API is their one way in,
 *   so `global::audit` (../middlewares/audit.ts) records the requests that succeeded, matched on
 *   method and path by the table below; a failed admin login is recorded too. Who comes from the
 *   request's session, where from is the client address the rate limits use (`ctx.request.ip`,
 *   TRUSTED_PROXY_HOPS), the object from the route and the answer (named fields only), the summary
 *   names the fields sent, never their values.
 * - Data transfers: their start and end (../security/data-transfer.ts hooks).
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { afterDataTransfer, atDataTransferStart } from '../security/data-transfer';
import { appendAudit, auditLater, type Actor, type AuditObject } from './index';

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, unknown>;

interface RequestState {
  route?: { info?: { type?: string } };
  user?: {
    id: number;
    email?: string;
    firstname?: string | null;
    lastname?: string | null;
    username?: string;
  };
  auth?: { strategy?: { name?: string }; credentials?: { id?: number; name?: string } };
}
interface RequestLike {
  state?: RequestState;
  request?: { ip?: string };
}

/** Who acts in the request being served (a script when there is none), and from where. */
export function actorOf(ctx: RequestLike | undefined): { actor: Actor; ip: string | null } {
  const state = ctx?.state;
  const ip = ctx?.request?.ip ?? null;
  if (!state) return { actor: { kind: 'script' }, ip };
  const user = state.user;
  const strategy = state.auth?.strategy?.name;
  if (strategy !== 'admin-token' && (state.route?.info?.type === 'admin' || strategy === 'admin') && user)
    return {
      actor: {
        kind: 'admin',
        id: user.id,
        email: user.email ?? null,
        name: [user.firstname, user.lastname].filter(Boolean).join(' ') || null,
      },
      ip,
    };
  if (strategy === 'admin-token')
    return {
      actor: {
        kind: 'admin-token',
        id: state.auth?.credentials?.id ?? null,
        name: state.auth?.credentials?.name ?? null,
        email: user?.email ?? null,
      },
      ip,
    };
  if (strategy === 'api-token' || strategy === 'content-api-token')
    return {
      actor: {
        kind: 'api-token',
        id: state.auth?.credentials?.id ?? null,
        name: state.auth?.credentials?.name ?? null,
      },
      ip,
    };
  if (strategy === 'users-permissions' && user)
    return {
      actor: { kind: 'user', id: user.id, email: user.email ?? null, name: user.username ?? null },
      ip,
    };
  return { actor: { kind: 'anonymous' }, ip };
}

const CONTENT_ACTIONS: Record<string, string> = {
  publish: 'entry.publish',
  unpublish: 'entry.unpublish',
  delete: 'entry.delete',
};

/** The audit action of a Document Service write, if it is one the log records. */
export function contentAuditAction(strapi: Core.Strapi, action: string): string | undefined {
  const ctx = strapi.requestContext.get() as { state?: { historyAction?: string } } | undefined;
  if (ctx?.state?.historyAction === 'restore') return 'entry.restore';
  return CONTENT_ACTIONS[action];
}

/** The title or name of a document in a locale (its first row), for the log's object. */
export async function documentName(
  strapi: Core.Strapi,
  knex: Knex,
  uid: string,
  documentId: string | undefined,
  locale: string | undefined,
): Promise<string | null> {
  if (!documentId) return null;
  const meta = strapi.db.metadata.get(uid as never) as unknown as {
    tableName: string;
    attributes: Record<string, { columnName?: string } | undefined>;
  };
  const field = ['title', 'name', 'label'].find((name) => meta.attributes[name]);
  if (!field) return null;
  const column = (name: string) => meta.attributes[name]?.columnName ?? name;
  const query = knex(meta.tableName)
    .first({ name: column(field) })
    .where(column('documentId'), documentId);
  if (locale && locale !== '*' && meta.attributes.locale) query.where(column('locale'), locale);
  const row = (await query) as Row | undefined;
  return typeof row?.name === 'string' ? row.name : null;
}

/** Records a content write, in its transaction (called by ../changes after the write). */
export async function auditContentWrite(
  strapi: Core.Strapi,
  trx: Knex,
  write: {
    action: string;
    uid: string;
    documentId: string;
    locale?: string;
    name?: string | null;
    summary?: string | null;
  },
): Promise<void> {
  const { actor, ip } = actorOf(strapi.requestContext.get() as RequestLike | undefined);
  await appendAudit(
    strapi,
    {
      action: write.action,
      actor,
      ip,
      object: {
        type: write.uid,
        id: write.documentId,
        locale: write.locale ?? null,
        name: write.name ?? null,
      },
      summary: write.summary ?? null,
    },
    trx,
  );
}

// ---------------------------------------------------------------------------------------------
// Admin API requests

/** Keys whose values are secrets: named as "password" (or left out), never copied. */
const SECRET_KEYS = /password|secret|token|code|key|hash/i;

/** The fields a request body sets, by name (secrets named, never their values). */
function fieldsSent(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const names = Object.keys(body as Row)
    .filter((key) => !/^(currentPassword|confirmPassword|registrationToken)$/.test(key))
    .map((key) => (/password/i.test(key) ? 'password' : key))
    .filter((key) => key === 'password' || !SECRET_KEYS.test(key));
  return names.length > 0 ? `fields: ${[...new Set(names)].sort().join(', ')}` : null;
}

/** `{ id, name }` of what the answer is about (the first of a list): named fields only. */
function answered(ctx: Context, type: string, id?: string): AuditObject {
  // Strapi's admin API answers `{ data }`; the upload plugin answers the file itself.
  const raw = ctx.body as Row | undefined;
  const inner = raw && typeof raw === 'object' && 'data' in raw ? raw.data : raw;
  const data = (Array.isArray(inner) ? inner[0] : inner) as Row | undefined;
  const name =
    typeof data?.name === 'string'
      ? data.name
      : typeof data?.email === 'string'
        ? data.email
        : [data?.firstname, data?.lastname].filter((part) => typeof part === 'string').join(' ') || null;
  return {
    type,
    id: id ?? (data?.id as string | number | undefined) ?? (data?.documentId as string | undefined) ?? null,
    name,
  };
}

interface Rule {
  method: string;
  path: RegExp;
  action: string | ((ctx: Context) => string);
  object?: (ctx: Context, match: RegExpMatchArray) => AuditObject | null;
  summary?: (ctx: Context, match: RegExpMatchArray) => string | null;
}

const body = (ctx: Context) => (ctx.request as { body?: unknown }).body as Row | undefined;
const ids = (ctx: Context) => {
  const list = (body(ctx)?.ids ?? body(ctx)?.fileIds) as unknown;
  return Array.isArray(list) ? `ids: ${list.map(String).join(', ')}` : null;
};
const SUBSCRIPTION = 'api::webhook-subscription.webhook-subscription';
const CM_SUBSCRIPTIONS = `/content-manager/collection-types/${SUBSCRIPTION}`;

/** Successful admin API requests the log records. Order matters: the first match wins. */
const RULES: Rule[] = [
  { method: 'POST', path: /^\/admin\/logout$/, action: 'admin.logout' },
  // An invited user's registration, and the first administrator's.
  {
    method: 'POST',
    path: /^\/admin\/register$/,
    action: 'admin.user.register',
    object: (ctx) => answered(ctx, 'admin::user'),
  },
  {
    method: 'POST',
    path: /^\/admin\/register-admin$/,
    action: 'admin.user.register',
    object: (ctx) => answered(ctx, 'admin::user'),
    summary: () => 'first administrator',
  },
  {
    method: 'POST',
    path: /^\/admin\/forgot-password$/,
    action: 'admin.password.reset-request',
    object: (ctx) => ({
      type: 'admin::user',
      name: typeof body(ctx)?.email === 'string' ? String(body(ctx)?.email) : null,
    }),
  },
  {
    method: 'POST',
    path: /^\/admin\/reset-password$/,
    action: 'admin.password.reset',
    object: (ctx) => answered(ctx, 'admin::user'),
  },
  {
    method: 'PUT',
    path: /^\/admin\/users\/me$/,
    action: (ctx) => (body(ctx)?.password ? 'admin.password.change' : 'admin.user.update'),
    object: (ctx) => answered(ctx, 'admin::user'),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'POST',
    path: /^\/admin\/users$/,
    action: 'admin.user.create',
    object: (ctx) => answered(ctx, 'admin::user'),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'POST',
    path: /^\/admin\/users\/batch-delete$/,
    action: 'admin.user.delete',
    object: () => ({ type: 'admin::user' }),
    summary: ids,
  },
  {
    method: 'PUT',
    path: /^\/admin\/users\/(\d+)$/,
    action: 'admin.user.update',
    object: (ctx, m) => answered(ctx, 'admin::user', m[1]),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'DELETE',
    path: /^\/admin\/users\/(\d+)$/,
    action: 'admin.user.delete',
    object: (ctx, m) => answered(ctx, 'admin::user', m[1]),
  },
  {
    method: 'POST',
    path: /^\/admin\/roles$/,
    action: 'admin.role.create',
    object: (ctx) => answered(ctx, 'admin::role'),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'POST',
    path: /^\/admin\/roles\/batch-delete$/,
    action: 'admin.role.delete',
    object: () => ({ type: 'admin::role' }),
    summary: ids,
  },
  {
    method: 'PUT',
    path: /^\/admin\/roles\/(\d+)\/permissions$/,
    action: 'admin.role.permissions',
    object: (_ctx, m) => ({ type: 'admin::role', id: m[1] }),
  },
  {
    method: 'PUT',
    path: /^\/admin\/roles\/(\d+)$/,
    action: 'admin.role.update',
    object: (ctx, m) => answered(ctx, 'admin::role', m[1]),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'DELETE',
    path: /^\/admin\/roles\/(\d+)$/,
    action: 'admin.role.delete',
    object: (ctx, m) => answered(ctx, 'admin::role', m[1]),
  },
  {
    method: 'POST',
    path: /^\/admin\/api-tokens$/,
    action: 'api-token.create',
    object: (ctx) => answered(ctx, 'admin::api-token'),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'POST',
    path: /^\/admin\/api-tokens\/(\d+)\/regenerate$/,
    action: 'api-token.regenerate',
    object: (_ctx, m) => ({ type: 'admin::api-token', id: m[1] }),
  },
  {
    method: 'PUT',
    path: /^\/admin\/api-tokens\/(\d+)$/,
    action: 'api-token.update',
    object: (ctx, m) => answered(ctx, 'admin::api-token', m[1]),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'DELETE',
    path: /^\/admin\/api-tokens\/(\d+)$/,
    action: 'api-token.revoke',
    object: (ctx, m) => answered(ctx, 'admin::api-token', m[1]),
  },
  {
    method: 'POST',
    path: /^\/admin\/admin-tokens$/,
    action: 'admin-token.create',
    object: (ctx) => answered(ctx, 'admin::admin-token'),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'POST',
    path: /^\/admin\/admin-tokens\/(\d+)\/regenerate$/,
    action: 'admin-token.regenerate',
    object: (_ctx, m) => ({ type: 'admin::admin-token', id: m[1] }),
  },
  {
    method: 'PUT',
    path: /^\/admin\/admin-tokens\/(\d+)$/,
    action: 'admin-token.update',
    object: (ctx, m) => answered(ctx, 'admin::admin-token', m[1]),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'DELETE',
    path: /^\/admin\/admin-tokens\/(\d+)$/,
    action: 'admin-token.revoke',
    object: (ctx, m) => answered(ctx, 'admin::admin-token', m[1]),
  },
  {
    method: 'PUT',
    path: /^\/admin\/transfer\/tokens\/(\d+)$/,
    action: 'transfer-token.update',
    object: (ctx, m) => answered(ctx, 'admin::transfer-token', m[1]),
  },
  {
    method: 'POST',
    path: /^\/admin\/webhooks\/batch-delete$/,
    action: 'webhook.delete',
    object: () => ({ type: 'strapi::webhook' }),
    summary: ids,
  },
  {
    method: 'POST',
    path: new RegExp(`^${CM_SUBSCRIPTIONS}/actions/bulkdelete$`),
    action: 'webhook-subscription.delete',
    object: () => ({ type: SUBSCRIPTION }),
    summary: (ctx) => {
      const list = body(ctx)?.documentIds;
      return Array.isArray(list) ? `documentIds: ${list.map(String).join(', ')}` : null;
    },
  },
  {
    method: 'POST',
    path: /^\/admin\/transfer\/tokens$/,
    action: 'transfer-token.create',
    object: (ctx) => answered(ctx, 'admin::transfer-token'),
  },
  {
    method: 'POST',
    path: /^\/admin\/transfer\/tokens\/(\d+)\/regenerate$/,
    action: 'transfer-token.regenerate',
    object: (_ctx, m) => ({ type: 'admin::transfer-token', id: m[1] }),
  },
  {
    method: 'DELETE',
    path: /^\/admin\/transfer\/tokens\/(\d+)$/,
    action: 'transfer-token.revoke',
    object: (ctx, m) => answered(ctx, 'admin::transfer-token', m[1]),
  },
  {
    method: 'POST',
    path: /^\/admin\/webhooks$/,
    action: 'webhook.create',
    object: (ctx) => answered(ctx, 'strapi::webhook'),
  },
  {
    method: 'PUT',
    path: /^\/admin\/webhooks\/(\d+)$/,
    action: 'webhook.update',
    object: (ctx, m) => answered(ctx, 'strapi::webhook', m[1]),
  },
  {
    method: 'DELETE',
    path: /^\/admin\/webhooks\/(\d+)$/,
    action: 'webhook.delete',
    object: (ctx, m) => answered(ctx, 'strapi::webhook', m[1]),
  },
  {
    method: 'POST',
    path: /^\/webhook-subscriptions\/([^/]+)\/secret$/,
    action: 'webhook-subscription.secret-rotate',
    object: (_ctx, m) => ({ type: SUBSCRIPTION, id: m[1] }),
  },
  {
    method: 'POST',
    path: new RegExp(`^${CM_SUBSCRIPTIONS}$`),
    action: 'webhook-subscription.create',
    object: (ctx) => answered(ctx, SUBSCRIPTION),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'PUT',
    path: new RegExp(`^${CM_SUBSCRIPTIONS}/([^/]+)$`),
    action: 'webhook-subscription.update',
    object: (ctx, m) => answered(ctx, SUBSCRIPTION, m[1]),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'DELETE',
    path: new RegExp(`^${CM_SUBSCRIPTIONS}/([^/]+)$`),
    action: 'webhook-subscription.delete',
    object: (_ctx, m) => ({ type: SUBSCRIPTION, id: m[1] }),
  },
  {
    method: 'DELETE',
    path: /^\/upload\/files\/(\d+)$/,
    action: 'media.delete',
    object: (ctx, m) => answered(ctx, 'plugin::upload.file', m[1]),
  },
  {
    method: 'POST',
    path: /^\/upload\/actions\/bulk-delete$/,
    action: 'media.delete',
    object: () => ({ type: 'plugin::upload.file' }),
    summary: ids,
  },
  {
    method: 'PUT',
    path: /^\/upload\/settings$/,
    action: 'settings.upload',
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'POST',
    path: /^\/i18n\/locales$/,
    action: 'settings.locales',
    object: (ctx) => answered(ctx, 'plugin::i18n.locale'),
    summary: () => 'locale added',
  },
  {
    method: 'PUT',
    path: /^\/i18n\/locales\/(\d+)$/,
    action: 'settings.locales',
    object: (ctx, m) => answered(ctx, 'plugin::i18n.locale', m[1]),
    summary: (ctx) => fieldsSent(body(ctx)),
  },
  {
    method: 'DELETE',
    path: /^\/i18n\/locales\/(\d+)$/,
    action: 'settings.locales',
    object: (ctx, m) => answered(ctx, 'plugin::i18n.locale', m[1]),
    summary: () => 'locale deleted',
  },
  {
    method: 'POST',
    path: /^\/users-permissions\/roles$/,
    action: 'settings.users-permissions',
    object: () => ({ type: 'plugin::users-permissions.role' }),
    summary: () => 'role created',
  },
  {
    method: 'PUT',
    path: /^\/users-permissions\/roles\/(\d+)$/,
    action: 'settings.users-permissions',
    object: (_ctx, m) => ({ type: 'plugin::users-permissions.role', id: m[1] }),
    summary: () => 'role changed',
  },
  {
    method: 'DELETE',
    path: /^\/users-permissions\/roles\/(\d+)$/,
    action: 'settings.users-permissions',
    object: (_ctx, m) => ({ type: 'plugin::users-permissions.role', id: m[1] }),
    summary: () => 'role deleted',
  },
  {
    method: 'PUT',
    path: /^\/users-permissions\/(advanced|email-templates|providers)$/,
    action: 'settings.users-permissions',
    summary: (_ctx, m) => `${m[1]} changed`,
  },
];

/**
 * The path as Strapi's router matches it: without letter case (path-to-regexp ignores it) and
 * without trailing slashes, so that `/admin/Users/5/` is recorded as `/admin/users/5` is.
 */
const routed = (path: string) => path.toLowerCase().replace(/\/+$/, '') || '/';

/** The log entry of an admin API request that has been answered, if it makes one. */
export function requestAuditEntry(
  ctx: Context,
): { action: string; object: AuditObject | null; summary: string | null } | undefined {
  const method = ctx.method.toUpperCase();
  const path = routed(ctx.path);
  if (method === 'POST' && path === '/admin/login') {
    if (ctx.status >= 200 && ctx.status < 300) return { action: 'admin.login', object: null, summary: null };
    // A refused login (wrong password, unknown account, blocked): the address that tried, and
    // the account named. Not the 429s of the login limit (global::auth-rate-limit counts those):
    // a flood of them would only fill the log.
    if (ctx.status >= 400 && ctx.status < 500 && ctx.status !== 429) {
      const email = body(ctx)?.email;
      return {
        action: 'admin.login.failure',
        object: {
          type: 'admin::user',
          // Whole characters: half of a surrogate pair is not valid JSON for PostgreSQL.
          name: typeof email === 'string' ? Array.from(email).slice(0, 254).join('') : null,
        },
        summary: `HTTP ${ctx.status}`,
      };
    }
    return undefined;
  }
  if (ctx.status < 200 || ctx.status >= 300) return undefined;
  for (const rule of RULES) {
    if (rule.method !== method) continue;
    const match = path.match(rule.path);
    if (!match) continue;
    return {
      action: typeof rule.action === 'string' ? rule.action : rule.action(ctx),
      object: rule.object?.(ctx, match) ?? null,
      summary: rule.summary?.(ctx, match) ?? null,
    };
  }
  return undefined;
}

/** Records the answered request, if it is one the log keeps (after the answer; never throws). */
export function auditRequest(strapi: Core.Strapi, ctx: Context): Promise<void> | undefined {
  const entry = requestAuditEntry(ctx);
  if (!entry) return undefined;
  const { actor, ip } = actorOf(ctx as unknown as RequestLike);
  // A login's user is known once it succeeded; a failed one has none.
  return auditLater(strapi, {
    ...entry,
    actor: entry.action === 'admin.login.failure' ? { kind: 'anonymous' } : actor,
    ip,
  });
}

/** Data transfers: their start and their end (register, after watchDataTransfers). */
export function auditDataTransfers(strapi: Core.Strapi): void {
  const record = (action: string) => () =>
    auditLater(strapi, {
      action,
      actor: { kind: 'script' },
      summary: 'Strapi data transfer (lifecycles off while it runs)',
    });
  atDataTransferStart(strapi, record('data-transfer.start'));
  afterDataTransfer(strapi, record('data-transfer.end'));
}
