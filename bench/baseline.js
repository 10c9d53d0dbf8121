#!/usr/bin/env node
// The physical limit the benchmark compares Strapi with: node:http and pg, no framework, the SQL
// one would write by hand, answering the benchmark's requests with the same bytes as the API
// (bench/run.js checks that they are equal before measuring).
//   GET  /api/projects?...                       S1/S5/S6: page of 25 with site and funders
//   GET  /api/projects?filters[slug][$eq]=...    S2: one project by slug
//   POST /graphql                                S3: the same list as S1, in GraphQL's shape
//   GET  /api/listings/projects.csv              S4: every published project and service, CSV
// Environment: DATABASE_URL, PORT, DIST (the compiled app, for the CSV's kind labels).
'use strict';
const http = require('node:http');
const path = require('node:path');
const { stringify } = require('csv-stringify/sync');
const { Pool } = require('pg');

process.env.TZ = 'UTC';
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const { labelOf, PROJECT_KINDS, SERVICE_THEMES } = require(
  path.join(process.env.DIST, 'src', 'vocabulary', 'labels'),
);

const PROJECT_FIELDS = `p.id, p.document_id, p.title, p.slug, p.kind, p.founded_year, p.closed_year, p.summary,
  p.description, p.partner, p.inferred, p.created_at, p.updated_at, p.published_at, p.locale`;
const SITE_FIELDS = `s.id AS s_id, s.document_id AS s_document_id, s.name AS s_name, s.slug AS s_slug,
  s.commune AS s_commune, s.quarter AS s_quarter, s.description AS s_description, s.created_at AS s_created_at,
  s.updated_at AS s_updated_at, s.published_at AS s_published_at, s.locale AS s_locale`;
const FUNDERS = `(SELECT coalesce(json_agg(json_build_object('id', f.id, 'documentId', f.document_id, 'name', f.name,
  'slug', f.slug) ORDER BY l.funder_ord), '[]') FROM projects_funders_lnk l JOIN funders f ON f.id = l.funder_id
  WHERE l.project_id = p.id) AS funders`;
const PUBLISHED = 'p.locale = $1 AND p.published_at IS NOT NULL';
const JOINS = `LEFT JOIN projects_site_lnk sl ON sl.project_id = p.id LEFT JOIN sites s ON s.id = sl.site_id`;
// The page is chosen first, so that relations are looked up for its 25 rows only.
const page = (where, select) =>
  `WITH page AS (SELECT * FROM projects p WHERE ${where} ORDER BY p.id LIMIT $2 OFFSET $3)
   SELECT ${select} FROM page p ${JOINS} ORDER BY p.id`;

const PAGE_SQL = page(PUBLISHED, `${PROJECT_FIELDS}, ${SITE_FIELDS}, ${FUNDERS}`);
const COUNT_SQL =
  'SELECT count(*)::int AS total FROM projects WHERE locale = $1 AND published_at IS NOT NULL';
const SLUG_SQL = page(`${PUBLISHED} AND p.slug = $4`, `${PROJECT_FIELDS}, ${SITE_FIELDS}, ${FUNDERS}`);
const GRAPHQL_SQL = page(
  PUBLISHED,
  `p.document_id, p.title, p.slug, p.founded_year, s.name AS s_name, s.slug AS s_slug,
  (SELECT coalesce(json_agg(json_build_object('name', f.name, 'slug', f.slug) ORDER BY l.funder_ord), '[]')
   FROM projects_funders_lnk l JOIN funders f ON f.id = l.funder_id WHERE l.project_id = p.id) AS funders`,
);
// The listing's order: by type, founding year, slug and documentId (code points), funders by slug.
const CSV_FUNDERS = (
  link,
  owner,
  alias,
) => `(SELECT json_agg(json_build_object('slug', f.slug, 'name', f.name)
  ORDER BY f.slug COLLATE "C") FROM ${link} l JOIN funders f ON f.id = l.funder_id WHERE l.${owner} = ${alias}.id) AS funders`;
const CSV_ORDER = (alias) =>
  `ORDER BY ${alias}.founded_year, ${alias}.slug COLLATE "C", ${alias}.document_id COLLATE "C"`;
const CSV_PROJECTS_SQL = `SELECT p.document_id, p.slug, p.title, p.locale, p.kind, p.founded_year, p.closed_year,
  p.summary, p.inferred, p.updated_at, s.name AS s_name, s.slug AS s_slug, s.commune AS s_commune,
  ${CSV_FUNDERS('projects_funders_lnk', 'project_id', 'p')}
  FROM projects p ${JOINS} WHERE ${PUBLISHED} ${CSV_ORDER('p')}`;
const CSV_SERVICES_SQL = `SELECT v.document_id, v.slug, v.name AS title, v.locale, v.theme AS kind, v.founded_year,
  NULL AS closed_year, v.summary, v.inferred, v.updated_at, ${CSV_FUNDERS('services_funders_lnk', 'service_id', 'v')}
  FROM services v WHERE v.locale = $1 AND v.published_at IS NOT NULL ${CSV_ORDER('v')}`;
// The public page of an entry, from PUBLIC_URL as src/preview/index.ts builds it.
const PUBLIC_ORIGIN = /^https?:\/\//.test(process.env.PUBLIC_URL ?? '')
  ? process.env.PUBLIC_URL.replace(/\/+$/, '')
  : '';
