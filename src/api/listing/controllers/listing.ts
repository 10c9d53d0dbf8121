/**
 * GET /api/listings/projects (JSON, paged), /api/listings/projects.csv (RFC 4180, or Excel's
 * dialect with `?dialect=excel`) and /api/listings/projects.xlsx (a workbook), all rows.
 *
 * Downloads are streamed: rows are read in keyset batches (../services/listing.ts) and written as
 * they come, so memory does not grow with the listing. A CSV of one batch or less is answered as
 * one string, which the response cache stores as before; a longer one, and every workbook (2 s of
 * CPU at 2,000 projects), is teed into the cache while it streams
 * (src/middlewares/response-cache.ts): the next download of the same URL is a cache hit.
 */
import { PassThrough, Readable, pipeline } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { stringify as stringifyStream } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Context } from 'koa';
import { z } from 'zod';
import { checkLocale } from '../../../i18n/locale-query';
import { columnTitle, describeColumn, YES_NO, type ColumnName } from '../services/columns';
import {
  BATCH_SIZE,
  LISTING_COLUMNS,
  listingQuery,
  type ListingQuery,
  type ListingRow,
  type Summary,
} from '../services/listing';

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
async function parseQuery<T extends ListingQuery>(
  strapi: Core.Strapi,
  raw: unknown,
  schema: z.ZodType,
): Promise<T> {
  const query = parseListingQuery(raw, schema) as T;
  await checkLocale(
    strapi,
    query.locale,
    (list) => `Invalid query parameter "locale": "${query.locale}" is none of ${list}`,
  );
  return query;
}

interface ListingService {
  summary(query: ListingQuery): Promise<Summary>;
  slice(query: ListingQuery, summary: Summary, offset: number, limit: number): Promise<ListingRow[]>;
  batches(query: ListingQuery, size?: number): AsyncGenerator<ListingRow[]>;
}

const service = (strapi: Core.Strapi) => strapi.service('api::listing.listing') as unknown as ListingService;

/** Downloads carry every row: paging parameters are refused there like any unknown one. */
const downloadQuery = listingQuery.omit({ page: true, pageSize: true });
const DIALECTS = ['rfc4180', 'excel'] as const;
const csvQuery = downloadQuery.extend({
  dialect: z
    .string()
    .refine((value) => (DIALECTS as readonly string[]).includes(value), {
      error: (issue) => `unknown dialect "${String(issue.input)}" (use ${DIALECTS.join(' or ')})`,
    })
    .default('rfc4180'),
});
type CsvQuery = ListingQuery & { dialect: (typeof DIALECTS)[number] };

