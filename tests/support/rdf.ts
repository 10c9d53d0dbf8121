/**
 * Reads RDF with parsers independent of rdflib (which writes the catalogue): n3 for Turtle,
 * rdfxml-streaming-parser for RDF/XML, jsonld-streaming-parser for JSON-LD. A graph is compared as
 * the sorted set of its triples in N-Triples (the catalogue has no blank nodes to relabel).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { JsonLdParser } from 'jsonld-streaming-parser';
import { Parser as TurtleParser, type Quad } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';

type Term = { termType: string; value: string; language?: string; datatype?: { value: string } };

function nt(term: Term): string {
  if (term.termType === 'NamedNode') return `<${term.value}>`;
  if (term.termType === 'BlankNode') return `_:${term.value}`;
  const value = JSON.stringify(term.value);
  if (term.language) return `${value}@${term.language.toLowerCase()}`;
  const datatype = term.datatype?.value;
  return datatype && datatype !== 'http://www.w3.org/2001/XMLSchema#string'
    ? `${value}^^<${datatype}>`
    : value;
}

const triples = (quads: { subject: Term; predicate: Term; object: Term }[]) =>
  [...new Set(quads.map((q) => `${nt(q.subject)} ${nt(q.predicate)} ${nt(q.object)} .`))].sort();

export type MediaType = 'text/turtle' | 'application/rdf+xml' | 'application/ld+json';

/** The triples of `text`, sorted, as N-Triples lines. */
export async function parseRdf(text: string, type: MediaType, baseIRI: string): Promise<string[]> {
  if (type === 'text/turtle') return triples(new TurtleParser({ baseIRI }).parse(text) as Quad[]);
  const parser =
    type === 'application/rdf+xml' ? new RdfXmlParser({ baseIRI }) : new JsonLdParser({ baseIRI });
  const quads: Quad[] = [];
  await new Promise<void>((resolve, reject) => {
    parser.on('data', (quad: Quad) => quads.push(quad));
    parser.on('error', reject);
    parser.on('end', () => resolve());
    parser.write(text);
    parser.end();
  });
  return triples(quads);
}

export interface ShaclResult {
  severity: string;
  focusNode: string;
  path: string | null;
  message: string;
  shape: string;
}

/**
 * Validates Turtle against SHACL shapes with rdf-validate-shacl. It is an ES module, which jest's
 * CommonJS transform cannot load: it runs in a child process (tests/support/shacl.mjs).
 */
export function validateShacl(
  turtle: string,
  shapeFiles: string[],
): Promise<{ conforms: boolean; results: ShaclResult[] }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(__dirname, 'shacl.mjs'), ...shapeFiles],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`shacl.mjs failed: ${stderr || error.message}`));
        resolve(JSON.parse(stdout));
      },
    );
    child.stdin?.end(turtle);
  });
}
