/**
 * The vocabulary as content: the labels of the enumeration keys (project kinds, service themes,
 * funder kinds) are documents of `api::term.term` (one per key, its `label` localized), which the
 * Communication role edits in the admin panel. ./labels.ts is only their seed.
 *
 * - Keys are the schemas' enumerations and stay stable: a term's `key` and `group` cannot be
 *   changed, a term cannot be created for a key that is not in an enumeration (or twice), nor
 *   deleted, through any write path (`termRules`, a Document Service middleware: admin panel, and
 *   any script; the content API has no route to terms and GraphQL does not expose them).
 * - `seedTerms` (every boot) creates the terms and locales that are missing from ./labels.ts, and
 *   never changes a label that exists: staff's edits stay. Terms of keys removed from a schema go.
 * - `vocabularyOf` reads every term once per write generation (src/cache): the listings and the
 *   timeline pay one memo lookup per request, and a label saved in the panel shows on the next
 *   request (the save bumps the generation, which also empties the response cache).
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_LOCALE, LOCALE_CODES } from '../bootstrap/locales';
import { untilNextWrite } from '../cache';
import { VOCABULARIES, type VocabularyName } from './labels';

export const TERM_UID = 'api::term.term';

/** The term group of each vocabulary (the `group` enumeration of the term schema). */
export const TERM_GROUPS: Record<VocabularyName, string> = {
  projectKinds: 'project-kind',
  serviceThemes: 'service-theme',
  funderKinds: 'funder-kind',
};

export const VOCABULARY_NAMES = Object.keys(VOCABULARIES) as VocabularyName[];

/** The keys of a vocabulary: its schema enumeration, in the schema's order. */
export function keysOf(strapi: Core.Strapi, name: VocabularyName): string[] {
  const { uid, attribute } = VOCABULARIES[name];
  const model = strapi.getModel(uid as never) as unknown as {
    attributes: Record<string, { enum?: string[] }>;
  };
  return model.attributes[attribute]?.enum ?? [];
}

const nameOfGroup = (group: unknown): VocabularyName | undefined =>
  VOCABULARY_NAMES.find((name) => TERM_GROUPS[name] === group);

// ---------------------------------------------------------------------------------------------
// Reading

export type VocabularyLists = Record<VocabularyName, { key: string; label: string }[]>;

export interface Vocabulary {
  /** The label of `key` in `locale`, else in the default locale, else the key itself. */
  label(name: VocabularyName, key: string, locale: string): string;
  /** Every key of every vocabulary with its label in `locale`, in the schemas' order. */
  lists(locale: string): VocabularyLists;
}

interface TermRow {
  group: string;
  key: string;
  locale: string;
  label: string;
}

function vocabularyFrom(strapi: Core.Strapi, rows: TermRow[]): Vocabulary {
  // group -> key -> locale -> label
  const table = new Map<string, Map<string, Map<string, string>>>();
  for (const row of rows) {
    const byKey = table.get(row.group) ?? new Map<string, Map<string, string>>();
    table.set(row.group, byKey);
    const byLocale = byKey.get(row.key) ?? new Map<string, string>();
    byKey.set(row.key, byLocale);
    byLocale.set(row.locale, row.label);
  }
  const label = (name: VocabularyName, key: string, locale: string): string => {
    const byLocale = table.get(TERM_GROUPS[name])?.get(key);
    return byLocale?.get(locale) ?? byLocale?.get(DEFAULT_LOCALE) ?? key;
  };
  const keys = Object.fromEntries(VOCABULARY_NAMES.map((name) => [name, keysOf(strapi, name)])) as Record<
    VocabularyName,
    string[]
  >;
  const lists = new Map<string, VocabularyLists>();
  return {
    label,
    lists(locale) {
      let found = lists.get(locale);
      if (!found) {
        found = Object.fromEntries(
          VOCABULARY_NAMES.map((name) => [
            name,
            keys[name].map((key) => ({ key, label: label(name, key, locale) })),
          ]),
        ) as VocabularyLists;
        lists.set(locale, found);
      }
      return found;
    },
  };
}

const loaders = new WeakMap<Core.Strapi, () => Promise<Vocabulary>>();

/** The vocabulary as stored, read again after any write (one statement per write generation). */
export function vocabularyOf(strapi: Core.Strapi): Promise<Vocabulary> {
  let load = loaders.get(strapi);
  if (!load) {
    load = untilNextWrite(strapi, async () => {
      const rows = (await strapi.db.query(TERM_UID as never).findMany({
        select: ['group', 'key', 'locale', 'label'],
        where: { publishedAt: { $notNull: true } },
      })) as TermRow[];
      return vocabularyFrom(strapi, rows);
    });
    loaders.set(strapi, load);
  }
  return load();
}

// ---------------------------------------------------------------------------------------------
// Seeding

/**
 * Creates the term of every enumeration key that has none, and the locales a term lacks, with the
 * labels of ./labels.ts (a key it lacks gets the key as its label, with a warning); never changes
 * a label that exists. Removes the terms of keys that no schema has any more. Safe at every boot.
 */
