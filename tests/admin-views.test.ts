/**
 * The admin panel's views as the admin API gives them to the panel: every field of every schema
 * has its French label and help text, list views show the agreed columns, relations show names,
 * and what the code sets comes back at the next boot while what staff set otherwise is kept.
 * Generated over the schema files, so a field added later without a label fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { applyAdminViews } from '../src/admin-views';
import { FIELD_TEXTS, OPTIONAL_FIELDS } from '../src/admin-views/texts';
import { EDIT_GROUPS, LIST_COLUMNS, MAIN_FIELDS } from '../src/admin-views/views';
import { createAdminUser, registerFirstAdmin, type AdminSession } from './support/admin';
import { startStrapi, type TestApp } from './support/strapi';

interface SchemaFile {
  uid: string;
  kind: 'content-type' | 'component';
  attributes: Record<string, { type: string; target?: string; relation?: string }>;
}

const root = path.resolve(__dirname, '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

function schemaFiles(): SchemaFile[] {
  const files: SchemaFile[] = [];
  const api = path.join(root, 'src', 'api');
  for (const apiName of fs.readdirSync(api)) {
    const dir = path.join(api, apiName, 'content-types');
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name, 'schema.json');
      if (fs.existsSync(file))
        files.push({
          uid: `api::${apiName}.${name}`,
          kind: 'content-type',
          attributes: readJson(file).attributes,
        });
    }
  }
  const components = path.join(root, 'src', 'components');
  for (const category of fs.readdirSync(components)) {
    for (const file of fs.readdirSync(path.join(components, category)).filter((f) => f.endsWith('.json'))) {
      files.push({
        uid: `${category}.${path.basename(file, '.json')}`,
        kind: 'component',
        attributes: readJson(path.join(components, category, file)).attributes,
      });
    }
  }
  return files;
}

const SCHEMAS = schemaFiles();
const CONTENT_TYPES = SCHEMAS.filter((schema) => schema.kind === 'content-type');
const fieldsOf = (schemas: SchemaFile[]) =>
  schemas.flatMap((schema) => Object.keys(schema.attributes).map((field) => [schema.uid, field] as const));

interface Configuration {
  settings: Record<string, unknown>;
  metadatas: Record<string, { edit: Record<string, unknown>; list: Record<string, unknown> }>;
  layouts: { list: string[]; edit: { name: string; size: number }[][] };
}

let app: TestApp;
let admin: AdminSession;

const configurationPath = (schema: SchemaFile) =>
  schema.kind === 'content-type'
    ? `/content-manager/content-types/${schema.uid}/configuration`
    : `/content-manager/components/${schema.uid}/configuration`;

async function configurationOf(schema: SchemaFile): Promise<Configuration> {
  const response = await app.http().get(configurationPath(schema)).set(admin.headers).expect(200);
  return schema.kind === 'content-type' ? response.body.data.contentType : response.body.data.component;
}

beforeAll(async () => {
  app = await startStrapi();
  admin = await registerFirstAdmin(app);
});

afterAll(async () => {
  await app?.stop();
});

describe('the tables name every field of every schema', () => {
  it.each(fieldsOf(SCHEMAS))('%s.%s has a French label and help text', (uid, field) => {
    const text = FIELD_TEXTS[uid]?.[field];
    expect(text).toBeDefined();
    expect(text!.label.trim()).not.toBe('');
    expect(text!.help.trim().length).toBeGreaterThan(10);
    expect(text!.label).not.toBe(field);
  });

  it.each(fieldsOf(SCHEMAS))('%s.%s has its label and help text in German and English too', (uid, field) => {
    const text = FIELD_TEXTS[uid]![field];
    for (const [label, help] of [
      [text.de, text.helpDe],
      [text.en, text.helpEn],
    ]) {
      expect(label?.trim()).toBeTruthy();
      expect(help?.trim().length).toBeGreaterThan(10);
      expect(help).not.toBe(text.help);
    }
  });

  it('names no field that no schema has (except fields shared ahead of schemas)', () => {
    const known = new Set(fieldsOf(SCHEMAS).map(([uid, field]) => `${uid}.${field}`));
    const stale = Object.entries(FIELD_TEXTS).flatMap(([uid, fields]) =>
      Object.keys(fields)
        .filter((field) => !OPTIONAL_FIELDS.includes(field) && !known.has(`${uid}.${field}`))
        .map((field) => `${uid}.${field}`),
    );
    expect(stale).toEqual([]);
  });

  it('lays out every type and component, and lists real fields only', () => {
    for (const schema of SCHEMAS) expect(EDIT_GROUPS[schema.uid]).toBeDefined();
    for (const [uid, columns] of Object.entries(LIST_COLUMNS)) {
      const schema = SCHEMAS.find((candidate) => candidate.uid === uid);
      expect(schema).toBeDefined();
      for (const column of columns) expect(Object.keys(schema!.attributes)).toContain(column);
    }
    for (const schema of CONTENT_TYPES) expect(MAIN_FIELDS[schema.uid]).toBeDefined();
  });
});

describe('GET .../configuration as the panel reads it', () => {
  it.each(SCHEMAS.map((schema) => [schema.uid, schema] as const))(
    '%s: French labels and help texts on every field, edit and list',
    async (_uid, schema) => {
      const configuration = await configurationOf(schema);
      for (const field of Object.keys(schema.attributes)) {
        const text = FIELD_TEXTS[schema.uid][field];
        expect({ field, ...configuration.metadatas[field].edit }).toMatchObject({
          field,
          label: text.label,
          description: text.help,
        });
        expect({ field, label: configuration.metadatas[field].list.label }).toEqual({
          field,
          label: text.label,
        });
      }
    },
  );

  it.each(Object.entries(LIST_COLUMNS))('%s: the list view shows %p', async (uid, columns) => {
    const schema = SCHEMAS.find((candidate) => candidate.uid === uid)!;
    expect((await configurationOf(schema)).layouts.list).toEqual(columns);
  });

  it.each(CONTENT_TYPES.map((schema) => [schema.uid, schema] as const))(
    '%s: entries are shown by their title or name, relations too',
    async (_uid, schema) => {
      const configuration = await configurationOf(schema);
      expect(configuration.settings.mainField).toBe(MAIN_FIELDS[schema.uid]);
      for (const [field, attribute] of Object.entries(schema.attributes)) {
        if (attribute.type !== 'relation') continue;
        expect({ field, mainField: configuration.metadatas[field].edit.mainField }).toEqual({
          field,
          mainField: MAIN_FIELDS[attribute.target!],
        });
        // The admin API hands the list view the same main field.
        expect(configuration.metadatas[field].list.mainField).toBe(MAIN_FIELDS[attribute.target!]);
      }
    },
  );

  it.each(SCHEMAS.map((schema) => [schema.uid, schema] as const))(
    '%s: the edit form follows the groups, each group on rows of its own',
    async (_uid, schema) => {
      const { layouts } = await configurationOf(schema);
      const rows = layouts.edit;
      for (const row of rows) expect(row.reduce((sum, field) => sum + field.size, 0)).toBeLessThanOrEqual(12);
      const rowOf = new Map(rows.flatMap((row, index) => row.map((field) => [field.name, index] as const)));
      // Every field of the schema is in the form (none lost), once.
      const names = rows.flat().map((field) => field.name);
      expect(new Set(names).size).toBe(names.length);
      for (const field of Object.keys(schema.attributes)) expect(names).toContain(field);
      // The groups' order, and no row shared by two groups.
      const groups = EDIT_GROUPS[schema.uid]
        .map((group) =>
          group
            .map((field) => (typeof field === 'string' ? field : field[0]))
            .filter((name) => rowOf.has(name)),
        )
        .filter((group) => group.length > 0);
      const order = groups.flat();
      expect(names.slice(0, order.length)).toEqual(order);
      for (let index = 1; index < groups.length; index += 1)
        expect(rowOf.get(groups[index][0])!).toBeGreaterThan(rowOf.get(groups[index - 1].at(-1)!)!);
    },
  );

  it('the list of projects shows the site by name', async () => {
    const response = await app
      .http()
      .get('/content-manager/collection-types/api::project.project?page=1&pageSize=10')
      .set(admin.headers)
      .expect(200);
    const withSite = response.body.results.find((row: { site?: unknown }) => row.site);
    expect(withSite).toBeDefined();
    expect(typeof withSite.site.name).toBe('string');
  });

  it('Strapi itself accepts what the code stores (PUT of it back through the admin API)', async () => {
    for (const schema of SCHEMAS) {
      const { settings, metadatas, layouts } = await configurationOf(schema);
      const strip = Object.fromEntries(
        Object.entries(metadatas).map(([field, meta]) => [
          field,
          { edit: meta.edit, list: omit(meta.list, 'mainField') },
        ]),
      );
      const response = await app
        .http()
        .put(configurationPath(schema))
        .set(admin.headers)
        .send({ settings, metadatas: strip, layouts });
      expect({ uid: schema.uid, status: response.status }).toEqual({ uid: schema.uid, status: 200 });
    }
  });
});

const omit = (object: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(object).filter(([name]) => name !== key));

describe('a view changed in the panel, then the next boot', () => {
  it('restores what the code sets and keeps what staff set otherwise', async () => {
    const schema = SCHEMAS.find((candidate) => candidate.uid === 'api::project.project')!;
    const before = await configurationOf(schema);
    const metadatas = Object.fromEntries(
      Object.entries(before.metadatas).map(([field, meta]) => [
        field,
        { edit: meta.edit, list: omit(meta.list, 'mainField') },
      ]),
    );
    metadatas.title = {
      edit: {
        ...metadatas.title.edit,
        label: 'Changed by staff',
        description: 'changed',
        placeholder: 'Ex. Ensemble Petite Italie',
      },
      list: { ...metadatas.title.list, label: 'Changed by staff' },
    };
    const edit = [...before.layouts.edit].reverse();
    await app
      .http()
      .put(configurationPath(schema))
      .set(admin.headers)
      .send({
        settings: {
          ...before.settings,
          pageSize: 50,
          defaultSortBy: 'foundedYear',
          defaultSortOrder: 'DESC',
        },
        metadatas,
        layouts: { list: ['title', 'slug'], edit },
      })
      .expect(200);
    const changed = await configurationOf(schema);
    expect(changed.metadatas.title.edit.label).toBe('Changed by staff');
    expect(changed.layouts.list).toEqual(['title', 'slug']);

    await applyAdminViews(app.strapi); // what the next boot does

    const after = await configurationOf(schema);
    expect(after.metadatas.title.edit).toMatchObject({
      label: FIELD_TEXTS[schema.uid].title.label,
      description: FIELD_TEXTS[schema.uid].title.help,
      placeholder: 'Ex. Ensemble Petite Italie',
    });
    expect(after.metadatas.title.list.label).toBe(FIELD_TEXTS[schema.uid].title.label);
    expect(after.layouts.list).toEqual(LIST_COLUMNS[schema.uid]);
    expect(after.layouts.edit).toEqual(before.layouts.edit);
    expect(after.settings).toMatchObject({
      pageSize: 50,
      defaultSortBy: 'foundedYear',
      defaultSortOrder: 'DESC',
    });
  });

  it('applying twice changes nothing', async () => {
    const before = await Promise.all(SCHEMAS.map(configurationOf));
    await applyAdminViews(app.strapi);
    expect(await Promise.all(SCHEMAS.map(configurationOf))).toEqual(before);
  });
});

describe('the panel’s questions about Strapi’s AI features', () => {
  it('are answered « not configured, no job » for an admin session (no 404 per edit view), 401 without one', async () => {
    const config = await app.http().get('/admin/ai-feature-config').set(admin.headers);
    expect(config.status).toBe(200);
    expect(config.body.data).toEqual({ isAiI18nConfigured: false, isAiMediaLibraryConfigured: false });
    for (const path of [
      '/i18n/ai-localization-jobs/collection-types/api::project.project/abc123',
      '/i18n/ai-localization-jobs/single-types/api::organisation.organisation',
    ]) {
      const job = await app.http().get(path).set(admin.headers);
      expect({ path, status: job.status, data: job.body.data }).toEqual({ path, status: 200, data: null });
      expect((await app.http().get(path)).status).toBe(401);
    }
    expect((await app.http().get('/admin/ai-feature-config')).status).toBe(401);
  });
});

describe('help texts in the panel’s language', () => {
  it.each(['de', 'en'] as const)(
    'a user whose admin language is %s reads every help text in it; a view saved from there stays French',
    async (language) => {
      const staff = await createAdminUser(app, admin, 'communication', `aide-${language}`);
      await app
        .http()
        .put('/admin/users/me')
        .set(staff.headers)
        .send({ preferedLanguage: language })
        .expect(200);
      for (const schema of SCHEMAS) {
        const response = await app.http().get(configurationPath(schema)).set(staff.headers).expect(200);
        const configuration: Configuration =
          schema.kind === 'content-type' ? response.body.data.contentType : response.body.data.component;
        for (const field of Object.keys(schema.attributes)) {
          const text = FIELD_TEXTS[schema.uid][field];
          expect({
            uid: schema.uid,
            field,
            description: configuration.metadatas[field].edit.description,
          }).toEqual({
            uid: schema.uid,
            field,
            description: language === 'de' ? text.helpDe : text.helpEn,
          });
        }
        // The components the answer carries too.
        for (const [uid, component] of Object.entries(
          (response.body.data.components ?? {}) as Record<string, Configuration>,
        ))
          for (const [field, meta] of Object.entries(component.metadatas))
            if (FIELD_TEXTS[uid]?.[field])
              expect(meta.edit.description).toBe(
                language === 'de' ? FIELD_TEXTS[uid][field].helpDe : FIELD_TEXTS[uid][field].helpEn,
              );
      }
      // The panel sends the configuration it read back when a view is configured: stored French.
      const project = SCHEMAS.find((schema) => schema.uid === 'api::project.project')!;
      const read = (await app.http().get(configurationPath(project)).set(admin.headers).expect(200)).body.data
        .contentType as Configuration;
      const german = (await app.http().get(configurationPath(project)).set(staff.headers).expect(200)).body
        .data.contentType as Configuration;
      await app
        .http()
        .put(configurationPath(project))
        .set(admin.headers)
        .send({
          layouts: german.layouts,
          settings: (german as unknown as { settings: unknown }).settings,
          metadatas: Object.fromEntries(
            Object.entries(german.metadatas)
              .filter(([field]) => field in project.attributes)
              .map(([field, meta]) => [field, { edit: meta.edit, list: omit(meta.list, 'mainField') }]),
          ),
        })
        .expect(200);
      expect((await configurationOf(project)).metadatas.summary.edit.description).toBe(
        read.metadatas.summary.edit.description,
      );
    },
  );
});

describe('the admin language of new staff', () => {
  it('is French for the first administrator and for an invited user', async () => {
    const me = await app.http().get('/admin/users/me').set(admin.headers).expect(200);
    expect(me.body.data.preferedLanguage).toBe('fr');
    const staff = await createAdminUser(app, admin, 'communication', 'langue-par-defaut');
    const staffMe = await app.http().get('/admin/users/me').set(staff.headers).expect(200);
    expect(staffMe.body.data.preferedLanguage).toBe('fr');
  });

  it('stays what a user chooses on their profile', async () => {
    const staff = await createAdminUser(app, admin, 'translator', 'langue-choisie');
    await app.http().put('/admin/users/me').set(staff.headers).send({ preferedLanguage: 'de' }).expect(200);
    const me = await app.http().get('/admin/users/me').set(staff.headers).expect(200);
    expect(me.body.data.preferedLanguage).toBe('de');
  });
});
