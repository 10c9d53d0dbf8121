/**
 * Every environment variable the server and its scripts read is documented twice, in the same
 * words of the same list: `.env.example` (what an operator copies) and the "Configuration" table
 * of the operator guide, docs/operators.md. Read from the code itself, so that a new `env('X')`
 * without its line fails here.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
/** Read by tools around the server, not by it: documented where they are used. */
const NOT_SERVER_SETTINGS = new Set(['NODE_ENV', 'CI']);

function filesUnder(directory: string): string[] {
  return fs.readdirSync(path.join(ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : filesUnder(relative);
    return /\.(ts|js)$/.test(entry.name) ? [relative] : [];
  });
}

/** The variables read by config/, src/ and scripts/: Strapi's `env(...)` helpers and process.env. */
function variablesRead(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /\benv(?:\.(?:int|bool|array|oneOf|float|json|date))?\(\s*'([A-Z][A-Z0-9_]*)'/g,
    /process\.env\.([A-Z][A-Z0-9_]*)/g,
    /process\.env\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g,
  ];
  for (const file of [...filesUnder('config'), ...filesUnder('src'), ...filesUnder('scripts')]) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const pattern of patterns)
      for (const match of text.matchAll(pattern)) if (!found.has(match[1])) found.set(match[1], file);
  }
  for (const name of NOT_SERVER_SETTINGS) found.delete(name);
  return found;
}

const envExample = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
const guide = fs.readFileSync(path.join(ROOT, 'docs', 'operators.md'), 'utf8');
const configurationTable = guide
  .slice(guide.indexOf('## Configuration'), guide.indexOf('\n## ', guide.indexOf('## Configuration') + 5))
  .split('\n')
  .filter((line) => line.startsWith('|'))
  .join('\n');

const read = variablesRead();

it('finds the variables the code reads (the scan itself works)', () => {
  for (const name of ['DATABASE_URL', 'JWT_SECRET', 'RESPONSE_CACHE', 'FAST_PATH', 'TRUST_PROXY'])
    expect(read.has(name)).toBe(true);
  expect(read.size).toBeGreaterThan(40);
});

it.each([...read.entries()])('%s (read in %s) is in .env.example', (name) => {
  expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
});

it.each([...read.entries()])('%s (read in %s) is in the configuration table of docs/operators.md', (name) => {
  expect(configurationTable).toContain(`\`${name}\``);
});

it('documents nothing the code does not read', () => {
  const documented = [...envExample.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
  expect(documented.filter((name) => !read.has(name) && name !== 'STRAPI_TELEMETRY_DISABLED')).toEqual([]);
});
