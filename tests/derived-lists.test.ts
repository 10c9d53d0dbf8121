/**
 * The lists that name the content types or the locales, checked against the running app's
 * registry (strapi.contentTypes, strapi.apis, the i18n plugin's locales). What can be derived is
 * derived (the OpenAPI document's types, the seed's relation fields, the shapes of the timeline
 * and the listing rows); what is kept by hand on purpose (the permissions table, the seed stages'
 * order, the index migration) is checked here, so that a new content type or locale missing from
 * one of them fails a test rather than being silently left out.
 */
import type { Core } from '@strapi/strapi';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { LOCALE_CODES } from '../src/bootstrap/locales';
import { LISTING_COLUMNS } from '../src/api/listing/services/listing';
import { TIMELINE_SHAPES } from '../src/api/timeline/services/timeline';
import {
  ADMIN_ROLES,
  CONTENT_API_ROLES,
  CONTENT_UIDS,
  DRAFT_TYPES,
  EDITABLE_TYPES,
  TRANSLATION_LOCALES,
  VOCABULARY_UIDS,
  WEBHOOK_UIDS,
} from '../src/permissions/table';
import { readSeedFile, SEED_STAGES } from '../src/seed';
import { VOCABULARIES } from '../src/vocabulary/labels';
import { registerFirstAdmin } from './support/admin';
import { startStrapi, type TestApp } from './support/strapi';

/** Types that staff and the server read, never the content API. */
const STAFF_ONLY = [...VOCABULARY_UIDS, ...WEBHOOK_UIDS];

type Attribute = {
  type: string;
  target?: string;
  component?: string;
  relation?: string;
  mappedBy?: string;
  pluginOptions?: { i18n?: { localized?: boolean } };
};
type Model = {
  uid: string;
  kind: string;
  info: { singularName: string; pluralName: string };
  options?: { draftAndPublish?: boolean };
  attributes: Record<string, Attribute>;
};
interface Route {
  method: string;
  path: string;
  handler: unknown;
}

let app: TestApp;
/** The i18n plugin's locales as the app booted with them (before the locale test adds one). */
let locales: string[];
let defaultLocale: string;

beforeAll(async () => {
  app = await startStrapi();
  const service = app.strapi.plugin('i18n').service('locales');
  locales = ((await service.find()) as { code: string }[]).map((locale) => locale.code).sort();
  defaultLocale = await service.getDefaultLocale();
});

afterAll(async () => {
  await app?.stop();
});

/** The app's content types (api::), from the registry. */
const models = (strapi: Core.Strapi): Model[] =>
  (Object.values(strapi.contentTypes) as unknown as Model[]).filter((model) => model.uid.startsWith('api::'));
const collections = (strapi: Core.Strapi) => models(strapi).filter((m) => m.kind === 'collectionType');
const sorted = (values: Iterable<string>) => [...values].sort();

/** Every GET route of the content API of every API of the app, with its API's name. */
function contentApiGetRoutes(strapi: Core.Strapi): (Route & { api: string; url: string })[] {
  const routes: (Route & { api: string; url: string })[] = [];
  for (const [api, { routes: routers }] of Object.entries(
    strapi.apis as unknown as Record<string, { routes: Record<string, object> }>,
  )) {
    for (const router of Object.values(routers) as { type?: string; prefix?: string; routes: Route[] }[]) {
      if ((router.type ?? 'content-api') !== 'content-api') continue;
      for (const route of router.routes) {
        if (route.method === 'GET')
          routes.push({ ...route, api, url: `/api${router.prefix ?? ''}${route.path}` });
      }
    }
  }
  return routes;
}

/** The action a route's handler names (`api::listing.listing.find` for `listing.find`). */
const actionOf = (route: Route & { api: string }): string => {
  const handler = String(route.handler);
  return handler.startsWith('api::') ? handler : `api::${route.api}.${handler}`;
};