export async function seedTerms(strapi: Core.Strapi): Promise<void> {
  const installed = ((await strapi.plugin('i18n').service('locales').find()) as { code: string }[]).map(
    (locale) => locale.code,
  );
  const locales = LOCALE_CODES.filter((code) => installed.includes(code) && code !== DEFAULT_LOCALE);
  const rows = (await strapi.db.query(TERM_UID as never).findMany({
    select: ['id', 'documentId', 'group', 'key', 'locale'],
  })) as (TermRow & { id: number; documentId: string })[];

  const wanted = new Set(
    VOCABULARY_NAMES.flatMap((name) => keysOf(strapi, name).map((key) => `${TERM_GROUPS[name]}/${key}`)),
  );
  const orphans = rows.filter((row) => !wanted.has(`${row.group}/${row.key}`));
  if (orphans.length > 0) {
    // Beneath the Document Service, whose rules refuse deletions to everyone else.
    await strapi.db
      .query(TERM_UID as never)
      .deleteMany({ where: { id: { $in: orphans.map((row) => row.id) } } });
    strapi.log.info(
      `[vocabulary] removed the terms of keys no schema has: ${[...new Set(orphans.map((r) => `${r.group}/${r.key}`))].join(', ')}`,
    );
  }

  let created = 0;
  for (const name of VOCABULARY_NAMES) {
    const group = TERM_GROUPS[name];
    const seed = VOCABULARIES[name].labels as Record<string, Record<string, string> | undefined>;
    for (const key of keysOf(strapi, name)) {
      const mine = rows.filter((row) => row.group === group && row.key === key);
      const labels = seed[key];
      if (!labels) strapi.log.warn(`[vocabulary] ${group} "${key}" has no label in src/vocabulary/labels.ts`);
      let documentId = mine[0]?.documentId;
      if (!documentId) {
        const document = await strapi.documents(TERM_UID as never).create({
          locale: DEFAULT_LOCALE,
          data: { group, key, label: labels?.[DEFAULT_LOCALE] ?? key },
        } as never);
        documentId = (document as { documentId: string }).documentId;
        created += 1;
      }
      for (const locale of locales) {
        if (mine.some((row) => row.locale === locale) || !labels?.[locale]) continue;
        await strapi.documents(TERM_UID as never).update({
          documentId,
          locale,
          data: { group, key, label: labels[locale] },
        } as never);
        created += 1;
      }
    }
  }
  if (created > 0)
    strapi.log.info(`[vocabulary] seeded ${created} term labels from src/vocabulary/labels.ts`);
}

// ---------------------------------------------------------------------------------------------
// Rules of every write

type Data = Record<string, unknown>;

const invalid = (path: string, message: string, value: unknown) =>
  new errors.ValidationError(message, {
    errors: [{ path: [path], message, name: 'ValidationError', value: value ?? null }],
  });

/**
 * Terms are the enumerations' keys: only their labels change. Refused with 400, whoever writes:
 * a term for a key that is not in the schema of its group, or that already has one; a change of
 * `key` or `group`; a deletion or a clone.
 */
export function termRules(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if ((context.uid as string) !== TERM_UID) return next();
    const params = context.params as { documentId?: string; data?: Data };
    const data = params.data ?? {};
    switch (context.action) {
      case 'delete':
      case 'clone':
        throw new errors.ValidationError(
          `Vocabulary terms cannot be ${context.action === 'delete' ? 'deleted' : 'copied'}: their keys are those of the schemas; edit their labels`,
        );
      case 'create': {
        const name = nameOfGroup(data.group);
        if (!name)
          throw invalid('group', `group must be one of ${Object.values(TERM_GROUPS).join(', ')}`, data.group);
        const keys = keysOf(strapi, name);
        if (typeof data.key !== 'string' || !keys.includes(data.key)) {
          const { uid, attribute } = VOCABULARIES[name];
          throw invalid(
            'key',
            `key must be one of the values of ${uid.split('.').pop()}.${attribute} (${keys.join(', ')}): a new key is added to the schema, and its term is then created at boot`,
            data.key,
          );
        }
        const existing = await strapi.db
          .query(TERM_UID as never)
          .findOne({ where: { group: data.group, key: data.key }, select: ['documentId'] });
        if (existing)
          throw invalid('key', `${data.group} "${data.key}" already has a term: edit its labels`, data.key);
        return next();
      }
      case 'update': {
        const stored = (await strapi.db
          .query(TERM_UID as never)
          .findOne({ where: { documentId: params.documentId }, select: ['group', 'key'] })) as Data | null;
        if (!stored) return next(); // Strapi answers for an unknown document
        for (const field of ['group', 'key'] as const) {
          if (data[field] !== undefined && data[field] !== stored[field])
            throw invalid(
              field,
              `${field} cannot be changed: it is the stable identifier of the term ("${String(stored[field])}")`,
              data[field],
            );
        }
        return next();
      }
      default:
        return next();
    }
  };
}
