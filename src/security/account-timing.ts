/**
 * Login and password requests do the same work whether the address has an account or not (OWASP
 * Authentication Cheat Sheet): a response time must not tell accounts apart.
 *
 * - Login: Strapi compares the password with bcrypt (70-200 ms) only when the account exists and
 *   has a password; otherwise it answers at once. A failed login with no compare now makes one
 *   against a dummy hash of the same cost, made at boot by Strapi's own hashing.
 * - Forgotten password: for a known address Strapi writes a reset token and sends a mail before it
 *   answers. Now everything past the check of the request's shape (the lookup, the token, the
 *   mail) runs once the answer has been sent (`afterAnswer`); a failure is logged, never answered.
 *
 * The content API's routes are changed through src/extensions/users-permissions (its controller
 * and user service). The admin panel's (`/admin/login`, `/admin/forgot-password`) go through the
 * admin's auth service, which no extension point reaches: `evenAdminAuthWork` wraps its
 * `checkCredentials` and `forgotPassword` (each still calls Strapi's). It is a security wrap,
 * listed in src/fast-path/README.md, with no off switch; `assertAccountTimingEven` runs at boot
 * and refuses to start when the services no longer have the shape it relies on.
 */
import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import { within } from '../utils/within';

/** How long a stopping server waits for the work of answers already sent (mails, tokens). */
const SETTLE_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Work after the answer

const pending = new WeakMap<Core.Strapi, Set<Promise<void>>>();
/** What waits for each answer: one listener per answer, however many GraphQL aliases queue work. */
const waiting = new WeakMap<ServerResponse, (() => void)[]>();

/**
 * Runs `task` once the answer to `ctx` (by default the request being served) has been sent, or
 * at once outside a request. An error is logged under `what`, never thrown.
 */
