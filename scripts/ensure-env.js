#!/usr/bin/env node
// Writes .env from .env.example with fresh random secrets when .env is missing. Never overwrites.
// `--from deploy/cms.env.example --to /etc/inter-actions-cms.env` does the same for a production
// instance's environment file (docs/operators.md).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const PLACEHOLDER = 'change-me';
const root = path.resolve(__dirname, '..');
const target = path.join(root, '.env');
const example = path.join(root, '.env.example');

const randomSecret = () => crypto.randomBytes(32).toString('base64');

/** Replaces every placeholder (each part of a comma-separated list) with its own random value. */
function withSecrets(text) {
  return text
    .split('\n')
    .map((line) => {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
      if (!match || !match[2].split(',').includes(PLACEHOLDER)) return line;
      const value = match[2]
        .split(',')
        .map((part) => (part === PLACEHOLDER ? randomSecret() : part))
        .join(',');
      return `${match[1]}=${value}`;
    })
    .join('\n');
}

function ensureEnv(from = example, to = target) {
  if (fs.existsSync(to)) return false;
  fs.writeFileSync(to, withSecrets(fs.readFileSync(from, 'utf8')), { mode: 0o600 });
  const shown = (file) => (file.startsWith(`${root}${path.sep}`) ? path.relative(root, file) : file);
  console.log(`Wrote ${shown(to)} from ${shown(from)} with fresh random secrets.`);
  return true;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
  ensureEnv(values.from && path.resolve(values.from), values.to && path.resolve(values.to));
}

module.exports = { withSecrets, ensureEnv };
