/**
 * `node tests/support/shacl.mjs SHAPES.ttl... < data.ttl`: validates the Turtle on stdin against
 * the shapes with rdf-validate-shacl (an ES module, hence a process of its own: see ./rdf.ts) and
 * prints the report as JSON: { conforms, results: [{ severity, focusNode, path, message, shape }] }.
 */
import fs from 'node:fs';
import rdf from '@zazuko/env';
import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

const parse = (text) => rdf.dataset(new Parser({ factory: rdf }).parse(text));

const shapes = rdf.dataset();
for (const file of process.argv.slice(2))
  for (const quad of parse(fs.readFileSync(file, 'utf8'))) shapes.add(quad);
const data = parse(fs.readFileSync(0, 'utf8'));
const report = await new SHACLValidator(shapes, { factory: rdf }).validate(data);
process.stdout.write(
  JSON.stringify({
    conforms: report.conforms,
    results: report.results.map((result) => ({
      severity: result.severity?.value ?? null,
      focusNode: result.focusNode?.value ?? null,
      path: result.path?.value ?? null,
      message: result.message.map((message) => message.value).join(' '),
      shape: result.sourceShape?.value ?? null,
    })),
  }),
);