describe('the permissions table (src/permissions/table.ts) names every content type', () => {
  it('CONTENT_UIDS, VOCABULARY_UIDS and WEBHOOK_UIDS: every api:: content type, in one of them', () => {
    expect(sorted([...CONTENT_UIDS, ...STAFF_ONLY])).toEqual(
      sorted(models(app.strapi).map((model) => model.uid)),
    );
    expect(CONTENT_UIDS.filter((uid) => STAFF_ONLY.includes(uid))).toEqual([]);
  });

  it('EDITABLE_TYPES: every api:: collection type but the staff-only ones (vocabulary terms, webhooks)', () => {
    const vocabulary = STAFF_ONLY.map(
      (uid) => (app.strapi.getModel(uid as never) as unknown as Model).info.singularName,
    );
    expect(sorted([...EDITABLE_TYPES, ...vocabulary])).toEqual(
      sorted(collections(app.strapi).map((m) => m.info.singularName)),
    );
  });

  it('the staff-only types (vocabulary terms, webhooks): no content API route, granted to no content API role', () => {
    const routes = contentApiGetRoutes(app.strapi).map(actionOf);
    const apiActions = CONTENT_API_ROLES.flatMap((role) => role.actions);
    for (const uid of STAFF_ONLY) {
      expect({ uid, routes: routes.filter((action) => action.startsWith(`${uid}.`)) }).toEqual({
        uid,
        routes: [],
      });
      expect({ uid, granted: apiActions.filter((action) => action.startsWith(`${uid}.`)) }).toEqual({
        uid,
        granted: [],
      });
    }
  });

  it('the vocabulary terms: read and updated by every admin role that edits, deleted by none', () => {
    const routes = contentApiGetRoutes(app.strapi).map(actionOf);
    const apiActions = CONTENT_API_ROLES.flatMap((role) => role.actions);
    for (const uid of VOCABULARY_UIDS) {
      expect({ uid, routes: routes.filter((action) => action.startsWith(`${uid}.`)) }).toEqual({
        uid,
        routes: [],
      });
      expect({ uid, granted: apiActions.filter((action) => action.startsWith(`${uid}.`)) }).toEqual({
        uid,
        granted: [],
      });
      for (const role of ADMIN_ROLES) {
        const verbs = role.content
          .filter((grant) => grant.subjects.includes(uid))
          .flatMap((grant) => grant.verbs);
        expect({
          role: role.code,
          uid,
          reads: verbs.includes('read'),
          deletes: verbs.includes('delete'),
        }).toEqual({
          role: role.code,
          uid,
          reads: true,
          deletes: false,
        });
      }
    }
    const communication = ADMIN_ROLES.find((role) => role.code === 'communication');
    const updates = communication?.content.filter((grant) => grant.verbs.includes('update')) ?? [];
    for (const uid of VOCABULARY_UIDS)
      expect(updates.some((grant) => grant.subjects.includes(uid) && grant.locales === null)).toBe(true);
  });

  it('DRAFT_TYPES: exactly the collection types with draft & publish', () => {
    const drafts = collections(app.strapi).filter((model) => model.options?.draftAndPublish === true);
    expect(sorted(DRAFT_TYPES)).toEqual(sorted(drafts.map((model) => model.info.singularName)));
  });

  it('the public role reads every GET route of every API (but the documentation and the preview, which need no grant)', () => {
    const granted = new Set(CONTENT_API_ROLES.find((role) => role.type === 'public')?.actions);
    // The preview's credential is a preview token (tests/preview.test.ts), not a role's grant.
    const NO_GRANT = new Set(['/api/openapi.json', '/api/preview']);
    const routes = contentApiGetRoutes(app.strapi).filter((route) => !NO_GRANT.has(route.url));
    expect(routes.length).toBeGreaterThanOrEqual(2 * collections(app.strapi).length);
    expect(routes.map(actionOf).filter((action) => !granted.has(action))).toEqual([]);
  });

  it('the translators write every locale but the default one', () => {
    expect(sorted(TRANSLATION_LOCALES)).toEqual(locales.filter((code) => code !== defaultLocale));
    const translator = ADMIN_ROLES.find((role) => role.code === 'translator');
    const writes = translator?.content.find((grant) => grant.verbs.includes('update'));
    expect(sorted(writes?.locales ?? [])).toEqual(locales.filter((code) => code !== defaultLocale));
  });
});

describe('the locales kept in code are those of the i18n plugin', () => {
  it('src/bootstrap/locales.ts creates exactly them', () => {
    expect(sorted(LOCALE_CODES)).toEqual(locales);
  });

  it('the vocabulary has a label in each of them', () => {
    for (const { labels } of Object.values(VOCABULARIES)) {
      for (const [key, byLocale] of Object.entries(labels)) {
        expect({ key, locales: sorted(Object.keys(byLocale)) }).toEqual({ key, locales });
      }
    }
  });
});

