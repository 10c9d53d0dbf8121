/** The part of n3 (no bundled types; a dependency of rdflib) that tests/support/rdf.ts uses. */
declare module 'n3' {
  interface Term {
    termType: string;
    value: string;
    language?: string;
    datatype?: { value: string };
  }
  export interface Quad {
    subject: Term;
    predicate: Term;
    object: Term;
  }
  export class Parser {
    constructor(options?: { baseIRI?: string; factory?: unknown });
    parse(text: string): Quad[];
  }
}
