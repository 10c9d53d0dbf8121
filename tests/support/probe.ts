/**
 * Generated HTTP requests ("probes") run with bounded concurrency, and the checks made on their
 * answers: no 5xx, no secret in any body, an expected status, and pairs of requests that must get
 * the same answer (the same query on a canary string and on a string that exists nowhere).
 */
import type { TestApp } from './strapi';
import { runLimited } from './schema-walk';

export type Expectation = 'ok' | 'bad-request' | 'not-5xx';

export interface Probe {
  category: string;
  caller: string;
  headers: Record<string, string>;
  method: 'GET' | 'POST';
  /** Path and query string. */
  url: string;
  /** GraphQL query (sent as POST /graphql). */
  graphql?: string;
  /** Requests sharing a key must get the same answer (status, total, ids). */
  pair?: { key: string; role: 'canary' | 'nowhere' };
  expect?: Expectation;
  /** Extra check on the answer; returns a problem or undefined. */
  check?: (outcome: Outcome) => string | undefined;
}

export interface Outcome {
  probe: Probe;
  status: number;
  text: string;
  body: unknown;
  /** What pairs compare: status, totals, ids and error codes. */
  summary: string;
}

interface Json {
  data?: unknown;
  meta?: { pagination?: { total?: number } };
  errors?: { extensions?: { code?: string } }[];
  error?: { name?: string };
}

const ids = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(ids);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('documentId' in record && Object.keys(record).length > 1 && !('nodes' in record))
      return record.documentId;
    return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, ids(child)]));
  }
  return value;
};

function summarize(status: number, body: unknown): string {
  const json = (body ?? {}) as Json;
  return JSON.stringify({
    status,
    total: json.meta?.pagination?.total,
    data: ids(json.data),
    error: json.error?.name,
    errors: json.errors?.map((error) => error.extensions?.code),
  });
}

export const describeProbe = (probe: Probe): string =>
  `${probe.caller}: ${probe.graphql ? `POST /graphql ${probe.graphql.replace(/\s+/g, ' ')}` : `${probe.method} ${probe.url}`}`;

export async function runProbes(app: TestApp, probes: Probe[], concurrency = 8): Promise<Outcome[]> {
  return runLimited(
    probes.map((probe) => async () => {
      const request = probe.graphql
        ? app.http().post('/graphql').set(probe.headers).send({ query: probe.graphql })
        : probe.method === 'GET'
          ? app.http().get(probe.url).set(probe.headers)
          : app.http().post(probe.url).set(probe.headers);
      const response = await request;
      const text = response.text ?? JSON.stringify(response.body);
      return {
        probe,
        status: response.status,
        text,
        body: response.body,
        summary: summarize(response.status, response.body),
      };
    }),
    concurrency,
  );
}

const graphqlErrors = (outcome: Outcome) => ((outcome.body ?? {}) as Json).errors ?? [];

/** Problems found in `outcomes`: one line each, naming the request. */
export function problems(outcomes: Outcome[], secrets: string[]): string[] {
  const found: string[] = [];
  const say = (outcome: Outcome, what: string) =>
    found.push(`${describeProbe(outcome.probe)}\n    -> ${what}`);
  for (const outcome of outcomes) {
    if (outcome.status >= 500) say(outcome, `${outcome.status} ${outcome.text.slice(0, 200)}`);
    const internal = graphqlErrors(outcome).filter(
      (error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR',
    );
    if (internal.length > 0)
      say(
        outcome,
        `GraphQL INTERNAL_SERVER_ERROR (a 5xx in GraphQL's clothes): ${outcome.text.slice(0, 200)}`,
      );
    const lower = outcome.text.toLowerCase();
    for (const secret of secrets) {
      const at = lower.indexOf(secret.toLowerCase());
      if (at >= 0)
        say(outcome, `${outcome.status}, body shows "${outcome.text.slice(Math.max(0, at - 80), at + 60)}"`);
    }
    const { expect } = outcome.probe;
    if (expect === 'ok' && internal.length === 0) {
      const refused = outcome.probe.graphql ? graphqlErrors(outcome).length > 0 : outcome.status !== 200;
      if (refused) say(outcome, `expected 200, got ${outcome.status} ${outcome.text.slice(0, 200)}`);
    } else if (expect === 'bad-request') {
      const refused = outcome.probe.graphql ? graphqlErrors(outcome).length > 0 : outcome.status === 400;
      if (!refused)
        say(outcome, `expected a refusal (400), got ${outcome.status} ${outcome.text.slice(0, 200)}`);
    }
    const extra = outcome.probe.check?.(outcome);
    if (extra) say(outcome, extra);
  }
  const pairs = new Map<string, Outcome[]>();
  for (const outcome of outcomes) {
    if (!outcome.probe.pair) continue;
    const key = `${outcome.probe.caller}|${outcome.probe.pair.key}`;
    pairs.set(key, [...(pairs.get(key) ?? []), outcome]);
  }
  for (const group of pairs.values()) {
    const canary = group.find((outcome) => outcome.probe.pair?.role === 'canary');
    const nowhere = group.find((outcome) => outcome.probe.pair?.role === 'nowhere');
    if (canary && nowhere && canary.summary !== nowhere.summary) {
      say(
        canary,
        `answer differs from the same request on a string that exists nowhere:\n       canary:  ${canary.summary.slice(0, 300)}\n       nowhere: ${nowhere.summary.slice(0, 300)}`,
      );
    }
  }
  return found;
}