describe('the seed stages (src/seed/index.ts)', () => {
  const root = () => app.strapi.dirs.app.root;

  it('have a stage for every api:: content type but the staff-only ones (terms: src/vocabulary/terms.ts)', () => {
    expect(sorted([...SEED_STAGES.map((stage) => stage.uid), ...STAFF_ONLY])).toEqual(
      sorted(models(app.strapi).map((m) => m.uid)),
    );
  });

  it('seed a relation only to a type of an earlier stage, and only fields of the schema', () => {
    const seen = new Set<string>();
    for (const stage of SEED_STAGES) {
      const { attributes } = app.strapi.getModel(stage.uid) as unknown as Model;
      for (const entry of readSeedFile(root(), stage.file)) {
        for (const field of Object.keys(entry)) {
          expect({ stage: stage.file, field, known: field in attributes }).toMatchObject({ known: true });
          const target = attributes[field].type === 'relation' ? attributes[field].target : undefined;
          if (target)
            expect({ stage: stage.file, field, target, earlier: seen.has(target) }).toMatchObject({
              earlier: true,
            });
        }
      }
      seen.add(stage.uid);
    }
  });

  it('translate every localized field into every locale', () => {
    for (const stage of SEED_STAGES) {
      const { attributes } = app.strapi.getModel(stage.uid) as unknown as Model;
      for (const entry of readSeedFile(root(), stage.file)) {
        for (const [field, value] of Object.entries(entry)) {
          if (attributes[field]?.pluginOptions?.i18n?.localized !== true) continue;
          if (typeof value !== 'object' || Array.isArray(value)) continue; // the same in every locale
          expect({ stage: stage.file, field, locales: sorted(Object.keys(value)) }).toEqual({
            stage: stage.file,
            field,
            locales,
          });
        }
      }
    }
  });
});

describe('the index migration (database/migrations/2026.11.25T00.00.00.index-public-filters.js)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { INDEXES } = require('../database/migrations/2026.11.25T00.00.00.index-public-filters.js') as {
    INDEXES: Record<string, string[][]>;
  };
  // The webhook types are read by staff and the worker only: no public filter to index.
  const tables = () =>
    collections(app.strapi)
      .filter((model) => !WEBHOOK_UIDS.includes(model.uid))
      .map((model) => {
        const meta = app.strapi.db.metadata.get(model.uid as never);
        const column = (name: string) =>
          (meta.attributes[name] as { columnName?: string } | undefined)?.columnName ?? name;
        return {
          model,
          table: meta.tableName,
          column,
          columns: new Set(Object.keys(meta.attributes).map(column)),
        };
      });

  it('indexes every collection type (api::) and nothing else', () => {
    expect(sorted(Object.keys(INDEXES))).toEqual(sorted(tables().map(({ table }) => table)));
  });

  it('indexes locale and publication, every uid and every enumeration of each, on existing columns', () => {
    for (const { model, table, column, columns } of tables()) {
      const indexes = INDEXES[table] ?? [];
      const single = new Set(indexes.filter((index) => index.length === 1).map(([name]) => name));
      const filterable = Object.entries(model.attributes)
        .filter(([, attribute]) => attribute.type === 'uid' || attribute.type === 'enumeration')
        .map(([name]) => column(name));
      expect({ table, missing: filterable.filter((name) => !single.has(name)) }).toEqual({
        table,
        missing: [],
      });
      expect({ table, first: indexes[0] }).toEqual({ table, first: ['locale', 'published_at'] });
      const unknown = indexes.flat().filter((name) => !columns.has(name));
      expect({ table, unknown }).toEqual({ table, unknown: [] });
    }
  });
});

describe('the OpenAPI document derives its types from the registry', () => {
  it('documents the list (or the single type) of every api:: content type with content API routes', async () => {
    const { paths } = (await app.http().get('/api/openapi.json').expect(200)).body as {
      paths: Record<string, unknown>;
    };
    for (const model of models(app.strapi)) {
      const path = model.kind === 'singleType' ? `/${model.info.singularName}` : `/${model.info.pluralName}`;
      // Staff-only types have no route (the vocabulary terms are read through /vocabulary).
      const routed = !STAFF_ONLY.includes(model.uid);
      expect({ uid: model.uid, documented: path in paths }).toEqual({ uid: model.uid, documented: routed });
    }
    expect('/vocabulary' in paths).toBe(true);
  });
});

