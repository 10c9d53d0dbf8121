// dist/ for the command-line scripts: compiled again only when it is missing or older than the
// sources, since a compile takes about half a minute of a script's start (scripts/lib/with-strapi.js).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** What the compiled app is made from: a change to any of these makes dist/ out of date. */
const SOURCES = ['src', 'config', 'database', 'types', 'tsconfig.json', 'package.json'];
/**
 * dist/'s stamp, written after a compile by this module and by `npm run build` (its `postbuild`).
 * Not TypeScript's build info: `tsc --noEmit` (npm run typecheck) rewrites that one without
 * compiling anything, and dist/ then passed for current with none of the new code in it.
 */
const STAMP = '.compiled-at';
/** The admin panel's own stamp, written by `npm run build` only (scripts/build-if-stale.js). */
const PANEL_STAMP = path.join('build', '.built-at');

/** Marks dist/ (or `name` in it) as made from the sources as they were at `when`. */
function stamp(distDir, when = new Date(), name = STAMP) {
  const file = path.join(distDir, name);
  fs.writeFileSync(file, `${when.toISOString()}\n`);
  fs.utimesSync(file, when, when);
}

/** The newest modification among `SOURCES` (folders' own too: a renamed file keeps its date). */
function newestSource(appDir) {
  let newest = { time: 0, file: '' };
  const visit = (file) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.mtimeMs > newest.time) newest = { time: stat.mtimeMs, file };
    if (stat.isDirectory()) for (const name of fs.readdirSync(file)) visit(path.join(file, name));
  };
  for (const name of SOURCES) visit(path.join(appDir, name));
  return newest;
}

/** Why dist/ (or what `name` stamps) must be made again (missing, or older than a source), or undefined. */
function staleness(appDir, distDir, name = STAMP) {
  const stamp = fs.statSync(path.join(distDir, name), { throwIfNoEntry: false });
  if (!stamp) return `${path.relative(appDir, distDir)}/ has not been compiled`;
  const newest = newestSource(appDir);
  if (newest.time > stamp.mtimeMs)
    return `${path.relative(appDir, newest.file)} changed since it was compiled`;
  return undefined;
}

/** The app's dist/, compiled first (and said so) when `staleness` finds a reason. */
async function compiledDist(appDir) {
  const distDir = await require('@strapi/typescript-utils').resolveOutDir(appDir);
  const stale = staleness(appDir, distDir);
  if (!stale) return distDir;
  console.log(`Compiling the TypeScript project into dist/ first (${stale}): about half a minute.`);
  const started = new Date();
  await require('@strapi/strapi').compileStrapi({ appDir });
  // Dated from before the compile: a source saved while it ran still counts as newer next time.
  stamp(distDir, started);
  return distDir;
}

module.exports = { STAMP, PANEL_STAMP, staleness, compiledDist };

// `node scripts/lib/compiled-dist.js --stamp`: after `strapi build` (package.json's postbuild),
// which compiled dist/ itself. Dated a minute back: the build took about that long.
if (require.main === module && process.argv.includes('--stamp')) {
  const appDir = path.resolve(__dirname, '..', '..');
  require('@strapi/typescript-utils')
    .resolveOutDir(appDir)
    .then((distDir) => {
      const started = new Date(Date.now() - 60_000);
      stamp(distDir, started);
      stamp(distDir, started, PANEL_STAMP);
    });
}
