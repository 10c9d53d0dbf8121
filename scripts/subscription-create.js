#!/usr/bin/env node
// `npm run subscription:create -- --name "<partner>" --url <url> [--types project,service]`:
// creates a partner's webhook subscription (active) and prints its id and signing secret once.
// Strapi stores the secret encrypted; it cannot be shown again (a new one can be made in the panel).
'use strict';
const path = require('node:path');
const { parseArgs } = require('node:util');
const { withStrapi, usageError } = require('./lib/with-strapi');

const USAGE =
  'usage: npm run subscription:create -- --name "<partner>" --url <https-url> [--types project,service]';
const TYPES = ['project', 'service', 'enterprise', 'site', 'funder', 'organisation'];

function readOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { name: { type: 'string' }, url: { type: 'string' }, types: { type: 'string' } },
    }));
  } catch (error) {
    return usageError(`${error.message}\n${USAGE}`);
  }
  const name = (values.name || '').trim();
  const url = (values.url || '').trim();
  if (!name) return usageError(`--name is required\n${USAGE}`);
  if (name.length > 120) return usageError(`--name must be at most 120 characters\n${USAGE}`);
  if (!url) return usageError(`--url is required\n${USAGE}`);
  const types = (values.types || '')
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  const unknown = types.filter((type) => !TYPES.includes(type));
  if (unknown.length > 0)
    return usageError(`--types: unknown type ${unknown.join(', ')} (one of ${TYPES.join(', ')})\n${USAGE}`);
  return { name, url, types: [...new Set(types)] };
}

const options = readOptions(process.argv.slice(2));

withStrapi(async (app, distDir) => {
  const { createSubscription } = require(path.join(distDir, 'src', 'webhooks', 'subscriptions'));
  let created;
  try {
    created = await createSubscription(app, options);
  } catch (error) {
    if (error && error.name === 'ValidationError') {
      // One line naming the field, not a stack.
      const refused = new Error(`${error.message}\n${USAGE}`);
      refused.stack = refused.message;
      throw refused;
    }
    throw error;
  }
  const what = options.types.length > 0 ? options.types.join(', ') : 'every type';
  console.log(`Webhook subscription for "${options.name}" created (changes of ${what}).`);
  console.log(`Subscription id: ${created.documentId}`);
  console.log('Signing secret, shown this once; give it to the partner over a secure channel:');
  console.log(created.secret);
});
