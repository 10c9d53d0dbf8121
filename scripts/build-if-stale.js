#!/usr/bin/env node
// `npm run build`, unless the admin panel and dist/ are already built from the sources as they are:
// the browser tests and the cluster test (npm run test:e2e, test:cluster) each need a built panel,
// and a build takes one to two minutes, so CI builds once and both use it. The stamp is the one
// `npm run build` leaves in dist/build/ (its postbuild: scripts/lib/compiled-dist.js --stamp).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { PANEL_STAMP, staleness } = require('./lib/compiled-dist');

const appDir = path.resolve(__dirname, '..');
const distDir = path.join(appDir, 'dist');
const panel = path.join(distDir, 'build', 'index.html');
const reason = !fs.existsSync(panel)
  ? 'the admin panel is not built'
  : staleness(appDir, distDir, PANEL_STAMP);
if (!reason) {
  console.log('build-if-stale: the admin panel and dist/ are current; no build');
  process.exit(0);
}
console.log(`build-if-stale: ${reason}: npm run build`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', 'build'], { cwd: appDir, stdio: 'inherit' });
process.exit(result.status ?? 1);
