#!/usr/bin/env node
// `npm run restore -- <file> [--uploads <dir>]`: restores a backup of `npm run backup` into the
// configured database, which must be empty (a new database), and its files into the uploads folder.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { Client } = require('pg');
const tar = require('tar');
const { announceDatabase, postgresCommand, postgresUrl } = require('./lib/database-url');

async function assertEmpty(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    );
    if (rows[0].tables > 0) {
      throw new Error(`the target database has ${rows[0].tables} tables: restore into a new, empty database`);
    }
  } finally {
    await client.end();
  }
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { uploads: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    console.error('usage: npm run restore -- <backup.tar.gz> [--uploads <dir>]');
    process.exit(2);
  }
  announceDatabase();
  const file = path.resolve(positionals[0]);
  const uploads = path.resolve(values.uploads || path.join(__dirname, '..', 'public', 'uploads'));
  const url = postgresUrl();
  await assertEmpty(url);
  const database = postgresCommand();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-restore-'));
  try {
    await tar.extract({ file, cwd: work });
    execFileSync(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        `--dbname=${database.dbname}`,
        path.join(work, 'database.dump'),
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: database.env,
      },
    );
    fs.mkdirSync(uploads, { recursive: true });
    const files = fs.readdirSync(path.join(work, 'uploads'));
    for (const name of files)
      fs.cpSync(path.join(work, 'uploads', name), path.join(uploads, name), { recursive: true });
    console.log(`Restored the database and ${files.length} uploaded files from ${file}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`Restore failed: ${error.message}`);
  process.exit(1);
});
