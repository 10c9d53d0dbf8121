#!/usr/bin/env node
// `npm run seed`: compiles the app, boots it without serving, imports database/seed/ and exits.
// Idempotent (src/seed): entries already there, by slug, are left as they are.
'use strict';
const path = require('node:path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');

async function main() {
  const appDir = path.resolve(__dirname, '..');
  const { distDir } = await compileStrapi({ appDir });
  // The import below is the one that runs; a second one at boot would only log "already there".
  process.env.SEED_ON_BOOT = 'false';
  const app = await createStrapi({ appDir, distDir }).load();
  try {
    const { seed } = require(path.join(distDir, 'src', 'seed'));
    const report = await seed(app);
    app.log.info(`[seed] done: ${JSON.stringify(report.created)} created`);
  } finally {
    await require(path.join(distDir, 'src', 'utils', 'settle')).settle(app);
    await app.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
