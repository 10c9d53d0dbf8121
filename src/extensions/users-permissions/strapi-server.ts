/**
 * The content API's login and password routes tell nothing about which addresses have an account,
 * neither by their answer nor by their time (src/security/account-timing.ts says why and how).
 *
 * - POST /api/auth/local (and GraphQL's `login`): a failed login in which Strapi compared no
 *   password (unknown identifier, account without a password) compares one with a dummy hash of
 *   the same cost. Which calls compared is seen at the user service's `validatePassword`.
 * - POST /api/auth/forgot-password (and GraphQL's `forgotPassword`) checks the body as Strapi does
 *   (400 for a bad one) and answers `{ ok: true }`; Strapi's own action (lookup, reset token, mail)
 *   runs once the answer has been sent, its failures logged on the server (a failed mail used to
 *   be a 500 for known addresses only).
 * - POST /api/auth/send-email-confirmation answers `{ email, sent: true }` for every address (it
 *   answered 400 "Already confirmed" or "User blocked" for an existing account, 200 otherwise).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import { errors, validateYupSchema, yup } from '@strapi/utils';
import type { Context } from 'koa';
import { afterAnswer, markAccountTimingWrap, usersDummyHash } from '../../security/account-timing';

/** What users-permissions tells about an existing account when asked to confirm it again. */
const ACCOUNT_STATES = new Set(['Already confirmed', 'User blocked']);
/** Strapi's answer to a failed login, whatever failed. */
const INVALID_LOGIN = 'Invalid identifier or password';

/** users-permissions' own rule for the forgot-password body (controllers/validation/auth.js). */
const validateForgotPasswordBody = validateYupSchema(
  yup.object({ email: yup.string().email().required() }).noUnknown(),
);

type AuthController = Record<string, (ctx: Context) => Promise<unknown>>;
type ControllerFactory = (deps: { strapi: Core.Strapi }) => AuthController;
interface UserService {
  validatePassword(password: string, hash: string): Promise<boolean>;
  ensureHashedPasswords(values: { password: string }): Promise<{ password: string }>;
}
type ServiceFactory = (deps: { strapi: Core.Strapi }) => UserService;

/** Set during a login: whether Strapi compared a password. */
const compared = new AsyncLocalStorage<{ yes: boolean }>();

export default (plugin: {
  controllers: Record<string, ControllerFactory>;
  services: Record<string, ServiceFactory>;
}) => {
  // Boot stops if these are gone: logins and resets would tell accounts apart again.
  if (typeof plugin.controllers.auth !== 'function' || typeof plugin.services.user !== 'function')
    throw new Error('src/extensions/users-permissions: the plugin has no auth controller or user service');

  // New objects, never the plugin module's own: a process that boots Strapi again (the tests'
  // workers) would otherwise wrap the previous boot's wraps.
  plugin.services = { ...plugin.services };
  plugin.controllers = { ...plugin.controllers };
  const createUserService = plugin.services.user;
  plugin.services.user = (deps) => {
    const service = createUserService(deps);
    if (typeof service.validatePassword !== 'function' || typeof service.ensureHashedPasswords !== 'function')
      throw new Error('src/extensions/users-permissions: the user service has no validatePassword to watch');
    return {
      ...service,
      validatePassword: markAccountTimingWrap((password: string, hash: string) => {
        const login = compared.getStore();
        if (login) login.yes = true;
        return service.validatePassword(password, hash);
      }),
    };
  };

  const createAuth = plugin.controllers.auth;
  plugin.controllers.auth = (deps) => {
    const auth = createAuth(deps);
    const { strapi } = deps;
    return {
      ...auth,
      callback: markAccountTimingWrap(async (ctx: Context) => {
        if ((ctx.params?.provider || 'local') !== 'local') return auth.callback(ctx);
        const login = { yes: false };
        try {
          return await compared.run(login, () => auth.callback(ctx));
        } catch (error) {
          if (!login.yes && error instanceof errors.ValidationError && error.message === INVALID_LOGIN) {
            const { password } = (ctx.request as { body?: { password?: unknown } }).body ?? {};
            const users = strapi.plugin('users-permissions').service('user') as UserService;
            await users.validatePassword(String(password ?? ''), await usersDummyHash(strapi));
          }
          throw error;
        }
      }),
      forgotPassword: markAccountTimingWrap(async (ctx: Context) => {
        const body = (ctx.request as { body?: unknown }).body;
        await validateForgotPasswordBody(body);
        // What Strapi's action reads of the request, kept: GraphQL puts its own body back after.
        const request = { request: { body }, state: ctx.state, params: ctx.params, send() {} };
        afterAnswer(
          strapi,
          'Password reset e-mail not sent',
          () => auth.forgotPassword(request as unknown as Context),
          ctx,
        );
        ctx.send({ ok: true });
      }),
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
