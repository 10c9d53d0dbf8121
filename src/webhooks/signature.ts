/**
 * The signature partners check (Stripe's scheme): `X-Inter-Actions-Signature: t=<unix seconds>,
 * v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, one `v1=` per valid secret (two during the 24 hours
 * that follow a rotation). docs/partners.en.md, "Deliveries and their signature", has the verification snippet.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const EVENT_ID_HEADER = 'X-Inter-Actions-Event-Id';
export const SIGNATURE_HEADER = 'X-Inter-Actions-Signature';

export function signatureHeader(secrets: string[], rawBody: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  const signatures = secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex')}`,
  );
  return [`t=${t}`, ...signatures].join(',');
}

/** A new signing secret: 32 random bytes, with a prefix that says what it is. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;
