/**
 * The listing's download formats (issue 18): the CSV in RFC 4180 and Excel's dialect, the XLSX
 * workbook, the richer columns, Last-Modified and the dated file name, streaming of a listing
 * longer than one batch (and its copy in the response cache), and the headers browsers may read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { excelDate } from '../src/api/listing/controllers/listing';
import { columnTable, columnTitle, describeColumn } from '../src/api/listing/services/columns';
import { BATCH_SIZE, LISTING_COLUMNS, type ListingRow } from '../src/api/listing/services/listing';
import { statementsDuring } from './support/sql';
import { startStrapi, type TestApp } from './support/strapi';

const PUBLIC_URL = 'http://localhost:1337';
const ORIGIN = 'https://partner.example';
/** Published projects added with SQL, so that the listing is longer than one batch. */
const EXTRA = BATCH_SIZE + 150;
const SEED_ROWS = 34;

let app: TestApp;
/** The seed project given a closing year and a summary for the richer columns. */
let closed: { documentId: string; slug: string };

beforeAll(async () => {
  app = await startStrapi({
    env: { CORS_ORIGINS: ORIGIN, PUBLIC_URL, RESPONSE_CACHE: 'true', RESPONSE_CACHE_DEBUG_HEADER: 'true' },
  });
  const projects = app.strapi.documents('api::project.project');
  const found = (await projects.findFirst({
    locale: 'fr',
    status: 'published',
    filters: { slug: { $eq: 'maison-des-jeunes-river-clausen' } },
  } as never)) as unknown as { documentId: string; slug: string };
  closed = found;
  await projects.update({
    documentId: found.documentId,
    locale: 'fr',
    data: { closedYear: 2021, summary: 'Fermée en 2021; reprise par la commune.' } as never,
  });
  await projects.publish({ documentId: found.documentId, locale: 'fr' });

  // Bulk rows for the streaming tests, in fr only (so de falls back to them): each at a site and
  // with two funders, as the seed's are. Written before any listing is read (and cached).
  const knex = app.strapi.db.connection;
  await knex.raw(
    `INSERT INTO projects (document_id, title, slug, kind, founded_year, summary, locale,
       created_at, updated_at, published_at)
     SELECT 'bulk' || lpad(n::text, 6, '0'),
       CASE WHEN n = 1 THEN '=1+1 projet' ELSE 'Projet en nombre ' || n END, 'bulk-' || n,
       'street-work', 1950 + n % 70,
       CASE WHEN n = 2 THEN 'Intro' || chr(10) || '=2+2' || chr(13) || '-3'
         WHEN n % 3 = 0 THEN 'Résumé "' || n || '", ligne' END,
       'fr', now(), now() - (n || ' minutes')::interval, now()
     FROM generate_series(1, ?) AS n`,
    [EXTRA],
  );
  await knex.raw(
    `INSERT INTO projects_site_lnk (project_id, site_id, project_ord)
     SELECT p.id, (SELECT id FROM sites WHERE locale = 'fr' ORDER BY id LIMIT 1), 1
     FROM projects p WHERE p.document_id LIKE 'bulk%'`,
  );
  await knex.raw(
    `INSERT INTO projects_funders_lnk (project_id, funder_id, funder_ord, project_ord)
     SELECT p.id, f.id, row_number() OVER (PARTITION BY p.id ORDER BY f.id), 1
     FROM projects p CROSS JOIN (SELECT id FROM funders WHERE locale = 'fr' ORDER BY id LIMIT 2) f
     WHERE p.document_id LIKE 'bulk%'`,
  );
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

/** The body of a download as bytes. */
const download = (path: string, query: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  app
    .http()
    .get(path)
    .query(query)
    .set(headers)
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    }) as unknown as Promise<Response & { body: Buffer }>;

/** Every row of the JSON listing, page by page. */
async function jsonRows(query: Record<string, unknown> = {}): Promise<ListingRow[]> {
  const rows: ListingRow[] = [];
  for (let page = 1; ; page += 1) {
    const response = await app
      .http()
      .get('/api/listings/projects')
      .query({ ...query, page, pageSize: 500 })
      .expect(200);
    rows.push(...response.body.data);
    if (!response.body.meta.links.next) return rows;
  }
}

/** A JSON row as the CSV writes it. */
const asCsv = (row: ListingRow, date: (iso: string) => string = (iso) => iso) =>
  Object.fromEntries(
    LISTING_COLUMNS.map((column) => {
      const value = row[column];
      if (Array.isArray(value)) return [column, value.join(';')];
      if (column === 'updatedAt') return [column, date(value as string)];
      return [column, value === null ? '' : String(value)];
    }),
  );

const newest = (rows: ListingRow[]) => new Date(Math.max(...rows.map((row) => Date.parse(row.updatedAt))));

describe('richer rows', () => {
  it('carry closedYear, site slug, funder names, summary, public URL and inferred, as stored', async () => {
    const rows = await jsonRows();
    expect(rows).toHaveLength(SEED_ROWS + EXTRA);
    type Stored = {
      documentId: string;
      slug: string;
      closedYear?: number | null;
      summary?: string | null;
      inferred?: string | null;
      site?: { slug: string } | null;
      funders: { slug: string; name: string }[];
    };
    const read = (uid: 'api::project.project' | 'api::service.service', populate: object) =>
      app.strapi
        .documents(uid)
        .findMany({ locale: 'fr', status: 'published', populate } as never) as unknown as Promise<Stored[]>;
    const stored = [
      ...(await read('api::project.project', { site: true, funders: true })).map(
        (entry) => ['project', entry] as const,
      ),
      ...(await read('api::service.service', { funders: true })).map((entry) => ['service', entry] as const),
    ];
    expect(stored).toHaveLength(SEED_ROWS + EXTRA);
    const byId = new Map(rows.map((row) => [row.documentId, row]));
    for (const [type, entry] of stored) {
      const funders = [...entry.funders].sort((a, b) => (a.slug < b.slug ? -1 : 1));
      expect(byId.get(entry.documentId)).toMatchObject({
        type,
        closedYear: entry.closedYear ?? null,
        siteSlug: entry.site?.slug ?? '',
        funders: funders.map((funder) => funder.slug),
        funderNames: funders.map((funder) => funder.name),
        summary: entry.summary ?? '',
        publicUrl: `${PUBLIC_URL}/entry.html?type=${type}&slug=${entry.slug}&locale=fr`,
        inferred: Boolean(entry.inferred),
      });
    }
    // The values the loop compares are not all empty.
    expect(byId.get(closed.documentId)).toMatchObject({
      closedYear: 2021,
      summary: 'Fermée en 2021; reprise par la commune.',
      siteSlug: expect.stringMatching(/^[a-z0-9-]+$/),
    });
    expect(rows.filter((row) => row.inferred).length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.funderNames.length > 0).length).toBeGreaterThan(EXTRA);
  });

  it('keep the old columns first and in their order', () => {
    expect(LISTING_COLUMNS.slice(0, 12)).toEqual([
      'type',
      'documentId',
      'slug',
      'title',
      'locale',
      'kind',
      'kindLabel',
      'foundedYear',
      'site',
      'commune',
      'funders',
      'updatedAt',
    ]);
  });
});

