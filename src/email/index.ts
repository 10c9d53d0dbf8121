/**
 * E-mail for staff and API users: the French templates of users-permissions applied at boot, and
 * the invitation mail of the admin panel (Strapi shows the invitation link to the inviter but
 * sends nothing). Templates and their languages: ./templates.ts. Without SMTP_HOST the messages
 * are built and dropped (src/extensions/email warns at boot).
 */
import type { Core } from '@strapi/strapi';
import {
  ADMIN_INVITATION,
  API_EMAIL_CONFIRMATION,
  API_RESET_PASSWORD,
  STRAPI_DEFAULT_MESSAGES,
  type InvitationLanguage,
} from './templates';

interface Sender {
  name: string;
  email: string;
}

interface TemplateOptions {
  from: Sender;
  response_email: string;
  object: string;
  message: string;
}

type EmailSettings = Record<string, { options: TemplateOptions } & Record<string, unknown>>;

/** The sender users-permissions ships its templates with. */
const STRAPI_SENDER = 'no-reply@strapi.io';
/** No sender in a template: users-permissions then leaves `from` to EMAIL_FROM (config/plugins.ts). */
const NO_SENDER: Sender = { name: '', email: '' };

/**
 * Replaces users-permissions' shipped English templates with ours, and its `no-reply@strapi.io`
 * sender with none, so that EMAIL_FROM and EMAIL_REPLY_TO apply. A template staff have edited in
 * the panel is left as they wrote it, and so is a sender they set.
 */
export async function applyEmailTemplates(strapi: Core.Strapi): Promise<void> {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const settings = (await store.get({ key: 'email' })) as EmailSettings | null;
  if (!settings) return;
  let changed = false;
  for (const [key, ours] of [
    ['reset_password', API_RESET_PASSWORD],
    ['email_confirmation', API_EMAIL_CONFIRMATION],
  ] as const) {
    const template = settings[key];
    if (!template) continue;
    if (STRAPI_DEFAULT_MESSAGES.some((phrase) => template.options.message.includes(phrase))) {
      template.options = { ...template.options, ...ours };
      changed = true;
    }
    if (template.options.from?.email === STRAPI_SENDER) {
      template.options.from = NO_SENDER;
      changed = true;
    }
  }
  if (changed) await store.set({ key: 'email', value: settings });
}

interface AdminUser {
  email: string;
  firstname?: string | null;
  lastname?: string | null;
  preferedLanguage?: string | null;
  registrationToken?: string | null;
  isActive?: boolean;
}

const languageOf = (user: AdminUser): InvitationLanguage =>
  user.preferedLanguage === 'de' || user.preferedLanguage === 'en' ? user.preferedLanguage : 'fr';

/** The admin panel's registration link for an invitation (the link the panel shows the inviter). */
export const invitationUrl = (strapi: Core.Strapi, token: string) =>
  `${strapi.config.get('admin.absoluteUrl')}/auth/register?registrationToken=${encodeURIComponent(token)}`;

/** The invitation mail for `user`, in its admin language. */
export function invitationMail(strapi: Core.Strapi, user: AdminUser, inviter: string) {
  const template = ADMIN_INVITATION[languageOf(user)];
  const fill = (text: string) =>
    text
      // Functions, so that `$&` or `{url}` in a name stay text.
      .replace('{url}', () => invitationUrl(strapi, user.registrationToken as string))
      .replace('{inviter}', () => inviter);
  return { to: user.email, subject: fill(template.subject), text: fill(template.text) };
}

/**
 * Sends the invitation when an admin user is created with a registration token (an invitation
 * from Settings > Users, or POST /admin/users). The creation itself never fails because of the
 * mail: a failure is logged, and the panel still shows the link to pass on by hand.
 */
export function sendAdminInvitations(strapi: Core.Strapi): void {
  strapi.db.lifecycles.subscribe({
    models: ['admin::user'],
    async afterCreate(event) {
      const user = event.result as AdminUser;
      if (!user?.registrationToken || user.isActive) return;
      const author = strapi.requestContext.get()?.state?.user as AdminUser | undefined;
      const inviter = [author?.firstname, author?.lastname].filter(Boolean).join(' ') || 'Inter-Actions';
      const mail = invitationMail(strapi, user, inviter);
      await strapi
        .plugin('email')
        .service('email')
        .send(mail)
        .catch((error: Error) =>
          strapi.log.error(`Invitation e-mail to an admin user not sent: ${error.message}`),
        );
    },
  });
}
