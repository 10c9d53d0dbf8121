/**
 * Login and password requests do the same work for a known and an unknown address
 * (src/security/account-timing.ts, src/extensions/users-permissions): counted, not timed. A login
 * makes as many bcrypt compares, of the same cost, and the same queries of the accounts table,
 * whatever the address; a forgotten-password request is answered before anything about the
 * address is looked up, and the reset token and the mail come after the answer (the mail still
 * arrives at a real SMTP server on 127.0.0.1). The admin auth service's wrap answers as Strapi's
 * own, and the boot self-check refuses the service unwrapped.
 */
import type http from 'node:http';
import type { Response } from 'supertest';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { smtpEnv, startMailbox, type Mailbox } from './support/smtp';
import { statementsDuring } from './support/sql';
import { appModule, startStrapi, type TestApp } from './support/strapi';
import { createApiUser, type ApiUser } from './support/users';

type Timing = typeof import('../src/security/account-timing');
interface Bcrypt {
  compare(password: string, hash: string, ...rest: unknown[]): Promise<boolean>;
  getRounds(hash: string): number;
}

const ADMIN_PASSWORD = 'Admin-Passw0rd-for-tests';

let app: TestApp;
let mailbox: Mailbox;
let timing: Timing;
let superAdmin: AdminSession;
let staff: AdminSession;
let user: ApiUser;
/** A content API account without a password, a blocked one, an admin invited but not registered, an inactive admin. */
let passwordless: string;
let blocked: ApiUser;
let invited: string;
let inactive: AdminSession;

beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startStrapi({ env: { AUTH_RATE_LIMIT_MAX: '10000', ...smtpEnv(mailbox) } });
  timing = appModule<Timing>('src/security/account-timing');
  superAdmin = await registerFirstAdmin(app);
  staff = await createAdminUser(app, superAdmin, 'communication', 'timing');
  inactive = await createAdminUser(app, superAdmin, 'communication', 'inactive');
  const { id } = await app.strapi.db.query('admin::user').findOne({ where: { email: inactive.email } });
  await app.strapi.db.query('admin::user').update({ where: { id }, data: { isActive: false } });
  invited = 'invited.only@example.test';
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'communication' } });
  const invitation = await app
    .http()
    .post('/admin/users')
    .set(superAdmin.headers)
    .send({ email: invited, firstname: 'Invited', lastname: 'Only', roles: [role.id] });
  expect(invitation.status).toBe(201);
  user = await createApiUser(app, 'authenticated');
  blocked = await createApiUser(app, 'authenticated');
  await app.strapi.db
    .query('plugin::users-permissions.user')
    .update({ where: { id: blocked.id }, data: { blocked: true } });
  passwordless = 'no.password@example.test';
  const authenticated = await app.strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'authenticated' } });
  await app.strapi.plugin('users-permissions').service('user').add({
    username: passwordless,
    email: passwordless,
    provider: 'local',
    confirmed: true,
    role: authenticated.id,
  });
  // What these writes set going after them (listeners reading the new rows) is over before counting.
  await appModule<typeof import('../src/utils/settle')>('src/utils/settle').settle(app.strapi);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

/**
 * The bcrypt compares made while `work` runs, as the cost (log2 rounds) of each hash compared.
 * bcryptjs is loaded once in the worker's realm, where Strapi runs: the app's copy is wrapped.
 */
async function comparesDuring(work: () => Promise<unknown>): Promise<number[]> {
  const bcrypt = appModule<Bcrypt>('../node_modules/bcryptjs');
  const costs: number[] = [];
  const compare = bcrypt.compare;
  bcrypt.compare = function (this: unknown, password, hash, ...rest) {
    costs.push(bcrypt.getRounds(hash));
    return compare.call(this, password, hash, ...rest);
  };
  try {
    await work();
  } finally {
    bcrypt.compare = compare;
  }
  return costs;
}

interface Attempt {
  status: number;
  body: unknown;
  compares: number[];
  /** The SQL of the statements that read or wrote the accounts table. */
  accounts: string[];
}

