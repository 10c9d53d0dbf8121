/**
 * The fast path (src/fast-path) changes speed, not answers.
 *
 * - Equivalence beyond the seed: a larger and messier dataset (hundreds of projects and services,
 *   four locales with missing translations, drafts, published entries with unpublished edits), the
 *   seeded fuzz generator's REST queries and generated GraphQL queries, for an anonymous caller,
 *   an editor and a read-only token: the same status and the same bytes with every patch applied,
 *   with FAST_PATH=off, and with every self-check failing (the fallback).
 * - Negative control: a deliberately broken output sanitizer makes the comparison fail.
 * - Each patch's self-check finds its target hidden, and says so.
 */
import type { Core } from '@strapi/strapi';
import { createQueryFuzzer } from './support/fuzz';
import { seededRandom } from './support/random';
import { appModule, startStrapi, type TestApp } from './support/strapi';

// The app's own instance of the module (its patches' state is per Strapi instance).
const { PATCHES, fastPathStatus } = appModule<typeof import('../src/fast-path')>('src/fast-path');
import { bearer, createApiUser } from './support/users';
import { createReadOnlyToken } from '../src/permissions/tokens';

type Answer = { status: number; body: string };
type Request = { kind: 'rest' | 'graphql'; who: string; target: string };

const REST_REQUESTS = 200;
const VALID_REQUESTS = 160;
const GRAPHQL_REQUESTS = 60;
const NO_CACHE = { RESPONSE_CACHE: 'false' };

let databaseName: string;
let requests: Request[] = [];
let headers: Record<string, Record<string, string>> = {};
let fastAnswers: Answer[] = [];

/** Hundreds of entries in every state a reader can meet, through the Document Service. */
async function messyDataset(strapi: Core.Strapi) {
  const random = seededRandom(14);
  const sites = await strapi.documents('api::site.site').findMany({ locale: 'fr', limit: 100 });
  const funders = await strapi.documents('api::funder.funder').findMany({ locale: 'fr', limit: 100 });
  // The enumerations' values, from the schemas.
  type Model = { attributes: Record<string, { enum?: string[] }> };
  const enumOf = (uid: string, field: string) =>
    (strapi.getModel(uid as never) as unknown as Model).attributes[field].enum ?? [];
  // Every locale of the i18n plugin but the default one.
  const locales = (
    (await strapi.plugin('i18n').service('locales').find()) as { code: string; isDefault: boolean }[]
  )
    .filter((locale) => !locale.isDefault)
    .map((locale) => locale.code);
  const kinds = enumOf('api::project.project', 'kind');
  const themes = enumOf('api::service.service', 'theme');
  const write = async (uid: 'api::project.project' | 'api::service.service', index: number) => {
    const documents = strapi.documents(uid);
    const isProject = uid === 'api::project.project';
    const name = `${isProject ? 'Projet' : 'Service'} généré ${index}`;
    const data = isProject
      ? {
          title: name,
          slug: `projet-genere-${index}`,
          kind: random.pick(kinds),
          foundedYear: 1980 + Math.floor(random.next() * 45),
          summary: random.chance(0.5) ? `Résumé ${index}` : null,
          site: random.pick(sites).documentId,
          funders: funders.filter(() => random.chance(0.15)).map((funder) => funder.documentId),
        }
      : {
          name,
          slug: `service-genere-${index}`,
          theme: random.pick(themes),
          foundedYear: 1980 + Math.floor(random.next() * 45),
          funders: funders.filter(() => random.chance(0.1)).map((funder) => funder.documentId),
        };
    const created = await documents.create({ locale: 'fr', data: data as never });
    for (const locale of locales) {
      if (!random.chance(0.4)) continue;
      await documents.update({
        documentId: created.documentId,
        locale,
        data: { ...(data as object), [isProject ? 'title' : 'name']: `${name} (${locale})` } as never,
      });
    }
    if (random.chance(0.7)) {
      await documents.publish({ documentId: created.documentId, locale: '*' });
      // Some published entries get an unpublished edit.
      if (random.chance(0.3))
        await documents.update({
          documentId: created.documentId,
          locale: 'fr',
          data: { [isProject ? 'title' : 'name']: `${name} (brouillon)` } as never,
        });
    }
  };
  for (let index = 0; index < 160; index += 1) await write('api::project.project', index);
  for (let index = 0; index < 60; index += 1) await write('api::service.service', index);
}

async function answer(app: TestApp, request: Request): Promise<Answer> {
  const response =
    request.kind === 'rest'
      ? await app.http().get(request.target).set(headers[request.who])
      : await app.http().post('/graphql').set(headers[request.who]).send({ query: request.target });
  return { status: response.status, body: response.text };
}

async function answersOf(app: TestApp): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const request of requests) answers.push(await answer(app, request));
  return answers;
}

/** The requests whose answers differ, with both answers' first characters. */
function differences(expected: Answer[], actual: Answer[]) {
  return requests
    .map((request, index) => ({ request, expected: expected[index], actual: actual[index] }))
    .filter(({ expected: a, actual: b }) => a.status !== b.status || a.body !== b.body)
    .map(({ request, expected: a, actual: b }) => ({
      request,
      expected: `${a.status} ${a.body.slice(0, 300)}`,
      actual: `${b.status} ${b.body.slice(0, 300)}`,
    }));
}