describe('one description per column', () => {
  /** A markdown table's lines as trimmed cells (prettier pads them). */
  const cells = (table: string) =>
    table
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => (/^\s*:?-+:?\s*$/.test(cell) ? '---' : cell.trim())),
      );

  it('the partner guide (docs/partners.en.md) shows the table of src/api/listing/services/columns.ts', () => {
    const guide = fs.readFileSync(path.join(__dirname, '..', 'docs', 'partners.en.md'), 'utf8');
    const wanted = cells(columnTable());
    const start = guide.indexOf('| column ');
    expect(start).toBeGreaterThan(0);
    expect(cells(guide.slice(start)).slice(0, wanted.length)).toEqual(wanted);
  });

  it('its French translation (docs/partners.fr.md) shows every column with its French meaning', () => {
    const guide = fs.readFileSync(path.join(__dirname, '..', 'docs', 'partners.fr.md'), 'utf8');
    const start = guide.indexOf('| colonne ');
    expect(start).toBeGreaterThan(0);
    const rows = cells(guide.slice(start)).slice(2, 2 + LISTING_COLUMNS.length);
    expect(rows.map(([name, , meaning]) => [name, meaning])).toEqual(
      LISTING_COLUMNS.map((name) => [`\`${name}\``, describeColumn(name, 'fr')]),
    );
  });

  it('the OpenAPI schema describes every column in English', async () => {
    const document = (await app.http().get('/api/openapi.json').expect(200)).body;
    const { properties } = document.components.schemas.ListingRow;
    expect(Object.keys(properties)).toEqual(LISTING_COLUMNS);
    for (const column of LISTING_COLUMNS)
      expect({ column, description: properties[column].description }).toEqual({
        column,
        description: describeColumn(column, 'en'),
      });
  });
});