export function afterAnswer(
  strapi: Core.Strapi,
  what: string,
  task: () => Promise<unknown>,
  ctx: { res?: ServerResponse } | undefined = strapi.requestContext.get() as { res?: ServerResponse },
): void {
  const tasks = pending.get(strapi) ?? new Set();
  pending.set(strapi, tasks);
  const work = new Promise<void>((resolve) => {
    const run = () =>
      Promise.resolve()
        .then(task)
        .catch((error: unknown) =>
          strapi.log.error(`${what}: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(resolve);
    const res = ctx?.res;
    if (!res || res.closed) setImmediate(run);
    else if (waiting.has(res)) waiting.get(res)!.push(run);
    else {
      waiting.set(res, [run]);
      // 'close' comes after 'finish' (the answer handed to the system), or when the client left.
      res.once('close', () => waiting.get(res)?.forEach((start) => start()));
    }
  });
  tasks.add(work);
  void work.then(() => tasks.delete(work));
}

/** Resolves when the work of the answers sent so far has finished (at shutdown, and in tests). */
export async function settleAfterAnswers(strapi: Core.Strapi, timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
  const tasks = pending.get(strapi);
  if (!tasks?.size) return;
  await within(Promise.all([...tasks]), timeoutMs).catch(() =>
    strapi.log.warn(`${tasks.size} task(s) after an answer (password reset mails) did not finish in time`),
  );
}

// ---------------------------------------------------------------------------------------------
// The dummy password compare

const dummyHashes = new WeakMap<Core.Strapi, Map<string, Promise<string>>>();

/**
 * A bcrypt hash of a random password made by `hash` (Strapi's own hashing, so of the cost its real
 * hashes have), once per Strapi instance and `kind`.
 */
function dummyHash(strapi: Core.Strapi, kind: string, hash: (password: string) => Promise<string>) {
  const hashes = dummyHashes.get(strapi) ?? new Map<string, Promise<string>>();
  dummyHashes.set(strapi, hashes);
  let made = hashes.get(kind);
  if (!made) {
    made = hash(crypto.randomBytes(24).toString('base64'));
    hashes.set(kind, made);
    made.catch(() => hashes.delete(kind));
  }
  return made;
}

/** The dummy hash for content API logins, by users-permissions' hashing (the password attribute's cost). */
export function usersDummyHash(strapi: Core.Strapi): Promise<string> {
  const users = strapi.plugin('users-permissions').service('user') as {
    ensureHashedPasswords(values: { password: string }): Promise<{ password: string }>;
  };
  return dummyHash(strapi, 'users-permissions', async (password) => {
    return (await users.ensureHashedPasswords({ password })).password;
  });
}

// ---------------------------------------------------------------------------------------------
// The admin panel's auth service

type Credentials = [unknown, unknown, { message?: string }?];
interface AdminAuth {
  checkCredentials(input: { email?: string; password?: string }): Promise<Credentials>;
  forgotPassword(input?: { email?: string }): Promise<unknown>;
  validatePassword(password: string, hash: string): Promise<boolean>;
  hashPassword(password: string): Promise<string>;
}

const WRAPPED = Symbol.for('inter-actions.account-timing');
/** Marks a function as one of these wraps, for the boot self-check. */
export const markAccountTimingWrap = <T extends object>(value: T): T =>
  Object.assign(value, { [WRAPPED]: true });
const isMarked = (value: unknown) => Boolean((value as Record<symbol, unknown> | undefined)?.[WRAPPED]);

/** Strapi's own functions, before the wrap: for the equivalence test. */
const originals = new WeakMap<Core.Strapi, Pick<AdminAuth, 'checkCredentials' | 'forgotPassword'>>();
export const strapiAdminAuth = (strapi: Core.Strapi) => originals.get(strapi);

const adminAuth = (strapi: Core.Strapi) => strapi.service('admin::auth') as unknown as AdminAuth;

const adminDummyHash = (strapi: Core.Strapi, auth: AdminAuth) =>
  dummyHash(strapi, 'admin', (password) => auth.hashPassword(password));

/** Whether an admin account with `email` has a password (the only case where Strapi compares). */
async function adminHasPassword(strapi: Core.Strapi, email: unknown): Promise<boolean> {
  if (typeof email !== 'string') return false;
  const user = await strapi.db.query('admin::user').findOne({ select: ['id', 'password'], where: { email } });
  return Boolean(user?.password);
}

export function evenAdminAuthWork(strapi: Core.Strapi): void {
  strapi.get('services').extend('admin::auth', (service: unknown) => {
    const auth = service as AdminAuth;
    for (const name of ['checkCredentials', 'forgotPassword', 'validatePassword', 'hashPassword'] as const)
      if (typeof auth[name] !== 'function')
        throw new Error(`src/security/account-timing.ts: the admin auth service has no ${name}`);
    const { checkCredentials, forgotPassword } = auth;
    originals.set(strapi, { checkCredentials, forgotPassword });
    return {
      ...auth,
      checkCredentials: markAccountTimingWrap(async (input: { email?: string; password?: string }) => {
        const result = await checkCredentials(input);
        // A wrong password was compared; an unknown address (or one without a password) was not.
        if (!result[1] && result[2]?.message === 'Invalid credentials') {
          if (!(await adminHasPassword(strapi, input?.email))) {
            await auth.validatePassword(String(input?.password ?? ''), await adminDummyHash(strapi, auth));
          }
        }
        return result;
      }),
      // Strapi's controller answers 204 whatever this does, and does not wait for it.
      forgotPassword: markAccountTimingWrap(async (input?: { email?: string }) => {
        afterAnswer(strapi, 'Admin password reset not done', () => forgotPassword(input));
      }),
    };
  });
}

/**
 * Boot self-check: the admin's auth service is wrapped, Strapi's `checkCredentials` still answers
 * an unknown address with `[null, false, { message: 'Invalid credentials' }]` (what the wrap
 * recognises), and the dummy hashes are made. Throws, so the server does not start, otherwise.
 */
export async function assertAccountTimingEven(strapi: Core.Strapi): Promise<void> {
  const fail = (what: string) => {
    throw new Error(`src/security/account-timing.ts: ${what}; logins would tell accounts apart by time`);
  };
  const auth = adminAuth(strapi);
  const strapiAuth = originals.get(strapi);
  if (!strapiAuth || !isMarked(auth.checkCredentials) || !isMarked(auth.forgotPassword))
    fail('the admin auth service is not wrapped');
  const probe = await strapiAuth!.checkCredentials({
    email: `self-check-${crypto.randomUUID()}@invalid`,
    password: 'x',
  });
  if (!Array.isArray(probe) || probe[1] !== false || probe[2]?.message !== 'Invalid credentials')
    fail(`admin checkCredentials answers an unknown address with ${JSON.stringify(probe)}`);
  const bcrypt = /^\$2[aby]\$\d\d\$/;
  if (!bcrypt.test(await adminDummyHash(strapi, auth))) fail('the admin hashPassword makes no bcrypt hash');
  if (!bcrypt.test(await usersDummyHash(strapi))) fail('users-permissions makes no bcrypt hash');
  const login = strapi.plugin('users-permissions').controller('auth') as Record<string, unknown>;
  const users = strapi.plugin('users-permissions').service('user') as Record<string, unknown>;
  if (!isMarked(login.callback) || !isMarked(login.forgotPassword) || !isMarked(users.validatePassword))
    fail('src/extensions/users-permissions did not wrap the login and password routes');
}
