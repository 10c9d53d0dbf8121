/**
 * The audit log's staff API (issue 25, section 4), super administrators only:
 * `GET /admin/audit-logs?action=&user=&from=&to=&page=&pageSize=` (newest first; `user` is an admin
 * user's id or e-mail, `from` and `to` ISO 8601 dates or times), and the same with `format=csv`
 * for the export (every matching entry, at most 100,000). Any other role, and any admin token: 403.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { stringify } from 'csv-stringify/sync';
import type { Context } from 'koa';
import { readAudit, type AuditEntry } from './index';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;
const MAX_EXPORT = 100_000;
const SUPER_ADMIN = 'strapi-super-admin';

const invalid = (message: string, param: string) =>
  new errors.ValidationError(message, { source: 'query', param });

function positive(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const text = String(value);
  if (!/^[1-9][0-9]{0,6}$/.test(text) || Number(text) > max)
    throw invalid(`Invalid ${name}: a whole number from 1 to ${max}`, name);
  return Number(text);
}

function date(value: unknown, name: string, endOfDay: boolean): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const text = String(value);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const parsed = new Date(day ? `${text}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : text);
  if (!/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) || Number.isNaN(parsed.getTime()))
    throw invalid(`Invalid ${name}: a date (2026-12-07) or an ISO 8601 time`, name);
  return parsed;
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`Invalid ${name}: one value`, name);
  if (value.length > 200) throw invalid(`Invalid ${name}: at most 200 characters`, name);
  return value;
}

/**
 * A super administrator in a panel session. Not an admin token: Strapi 5.54's admin tokens carry
 * their owner as `ctx.state.user`, roles included, whatever rights the token itself was given.
 */
const isSuperAdmin = (ctx: Context) => {
  const state = ctx.state as {
    user?: { roles?: { code?: string }[] };
    auth?: { strategy?: { name?: string } };
  };
  return (
    state.auth?.strategy?.name === 'admin' &&
    (state.user?.roles ?? []).some((role) => role.code === SUPER_ADMIN)
  );
};

const row = (entry: AuditEntry) => ({
  id: Number(entry.id),
  at: entry.at,
  action: entry.action,
  actor: entry.actor,
  ip: entry.ip,
  object: entry.object,
  summary: entry.summary,
  hash: entry.hash,
});

async function list(strapi: Core.Strapi, ctx: Context) {
  if (!isSuperAdmin(ctx))
    throw new errors.ForbiddenError('The audit log is read by super administrators only');
  const query = ctx.query as Record<string, unknown>;
  const format = single(query, 'format');
  if (format !== undefined && format !== 'csv' && format !== 'json')
    throw invalid('Invalid format: csv or json', 'format');
  const csv = format === 'csv';
  const filters = {
    action: single(query, 'action'),
    user: single(query, 'user'),
    from: date(single(query, 'from'), 'from', false),
    to: date(single(query, 'to'), 'to', true),
  };
  const page = csv ? 1 : positive(query.page, 'page', 1, 1_000_000);
  const pageSize = csv ? MAX_EXPORT : positive(query.pageSize, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const { entries, total } = await readAudit(strapi, { ...filters, page, pageSize });
  ctx.set('Cache-Control', 'no-store');
  if (csv) {
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment(`audit-log-${new Date().toISOString().slice(0, 10)}.csv`);
    ctx.body = stringify(
      entries.map((entry) => [
        entry.id,
        entry.at,
        entry.action,
        entry.actor?.kind ?? '',
        entry.actor?.id ?? '',
        entry.actor?.email ?? entry.actor?.name ?? '',
        entry.ip ?? '',
        entry.object?.type ?? '',
        entry.object?.id ?? '',
        entry.object?.locale ?? '',
        entry.object?.name ?? '',
        entry.summary ?? '',
        entry.hash,
      ]),
      {
        header: true,
        columns: [
          'id',
          'at',
          'action',
          'actor_kind',
          'actor_id',
          'actor',
          'ip',
          'object_type',
          'object_id',
          'locale',
          'object_name',
          'summary',
          'hash',
        ],
        // A cell starting with = + - @ is not a formula when the file opens in a spreadsheet.
        cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
      },
    );
    return;
  }
  ctx.body = {
    data: entries.map(row),
    meta: { pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } },
  };
}

export function registerAuditRoutes(strapi: Core.Strapi): void {
  strapi.server.routes({
    type: 'admin',
    prefix: '',
    routes: [
      {
        method: 'GET',
        path: '/admin/audit-logs',
        handler: (ctx: Context) => list(strapi, ctx),
        config: { policies: ['admin::isAuthenticatedAdmin'] },
      },
    ],
  } as never);
}
