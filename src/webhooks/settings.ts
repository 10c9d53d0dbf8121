/**
 * Settings of the partner webhooks (docs/partners.en.md, "Webhooks"), read from the environment
 * when first asked for.
 */
import { env } from '@strapi/utils';

export interface WebhookSettings {
  /** Tests and development only: plain-HTTP URLs and loopback receivers are accepted. */
  allowPrivateUrls: boolean;
  /** Deliveries at most in flight at once, per server instance. */
  concurrency: number;
  /** First retry delay; each later one doubles (with jitter), over at least 24 hours in all. */
  retryDelaySeconds: number;
  /** Time limit of one delivery attempt (connection, request and answer). */
  timeoutSeconds: number;
  /**
   * Whether this process sends deliveries. The command-line scripts set WEBHOOK_WORKERS=false:
   * they queue the deliveries their writes cause, and the server's workers send them.
   */
  workers: boolean;
}

export function webhookSettings(): WebhookSettings {
  const bounded = (value: number, fallback: number, max: number) =>
    Number.isInteger(value) && value >= 1 ? Math.min(value, max) : fallback;
  return {
    allowPrivateUrls: env.bool('WEBHOOK_ALLOW_PRIVATE_URLS', false),
    concurrency: bounded(env.int('WEBHOOK_CONCURRENCY', 5), 5, 100),
    retryDelaySeconds: bounded(env.int('WEBHOOK_RETRY_DELAY_SECONDS', 30), 30, 3600),
    timeoutSeconds: bounded(env.int('WEBHOOK_TIMEOUT_SECONDS', 10), 10, 60),
    workers: env.bool('WEBHOOK_WORKERS', true),
  };
}

/** Time after which a delivery counts as abandoned: the retries must cover at least this. */
export const RETRY_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * pg-boss retries with delays of `delay * 2^(n-1) * (1 + random)` seconds (n = 1, 2...): the
 * fewest retries whose shortest total (`delay * (2^retries - 1)`) reaches 24 hours. With the
 * default 30 s: 12 retries, between 34 and 68 hours after the first failure.
 */
export function retryLimitFor(retryDelaySeconds: number): number {
  let retries = 1;
  while (retryDelaySeconds * (2 ** retries - 1) < RETRY_WINDOW_SECONDS) retries += 1;
  return retries;
}