describe('a listing longer than one batch', () => {
  it('streams the CSV with the JSON listing’s rows, in its order, and caches it once sent', async () => {
    const rows = await jsonRows();
    const first = await download('/api/listings/projects.csv');
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    // Streamed: no length known in advance, no ETag (the body is not hashed).
    expect(first.headers['content-length']).toBeUndefined();
    const text = first.body.toString('utf8');
    expect(text.startsWith('type,documentId,slug,')).toBe(true);
    expect(parse(text, { columns: true })).toEqual(rows.map((row) => asCsv(row)));

    // The copy taken on the way is served next, byte for byte.
    const second = await download('/api/listings/projects.csv');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.headers['content-disposition']).toBe(first.headers['content-disposition']);
    expect(second.headers['last-modified']).toBe(first.headers['last-modified']);
  });

  it('reads rows in batches, a few statements for the whole download', async () => {
    const statements = await statementsDuring(app, () =>
      download('/api/listings/projects.csv', { locale: 'de', dialect: 'excel' }),
    );
    const listing = statements.filter((sql) => /from "(projects|services)" as "e"/.test(sql));
    // The counts (one statement), two batches of projects, one of services: not one per row.
    expect(listing).toHaveLength(4);
  });

  it('falls back to French for rows without a German version, in every format', async () => {
    const rows = await jsonRows({ locale: 'de' });
    expect(rows).toHaveLength(SEED_ROWS + EXTRA);
    expect(rows.filter((row) => row.slug.startsWith('bulk-')).every((row) => row.locale === 'fr')).toBe(true);
    const csv = await download('/api/listings/projects.csv', { locale: 'de' });
    expect(parse(csv.body.toString('utf8'), { columns: true })).toEqual(rows.map((row) => asCsv(row)));
  });
});