/** Excel and the workbook show dates in Luxembourg's time, as partners read them. */
const TIME_ZONE = 'Europe/Luxembourg';
const localParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
function localTime(iso: string): Record<string, string> {
  return Object.fromEntries(localParts.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
}
/** `YYYY-MM-DD HH:MM:SS` in Luxembourg's time: Excel reads it as a date in fr, de and lb locales. */
export function excelDate(iso: string): string {
  const t = localTime(iso);
  return `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute}:${t.second}`;
}
/** A Date whose UTC fields are Luxembourg's wall clock (exceljs writes dates as UTC). */
const wallClock = (iso: string): Date => new Date(`${excelDate(iso).replace(' ', 'T')}Z`);
/** The day, in Luxembourg, of a download's newest row (its file name's date). */
const day = (date: Date): string => excelDate(date.toISOString()).slice(0, 10);

/** A cell of the CSV: lists `;`-separated, no value empty, booleans as true/false. */
function csvCell(row: ListingRow, column: ColumnName, dialect: CsvQuery['dialect']): string | number {
  const value = row[column];
  if (Array.isArray(value)) return value.join(';');
  if (value === null) return '';
  if (typeof value === 'boolean') return String(value);
  if (column === 'updatedAt' && dialect === 'excel') return excelDate(value as string);
  return value;
}

const csvOptions = (dialect: CsvQuery['dialect']) => ({
  header: true,
  columns: [...LISTING_COLUMNS],
  record_delimiter: 'windows' as const,
  // A field holding a line break is quoted (csv-stringify quotes only the record delimiter, CRLF,
  // by itself): a lone LF would start a new row, its text a cell of its own.
  quoted_match: /[\r\n]/,
  // Excel runs a cell starting with = + - @ as a formula: those get a leading ' there (CSV injection).
  ...(dialect === 'excel' ? { delimiter: ';', bom: true, escape_formulas: true } : {}),
});

/** The CSV of `query`: one string when it fits in one batch, else a stream. */
async function csvBody(strapi: Core.Strapi, query: CsvQuery, total: number): Promise<string | Readable> {
  const records = (rows: ListingRow[]) =>
    rows.map((row) => LISTING_COLUMNS.map((column) => csvCell(row, column, query.dialect)));
  if (total <= BATCH_SIZE) {
    const rows: ListingRow[] = [];
    for await (const batch of service(strapi).batches(query)) rows.push(...batch);
    return stringify(records(rows), csvOptions(query.dialect));
  }
  async function* source() {
    for await (const batch of service(strapi).batches(query)) yield* records(batch);
  }
  const csv = stringifyStream(csvOptions(query.dialect));
  return pipeline(Readable.from(source()), csv, (error) => {
    if (error) strapi.log.error(`Listing CSV stopped: ${error.message}`);
  });
}

// ---------------------------------------------------------------------------------------------
// The workbook

const SHEET_NAMES: Record<string, [string, string]> = {
  fr: ['Projets et services', 'Colonnes'],
  de: ['Projekte und Dienste', 'Spalten'],
  lb: ['Projeten a Servicer', 'Kolonnen'],
  en: ['Projects and services', 'Columns'],
};
const COLUMN_HEADERS: Record<string, [string, string, string]> = {
  fr: ['Colonne', 'Clé (CSV, JSON)', 'Signification'],
  de: ['Spalte', 'Schlüssel (CSV, JSON)', 'Bedeutung'],
  lb: ['Kolonn', 'Schlëssel (CSV, JSON)', 'Bedeitung'],
  en: ['Column', 'Key (CSV, JSON)', 'Meaning'],
};
const WIDTHS: Partial<Record<ColumnName, number>> = {
  type: 10,
  documentId: 28,
  slug: 32,
  title: 45,
  locale: 8,
  kind: 20,
  kindLabel: 28,
  foundedYear: 12,
  closedYear: 12,
  site: 30,
  commune: 18,
  funders: 40,
  updatedAt: 20,
  siteSlug: 28,
  funderNames: 60,
  summary: 80,
  publicUrl: 70,
  inferred: 10,
};
const HEADER_STYLE = {
  font: { bold: true, color: { argb: 'FFFFFFFF' } },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } },
  alignment: { vertical: 'middle' },
} as const;

function xlsxCell(row: ListingRow, column: ColumnName, locale: string): ExcelJS.CellValue {
  const value = row[column];
  if (Array.isArray(value)) return value.join(';');
  // Yes or no in the workbook's language (the CSV and JSON keep true and false).
  if (typeof value === 'boolean') return (YES_NO[locale] ?? YES_NO.en)[value ? 0 : 1];
  if (column === 'updatedAt') return wallClock(value as string);
  return value as ExcelJS.CellValue;
}

