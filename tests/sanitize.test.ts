/**
 * src/sanitize: the one-pass output sanitizer answers exactly what Strapi's sanitizer answers, and
 * the remembered query checks never outlive a permission change.
 *
 * Equality is checked on real traffic (every call the API made while anonymous, an editor and a
 * read-only token read every content route, replayed through both sanitizers)
 * and on made-up entities of every content type and component with every attribute filled in,
 * relations two levels deep, for every caller seen plus no caller and an empty `auth`.
 */
import { isDeepStrictEqual } from 'node:util';
import { createCallers, type Callers } from './support/callers';
import { appModule, startStrapi, type TestApp } from './support/strapi';

// The app's own instance of the module: it records the calls of the app's sanitizer.
const { delegatedCalls, strapiOutputSanitizer } = appModule<
  typeof import('../src/fast-path/output-sanitizer')
>('src/fast-path/output-sanitizer');

type Sanitize = (data: unknown, schema: unknown, options?: { auth?: unknown }) => Promise<unknown>;
type Call = { data: unknown; schema: { uid: string }; options: { auth?: unknown } };
type Attribute = {
  type: string;
  relation?: string;
  target?: string;
  component?: string;
  components?: string[];
  repeatable?: boolean;
  multiple?: boolean;
  enum?: string[];
};
type Model = { uid: string; attributes: Record<string, Attribute> };

/**
 * A deep copy made in this realm. (structuredClone's objects come from Node's main realm, whose
 * Object.prototype is not the one of the code under test.)
 */
function copy<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)])) as T;
}

let app: TestApp;
let callers: Callers;

beforeAll(async () => {
  app = await startStrapi({ env: { RESPONSE_CACHE: 'false' } });
  callers = await createCallers(app, 'Sanitizer test');
});

afterAll(async () => {
  await app?.stop();
});

const REST_PATHS = [
  '/api/projects',
  '/api/projects?populate=*',
  '/api/projects?locale=de&populate[site]=true&populate[funders]=true',
  '/api/sites?populate=*',
  '/api/funders?populate=*',
  '/api/services?populate=*',
  '/api/enterprises?populate=*',
  '/api/organisation?populate=*',
];
/** Everything the API asked the sanitizer while the three callers read every route. */
async function recordTraffic(): Promise<Call[]> {
  const sanitize = app.strapi.contentAPI.sanitize;
  const installed = sanitize.output;
  const calls: Call[] = [];
  sanitize.output = (async (data: unknown, schema: { uid: string }, options: { auth?: unknown } = {}) => {
    calls.push({ data: copy(data), schema, options });
    return (installed as unknown as Sanitize)(data, schema, options);
  }) as never;
  try {
    for (const headers of Object.values(callers.headers)) {
      for (const path of REST_PATHS) expect((await app.http().get(path).set(headers)).status).toBe(200);
    }
    expect((await app.http().get('/api/users/me').set(callers.headers.editor)).status).toBe(200);
  } finally {
    sanitize.output = installed;
  }
  return calls;
}

