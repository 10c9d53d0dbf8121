#!/usr/bin/env node
// `npm run content:fixes [-- --apply]`: the fixes of database/content-fixes/*.json to the seeded
// content, for a database seeded before them (src/seed/content-fixes.ts). Without --apply, lists
// what it would do; with it, writes each fix as a draft where the text is still the seeded one.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { withStrapi, usageError } = require('./lib/with-strapi');

const USAGE = 'usage: npm run content:fixes [-- --apply]';
let apply = false;
try {
  apply = Boolean(
    parseArgs({ args: process.argv.slice(2), options: { apply: { type: 'boolean' } } }).values.apply,
  );
} catch (error) {
  usageError(`${error.message}\n${USAGE}`);
}

const folder = path.join(__dirname, '..', 'database', 'content-fixes');
const fixes = fs
  .readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .flatMap((name) => JSON.parse(fs.readFileSync(path.join(folder, name), 'utf8')).fixes);

withStrapi(async (app, distDir) => {
  const { applyContentFixes } = require(path.join(distDir, 'src', 'seed', 'content-fixes'));
  const report = await applyContentFixes(app, fixes, apply);
  const counts = {};
  for (const { fix, outcome } of report) {
    counts[outcome] = (counts[outcome] || 0) + 1;
    if (outcome === 'already') continue;
    const where = fix.slug || fix.key || fix.uid;
    console.log(
      `${outcome.padEnd(16)} ${fix.uid} ${where} ${fix.field}${fix.locale ? ` (${fix.locale})` : ''}`,
    );
  }
  console.log(
    Object.entries(counts)
      .map(([outcome, n]) => `${n} ${outcome}`)
      .join(', '),
  );
  if (!apply && counts['would apply']) console.log('Nothing written: run again with -- --apply.');
});
