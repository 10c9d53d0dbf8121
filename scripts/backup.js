#!/usr/bin/env node
// `npm run backup [-- --out <file>] [--uploads <dir>]`: one .tar.gz with a consistent dump of the
// PostgreSQL database (pg_dump takes a single snapshot, so concurrent writes do not tear it) and
// the uploaded files. Restore it with `npm run restore -- <file>`.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const tar = require('tar');
const { announceDatabase, postgresCommand } = require('./lib/database-url');

async function main() {
  announceDatabase();
  const { values } = parseArgs({ options: { out: { type: 'string' }, uploads: { type: 'string' } } });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = path.resolve(values.out || `backups/inter-actions-${stamp}.tar.gz`);
  const uploads = path.resolve(values.uploads || path.join(__dirname, '..', 'public', 'uploads'));

  const database = postgresCommand();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-backup-'));
  try {
    execFileSync(
      'pg_dump',
      [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--file=${path.join(work, 'database.dump')}`,
        `--dbname=${database.dbname}`,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: database.env,
      },
    );
    const files = fs.existsSync(uploads) ? fs.readdirSync(uploads).filter((name) => name !== '.gitkeep') : [];
    fs.mkdirSync(path.join(work, 'uploads'));
    for (const name of files)
      fs.cpSync(path.join(uploads, name), path.join(work, 'uploads', name), { recursive: true });
    fs.writeFileSync(
      path.join(work, 'manifest.json'),
      JSON.stringify({ format: 1, createdAt: new Date().toISOString(), uploads: files.length }, null, 2),
    );
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await tar.create({ gzip: true, file: out, cwd: work }, ['manifest.json', 'database.dump', 'uploads']);
    console.log(`Backup written to ${out} (database and ${files.length} uploaded files)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`Backup failed: ${error.message}`);
  process.exit(1);
});
