/**
 * One delivery attempt: a POST of the signed body to the subscription's URL, connected to an address
 * checked at this moment (./addresses.ts), within a bounded time, redirects not followed.
 */
import http from 'node:http';
import https from 'node:https';
import { checkUrlText, safeLookup, type UrlCheckOptions } from './addresses';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature';

export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  /** The partner refused the event (4xx but 408 and 429): no retry. */
  | { kind: 'rejected'; status: number; error: string }
  /** Timeout, connection error, 5xx, 408, 429, a redirect or a refused address: retried. */
  | { kind: 'failed'; status?: number; error: string };

export interface Attempt {
  url: string;
  eventId: string;
  rawBody: string;
  secrets: string[];
  timeoutMs: number;
  urlOptions: UrlCheckOptions;
}

const USER_AGENT = 'Inter-Actions-Webhooks/1';
/** What is kept of an answer's body for the log. */
const ANSWER_BYTES = 500;

export function classify(status: number, received: string): AttemptOutcome {
  // The receiver writes this text: no control character reaches a log line (no forged lines).
  // eslint-disable-next-line no-control-regex
  const answer = received.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const error = `HTTP ${status}${answer ? `: ${answer}` : ''}`;
  if (status >= 300 && status < 400)
    return { kind: 'failed', status, error: `${error} (redirects are not followed)` };
  if (status >= 400 && status < 500 && status !== 408 && status !== 429)
    return { kind: 'rejected', status, error };
  return { kind: 'failed', status, error };
}

export function attempt(options: Attempt): Promise<AttemptOutcome> {
  const { url, problem } = checkUrlText(options.url, options.urlOptions);
  if (!url) return Promise.resolve({ kind: 'failed', error: problem ?? 'invalid url' });
  const client = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(options.rawBody, 'utf8');
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: safeLookup(options.urlOptions) as never,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': body.length,
          'User-Agent': USER_AGENT,
          [EVENT_ID_HEADER]: options.eventId,
          [SIGNATURE_HEADER]: signatureHeader(options.secrets, options.rawBody),
        },
      },
      (response) => {
        let answer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (answer.length < ANSWER_BYTES) answer += chunk.slice(0, ANSWER_BYTES - answer.length);
        });
        response.on('end', () => finish(classify(response.statusCode ?? 0, answer.trim())));
        response.on('error', (error) => finish({ kind: 'failed', error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    request.on('error', (error) => finish({ kind: 'failed', error: error.message }));
    request.end(body);
  });
}