beforeAll(async () => {
  const app = await startStrapi({ env: NO_CACHE });
  databaseName = app.databaseName;
  try {
    await messyDataset(app.strapi);
    const editor = await createApiUser(app, 'editor');
    const token = await createReadOnlyToken(app.strapi, { name: 'fast-path equivalence', days: 1 });
    headers = {
      anonymous: {},
      editor: bearer(editor),
      token: { Authorization: `Bearer ${token.accessKey}` },
    };
    const fuzzer = createQueryFuzzer(app.strapi, 20261126);
    const who = () => fuzzer.random.pick(Object.keys(headers));
    requests = [
      ...Array.from({ length: REST_REQUESTS }, () => ({
        kind: 'rest' as const,
        who: who(),
        target: fuzzer.restUrl(),
      })),
      ...Array.from({ length: VALID_REQUESTS }, () => ({
        kind: 'rest' as const,
        who: who(),
        target: fuzzer.validUrl(),
      })),
      ...Array.from({ length: GRAPHQL_REQUESTS }, () => ({
        kind: 'graphql' as const,
        who: who(),
        target: fuzzer.graphqlQuery(),
      })),
    ];
    expect(Object.values(fastPathStatus(app.strapi))).toEqual(PATCHES.map(() => 'applied'));
    fastAnswers = await answersOf(app);
  } finally {
    await app.stop();
  }
}, 240_000);

it('the requests reach both sides: answers with data and refusals', () => {
  const statuses = fastAnswers.map((item) => item.status);
  expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(150);
  expect(statuses.filter((status) => status === 400).length).toBeGreaterThan(20);
  // Lists with many entries, not only empty answers.
  expect(fastAnswers.filter((item) => item.body.length > 5000).length).toBeGreaterThan(20);
});

it('FAST_PATH=off answers every request with the same status and bytes', async () => {
  const app = await startStrapi({ databaseName, env: { ...NO_CACHE, FAST_PATH: 'off' } });
  try {
    expect(Object.values(fastPathStatus(app.strapi))).toEqual(PATCHES.map(() => 'off'));
    expect(differences(fastAnswers, await answersOf(app))).toEqual([]);
  } finally {
    await app.stop();
  }
}, 180_000);

it('when every self-check fails, no patch is applied, one warning names each, and answers are the same', async () => {
  const app = await startStrapi({ databaseName, env: { ...NO_CACHE, FAST_PATH_SELF_CHECK_FAIL: 'all' } });
  try {
    const status = fastPathStatus(app.strapi);
    for (const patch of PATCHES) expect(status[patch.name]).toMatch(/^not applied: /);
    expect(differences(fastAnswers, await answersOf(app))).toEqual([]);
  } finally {
    await app.stop();
  }
}, 180_000);

it('negative control: a broken output sanitizer is caught by the comparison', async () => {
  const app = await startStrapi({ databaseName, env: NO_CACHE });
  try {
    const sanitize = app.strapi.contentAPI.sanitize;
    const installed = sanitize.output;
    // A drift in semantics: the slug of every entry goes missing.
    sanitize.output = (async (...args: Parameters<typeof installed>) => {
      const result = (await installed(...args)) as unknown;
      const drop = (value: unknown) => {
        if (value && typeof value === 'object' && 'slug' in value) delete (value as { slug?: unknown }).slug;
      };
      if (Array.isArray(result)) result.forEach(drop);
      else drop(result);
      return result;
    }) as typeof installed;
    expect(differences(fastAnswers, await answersOf(app)).length).toBeGreaterThan(10);
  } finally {
    await app.stop();
  }
}, 180_000);

describe('each self-check finds its target hidden', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi({ databaseName, env: NO_CACHE });
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** `strapi` with `path` replaced by `value` (a Proxy per level; the real instance is untouched). */
  function hiding(strapi: Core.Strapi, path: (string | [string, unknown[]])[], value: unknown): Core.Strapi {
    const wrap = (target: unknown, depth: number): unknown => {
      if (depth === path.length) return value;
      const step = path[depth];
      return new Proxy(target as object, {
        get(object, key, receiver) {
          if (typeof step === 'string') {
            const real = Reflect.get(object, key, receiver);
            return key === step
              ? wrap(real, depth + 1)
              : typeof real === 'function'
                ? real.bind(object)
                : real;
          }
          const [method, args] = step;
          const real = Reflect.get(object, key, receiver);
          if (key !== method) return typeof real === 'function' ? real.bind(object) : real;
          return (...called: unknown[]) => {
            const result = (real as (...a: unknown[]) => unknown).apply(object, called);
            return JSON.stringify(called) === JSON.stringify(args) ? wrap(result, depth + 1) : result;
          };
        },
      });
    };
    return wrap(strapi, 0) as Core.Strapi;
  }

  const HIDDEN: Record<string, [(string | [string, unknown[]])[], unknown]> = {
    'memoized-settings': [
      [['plugin', ['users-permissions']], ['service', ['permission']], 'findPublicPermissions'],
      undefined,
    ],
    'reads-without-transaction': [['db', 'transaction'], undefined],
    'query-checks': [['contentAPI', 'validate', 'query'], () => undefined],
    'output-sanitizer': [['sanitizers', 'get'], () => [() => undefined]],
    'graphql-batch-relations': [['db', 'entityManager', 'load'], undefined],
    'graphql-plain-fields': [[['plugin', ['graphql']], ['service', ['extension']], 'generate'], undefined],
    'graphql-shared-relations': [
      [['plugin', ['graphql']], ['service', ['content-api']], 'buildSchema'],
      'not a function',
    ],
  };

  it('every patch of the inventory is covered here', () => {
    expect(Object.keys(HIDDEN).sort()).toEqual(PATCHES.map((patch) => patch.name).sort());
  });

  it.each(PATCHES.map((patch) => [patch.name, patch] as const))(
    '%s: passes as is, fails with its target hidden',
    async (name, patch) => {
      expect(await patch.check(app.strapi)).toBeUndefined();
      const [path, value] = HIDDEN[name];
      expect(await patch.check(hiding(app.strapi, path, value))).toEqual(expect.any(String));
    },
  );
});
