import type { Core } from '@strapi/strapi';
import { previewHandler } from '../src/preview';
import { ADMIN_RESET_PASSWORD } from '../src/email/templates';
import { adminRateLimitStore } from '../src/ops/admin-rate-limit-store';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Admin => ({
  auth: { secret: env('ADMIN_JWT_SECRET', '') },
  apiToken: { salt: env('API_TOKEN_SALT', '') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', '') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY', '') },
  // Strapi's own limit on admin logins, counted in Redis with REDIS_URL (one budget across
  // instances), in memory otherwise (src/ops/admin-rate-limit-store.ts).
  rateLimit: { store: adminRateLimitStore(env('REDIS_URL', '')) as never },
  // The reset mail of the admin panel, in French (src/email/templates.ts), from EMAIL_FROM. Strapi
  // renders an object { subject, text, html } here (its own default is one), though its type
  // declares a string.
  forgotPassword: {
    emailTemplate: ADMIN_RESET_PASSWORD as unknown as string,
    ...(env('EMAIL_FROM', '') ? { from: env('EMAIL_FROM') } : {}),
    ...(env('EMAIL_REPLY_TO', '') ? { replyTo: env('EMAIL_REPLY_TO') } : {}),
  },
  // Preview of drafts on the public entry page (src/preview): the handler mints a 10-minute
  // preview token for a logged-in admin who may read the document. The page is served by this
  // server ('self'), which the panel's CSP must allow to be framed.
  preview: {
    enabled: true,
    config: { allowedOrigins: ["'self'"], handler: previewHandler },
  },
  flags: {
    // No outbound network: no news feed or promotion calls from the admin panel. No satisfaction
    // survey, no Enterprise promotion, and no links to Strapi's documentation in page headers
    // (staff's help is the field help texts and the staff guide, docs/staff.fr.md).
    nps: env.bool('FLAG_NPS', false),
    promoteEE: env.bool('FLAG_PROMOTE_EE', false),
    docLinks: false,
  },
});
