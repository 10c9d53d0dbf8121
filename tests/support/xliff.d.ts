/** The part of the `xliff` package (no types of its own) the tests use: reading XLIFF 2.0. */
declare module 'xliff' {
  export function xliff2js(xml: string, callback: (error: Error | null, result: never) => void): void;
}
