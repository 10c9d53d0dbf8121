// graphql-depth-limit ships no types; config/plugins.ts uses its one export.
declare module 'graphql-depth-limit' {
  import type { ValidationRule } from 'graphql';
  export default function depthLimit(maxDepth: number): ValidationRule;
}
