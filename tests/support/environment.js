/**
 * The test environment of `npm test`: jest's node environment, plus a door to the worker's own
 * Node.js realm (tests/support/native.js). Strapi is booted there, through Node's module cache,
 * instead of inside jest's per-file module registry: a worker loads Strapi's thousands of modules
 * once, not once per test file (a boot takes about 1 s instead of 6 to 8, and the worker's memory
 * stays flat instead of growing by a module graph per file). Each file still boots its own Strapi
 * on its own copy of the seeded database.
 *
 * A test file and the Strapi it boots share one process.env, as they did when both lived in the
 * file's registry (a test that sets a variable read per request is seen by the app): the worker's
 * real one, put back as it was when the file ends.
 *
 * Queries sent to a busy pg client from this app's code are recorded (tests/support/pg-overlap.js).
 */
const { TestEnvironment } = require('jest-environment-node');
const native = require('./native');
const pgOverlap = require('./pg-overlap');

class AppEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    if (process.env.PG_OVERLAP_REPORT) pgOverlap.install(process.env.PG_OVERLAP_REPORT);
    this.global.__appNative = native;
    this.global.process.env = process.env;
  }

  async setup() {
    await super.setup();
    this.savedEnv = { ...process.env };
  }

  async teardown() {
    if (process.env.PG_OVERLAP_REPORT) pgOverlap.flush(process.env.PG_OVERLAP_REPORT);
    native.restoreEnv(this.savedEnv);
    await super.teardown();
  }
}

module.exports = AppEnvironment;