/** Writes the workbook of `query` to `out`, batch by batch, waiting when the client is slower. */
async function writeWorkbook(strapi: Core.Strapi, query: ListingQuery, out: PassThrough): Promise<void> {
  const [rowsName, columnsName] = SHEET_NAMES[query.locale] ?? SHEET_NAMES.en;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet(rowsName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = LISTING_COLUMNS.map((key) => ({
    key,
    width: WIDTHS[key] ?? 16,
    style: key === 'updatedAt' ? { numFmt: 'yyyy-mm-dd hh:mm:ss' } : {},
  }));
  // People's names for the columns, in the workbook's language; the keys are in the second sheet.
  const header = sheet.addRow(LISTING_COLUMNS.map((column) => columnTitle(column, query.locale)));
  header.eachCell((cell) => Object.assign(cell, HEADER_STYLE));
  header.commit();
  for await (const batch of service(strapi).batches(query)) {
    for (const row of batch)
      sheet.addRow(LISTING_COLUMNS.map((column) => xlsxCell(row, column, query.locale))).commit();
    if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
  }
  sheet.commit();

  const [name, key, meaning] = COLUMN_HEADERS[query.locale] ?? COLUMN_HEADERS.en;
  const columns = workbook.addWorksheet(columnsName, { views: [{ state: 'frozen', ySplit: 1 }] });
  columns.columns = [{ width: 28 }, { width: 16 }, { width: 100 }];
  const top = columns.addRow([name, key, meaning]);
  top.eachCell((cell) => Object.assign(cell, HEADER_STYLE));
  top.commit();
  for (const column of LISTING_COLUMNS)
    columns
      .addRow([columnTitle(column, query.locale), column, describeColumn(column, query.locale)])
      .commit();
  columns.commit();
  await workbook.commit();
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** Last-Modified and the dated file name of a download (see docs/partners.en.md, "Names, dates and caching"). */
  async function download(ctx: Context, query: ListingQuery, extension: string): Promise<Summary> {
    const summary = await service(strapi).summary(query);
    // An empty selection dates from the listing it was cut from (the locale's, unfiltered).
    const newest =
      summary.newest ?? (await service(strapi).summary({ locale: query.locale } as ListingQuery)).newest;
    if (newest) ctx.set('Last-Modified', newest.toUTCString());
    const date = day(newest ?? new Date());
    ctx.set(
      'Content-Disposition',
      `attachment; filename="inter-actions-projects-${query.locale}-${date}.${extension}"`,
    );
    return summary;
  }

  return {
    /**
     * One action for the three formats, chosen by the path: Strapi's read-only API tokens may
     * call `find` and `findOne` actions only, and partners need the downloads too.
     */
    async find(ctx: Context) {
      const format = (ctx.params as { format?: string }).format;
      if (format !== undefined) {
        // A bad parameter is named first, as on the other formats (populate included).
        parseListingQuery(ctx.query, csvQuery);
        throw new errors.ValidationError(`Unknown listing format "${format}": use csv or xlsx`);
      }
      if (ctx.path.endsWith('.csv')) {
        const query = await parseQuery<CsvQuery>(strapi, ctx.query, csvQuery);
        const summary = await download(ctx, query, 'csv');
        ctx.type = 'text/csv; charset=utf-8';
        const body = await csvBody(strapi, query, summary.total);
        // The response cache may keep a streamed CSV once it has been sent whole.
        if (typeof body !== 'string') ctx.state.teeToCache = true;
        ctx.body = body;
        return;
      }
      if (ctx.path.endsWith('.xlsx')) {
        const query = await parseQuery(strapi, ctx.query, downloadQuery);
        await download(ctx, query, 'xlsx');
        ctx.type = XLSX_TYPE;
        const out = new PassThrough();
        writeWorkbook(strapi, query, out).catch((error: Error) => {
          strapi.log.error(`Listing workbook stopped: ${error.message}`);
          out.destroy(error);
        });
        ctx.state.teeToCache = true;
        ctx.body = out;
        return;
      }

      const query = await parseQuery(strapi, ctx.query, listingQuery);
      const summary = await service(strapi).summary(query);
      const { page, pageSize } = query;
      const rows = await service(strapi).slice(query, summary, (page - 1) * pageSize, pageSize);
      if (summary.newest) ctx.set('Last-Modified', summary.newest.toUTCString());
      const pageCount = Math.max(1, Math.ceil(summary.total / pageSize));
      const link = (target: number) => {
        // From the path and the query alone: the Host header takes no part (a bad one is no 500).
        const search = new URLSearchParams(ctx.querystring);
        search.set('page', String(target));
        return `${ctx.path}?${search}`;
      };
      ctx.body = {
        data: rows,
        meta: {
          locale: query.locale,
          pagination: { page, pageSize, pageCount, total: summary.total },
          links: {
            self: link(page),
            next: page < pageCount ? link(page + 1) : null,
            prev: page > 1 ? link(Math.min(page - 1, pageCount)) : null,
          },
        },
      };
    },
  };
};
