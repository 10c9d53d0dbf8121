#!/usr/bin/env node
// `npm run seed`: imports database/seed/ into the configured database and exits.
// Idempotent (src/seed): entries already there, by slug, are left as they are.
'use strict';
const path = require('node:path');
const { withStrapi } = require('./lib/with-strapi');

withStrapi(async (app, distDir) => {
  const { seed } = require(path.join(distDir, 'src', 'seed'));
  const report = await seed(app);
  console.log(`[seed] done: ${JSON.stringify(report.created)} created`);
});