/** An entity of `model` with every attribute filled in; relations nested `depth` levels. */
function madeUp(model: Model, depth: number, variant: number): Record<string, unknown> {
  const entity: Record<string, unknown> = { id: 7, documentId: 'made-up', notAnAttribute: { deep: [1] } };
  const modelOf = (uid: string) => app.strapi.getModel(uid as never) as unknown as Model | undefined;
  for (const [key, attribute] of Object.entries(model.attributes)) {
    switch (attribute.type) {
      case 'relation': {
        if (attribute.relation?.startsWith('morph')) {
          entity[key] = depth > 0 ? [{ __type: 'api::site.site', id: 1, name: 'Site' }] : null;
          break;
        }
        const target = attribute.target ? modelOf(attribute.target) : undefined;
        const one = () => (depth > 0 && target ? madeUp(target, depth - 1, variant) : { id: 1, count: 2 });
        // Variant 1 leaves the relations empty: a relation key the caller may not read is removed
        // even when it holds nothing.
        if (variant === 1) entity[key] = attribute.relation?.endsWith('Many') ? [] : null;
        else entity[key] = attribute.relation?.endsWith('Many') ? [one(), one()] : one();
        break;
      }
      case 'media': {
        const file = {
          id: 3,
          name: 'photo.jpg',
          url: '/uploads/photo.jpg',
          hash: 'photo',
          provider: 'local',
        };
        entity[key] = attribute.multiple ? [file, { ...file, id: 4 }] : file;
        break;
      }
      case 'component': {
        const component = modelOf(attribute.component as string);
        const one = () => (component ? madeUp(component, depth, variant) : {});
        entity[key] = attribute.repeatable ? [one(), one()] : one();
        break;
      }
      case 'dynamiczone':
        entity[key] = [
          ...(attribute.components ?? []).map((uid) => {
            const component = modelOf(uid);
            return { __component: uid, ...(component ? madeUp(component, depth, variant) : {}) };
          }),
          null,
        ];
        break;
      case 'integer':
      case 'biginteger':
      case 'float':
      case 'decimal':
        entity[key] = 1979;
        break;
      case 'boolean':
        entity[key] = true;
        break;
      case 'json':
        entity[key] = { nested: { value: 1 } };
        break;
      case 'blocks':
        entity[key] = [{ type: 'paragraph', children: [{ type: 'text', text: 'Texte' }] }];
        break;
      case 'enumeration':
        entity[key] = attribute.enum?.[0] ?? null;
        break;
      default:
        entity[key] = `${key} value`;
    }
  }
  return entity;
}

const relationKeys = (value: unknown, model: Model): string[] =>
  Object.keys(value as object).filter((key) => model.attributes[key]?.type === 'relation');