async function attempt(table: string, send: () => Promise<Response>): Promise<Attempt> {
  let response: Response | undefined;
  let statements: string[] = [];
  const compares = await comparesDuring(async () => {
    statements = await statementsDuring(app, async () => (response = await send()));
  });
  return {
    status: response!.status,
    body: response!.body,
    compares,
    accounts: statements.filter((sql) => sql.includes(`"${table}"`)),
  };
}

describe('a failed login does the same work for every address', () => {
  const storedCost = async (uid: string, email: string) => {
    const row = await app.strapi.db.query(uid as never).findOne({ where: { email } });
    return appModule<Bcrypt>('../node_modules/bcryptjs').getRounds((row as { password: string }).password);
  };

  it('POST /api/auth/local: a wrong password, an unknown address, an account without password or blocked', async () => {
    const login = (identifier: string) => () =>
      app.http().post('/api/auth/local').send({ identifier, password: 'Wrong-passw0rd!' });
    const known = await attempt('up_users', login(user.email));
    const cost = await storedCost('plugin::users-permissions.user', user.email);
    expect(known).toMatchObject({ status: 400, compares: [cost] });
    for (const identifier of ['nobody@example.test', passwordless, blocked.email]) {
      const other = await attempt('up_users', login(identifier));
      expect({ identifier, ...other }).toEqual({ identifier, ...known });
    }
  });

  it('GraphQL login: the same', async () => {
    const login = (identifier: string) => () =>
      app
        .http()
        .post('/graphql')
        .send({
          query: 'mutation ($input: UsersPermissionsLoginInput!) { login(input: $input) { jwt } }',
          variables: { input: { identifier, password: 'Wrong-passw0rd!' } },
        });
    const known = await attempt('up_users', login(user.email));
    expect(known.compares).toHaveLength(1);
    expect(known.body).toMatchObject({ errors: [{ message: 'Invalid identifier or password' }] });
    expect(await attempt('up_users', login('nobody@example.test'))).toEqual(known);
  });

  it('POST /admin/login: a wrong password, an unknown address, an invited account, an inactive one', async () => {
    const login = (email: string) => () =>
      app.http().post('/admin/login').send({ email, password: 'Wrong-passw0rd!' });
    const known = await attempt('admin_users', login(staff.email));
    const cost = await storedCost('admin::user', staff.email);
    expect(known).toMatchObject({ status: 400, compares: [cost] });
    for (const email of ['nobody@example.test', invited, inactive.email]) {
      const other = await attempt('admin_users', login(email));
      expect({ email, ...other }).toEqual({ email, ...known });
    }
  });

  it('the wrapped admin checkCredentials answers as Strapi’s own', async () => {
    const own = timing.strapiAdminAuth(app.strapi)!.checkCredentials;
    const { checkCredentials: wrapped } = app.strapi.service('admin::auth') as unknown as {
      checkCredentials: typeof own;
    };
    expect(wrapped).not.toBe(own);
    const inputs = [
      { email: staff.email, password: ADMIN_PASSWORD },
      { email: staff.email, password: 'Wrong-passw0rd!' },
      { email: 'nobody@example.test', password: ADMIN_PASSWORD },
      { email: invited, password: ADMIN_PASSWORD },
      { email: inactive.email, password: ADMIN_PASSWORD },
      { email: inactive.email, password: 'Wrong-passw0rd!' },
    ];
    for (const input of inputs)
      expect({ input, result: await wrapped(input) }).toEqual({ input, result: await own(input) });
  });

  it('the boot self-check refuses an admin auth service that is not wrapped', async () => {
    await expect(timing.assertAccountTimingEven(app.strapi)).resolves.toBeUndefined();
    const services = app.strapi.get('services') as {
      extend(uid: string, extend: (service: object) => object): void;
    };
    const wrapped = app.strapi.service('admin::auth') as object;
    services.extend('admin::auth', () => ({ ...wrapped, ...timing.strapiAdminAuth(app.strapi) }));
    try {
      await expect(timing.assertAccountTimingEven(app.strapi)).rejects.toThrow(/not wrapped/);
    } finally {
      services.extend('admin::auth', () => wrapped);
    }
  });
});

