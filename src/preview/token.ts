/**
 * Preview tokens: what lets a browser read one draft through GET /api/preview.
 *
 * A token is minted by the admin panel's preview handler (./index.ts) for a logged-in admin user
 * who may read the document, and binds one type, one documentId and one locale for
 * PREVIEW_TOKEN_SECONDS. It is `<payload>.<signature>`: the payload is base64url JSON
 * `{ v, t, d, l, e }` (version, type, documentId, locale, expiry in Unix seconds), the signature
 * base64url HMAC-SHA256 of the payload with a key derived from ADMIN_JWT_SECRET (no secret of its
 * own: rotating the admin secret ends every preview token as it ends every admin session).
 * Verification recomputes the signature and compares in constant time before it reads anything
 * of the payload.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The request header that carries a preview token to GET /api/preview. */
export const PREVIEW_TOKEN_HEADER = 'x-preview-token';

/** Lifetime of a preview token: long enough to look, short enough that a leaked link dies soon. */
export const PREVIEW_TOKEN_SECONDS = 10 * 60;

const VERSION = 1;
/** Separates this use of the admin secret from any other (the key is never the secret itself). */
const KEY_LABEL = 'inter-actions/preview-token/v1';
const MAX_TOKEN_LENGTH = 1024;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/;

export interface PreviewClaims {
  /** Content type's singular name: `project`, `organisation`... */
  type: string;
  documentId: string;
  locale: string;
}

export type Verdict =
  | { ok: true; claims: PreviewClaims; expiresAt: number }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** The signing key for preview tokens, derived from the admin panel's JWT secret. */
export function previewKey(adminSecret: string): Buffer {
  if (!adminSecret) throw new Error('ADMIN_JWT_SECRET is not set: preview tokens cannot be signed');
  return createHmac('sha256', adminSecret).update(KEY_LABEL).digest();
}

const sign = (key: Buffer, payload: string): Buffer => createHmac('sha256', key).update(payload).digest();

/** A token for `claims`, valid until `expiresAt` (Unix seconds; tests pass a past one). */
export function mintPreviewToken(
  key: Buffer,
  claims: PreviewClaims,
  expiresAt = Math.floor(Date.now() / 1000) + PREVIEW_TOKEN_SECONDS,
): string {
  const body = { v: VERSION, t: claims.type, d: claims.documentId, l: claims.locale, e: expiresAt };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${sign(key, payload).toString('base64url')}`;
}

/** Checks the token's signature, then its expiry; says why when it is refused. */
export function verifyPreviewToken(key: Buffer, token: unknown, now = Date.now() / 1000): Verdict {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !TOKEN_SHAPE.test(token))
    return { ok: false, reason: 'malformed' };
  const [payload, signature] = token.split('.');
  const given = Buffer.from(signature, 'base64url');
  const expected = sign(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature' };
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { v, t, d, l, e } = (body ?? {}) as Record<string, unknown>;
  if (
    v !== VERSION ||
    typeof t !== 'string' ||
    typeof d !== 'string' ||
    typeof l !== 'string' ||
    typeof e !== 'number'
  )
    return { ok: false, reason: 'malformed' };
  if (!(e > now)) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { type: t, documentId: d, locale: l }, expiresAt: e };
}
