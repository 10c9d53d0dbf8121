/**
 * A document's values in one locale as a version keeps them, and back as a save sends them.
 *
 * A version holds every field of the draft row (or the only row, types without drafts), localized
 * and shared alike, in the Document Service's input shape: scalars as stored, components and
 * their fields (ids dropped: a restore makes new component rows, as any save of a component does),
 * relations as the documentIds they link to, media as file ids. What Strapi sets itself (ids,
 * dates, creator, locale, publication) is not a value. Beside the values, `labels` names the
 * linked documents and files as they were, so that a restore can name a link it skips.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Core } from '@strapi/strapi';

type Row = Record<string, unknown>;
type Attribute = {
  type: string;
  relation?: string;
  target?: string;
  component?: string;
  components?: string[];
  repeatable?: boolean;
  multiple?: boolean;
  pluginOptions?: { i18n?: { localized?: boolean } };
};
type Schema = { attributes: Record<string, Attribute> };

/** Set by Strapi on every save, or the row's identity: never a version's value. */
const SYSTEM = new Set([
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  'localizations',
  'locale',
]);
/** The field that names a linked document, in the order looked for. */
const LABEL_FIELDS = ['title', 'name', 'label'];

export type Values = Record<string, unknown>;
/** `documentId` (or `file:id`) -> its title or name when the version was kept. */
export type Labels = Record<string, string>;

const schemaOf = (strapi: Core.Strapi, uid: string) => strapi.getModel(uid as never) as unknown as Schema;

/** The fields of `uid` a version keeps, with their schema. */
export function versionedFields(strapi: Core.Strapi, uid: string): [string, Attribute][] {
  return Object.entries(schemaOf(strapi, uid).attributes).filter(
    ([name, attribute]) =>
      !SYSTEM.has(name) && (attribute.type !== 'relation' || attribute.target?.startsWith('api::')),
  );
}

/** Whether `field` of `uid` differs per locale (relations and components follow their own option). */
export function isLocalized(strapi: Core.Strapi, uid: string, field: string): boolean {
  return Boolean(schemaOf(strapi, uid).attributes[field]?.pluginOptions?.i18n?.localized);
}

const labelOf = (row: Row | null | undefined): string => {
  if (!row) return '';
  for (const field of LABEL_FIELDS)
    if (typeof row[field] === 'string' && row[field]) return String(row[field]);
  return String(row.documentId ?? row.name ?? '');
};

/** The populate that loads every versioned field of `uid` (components through all their levels). */
export function populateOf(strapi: Core.Strapi, uid: string, depth = 0): Record<string, unknown> {
  const populate: Record<string, unknown> = {};
  if (depth > 8) return populate;
  for (const [name, attribute] of Object.entries(schemaOf(strapi, uid).attributes)) {
    if (SYSTEM.has(name)) continue;
    if (attribute.type === 'relation' && attribute.target?.startsWith('api::')) {
      const target = schemaOf(strapi, attribute.target).attributes;
      populate[name] = { select: ['id', 'documentId', ...LABEL_FIELDS.filter((field) => field in target)] };
    } else if (attribute.type === 'media') {
      populate[name] = { select: ['id', 'name'] };
    } else if (attribute.type === 'component' && attribute.component) {
      const inner = populateOf(strapi, attribute.component, depth + 1);
      populate[name] = Object.keys(inner).length > 0 ? { populate: inner } : true;
    } else if (attribute.type === 'dynamiczone') {
      populate[name] = {
        on: Object.fromEntries((attribute.components ?? []).map((uid) => [uid, { populate: '*' }])),
      };
    }
  }
  return populate;
}

const plain = (value: unknown): unknown => {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return String(value);
  return value ?? null;
};

/** The values of a row loaded with populateOf, and the labels of what it links to. */
export function valuesOf(strapi: Core.Strapi, uid: string, row: Row, labels: Labels = {}, depth = 0): Values {
  const values: Values = {};
  for (const [name, attribute] of versionedFields(strapi, uid)) {
    const value = row[name];
    if (attribute.type === 'relation') {
      const many = Array.isArray(value);
      const linked = (many ? value : value ? [value] : []) as Row[];
      for (const item of linked) labels[String(item.documentId)] = labelOf(item);
      // A row without drafts links both versions of a document with drafts: one documentId.
      const ids = [...new Set(linked.map((item) => String(item.documentId)))];
      values[name] = /ToMany$|^manyWay$/.test(attribute.relation ?? '') || many ? ids : (ids[0] ?? null);
    } else if (attribute.type === 'media') {
      const files = (Array.isArray(value) ? value : value ? [value] : []) as Row[];
      for (const file of files) labels[`file:${String(file.id)}`] = String(file.name ?? file.id);
      const ids = files.map((file) => Number(file.id));
      values[name] = attribute.multiple ? ids : (ids[0] ?? null);
    } else if (attribute.type === 'component' && attribute.component) {
      const component = attribute.component;
      const one = (item: Row) => valuesOf(strapi, component, item, labels, depth + 1);
      values[name] = attribute.repeatable
        ? ((value as Row[] | null) ?? []).map(one)
        : value
          ? one(value as Row)
          : null;
    } else if (attribute.type === 'dynamiczone') {
      values[name] = ((value as Row[] | null) ?? []).map((item) => ({
        __component: item.__component,
        ...valuesOf(strapi, String(item.__component), item, labels, depth + 1),
      }));
    } else {
      values[name] = plain(value);
    }
  }
  return values;
}

/** The fields whose values differ between two versions (all set fields when there is no previous). */
export function changedFields(previous: Values | undefined, current: Values): string[] {
  const empty = (value: unknown) =>
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  return Object.keys(current)
    .filter((field) =>
      previous === undefined
        ? !empty(current[field])
        : !isDeepStrictEqual(previous[field] ?? null, current[field] ?? null),
    )
    .sort();
}