/**
 * What happens, in order, while `send` runs and until the work after its answer is done: the
 * answer handed to the system, the lookup of `email`, the reset token written, the mail handed to
 * the e-mail provider.
 */
async function orderOf(email: string, send: () => Promise<Response>) {
  const order: string[] = [];
  const server = app.strapi.server.httpServer;
  const onRequest = (_request: http.IncomingMessage, response: http.ServerResponse) =>
    response.once('finish', () => order.push('answer'));
  server.on('request', onRequest);
  const unsubscribe = app.strapi.db.lifecycles.subscribe({
    models: ['plugin::users-permissions.user', 'admin::user'],
    beforeFindOne(event: { params?: { where?: unknown } }) {
      if (JSON.stringify(event.params?.where ?? {}).includes(email)) order.push('lookup');
    },
    afterUpdate(event: { params?: { data?: { resetPasswordToken?: unknown } } }) {
      if (event.params?.data?.resetPasswordToken) order.push('token');
    },
  }) as unknown as () => void;
  const provider = app.strapi.plugin('email').provider as { send: (options: object) => Promise<unknown> };
  const send_ = provider.send;
  provider.send = (options) => {
    order.push('mail');
    return send_.call(provider, options);
  };
  try {
    const response = await send();
    await timing.settleAfterAnswers(app.strapi);
    return { status: response.status, body: response.body, order };
  } finally {
    server.off('request', onRequest);
    unsubscribe();
    provider.send = send_;
  }
}

describe('a forgotten password is answered before anything about the address is done', () => {
  it('POST /api/auth/forgot-password: the answer, then the lookup, the token and the mail', async () => {
    const ask = (email: string) => () => app.http().post('/api/auth/forgot-password').send({ email });
    const since = mailbox.received.length;
    const known = await orderOf(user.email, ask(user.email));
    expect(known).toEqual({ status: 200, body: { ok: true }, order: ['answer', 'lookup', 'token', 'mail'] });
    expect((await mailbox.waitFor(user.email, since)).to).toEqual([user.email]);
    const unknown = await orderOf('nobody@example.test', ask('nobody@example.test'));
    expect(unknown).toEqual({ status: 200, body: { ok: true }, order: ['answer', 'lookup'] });
    // A bad body is still refused as Strapi refuses it, and nothing is looked up.
    const bad = await orderOf('not-an-address', ask('not-an-address'));
    expect(bad).toMatchObject({
      status: 400,
      body: { data: null, error: { status: 400 } },
      order: ['answer'],
    });
    expect(bad.body.error.message).toBe('email must be a valid email');
  });

  it('GraphQL forgotPassword: the same', async () => {
    const ask = (email: string) => () =>
      app.http().post('/graphql').send({
        query: 'mutation ($email: String!) { forgotPassword(email: $email) { ok } }',
        variables: { email },
      });
    const since = mailbox.received.length;
    const known = await orderOf(user.email, ask(user.email));
    expect(known).toMatchObject({ body: { data: { forgotPassword: { ok: true } } } });
    expect(known.order).toEqual(['answer', 'lookup', 'token', 'mail']);
    await mailbox.waitFor(user.email, since);
  });

  it('POST /admin/forgot-password: the answer, then the lookup, the token and the mail', async () => {
    const ask = (email: string) => () => app.http().post('/admin/forgot-password').send({ email });
    const since = mailbox.received.length;
    const known = await orderOf(staff.email, ask(staff.email));
    expect(known).toEqual({ status: 204, body: {}, order: ['answer', 'lookup', 'token', 'mail'] });
    expect((await mailbox.waitFor(staff.email, since)).to).toEqual([staff.email]);
    const unknown = await orderOf('nobody@example.test', ask('nobody@example.test'));
    expect(unknown).toEqual({ status: 204, body: {}, order: ['answer', 'lookup'] });
  });
});
