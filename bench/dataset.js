#!/usr/bin/env node
// The benchmark's dataset, written into the database of DATABASE_URL (an empty one the bench made):
// boots the app once so that it creates its tables, locales and roles, then inserts with SQL
// 100 sites, 50 funders and 2,000 projects (about 5 funders each), each in fr and de, draft and
// published, linked as Strapi links them (a published row to published rows of the same locale).
// Also creates an editor account for the write load and a partner's read-only token. Prints the facts the bench needs as JSON.
'use strict';
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const { withStrapi } = require('../scripts/lib/with-strapi');

const SIZES = { sites: 100, funders: 50, projects: 2000, fundersPerProject: 5 };
const LOCALES = ['fr', 'de'];
const KINDS = ['community-work', 'youth-house', 'day-care', 'maison-relais', 'street-work'];
const documentId = () => randomBytes(12).toString('hex').slice(0, 24);

/** Inserts one document in every locale and both states; returns ids by `${locale}:${state}`. */
async function insertDocument(trx, table, fields) {
  const now = new Date();
  const ids = {};
  const id = documentId();
  for (const locale of LOCALES) {
    for (const state of ['draft', 'published']) {
      const localised = typeof fields === 'function' ? fields(locale) : fields;
      const [row] = await trx(table)
        .insert({
          document_id: id,
          locale,
          created_at: now,
          updated_at: now,
          published_at: state === 'published' ? now : null,
          ...localised,
        })
        .returning('id');
      ids[`${locale}:${state}`] = row.id;
    }
  }
  return { documentId: id, ids };
}

withStrapi(async (strapi, distDir) => {
  const knex = strapi.db.connection;
  const facts = await knex.transaction(async (trx) => {
    const sites = [];
    for (let index = 0; index < SIZES.sites; index += 1) {
      sites.push(
        await insertDocument(trx, 'sites', (locale) => ({
          name: `${locale === 'fr' ? 'Quartier' : 'Viertel'} ${index}`,
          slug: `site-${index}`,
          commune: `Commune ${index % 20}`,
        })),
      );
    }
    const funders = [];
    for (let index = 0; index < SIZES.funders; index += 1) {
      funders.push(
        await insertDocument(trx, 'funders', (locale) => ({
          name: `${locale === 'fr' ? 'Financeur' : 'Geldgeber'} ${index}`,
          slug: `funder-${index}`,
          kind: 'commune',
        })),
      );
    }
    const projects = [];
    const siteLinks = [];
    const funderLinks = [];
    for (let index = 0; index < SIZES.projects; index += 1) {
      const project = await insertDocument(trx, 'projects', (locale) => ({
        title: `${locale === 'fr' ? 'Projet' : 'Projekt'} ${index}`,
        slug: `project-${index}`,
        kind: KINDS[index % KINDS.length],
        founded_year: 1979 + (index % 47),
        summary: `${locale === 'fr' ? 'Résumé' : 'Zusammenfassung'} du projet ${index}.`,
      }));
      projects.push(project);
      const site = sites[index % sites.length];
      for (const version of Object.keys(project.ids)) {
        siteLinks.push({
          project_id: project.ids[version],
          site_id: site.ids[version],
          project_ord: index + 1,
        });
        for (let rank = 0; rank < SIZES.fundersPerProject; rank += 1) {
          const funder = funders[(index + rank * 7) % funders.length];
          funderLinks.push({
            project_id: project.ids[version],
            funder_id: funder.ids[version],
            funder_ord: rank + 1,
            project_ord: index + 1,
          });
        }
      }
    }
    await trx.batchInsert('projects_site_lnk', siteLinks, 1000);
    await trx.batchInsert('projects_funders_lnk', funderLinks, 1000);
    return { projects: projects.length };
  });
  // Fresh tables have no statistics yet; autovacuum would gather them within a minute.
  await knex.raw('ANALYZE');

  const editorRole = await strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'editor' } });
  const editor = { email: 'bench-editor@example.test', password: `Bench-${randomBytes(8).toString('hex')}` };
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
