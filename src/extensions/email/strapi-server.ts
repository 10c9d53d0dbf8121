/**
 * One warning at boot when e-mail is off. Without SMTP_HOST, config/plugins.ts gives the e-mail
 * plugin nodemailer's JSON transport, which builds each message and sends it nowhere (no DNS or
 * SMTP traffic leaves the server), so password-reset and invitation e-mails silently go missing;
 * the warning says so once, with what to set.
 */
import type { Core } from '@strapi/strapi';

type Lifecycle = (deps: { strapi: Core.Strapi }) => unknown;

export default (plugin: { bootstrap?: Lifecycle }) => {
  const bootstrap = plugin.bootstrap;
  plugin.bootstrap = async (deps) => {
    await bootstrap?.(deps);
    const options = deps.strapi.config.get<{ jsonTransport?: boolean }>('plugin::email.providerOptions', {});
    if (options.jsonTransport) {
      deps.strapi.log.warn(
        'E-mail is off: SMTP_HOST is not set, so no e-mail (password resets, invitations) leaves the server. Set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASSWORD, EMAIL_FROM) to send them.',
      );
    }
  };
  return plugin;
};
