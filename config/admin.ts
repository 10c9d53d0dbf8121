import type { Core } from '@strapi/strapi';
import { ADMIN_RESET_PASSWORD } from '../src/email/templates';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Admin => ({
  auth: { secret: env('ADMIN_JWT_SECRET', '') },
  apiToken: { salt: env('API_TOKEN_SALT', '') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', '') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY', '') },
  // The reset mail of the admin panel, in French (src/email/templates.ts), from EMAIL_FROM. Strapi
  // renders an object { subject, text, html } here (its own default is one), though its type
  // declares a string.
  forgotPassword: {
    emailTemplate: ADMIN_RESET_PASSWORD as unknown as string,
    ...(env('EMAIL_FROM', '') ? { from: env('EMAIL_FROM') } : {}),
    ...(env('EMAIL_REPLY_TO', '') ? { replyTo: env('EMAIL_REPLY_TO') } : {}),
  },
  flags: {
    // No outbound network: no news feed or promotion calls from the admin panel. No satisfaction
    // survey, no Enterprise promotion, and no links to Strapi's documentation in page headers
    // (staff's help is the field help texts and the README's "Pour l'équipe" section).
    nps: env.bool('FLAG_NPS', false),
    promoteEE: env.bool('FLAG_PROMOTE_EE', false),
    docLinks: false,
  },
});
