/**
 * The Content Manager's judgement of an admin request on one entry, for the staff routes beside it
 * (history, review): its permission checker (the role's actions, locales and conditions such as
 * "is creator"), and the row it judges, as the Content Manager loads it.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

type Row = Record<string, unknown>;

/** The checker's verbs this app asks (each on an entry, or on the type without one). */
export interface EntryChecker {
  can: Record<'read' | 'update' | 'create' | 'delete' | 'publish', (entity?: Row) => boolean>;
  cannot: Record<'read' | 'update' | 'create', (entity?: Row) => boolean>;
  sanitizeOutput(data: Row): Promise<Row>;
  sanitizeUpdateInput(entity: Row): (data: Row) => Promise<Row>;
  sanitizeCreateInput(data: Row): Promise<Row>;
}

/** The Content Manager's permission checker for the admin user of `ctx` on `uid`. */
export function entryChecker(strapi: Core.Strapi, ctx: Context, uid: string): EntryChecker {
  return strapi
    .plugin('content-manager')
    .service('permission-checker')
    .create({
      userAbility: (ctx.state as { userAbility?: unknown }).userAbility,
      model: uid,
    }) as EntryChecker;
}

/** Whether `uid` has drafts (draft & publish). */
export const hasDrafts = (strapi: Core.Strapi, uid: string): boolean =>
  Boolean(
    (strapi.getModel(uid as never) as { options?: { draftAndPublish?: boolean } }).options?.draftAndPublish,
  );

/** The draft row (or the only row) of a document in `locale`, with its creator (conditions read it). */
export async function draftRow(
  strapi: Core.Strapi,
  uid: string,
  documentId: string,
  locale: string,
): Promise<Row | null> {
  return (await strapi.db.query(uid as never).findOne({
    where: { documentId, locale, ...(hasDrafts(strapi, uid) ? { publishedAt: null } : {}) },
    populate: ['createdBy'],
  } as never)) as Row | null;
}

/** A document id as Strapi makes them (letters and digits): anything else (a NUL byte…) is a 400. */
export const isDocumentId = (value: unknown): value is string =>
  typeof value === 'string' && /^[A-Za-z0-9]{1,64}$/.test(value);