describe('the one-pass output sanitizer', () => {
  let calls: Call[];
  let fast: Sanitize;
  let strapiSanitize: Sanitize;

  beforeAll(async () => {
    fast = app.strapi.contentAPI.sanitize.output as unknown as Sanitize;
    strapiSanitize = strapiOutputSanitizer(app.strapi) as Sanitize;
    expect(strapiSanitize).toBeDefined();
    expect(fast).not.toBe(strapiSanitize);
    calls = await recordTraffic();
  });

  /** Both sanitizers on one input: the same answer, keys in the same order, the input untouched. */
  async function expectSame(data: unknown, schema: unknown, options: { auth?: unknown }) {
    const before = copy(data);
    const expected = await strapiSanitize(copy(data), schema, options);
    const actual = await fast(data, schema, options);
    expect(actual).toStrictEqual(expected);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    expect(isDeepStrictEqual(data, before)).toBe(true);
    return actual;
  }

  it('answers every call of real traffic as Strapi does', async () => {
    // 3 callers x 8 REST routes + /users/me. (GraphQL sanitizes output only for polymorphic
    // relations, which these types do not have: its schema has no private fields to begin with.)
    expect(calls.length).toBe(REST_PATHS.length * 3 + 1);
    const schemas = new Set(calls.map((call) => call.schema.uid));
    for (const uid of [
      'api::project.project',
      'api::site.site',
      'api::funder.funder',
      'plugin::users-permissions.user',
    ])
      expect(schemas).toContain(uid);
    const delegated = delegatedCalls(app.strapi);
    for (const call of calls) await expectSame(call.data, call.schema, call.options);
    // ... and in one pass, not by handing the calls back to Strapi.
    expect(delegatedCalls(app.strapi)).toBe(delegated);
  });

  it('answers made-up entities of every type and component as Strapi does, for every caller', async () => {
    const auths = [undefined, {}, ...new Set(calls.map((call) => call.options.auth))];
    // none, empty, and one per request of the recorded traffic (anonymous, editor, token).
    expect(auths.length).toBe(2 + REST_PATHS.length * 3 + 1);
    const models = [
      ...Object.values(app.strapi.contentTypes),
      ...Object.values(app.strapi.components),
    ] as unknown as Model[];
    let removedRelations = 0;
    let removedSecrets = 0;
    let cases = 0;
    let handedOver = 0;
    for (const model of models) {
      for (const variant of [0, 1]) {
        const entity = madeUp(model, 2, variant);
        const polymorphic = JSON.stringify(entity).includes('"__type"');
        for (const auth of auths) {
          const delegated = delegatedCalls(app.strapi);
          const result = (await expectSame([entity, entity], model, { auth })) as unknown[];
          cases += 1;
          // Only data that holds a polymorphic relation (an upload file's `related`) goes to Strapi.
          if (delegatedCalls(app.strapi) > delegated) {
            expect(polymorphic).toBe(true);
            handedOver += 1;
          }
          removedRelations += relationKeys(entity, model).length - relationKeys(result[0], model).length;
          if ('password' in entity && !('password' in (result[0] as object))) removedSecrets += 1;
        }
      }
    }
    // The cases that matter were met: relations taken away for lack of permission, passwords
    // taken away from users.
    expect(removedRelations).toBeGreaterThan(100);
    expect(removedSecrets).toBeGreaterThanOrEqual(auths.length * 2);
    expect(cases).toBe(models.length * 2 * auths.length);
    expect(handedOver).toBeLessThan(cases / 10);
  });

  it('keeps passwords, private fields and unreadable relations out of what the API sends', async () => {
    const user = app.strapi.getModel('plugin::users-permissions.user') as unknown as Model;
    const anonymous = calls.find((call) => call.schema.uid === 'api::project.project' && !call.options.auth)
      ?.options.auth;
    const entity = madeUp(user, 1, 0);
    const result = (await expectSame(entity, user, { auth: anonymous ?? {} })) as Record<string, unknown>;
    for (const secret of ['password', 'resetPasswordToken', 'confirmationToken']) {
      expect(entity).toHaveProperty(secret);
      expect(result).not.toHaveProperty(secret);
    }
    const role = app.strapi.getModel('plugin::users-permissions.role') as unknown as Model;
    const roleResult = (await expectSame(madeUp(role, 1, 0), role, {})) as Record<string, unknown>;
    expect(roleResult).not.toHaveProperty('users');
  });

  it('handles nested lists and values that are not entities, and hands what it does not reproduce to Strapi', async () => {
    const project = app.strapi.getModel('api::project.project');
    const entity = madeUp(project as unknown as Model, 1, 0);
    const delegated = delegatedCalls(app.strapi);
    await expectSame([[entity], [entity, null]], project, { auth: {} });
    await expectSame(null, project, {});
    await expectSame('text', project, {});
    expect(delegatedCalls(app.strapi)).toBe(delegated);
    await expectSame({ ...entity, site: new Date(0) }, project, {});
    await expectSame(entity, project, { auth: 'not an object' });
    expect(delegatedCalls(app.strapi)).toBe(delegated + 2);

    const registered = app.strapi.sanitizers.get('content-api.output') as unknown[];
    const marker = () => async (value: unknown) => ({ ...(value as object), marked: true });
    registered.push(marker);
    try {
      const result = (await expectSame(entity, project, {})) as Record<string, unknown>;
      expect(result.marked).toBe(true);
      expect(delegatedCalls(app.strapi)).toBe(delegated + 3);
    } finally {
      registered.pop();
    }
  });
});

