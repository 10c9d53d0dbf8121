/**
 * Imports the seed content (database/seed/*.json) through the Document Service.
 *
 * Idempotent, keyed by slug: an entry whose slug already exists in the default locale is left
 * exactly as it is, so running the seed twice changes nothing. Targets are created before the
 * entries that point to them (sites and funders, then enterprises, projects, services and the
 * organisation), so relations are set in the same call that creates each locale, and every entry
 * is published only after the entries it links to (strapi/strapi#25361).
 *
 * The stages are listed by hand, as their order matters; tests/derived-lists.test.ts fails when a
 * content type has no stage or a stage comes before a type it links to. Which fields are
 * relations, and to what, is read from the schemas.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core, UID } from '@strapi/strapi';
import { DEFAULT_LOCALE, LOCALE_CODES, type LocaleCode } from '../bootstrap/locales';

type Localized<T> = Record<LocaleCode, T>;
type SeedValue = string | number | string[] | Localized<string> | Localized<string[]>;
type SeedEntry = Record<string, SeedValue>;
type ContentUid = UID.ContentType;

interface Stage {
  /** File name in database/seed/, without `.json`. */
  file: string;
  uid: ContentUid;
  /** Repeatable components given in the seed as plain strings: field -> the component's field. */
  lists?: Record<string, string>;
}

export const SEED_STAGES: Stage[] = [
  { file: 'sites', uid: 'api::site.site' },
  { file: 'funders', uid: 'api::funder.funder' },
  { file: 'enterprises', uid: 'api::enterprise.enterprise', lists: { sectors: 'name' } },
  { file: 'projects', uid: 'api::project.project' },
  { file: 'services', uid: 'api::service.service' },
  { file: 'organisation', uid: 'api::organisation.organisation' },
];

/** The relation fields of a type and their targets: given in the seed as slugs of the target. */
function relationTargets(strapi: Core.Strapi, uid: ContentUid): Record<string, ContentUid> {
  const attributes = strapi.getModel(uid).attributes as Record<string, { type: string; target?: string }>;
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([, attribute]) => attribute.type === 'relation' && attribute.target?.startsWith('api::'))
      .map(([name, attribute]) => [name, attribute.target as ContentUid]),
  );
}

/**
 * The part of the Document Service the seed uses. The seed is generic over content types, while
 * the generated types (types/generated) type each one's filters and actions separately.
 */
interface SeedDocuments {
  findFirst(params: object): Promise<{ documentId: string } | null>;
  create(params: object): Promise<{ documentId: string }>;
  update(params: object): Promise<unknown>;
  publish(params: object): Promise<unknown>;
}

export interface SeedReport {
  created: Record<string, number>;
  skipped: Record<string, number>;
}

const isLocalized = (value: SeedValue): value is Localized<string> | Localized<string[]> =>
  typeof value === 'object' && !Array.isArray(value) && DEFAULT_LOCALE in value;

export function readSeedFile(root: string, file: string): SeedEntry[] {
  const parsed: unknown = JSON.parse(
    fs.readFileSync(path.join(root, 'database', 'seed', `${file}.json`), 'utf8'),
  );
  return (Array.isArray(parsed) ? parsed : [parsed]) as SeedEntry[];
}

export async function seed(strapi: Core.Strapi): Promise<SeedReport> {
  const report: SeedReport = { created: {}, skipped: {} };
  // slug -> documentId for every type, filled as entries are found or created.
  const documentIds = new Map<ContentUid, Map<string, string>>();

  const resolve = (uid: ContentUid, slug: string): string => {
    const documentId = documentIds.get(uid)?.get(slug);
    if (!documentId) throw new Error(`[seed] unknown ${uid} slug "${slug}"`);
    return documentId;
  };

  for (const stage of SEED_STAGES) {
    const entries = readSeedFile(strapi.dirs.app.root, stage.file);
    const ids = new Map<string, string>();
    documentIds.set(stage.uid, ids);
    const documents = strapi.documents(stage.uid) as unknown as SeedDocuments;
    const model = strapi.getModel(stage.uid);
    const relations = relationTargets(strapi, stage.uid);
    const draftAndPublish = model.options?.draftAndPublish === true;
    const single = model.kind === 'singleType';
    let created = 0;

    for (const entry of entries) {
      const slug = typeof entry.slug === 'string' ? entry.slug : undefined;
      const existing = await documents.findFirst({
        locale: DEFAULT_LOCALE,
        ...(slug && !single ? { filters: { slug } } : {}),
        fields: ['documentId'],
      });
      if (existing) {
        if (slug) ids.set(slug, existing.documentId);
        continue;
      }

      const dataFor = (locale: LocaleCode): Record<string, unknown> => {
        const data: Record<string, unknown> = {};
        for (const [field, raw] of Object.entries(entry)) {
          const value = isLocalized(raw) ? raw[locale] : raw;
          const target = relations[field];
          const listField = stage.lists?.[field];
          if (target) {
            data[field] = Array.isArray(value)
              ? value.map((s) => resolve(target, s))
              : resolve(target, String(value));
          } else if (listField && Array.isArray(value)) {
            data[field] = value.map((item) => ({ [listField]: item }));
          } else {
            data[field] = value;
          }
        }
        return data;
      };

      // The default locale creates the document; each other locale is a new version of it.
      const document = await documents.create({
        locale: DEFAULT_LOCALE,
        data: dataFor(DEFAULT_LOCALE),
      });
      for (const locale of LOCALE_CODES.filter((code) => code !== DEFAULT_LOCALE)) {
        await documents.update({ documentId: document.documentId, locale, data: dataFor(locale) });
      }
      if (draftAndPublish) {
        await documents.publish({ documentId: document.documentId, locale: '*' });
      }
      if (slug) ids.set(slug, document.documentId);
      created += 1;
    }

    report.created[stage.file] = created;
    report.skipped[stage.file] = entries.length - created;
    strapi.log.info(
      `[seed] ${stage.file}: ${created} created, ${entries.length - created} already there (${LOCALE_CODES.length} locales each)`,
    );
  }
  return report;
}

/** Seeds when the database holds no site yet: the first boot of a new database. */
export async function seedIfEmpty(strapi: Core.Strapi): Promise<void> {
  const sites = await strapi.db.query('api::site.site').count();
  if (sites > 0) return;
  strapi.log.info('[seed] empty database: importing the seed content');
  await seed(strapi);
}
