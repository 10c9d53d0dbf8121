#!/usr/bin/env node
// `npm run token:create -- --name "<partner>" --days <n>`: issues a read-only API token for a
// partner and prints it once. Strapi stores only its hash; it cannot be shown again.
'use strict';
const path = require('node:path');
const { parseArgs } = require('node:util');
const { withStrapi, usageError } = require('./lib/with-strapi');

const USAGE = 'usage: npm run token:create -- --name "<partner>" --days <n> [--description "<text>"]';

function readOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { name: { type: 'string' }, days: { type: 'string' }, description: { type: 'string' } },
    }));
  } catch (error) {
    return usageError(`${error.message}\n${USAGE}`);
  }
  const name = (values.name || '').trim();
  const days = Number(values.days);
  if (!name) return usageError(`--name is required\n${USAGE}`);
  if (!Number.isInteger(days) || days < 1 || days > 3660) {
    return usageError(`--days must be a whole number of days from 1 to 3660\n${USAGE}`);
  }
  return { name, days, description: values.description || `Read-only access for ${name}` };
}

const options = readOptions(process.argv.slice(2));

withStrapi(async (app, distDir) => {
  const { createReadOnlyToken } = require(path.join(distDir, 'src', 'permissions', 'tokens'));
  const token = await createReadOnlyToken(app, options);
  // The audit log keeps the tokens made here too (the panel's are recorded by global::audit).
  const { appendAudit } = require(path.join(distDir, 'src', 'audit'));
  await appendAudit(app, {
    action: 'api-token.create',
    actor: { kind: 'script' },
    object: { type: 'admin::api-token', id: token.id ?? null, name: token.name },
    summary: `read-only, ${options.days} days (npm run token:create)`,
  });
  console.log(`Read-only API token for "${token.name}", valid until ${token.expiresAt}.`);
  console.log('It is shown this once; give it to the partner over a secure channel:');
  console.log(token.accessKey);
});
