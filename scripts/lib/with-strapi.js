// Runs `work(strapi, distDir)` on the compiled app, booted without serving, then exits (with the
// exit code `work` returns, 0 when it returns none).
// Shared by the command-line scripts (seed, token:create) so they boot and shut down alike: each
// names its database first (./database-url.js), and compiles dist/ only when it is out of date
// (./compiled-dist.js).
'use strict';
const path = require('node:path');
const { compiledDist } = require('./compiled-dist');
const { announceDatabase } = require('./database-url');

function withStrapi(work) {
  const run = async () => {
    const appDir = path.resolve(__dirname, '..', '..');
    announceDatabase();
    const distDir = await compiledDist(appDir);
    // Loaded once the checks have passed: a refused run stops at once.
    const { createStrapi } = require('@strapi/strapi');
    // A script does its own work; the import at boot would only duplicate the seed's.
    process.env.SEED_ON_BOOT = 'false';
    process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
    // Deliveries its writes cause are queued; the server's workers send them (docs/partners.en.md, "Webhooks").
    process.env.WEBHOOK_WORKERS = 'false';
    const app = await createStrapi({ appDir, distDir }).load();
    try {
      return await work(app, distDir);
    } finally {
      await require(path.join(distDir, 'src', 'utils', 'settle')).settle(app);
      await app.destroy();
    }
  };
  run().then(
    (code) => process.exit(typeof code === 'number' ? code : 0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** Stops a script that was called wrongly, before anything boots: the message, then exit code 2. */
function usageError(message) {
  console.error(message);
  process.exit(2);
}

module.exports = { withStrapi, usageError };