const publicUrl = (type, slug, locale) =>
  `${PUBLIC_ORIGIN}/entry.html?${new URLSearchParams({ type, slug, locale })}`;
const { LISTING_COLUMNS: CSV_COLUMNS } = require(
  path.join(process.env.DIST, 'src', 'api', 'listing', 'services', 'listing'),
);

const iso = (date) => (date ? date.toISOString() : null);

const project = (row) => ({
  id: row.id,
  documentId: row.document_id,
  title: row.title,
  slug: row.slug,
  kind: row.kind,
  foundedYear: row.founded_year,
  closedYear: row.closed_year,
  summary: row.summary,
  description: row.description,
  partner: row.partner,
  inferred: row.inferred,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  publishedAt: iso(row.published_at),
  locale: row.locale,
  site: row.s_id
    ? {
        id: row.s_id,
        documentId: row.s_document_id,
        name: row.s_name,
        slug: row.s_slug,
        commune: row.s_commune,
        quarter: row.s_quarter,
        description: row.s_description,
        createdAt: iso(row.s_created_at),
        updatedAt: iso(row.s_updated_at),
        publishedAt: iso(row.s_published_at),
        locale: row.s_locale,
      }
    : null,
  funders: row.funders,
});

const pagination = (page, pageSize, total) => ({
  page,
  pageSize,
  pageCount: Math.ceil(total / pageSize),
  total,
});

async function list(url) {
  const locale = url.searchParams.get('locale') ?? 'fr';
  const page = Number(url.searchParams.get('pagination[page]') ?? 1);
  const pageSize = Number(url.searchParams.get('pagination[pageSize]') ?? 25);
  const [rows, count] = await Promise.all([
    pool.query(PAGE_SQL, [locale, pageSize, (page - 1) * pageSize]),
    pool.query(COUNT_SQL, [locale]),
  ]);
  return {
    data: rows.rows.map(project),
    meta: { pagination: pagination(page, pageSize, count.rows[0].total) },
  };
}

async function bySlug(slug) {
  const { rows } = await pool.query(SLUG_SQL, ['fr', 25, 0, slug]);
  return { data: rows.map(project), meta: { pagination: pagination(1, 25, rows.length) } };
}

async function graphql(pageSize) {
  const { rows } = await pool.query(GRAPHQL_SQL, ['fr', pageSize, 0]);
  const projects = rows.map((row) => ({
    documentId: row.document_id,
    title: row.title,
    slug: row.slug,
    foundedYear: row.founded_year,
    site: row.s_name === null ? null : { name: row.s_name, slug: row.s_slug },
    funders: row.funders,
  }));
  return { data: { projects } };
}

async function csv(locale) {
  const [projects, services] = await Promise.all([
    pool.query(CSV_PROJECTS_SQL, [locale]),
    pool.query(CSV_SERVICES_SQL, [locale]),
  ]);
  const row = (type, labels, entry) => {
    const funders = entry.funders ?? [];
    return {
      type,
      documentId: entry.document_id,
      slug: entry.slug,
      title: entry.title,
      locale: entry.locale,
      kind: entry.kind,
      kindLabel: labelOf(labels, entry.kind, locale),
      foundedYear: entry.founded_year,
      site: entry.s_name ?? '',
      commune: entry.s_commune ?? '',
      funders: funders.map((funder) => funder.slug).join(';'),
      updatedAt: iso(entry.updated_at),
      closedYear: entry.closed_year ?? '',
      siteSlug: entry.s_slug ?? '',
      funderNames: funders.map((funder) => funder.name).join(';'),
      summary: entry.summary ?? '',
      publicUrl: publicUrl(type, entry.slug, entry.locale),
      inferred: String(Boolean(entry.inferred?.trim())),
    };
  };
  const rows = [
    ...projects.rows.map((entry) => row('project', PROJECT_KINDS, entry)),
    ...services.rows.map((entry) => row('service', SERVICE_THEMES, entry)),
  ];
  return stringify(
    rows.map((entry) => CSV_COLUMNS.map((column) => entry[column])),
    { header: true, columns: CSV_COLUMNS, record_delimiter: 'windows', quoted_match: /[\r\n]/ },
  );
}

const GRAPHQL_PAGE = /pageSize:\s*(\d+)/;

async function answer(request, body) {
  const url = new URL(request.url, 'http://baseline');
  if (request.method === 'POST' && url.pathname === '/graphql') {
    const { query } = JSON.parse(body);
    return ['application/json', JSON.stringify(await graphql(Number(GRAPHQL_PAGE.exec(query)?.[1] ?? 25)))];
  }
  if (url.pathname === '/api/listings/projects.csv') return ['text/csv; charset=utf-8', await csv('fr')];
  if (url.pathname === '/api/projects') {
    const slug = url.searchParams.get('filters[slug][$eq]');
    return ['application/json', JSON.stringify(slug ? await bySlug(slug) : await list(url))];
  }
  return undefined;
}

http
  .createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      answer(request, body).then(
        (result) => {
          if (!result) {
            response.writeHead(404).end();
            return;
          }
          response.writeHead(200, { 'Content-Type': result[0] }).end(result[1]);
        },
        (error) => {
          response.writeHead(500).end(String(error));
        },
      );
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
