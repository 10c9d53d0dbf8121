#!/usr/bin/env node
// `npm run audit:verify`: checks the audit log's hash chain from its first entry (or from where
// pruning anchored it) to its last, and names the first entry that does not verify. Exit code 0
// when the whole chain verifies, 1 when an entry was edited, deleted or inserted behind the
// server's back. It needs the key the server chains with (AUDIT_LOG_KEY, else ADMIN_JWT_SECRET).
'use strict';
const path = require('node:path');
const { withStrapi } = require('./lib/with-strapi');

withStrapi(async (app, distDir) => {
  const { verifyAudit } = require(path.join(distDir, 'src', 'audit'));
  const result = await verifyAudit(app);
  if (result.ok) {
    console.log(`Audit log verified: ${result.checked} entries, the chain is whole.`);
    return 0;
  }
  console.error(
    `Audit log BROKEN at entry ${result.broken.id}: ${result.broken.reason} (${result.checked} entries verified before it).`,
  );
  return 1;
});
