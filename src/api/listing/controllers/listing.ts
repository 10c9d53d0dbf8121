/** GET /api/listings/projects (JSON, paged) and /api/listings/projects.csv (RFC 4180, all rows). */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { stringify } from 'csv-stringify/sync';
import type { Context } from 'koa';
import { z } from 'zod';
import { checkLocale } from '../../../i18n/locale-query';
import { LISTING_COLUMNS, listingQuery, type ListingQuery, type ListingRow } from '../services/listing';

/** Parses the query, or answers 400 with a message naming the parameter at fault. */
export function parseListingQuery(raw: unknown, schema: z.ZodType): unknown {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return refuse(parsed.error);
}

function refuse(error: z.ZodError): never {
  const issue = error.issues[0];
  const name = issue.code === 'unrecognized_keys' ? issue.keys[0] : String(issue.path[0] ?? 'query');
  const message =
    issue.code === 'unrecognized_keys'
      ? `Unknown query parameter "${name}"`
      : `Invalid query parameter "${name}": ${issue.message}`;
  throw new errors.ValidationError(message, { errors: z.treeifyError(error) });
}

/** The query parsed by `schema`, its locale one the i18n plugin has (else 400 naming it). */
async function parseQuery(strapi: Core.Strapi, raw: unknown, schema: z.ZodType): Promise<ListingQuery> {
  const query = parseListingQuery(raw, schema) as ListingQuery;
  await checkLocale(
    strapi,
    query.locale,
    (list) => `Invalid query parameter "locale": "${query.locale}" is none of ${list}`,
  );
  return query;
}

const service = (strapi: Core.Strapi) =>
  strapi.service('api::listing.listing') as {
    rows(query: ListingQuery): Promise<ListingRow[]>;
  };

/** The CSV carries every row: paging parameters are refused there like any unknown one. */
const csvQuery = listingQuery.omit({ page: true, pageSize: true });

function toCsv(rows: ListingRow[]): string {
  const records = rows.map((row) =>
    LISTING_COLUMNS.map((column) => (column === 'funders' ? row.funders.join(';') : row[column])),
  );
  return stringify(records, { header: true, columns: [...LISTING_COLUMNS], record_delimiter: 'windows' });
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * One action for both formats, chosen by the path: Strapi's read-only API tokens may call
   * `find` and `findOne` actions only, and partners need the CSV too.
   */
  async find(ctx: Context) {
    if (ctx.path.endsWith('.csv')) {
      const query = await parseQuery(strapi, ctx.query, csvQuery);
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="inter-actions-projects-${query.locale}.csv"`);
      ctx.body = toCsv(await service(strapi).rows(query));
      return;
    }

    const query = await parseQuery(strapi, ctx.query, listingQuery);
    const rows = await service(strapi).rows(query);
    const { page, pageSize } = query;
    const pageCount = Math.max(1, Math.ceil(rows.length / pageSize));
    const link = (target: number) => {
      const url = new URL(ctx.href);
      url.searchParams.set('page', String(target));
      return `${url.pathname}${url.search}`;
    };
    ctx.body = {
      data: rows.slice((page - 1) * pageSize, page * pageSize),
      meta: {
        locale: query.locale,
        pagination: { page, pageSize, pageCount, total: rows.length },
        links: {
          self: link(page),
          next: page < pageCount ? link(page + 1) : null,
          prev: page > 1 ? link(Math.min(page - 1, pageCount)) : null,
        },
      },
    };
  },
});