describe('every GET route of the content API bounds populate (src/routes/populate.ts)', () => {
  const POPULATABLE = new Set(['relation', 'component', 'media', 'dynamiczone']);
  const SYSTEM = new Set(['createdBy', 'updatedBy', 'localizations']);
  /** Reads no content and takes no query: the document built from the schemas. */
  const EXEMPT = new Set(['/api/openapi.json']);

  const populatable = (uid: string | undefined): [string, Attribute][] => {
    const model = uid ? (app.strapi.getModel(uid as never) as unknown as Model | undefined) : undefined;
    return Object.entries(model?.attributes ?? {}).filter(
      ([name, attribute]) =>
        POPULATABLE.has(attribute.type) && !SYSTEM.has(name) && !attribute.target?.startsWith('admin::'),
    );
  };

  /** Two-level populates of `model`, from its schema: each populatable field and one of its own. */
  const deepPopulates = (model: Model): string[] =>
    populatable(model.uid).flatMap(([name, attribute]) => {
      const target =
        attribute.type === 'media' ? 'plugin::upload.file' : (attribute.target ?? attribute.component);
      const [next] = populatable(target);
      return next
        ? [`populate[${name}][populate][${next[0]}]=*`, `populate=${name}.${next[0]}`]
        : [`populate[${name}][populate]=*`];
    });

  it('answers 400 to a populate deeper than one level, on every route', async () => {
    const routes = contentApiGetRoutes(app.strapi).filter((route) => !EXEMPT.has(route.url));
    const modelOf = (route: Route) =>
      models(app.strapi).find((model) => String(route.handler).startsWith(`${model.uid}.`));
    // Routes of no content type (listings, timeline, vocabulary) get those of every type.
    const everyType = models(app.strapi).flatMap(deepPopulates);
    expect(everyType.length).toBeGreaterThan(models(app.strapi).length);

    const accepted: string[] = [];
    let sent = 0;
    for (const route of routes) {
      const model = modelOf(route);
      let url = route.url;
      // A path segment parameter (`/:documentId`); `projects.:format` takes the URL as it is.
      if (url.includes('/:')) {
        const list = await app
          .http()
          .get(url.replace(/\/:[^/]+.*$/, ''))
          .expect(200);
        url = url.replace(/:[^/]+/, list.body.data[0].documentId);
      }
      for (const populate of model ? deepPopulates(model) : everyType) {
        const response = await app.http().get(`${url}?${populate}`);
        sent += 1;
        if (response.status !== 400 || !/populate/i.test(response.body?.error?.message))
          accepted.push(`${route.method} ${url}?${populate} -> ${response.status}`);
      }
    }
    expect(accepted).toEqual([]);
    expect(sent).toBeGreaterThan(routes.length);
  });
});

describe('the timeline and the listing rows have one shape (src/utils/shapes.ts)', () => {
  const graphql = async (query: string) => {
    const response = await app.http().post('/graphql').send({ query }).expect(200);
    expect(response.body.errors).toBeUndefined();
    return response.body.data;
  };
  const graphqlFields = async (type: string): Promise<string[]> => {
    const data = await graphql(`{ __type(name: "${type}") { fields { name } } }`);
    return (data.__type.fields as { name: string }[]).map((field) => field.name);
  };
  const openapiProperties = async (schema: string): Promise<string[]> => {
    const document = (await app.http().get('/api/openapi.json').expect(200)).body;
    return Object.keys(document.components.schemas[schema].properties);
  };

  it.each(Object.keys(TIMELINE_SHAPES))('%s: the GraphQL type has the fields of the shape', async (name) => {
    const shape = TIMELINE_SHAPES[name as keyof typeof TIMELINE_SHAPES];
    expect(sorted(await graphqlFields(name))).toEqual(sorted(Object.keys(shape.shape)));
  });

  it('the REST answer, the GraphQL type and the OpenAPI schema of each part have the same fields', async () => {
    const body = (await app.http().get('/api/timeline').query({ locale: 'de' }).expect(200)).body;
    const project = body.data.find((entry: { type: string }) => entry.type === 'project');
    const parts: [string, object][] = [
      ['TimelineEntry', body.data[0]],
      ['TimelineKind', project.kind],
      ['TimelineSite', project.site],
      ['TimelineOrganisation', body.meta.organisation],
      ['TimelineFunder', body.meta.organisation.funders[0]],
    ];
    for (const [name, answer] of parts) {
      const fields = sorted(await graphqlFields(name));
      expect({ name, openapi: sorted(await openapiProperties(name)) }).toEqual({ name, openapi: fields });
      expect({ name, answer: sorted(Object.keys(answer)) }).toEqual({ name, answer: fields });
    }
    for (const entry of body.data)
      expect(sorted(Object.keys(entry))).toEqual(sorted(Object.keys(body.data[0])));
    // REST wraps the GraphQL `Timeline` as { data: entries, meta: { locale, organisation } }.
    expect(sorted(await graphqlFields('Timeline'))).toEqual(['entries', 'locale', 'organisation']);
    expect(sorted(Object.keys(body.meta))).toEqual(['locale', 'organisation']);
  });

  it('GraphQL answers every field of the timeline', async () => {
    const names = new Map<unknown, string>(
      Object.entries(TIMELINE_SHAPES).map(([name, shape]) => [shape, name]),
    );
    const selection = (shape: z.ZodObject): string => {
      const fields = Object.entries(shape.shape).map(([field, schema]) => {
        let inner: unknown = schema;
        while (inner instanceof z.ZodNullable || inner instanceof z.ZodArray)
          inner = inner instanceof z.ZodNullable ? inner.unwrap() : inner.element;
        return names.has(inner) ? `${field} ${selection(inner as z.ZodObject)}` : field;
      });
      return `{ ${fields.join(' ')} }`;
    };
    const data = await graphql(`{ timeline(locale: "en") ${selection(TIMELINE_SHAPES.Timeline)} }`);
    expect(data.timeline.entries.length).toBeGreaterThan(10);
    expect(data.timeline.organisation.funders.length).toBeGreaterThan(0);
  });

  it('a listing row: the OpenAPI schema, the JSON rows and the CSV header have the same columns', async () => {
    const properties = await openapiProperties('ListingRow');
    expect(properties).toEqual([...LISTING_COLUMNS]);
    const json = (await app.http().get('/api/listings/projects').query({ pageSize: 500 }).expect(200)).body;
    const types = new Set<string>();
    for (const row of json.data) {
      types.add(row.type);
      expect(Object.keys(row)).toEqual(properties);
    }
    expect(sorted(types)).toEqual(['project', 'service']);
    const csv = await app.http().get('/api/listings/projects.csv').expect(200);
    expect(parse(csv.text, { to_line: 1 })[0]).toEqual(properties);
  });
});