describe('remembered query checks', () => {
  const projectsWithFunders = '/api/projects?populate[funders]=true&pagination[pageSize]=3';
  const hasFunders = (body: { data: Record<string, unknown>[] }) =>
    body.data.length > 0 && body.data.every((project) => Array.isArray(project.funders));

  it('follow a change of the public permissions on the very next request', async () => {
    const first = await app.http().get(projectsWithFunders);
    expect(first.status).toBe(200);
    expect(hasFunders(first.body)).toBe(true);
    const funder = first.body.data.flatMap((project: { funders: { name: string }[] }) => project.funders)[0];
    const byFunder = `/api/projects?filters[funders][name][$eq]=${encodeURIComponent(funder.name)}`;
    const filtered = await app.http().get(byFunder);
    expect(filtered.status).toBe(200);
    expect(filtered.body.meta.pagination.total).toBeGreaterThan(0);

    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    const grant = await permissions.findOne({
      where: { action: 'api::funder.funder.find', role: { type: 'public' } },
      populate: ['role'],
    });
    expect(grant).toBeTruthy();
    await permissions.delete({ where: { id: grant.id } });
    try {
      // A filter on a type the public may not read is refused by Strapi's query validation...
      const refused = await app.http().get(byFunder);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ name: 'ValidationError', message: 'Invalid key funders' });
      // ... and its populate is dropped by the query sanitizer.
      const withoutGrant = await app.http().get(projectsWithFunders);
      expect(withoutGrant.status).toBe(200);
      expect(withoutGrant.body.data.some((project: object) => 'funders' in project)).toBe(false);
      // An authenticated caller is not served the anonymous answer.
      const asEditor = await app.http().get(projectsWithFunders).set(callers.headers.editor);
      expect(hasFunders(asEditor.body)).toBe(true);
    } finally {
      await permissions.create({ data: { action: grant.action, role: grant.role.id } });
    }
    const restored = await app.http().get(projectsWithFunders);
    expect(hasFunders(restored.body)).toBe(true);
    expect(restored.body).toEqual(first.body);
    expect((await app.http().get(byFunder)).body).toEqual(filtered.body);
  });

  it('reject an invalid query every time, with the same 400', async () => {
    const path = '/api/projects?filters[notAField][$eq]=1';
    const answers = [await app.http().get(path), await app.http().get(path)];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    }
    expect(answers[1].body).toEqual(answers[0].body);
  });

  it('answer what Strapi answers, each caller with a copy of its own', async () => {
    // The auth object and route of a real anonymous request.
    const sanitize = app.strapi.contentAPI.sanitize;
    const installed = sanitize.query;
    let seen: { auth?: unknown; route?: unknown } = {};
    sanitize.query = ((query: unknown, schema: unknown, options: typeof seen) => {
      seen = options;
      return installed(query as never, schema as never, options as never);
    }) as never;
    try {
      expect((await app.http().get('/api/projects')).status).toBe(200);
    } finally {
      sanitize.query = installed;
    }
    expect(seen.auth).toMatchObject({ credentials: null });

    const schema = app.strapi.getModel('api::project.project');
    // Not the users-permissions strategy's anonymous answer (no `credentials: null`): not memoized.
    const unremembered = { ...(seen.auth as object), credentials: undefined };
    const queries = [
      { populate: { site: true, funders: { fields: ['name'] } }, sort: ['foundedYear:desc'] },
      { filters: { site: { slug: { $eq: 'x' } } }, fields: ['title'], pagination: { page: 2 } },
      { populate: '*', filters: { $or: [{ title: { $contains: 'a' } }, { kind: 'day-care' }] } },
    ];
    for (const query of queries) {
      const options = { auth: seen.auth, route: seen.route };
      const first = (await sanitize.query(query, schema, options as never)) as Record<string, unknown>;
      const expected = await sanitize.query(query, schema, { ...options, auth: unremembered } as never);
      expect(first).toEqual(expected);
      // What a caller does to its copy, down to nested objects, is not seen by the next one.
      for (const value of Object.values(first))
        if (typeof value === 'object' && value !== null) Object.assign(value, { mutated: true });
      Object.assign(first, { mutated: true });
      const second = await sanitize.query(query, schema, options as never);
      expect(second).not.toBe(first);
      expect(second).toEqual(expected);
    }
  });
});
