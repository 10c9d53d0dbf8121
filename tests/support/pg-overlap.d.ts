/** Types of ./pg-overlap.js (plain JavaScript: it runs in the worker's realm and as a preload). */
export interface Overlap {
  sql: string;
  /** The frame that made the queries run at once. */
  at: string;
  stack: string;
}
export function install(reportFile: string): void;
export function flush(reportFile: string): void;
export function read(reportFile: string): { ours: Overlap[]; others: number };
export function responsibleFrame(stack: string): string;
