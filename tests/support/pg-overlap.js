/**
 * Watches every test worker for queries sent to a pg client that is already busy with one: what
 * pg 8 warns about once per process ("Calling client.query() when the client is already executing
 * a query is deprecated and will be removed in pg@9.0") and pg 9 will refuse. Such a client is a
 * transaction's connection (the pool hands a free connection to every query made outside one), so
 * the cause is concurrent queries inside a transaction: a `Promise.all` over reads or writes.
 *
 * Installed in each worker's own realm (tests/support/environment.js), where Strapi and pg live.
 * Every overlap caused by this app's code (src/, compiled to dist/src/: see responsibleFrame) is
 * appended to the file `$PG_OVERLAP_REPORT` names; global teardown fails the run on any of them and
 * counts the others (Strapi's own code, or a test's: not ours to fix; said, not failed).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const APP_DIR = path.resolve(__dirname, '..', '..');
const OUR_CODE = [path.join(APP_DIR, 'dist', 'src') + path.sep, path.join(APP_DIR, 'src') + path.sep];
const WATCHED = Symbol.for('inter-actions.pg-overlap');

const isOurs = (frame) =>
  OUR_CODE.some((dir) => frame.includes(dir)) && !frame.includes(`${path.sep}node_modules${path.sep}`);
/** Frames of the query machinery itself: knex, pg, Strapi's database layer, Node's internals. */
const MACHINERY =
  /node_modules\/(knex|pg|pg-pool|@strapi\/database)\/|\(node:|at node:|new Promise|pg-overlap\.js/;

/**
 * The frame that made two queries run at once: the caller of the innermost `Promise.all` (or
 * allSettled, race, any) on the stack; without one, the innermost frame outside the query
 * machinery (a query started and not awaited). A Document Service middleware of ours that awaits
 * `next()` is on the stack of every query Strapi makes below it: being on the stack is not being
 * the cause.
 */
function responsibleFrame(stack) {
  const frames = stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim());
  const all = frames.findIndex((frame) => /Promise\.(all|allSettled|race|any) \(index/.test(frame));
  if (all >= 0) return frames[all + 1] ?? '';
  return frames.find((frame) => !MACHINERY.test(frame)) ?? '';
}

function install(reportFile) {
  const { Client } = require(require.resolve('pg', { paths: [APP_DIR] }));
  if (Client.prototype.query[WATCHED]) return;
  const query = Client.prototype.query;
  const counts = { ours: 0, others: 0, written: 0 };
  function watchedQuery(...args) {
    if ((this._activeQuery || this._queryQueue.length > 0) && !this.pipeline) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 60;
      const stack = new Error('a query sent to a busy pg client').stack ?? '';
      Error.stackTraceLimit = limit;
      const at = responsibleFrame(stack);
      if (isOurs(at)) {
        counts.ours += 1;
        const sql = typeof args[0] === 'string' ? args[0] : args[0]?.text;
        fs.appendFileSync(reportFile, `${JSON.stringify({ sql: String(sql).slice(0, 200), at, stack })}\n`);
      } else counts.others += 1;
    }
    return query.apply(this, args);
  }
  watchedQuery[WATCHED] = counts;
  Client.prototype.query = watchedQuery;
  process.once('exit', () => flush(reportFile));
}

/** Writes how many of the others were counted since the last flush (each test file's end, exit). */
function flush(reportFile) {
  const counts = require(require.resolve('pg', { paths: [APP_DIR] })).Client.prototype.query[WATCHED];
  if (!counts || counts.others === counts.written) return;
  fs.appendFileSync(reportFile, `${JSON.stringify({ others: counts.others - counts.written })}\n`);
  counts.written = counts.others;
}

/** What the workers wrote: the overlaps from our code, and how many came from Strapi's alone. */
function read(reportFile) {
  if (!fs.existsSync(reportFile)) return { ours: [], others: 0 };
  const lines = fs
    .readFileSync(reportFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return {
    ours: lines.filter((line) => line.at),
    others: lines.reduce((sum, line) => sum + (line.others ?? 0), 0),
  };
}

module.exports = { install, flush, read, responsibleFrame };