describe('timeline, vocabulary and listings accept exactly the locales of the i18n plugin', () => {
  const ROUTES = ['/api/projects', '/api/timeline', '/api/vocabulary', '/api/listings/projects'];
  const statuses = async (locale: string) =>
    Object.fromEntries(
      await Promise.all(
        ROUTES.map(async (route) => [route, (await app.http().get(route).query({ locale })).status]),
      ),
    );
  const all = (status: number) => Object.fromEntries(ROUTES.map((route) => [route, status]));

  it('a locale added in the admin panel is accepted by all four; an unknown one is refused by all', async () => {
    expect(await statuses('it')).toEqual(all(400));
    expect(await statuses('xx')).toEqual(all(400));

    const admin = await registerFirstAdmin(app);
    const created = await app
      .http()
      .post('/i18n/locales')
      .set(admin.headers)
      .send({ code: 'it', name: 'Italian (it)', isDefault: false });
    expect(created.status).toBeLessThan(300);

    expect(await statuses('it')).toEqual(all(200));
    expect(await statuses('xx')).toEqual(all(400));
    for (const route of ROUTES) {
      const refused = await app.http().get(route).query({ locale: 'xx' });
      expect({ route, message: refused.body.error.message }).toEqual({
        route,
        message: expect.stringMatching(/\bit\b/),
      });
    }

    // In Italian, everything comes in French (no translation yet): entries, labels, rows.
    const italian = (route: string) => app.http().get(route).query({ locale: 'it' });
    const french = (route: string) => app.http().get(route).query({ locale: defaultLocale });
    expect((await italian('/api/vocabulary')).body.data).toEqual((await french('/api/vocabulary')).body.data);
    const rows = (await italian('/api/listings/projects')).body.data as { locale: string }[];
    expect(rows.length).toBe((await french('/api/listings/projects')).body.data.length);
    expect(new Set(rows.map((row) => row.locale))).toEqual(new Set([defaultLocale]));
    const timeline = (await italian('/api/timeline')).body;
    expect(timeline.data.length).toBe((await french('/api/timeline')).body.data.length);
    expect(timeline.meta.locale).toBe('it');
    const projects = (await italian('/api/projects')).body;
    expect(projects.meta.pagination.total).toBe((await french('/api/projects')).body.meta.pagination.total);

    // GraphQL and the OpenAPI document follow.
    const graphql = await app
      .http()
      .post('/graphql')
      .send({ query: '{ timeline(locale: "it") { locale entries { title } } }' });
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data.timeline.locale).toBe('it');
    const document = (await app.http().get('/api/openapi.json').expect(200)).body;
    const locale = document.paths['/timeline'].get.parameters.find(
      (p: { name: string }) => p.name === 'locale',
    );
    expect(sorted(locale.schema.enum)).toEqual(sorted([...locales, 'it']));
  });
});