describe('CSV for Excel (?dialect=excel)', () => {
  it('is UTF-8 with a BOM, ;-separated, CRLF, with local dates, and otherwise the same rows', async () => {
    const query = { type: 'service' };
    const rows = await jsonRows(query);
    const response = await download('/api/listings/projects.csv', { ...query, dialect: 'excel' });
    const bytes = response.body;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(LISTING_COLUMNS.join(';'));
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const parsed: Record<string, string>[] = parse(text, { columns: true, delimiter: ';' });
    expect(parsed).toEqual(rows.map((row) => asCsv(row, excelDate)));
    expect(parsed[0].updatedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // "é" is written as UTF-8 once, not mangled.
    expect(text).toMatch(/é/);

    const plain = await download('/api/listings/projects.csv', query);
    expect([...plain.body.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(plain.body.toString('utf8').split('\r\n')[0]).toBe(LISTING_COLUMNS.join(','));
  });

  it('keeps Excel from running a title as a formula (and only there)', async () => {
    const query = { kind: 'street-work', foundedFrom: 1951, foundedTo: 1951 };
    const excel = await download('/api/listings/projects.csv', { ...query, dialect: 'excel' });
    const rows: Record<string, string>[] = parse(excel.body.toString('utf8'), {
      columns: true,
      delimiter: ';',
      bom: true,
    });
    expect(rows.find((row) => row.slug === 'bulk-1')?.title).toBe("'=1+1 projet");
    const plain = await download('/api/listings/projects.csv', query);
    const plainRows: Record<string, string>[] = parse(plain.body.toString('utf8'), { columns: true });
    expect(plainRows.find((row) => row.slug === 'bulk-1')?.title).toBe('=1+1 projet');
  });

  it('quotes a field holding a line break, so that no line of it becomes a row (or a formula)', async () => {
    const query = { kind: 'street-work', foundedFrom: 1952, foundedTo: 1952 };
    const listed = await app.http().get('/api/listings/projects').query(query).expect(200);
    const excel = await download('/api/listings/projects.csv', { ...query, dialect: 'excel' });
    const plain = await download('/api/listings/projects.csv', query);
    for (const [text, delimiter] of [
      [excel.body.toString('utf8'), ';'],
      [plain.body.toString('utf8'), ','],
    ]) {
      const rows: Record<string, string>[] = parse(text, { columns: true, delimiter, bom: true });
      expect(rows).toHaveLength(listed.body.meta.pagination.total);
      expect(rows.find((row) => row.slug === 'bulk-2')?.summary).toBe('Intro\n=2+2\r-3');
    }
  });

  it('writes dates in Luxembourg time, summer and winter', () => {
    expect(excelDate('2026-07-01T10:00:00.000Z')).toBe('2026-07-01 12:00:00');
    expect(excelDate('2026-12-31T23:30:05.000Z')).toBe('2027-01-01 00:30:05');
  });
});

describe('the XLSX workbook', () => {
  it('has a styled, frozen header, widths, years as numbers, dates as dates, the same rows', async () => {
    const rows = await jsonRows({ locale: 'de' });
    const response = await download('/api/listings/projects.xlsx', { locale: 'de' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="inter-actions-projects-de-\d{4}-\d\d-\d\d\.xlsx"$/,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Projekte und Dienste', 'Spalten']);

    const [sheet, columns] = workbook.worksheets;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = sheet.getRow(1);
    // People's names in the workbook's language (the keys are in the second sheet, the CSV, the JSON).
    expect(header.values).toEqual([undefined, ...LISTING_COLUMNS.map((column) => columnTitle(column, 'de'))]);
    expect(header.values).toContain('Gründungsjahr');
    expect(header.values).not.toContain('documentId');
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(sheet.getColumn(LISTING_COLUMNS.indexOf('title') + 1).width).toBeGreaterThan(30);
    expect(sheet.rowCount).toBe(rows.length + 1);

    const cell = (row: number, column: string) =>
      sheet.getRow(row).getCell(LISTING_COLUMNS.indexOf(column as never) + 1);
    rows.forEach((row, index) => {
      const line = index + 2;
      expect(cell(line, 'documentId').value).toBe(row.documentId);
      expect(cell(line, 'foundedYear').type).toBe(ExcelJS.ValueType.Number);
      expect(cell(line, 'foundedYear').value).toBe(row.foundedYear);
      expect(cell(line, 'updatedAt').type).toBe(ExcelJS.ValueType.Date);
      // Luxembourg's wall clock, as Excel shows it.
      expect((cell(line, 'updatedAt').value as Date).toISOString().slice(0, 19)).toBe(
        excelDate(row.updatedAt).replace(' ', 'T'),
      );
      expect(cell(line, 'funders').value ?? '').toBe(row.funders.join(';'));
      expect(cell(line, 'inferred').value).toBe(row.inferred ? 'Ja' : 'Nein');
    });
    const withClosing = rows.findIndex((row) => row.documentId === closed.documentId) + 2;
    expect(cell(withClosing, 'closedYear').type).toBe(ExcelJS.ValueType.Number);
    expect(cell(withClosing, 'closedYear').value).toBe(2021);
    expect(cell(withClosing, 'updatedAt').numFmt).toBe('yyyy-mm-dd hh:mm:ss');

    // The second sheet says what each column means, in German.
    expect(columns.getRow(1).values).toEqual([undefined, 'Spalte', 'Schlüssel (CSV, JSON)', 'Bedeutung']);
    expect(columns.rowCount).toBe(LISTING_COLUMNS.length + 1);
    LISTING_COLUMNS.forEach((column, index) => {
      expect(columns.getRow(index + 2).values).toEqual([
        undefined,
        columnTitle(column, 'de'),
        column,
        describeColumn(column, 'de'),
      ]);
    });
    expect(columns.getRow(LISTING_COLUMNS.indexOf('foundedYear') + 2).getCell(3).value).toBe(
      'Gründungsjahr des Projekts oder Dienstes',
    );
  });

  it.each([
    ['fr', 'Colonnes', 'Année de création du projet ou du service'],
    ['lb', 'Kolonnen', 'Joer, an deem de Projet oder de Service ugefaang huet'],
    ['en', 'Columns', 'Year the project or service began'],
  ])('describes the columns in %s', async (locale, name, foundedYear) => {
    const response = await download('/api/listings/projects.xlsx', { locale, type: 'service' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as never);
    const columns = workbook.getWorksheet(name);
    expect(columns?.getRow(LISTING_COLUMNS.indexOf('foundedYear') + 2).getCell(3).value).toBe(foundedYear);
  });

  it('is readable with a read-only token', async () => {
    const { createReadOnlyToken } = await import('../src/permissions/tokens');
    const token = await createReadOnlyToken(app.strapi, { name: 'Workbook reader', days: 7 });
    const response = await download(
      '/api/listings/projects.xlsx',
      { commune: 'Mersch' },
      { Authorization: `Bearer ${token.accessKey}` },
    );
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as never);
    expect(workbook.worksheets[0].rowCount).toBe(1 + 4);
  });
});

describe('Last-Modified and the dated file name', () => {
  it('date every format by the newest row of the selection', async () => {
    const date = newest(await jsonRows({ type: 'service' }));
    const json = await app.http().get('/api/listings/projects').query({ type: 'service' }).expect(200);
    expect(json.headers['last-modified']).toBe(date.toUTCString());
    // The Luxembourgish selection has its own rows (translations saved apart from the French).
    const lbDate = newest(await jsonRows({ type: 'service', locale: 'lb' }));
    const day = excelDate(lbDate.toISOString()).slice(0, 10);
    for (const [path, extension] of [
      ['/api/listings/projects.csv', 'csv'],
      ['/api/listings/projects.xlsx', 'xlsx'],
    ]) {
      const response = await download(path, { type: 'service', locale: 'lb' });
      expect(response.headers['last-modified']).toBe(lbDate.toUTCString());
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="inter-actions-projects-lb-${day}.${extension}"`,
      );
    }
  });

  it('an empty selection is dated by its locale’s whole listing', async () => {
    const all = newest(await jsonRows());
    const response = await download('/api/listings/projects.csv', { since: '2999-01-01' });
    expect(response.body.toString('utf8')).toBe(`${LISTING_COLUMNS.join(',')}\r\n`);
    expect(response.headers['last-modified']).toBe(all.toUTCString());
  });
});

describe('bad input', () => {
  it.each([
    ['/api/listings/projects.csv', { dialect: 'semicolon' }, '"dialect"', 'semicolon'],
    ['/api/listings/projects.csv', { dialect: 'excel', page: 2 }, '"page"', 'Unknown'],
    ['/api/listings/projects', { dialect: 'excel' }, '"dialect"', 'Unknown'],
    ['/api/listings/projects.xlsx', { dialect: 'excel' }, '"dialect"', 'Unknown'],
    ['/api/listings/projects.xlsx', { pageSize: 10 }, '"pageSize"', 'Unknown'],
    ['/api/listings/projects.xlsx', { locale: 'xx' }, '"locale"', 'xx'],
    ['/api/listings/projects.pdf', {}, '"pdf"', 'format'],
  ])('%s %j answers 400 naming it', async (path, query, name, word) => {
    const response = await app.http().get(path).query(query);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    expect(response.body.error.message).toContain(name);
    expect(response.body.error.message).toContain(word);
  });
});

describe('CORS', () => {
  it('lets browser apps read ETag, Content-Disposition and Last-Modified', async () => {
    const response = await app.http().get('/api/listings/projects.csv').set('Origin', ORIGIN).expect(200);
    expect(response.headers['access-control-allow-origin']).toBe(ORIGIN);
    const exposed = String(response.headers['access-control-expose-headers'])
      .split(',')
      .map((name) => name.trim().toLowerCase());
    expect(exposed).toEqual(expect.arrayContaining(['etag', 'content-disposition', 'last-modified']));
  });
});
