/**
 * POST /api/auth/forgot-password answers the same for every address: `{ ok: true }`; and
 * POST /api/auth/send-email-confirmation answers `{ email, sent: true }` for every address (it
 * answered 400 "Already confirmed" or "User blocked" for an existing account, 200 otherwise).
 *
 * users-permissions answers `{ ok: true }` at once for an unknown address, but for a known one it
 * sends the reset e-mail first, and when that failed (the mail server unreachable, refusing the
 * login...) the error became a 500: which addresses have an account could be read from the
 * status. A failure to send is now logged on the server and the client gets the same answer as
 * for any other address. Invalid bodies still answer 400, and an unreachable database still
 * answers 503 (global::error-shape), the same for every address.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { isDatabaseUnavailable } from '../../middlewares/error-shape';

/** What users-permissions tells about an existing account when asked to confirm it again. */
const ACCOUNT_STATES = new Set(['Already confirmed', 'User blocked']);

type AuthController = Record<string, (ctx: Context) => Promise<unknown>>;
type ControllerFactory = (deps: { strapi: Core.Strapi }) => AuthController;

export default (plugin: { controllers: Record<string, ControllerFactory> }) => {
  const createAuth = plugin.controllers.auth;
  plugin.controllers.auth = (deps) => {
    const auth = createAuth(deps);
    return {
      ...auth,
      async forgotPassword(ctx) {
        try {
          await auth.forgotPassword(ctx);
        } catch (error) {
          if (error instanceof errors.ApplicationError || isDatabaseUnavailable(error as Error)) throw error;
          deps.strapi.log.error(
            `Password reset e-mail not sent: ${error instanceof Error ? error.message : String(error)}`,
          );
          ctx.send({ ok: true });
        }
      },
      async sendEmailConfirmation(ctx) {
        try {
          await auth.sendEmailConfirmation(ctx);
        } catch (error) {
          const message = error instanceof Error ? error.message : '';
          if (!(error instanceof errors.ApplicationError) || !ACCOUNT_STATES.has(message)) throw error;
          // The address exists: answer as for any other, without sending anything.
          const { email } = (ctx.request as { body?: { email?: unknown } }).body ?? {};
          ctx.send({ email, sent: true });
        }
      },
    };
  };
  return plugin;
};
