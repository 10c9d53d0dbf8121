// A private PostgreSQL instance for the fault tests: the machine's binaries, `initdb` into a
// temporary folder, its own port, run as the `postgres` OS user when we are root (PostgreSQL
// refuses to run as root). Stopping and starting it never touches the shared server.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function binDir() {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = path.join(root, version, 'bin');
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  throw new Error('initdb not found under /usr/lib/postgresql/*/bin');
}

function createPrivatePostgres(port) {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-faults-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid && process.getuid() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  // As root, every PostgreSQL binary runs as the postgres user.
  const pg = (command, args) =>
    execFileSync(
      asRoot ? 'runuser' : path.join(bin, command),
      asRoot ? ['-u', 'postgres', '--', path.join(bin, command), ...args] : args,
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  const ctl = (...args) => pg('pg_ctl', ['-D', data, '-w', '-t', '30', ...args]);

  pg('initdb', ['-D', data, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: () => ctl('-o', options, '-l', path.join(dir, 'server.log'), 'start'),
    stop: () => ctl('-m', 'fast', 'stop'),
    createDatabase: (name) => pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]),
    destroy: () => {
      try {
        ctl('-m', 'immediate', 'stop');
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { createPrivatePostgres };
