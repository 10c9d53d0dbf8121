#!/usr/bin/env node
// Writes .env from .env.example with fresh random secrets when .env is missing. Never overwrites.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

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

function ensureEnv() {
  if (fs.existsSync(target)) return false;
  fs.writeFileSync(target, withSecrets(fs.readFileSync(example, 'utf8')), { mode: 0o600 });
  console.log('Wrote .env from .env.example with fresh random secrets.');
  return true;
}

if (require.main === module) ensureEnv();

module.exports = { withSecrets, ensureEnv };
