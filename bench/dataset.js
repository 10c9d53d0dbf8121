#!/usr/bin/env node
// The benchmark's dataset, written into the database of DATABASE_URL (an empty one the bench made):
// boots the app once so that it creates its tables, locales and roles, then inserts with SQL
// `--projects N` projects (default 2,000; about 5 funders each) and sites and funders in proportion
// (one site per 20 projects, one funder per 40, at least 100 and 50: at 2,000 projects 100 and 50,
// at 20,000 projects 1,000 and 500), each in fr and de, draft and published, linked as Strapi links
// them (a published row to published rows of the same locale).
// Also creates an editor account for the write load and a partner's read-only token. Prints the facts the bench needs as JSON.
// `insertDataset` is shared with tests/scale.test.ts (SQL statements per request at a larger size).
'use strict';
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const { parseArgs } = require('node:util');

const DEFAULT_PROJECTS = 2000;
const MIN_PROJECTS = 25; // a full first page (S1 asks for 25)
const MAX_PROJECTS = 1_000_000;
const LOCALES = ['fr', 'de'];
const STATES = ['draft', 'published'];
const KINDS = ['community-work', 'youth-house', 'day-care', 'maison-relais', 'street-work'];
/** Rows per INSERT statement. */
const CHUNK = 1000;
const documentId = () => randomBytes(12).toString('hex').slice(0, 24);

/** The dataset's sizes for `projects` projects: sites and funders grow with the projects. */
function sizesFor(projects) {
  return {
    projects,
    sites: Math.max(100, Math.round(projects / 20)),
    funders: Math.max(50, Math.round(projects / 40)),
    fundersPerProject: 5,
  };
}

/**
 * The number of projects asked for (`--projects`, else BENCH_PROJECTS, else 2,000), or a message
 * saying what is wrong with it.
 */
function projectCount(value) {
  if (value === undefined || value === '') return { projects: DEFAULT_PROJECTS };
  const text = String(value).replace(/[_,]/g, '').trim();
  const number = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(number) || number < MIN_PROJECTS || number > MAX_PROJECTS)
    return {
      error: `the number of projects must be a whole number from ${MIN_PROJECTS} to ${MAX_PROJECTS} (got "${value}")`,
    };
  return { projects: number };
}

/**
 * Inserts `count` documents of `table`, each in every locale and both states; `fields(index,
 * locale)` gives a row's own columns. Returns, per document, its documentId and row ids by
 * `${locale}:${state}`.
 */
async function insertDocuments(trx, table, count, fields) {
  const now = new Date();
  const documents = Array.from({ length: count }, () => ({ documentId: documentId(), ids: {} }));
  const byDocumentId = new Map(documents.map((document) => [document.documentId, document]));
  const rows = [];
  documents.forEach((document, index) => {
    for (const locale of LOCALES)
      for (const state of STATES)
        rows.push({
          document_id: document.documentId,
          locale,
          created_at: now,
          updated_at: now,
          published_at: state === 'published' ? now : null,
          ...fields(index, locale),
        });
  });
  for (let start = 0; start < rows.length; start += CHUNK) {
    const inserted = await trx(table)
      .insert(rows.slice(start, start + CHUNK))
      .returning(['id', 'document_id', 'locale', 'published_at']);
    for (const row of inserted)
      byDocumentId.get(row.document_id).ids[`${row.locale}:${row.published_at ? 'published' : 'draft'}`] =
        row.id;
  }
  return documents;
}

/** Inserts the dataset of `sizes` (see sizesFor) with `knex`, in one transaction. */
async function insertDataset(knex, sizes) {
  const facts = await knex.transaction(async (trx) => {
    const sites = await insertDocuments(trx, 'sites', sizes.sites, (index, locale) => ({
      name: `${locale === 'fr' ? 'Quartier' : 'Viertel'} ${index}`,
      slug: `site-${index}`,
      commune: `Commune ${index % 20}`,
    }));
    const funders = await insertDocuments(trx, 'funders', sizes.funders, (index, locale) => ({
      name: `${locale === 'fr' ? 'Financeur' : 'Geldgeber'} ${index}`,
      slug: `funder-${index}`,
      kind: 'commune',
    }));
    const projects = await insertDocuments(trx, 'projects', sizes.projects, (index, locale) => ({
      title: `${locale === 'fr' ? 'Projet' : 'Projekt'} ${index}`,
      slug: `project-${index}`,
      kind: KINDS[index % KINDS.length],
      founded_year: 1979 + (index % 47),
      summary: `${locale === 'fr' ? 'Résumé' : 'Zusammenfassung'} du projet ${index}.`,
    }));
    const siteLinks = [];
    const funderLinks = [];
    projects.forEach((project, index) => {
      const site = sites[index % sites.length];
      for (const version of Object.keys(project.ids)) {
        siteLinks.push({
          project_id: project.ids[version],
          site_id: site.ids[version],
          project_ord: index + 1,
        });
        // Distinct funders: the offsets 0, 7, ..., 28 differ modulo any count of at least 29.
        for (let rank = 0; rank < sizes.fundersPerProject; rank += 1) {
          const funder = funders[(index + rank * 7) % funders.length];
          funderLinks.push({
            project_id: project.ids[version],
            funder_id: funder.ids[version],
            funder_ord: rank + 1,
            project_ord: index + 1,
          });
        }
      }
    });
    await trx.batchInsert('projects_site_lnk', siteLinks, CHUNK);
    await trx.batchInsert('projects_funders_lnk', funderLinks, CHUNK);
    return { projects: projects.length, sites: sites.length, funders: funders.length };
  });
  // Fresh tables have no statistics yet; autovacuum would gather them within a minute.
  await knex.raw('ANALYZE');
  return { ...facts, fundersPerProject: sizes.fundersPerProject };
}

function main() {
  const { withStrapi, usageError } = require('../scripts/lib/with-strapi');
  let projects;
  try {
    const { values } = parseArgs({ options: { projects: { type: 'string' } } });
    const count = projectCount(values.projects ?? process.env.BENCH_PROJECTS);
    if (count.error) return usageError(`bench/dataset.js: ${count.error}`);
    projects = count.projects;
  } catch (error) {
    return usageError(`bench/dataset.js: ${error.message}\nusage: node bench/dataset.js [--projects N]`);
  }

  withStrapi(async (strapi, distDir) => {
    const facts = await insertDataset(strapi.db.connection, sizesFor(projects));

    const editorRole = await strapi.db
      .query('plugin::users-permissions.role')
      .findOne({ where: { type: 'editor' } });
    const editor = {
      email: 'bench-editor@example.test',
      password: `Bench-${randomBytes(8).toString('hex')}`,
    };
    await strapi
      .plugin('users-permissions')
      .service('user')
      .add({
        username: 'bench-editor',
        ...editor,
        provider: 'local',
        confirmed: true,
        blocked: false,
        role: editorRole.id,
      });
    // A partner's read-only API token, as `npm run token:create` issues it.
    const { createReadOnlyToken } = require(path.join(distDir, 'src', 'permissions', 'tokens'));
    const partnerToken = (await createReadOnlyToken(strapi, { name: 'Bench partner', days: 1 })).accessKey;
    process.stdout.write(`${JSON.stringify({ ...facts, editor, partnerToken })}\n`);
  });
}

module.exports = { DEFAULT_PROJECTS, MIN_PROJECTS, MAX_PROJECTS, projectCount, sizesFor, insertDataset };

if (require.main === module) main();
