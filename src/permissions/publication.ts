/**
 * What the content API (REST and GraphQL) may see and do with draft & publish, enforced once for
 * every type as a Document Service middleware:
 * - reads return published content only, whatever `status` a query asks for, on every type (a
 *   type without draft & publish passed `status` on to what it populates), except for the editor
 *   role, whose drafts are its work; relations are restricted beneath, in
 *   ../security/published-only.ts;
 * - writes land as drafts, whatever the role (Strapi 5's REST create and update publish by
 *   default; GraphQL mutations take a `status`); publishing is the admin panel's job;
 * - a write to a type without draft & publish would be live at once: refused (400 for no role
 *   is granted one; this is the second lock);
 * - deleting a document that has a published version (in any locale) would change the public
 *   site: refused; a draft that was never published may be deleted;
 * - `publicationFilter` and `hasPublishedVersion` (which documents have drafts) are refused for
 *   readers of published content;
 * - publish, unpublish and discard actions are refused.
 * The admin panel (Content Manager) is not a content API route and is governed by admin RBAC.
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';

/** The users-permissions role allowed to read drafts through the content API. */
export const DRAFT_READER_ROLE = 'editor';

interface RequestState {
  state?: {
    route?: { info?: { type?: string } };
    auth?: { strategy?: { name?: string } };
    user?: { role?: { type?: string } };
  };
}

const READ_ACTIONS = new Set(['findMany', 'findFirst', 'findOne', 'count']);
const WRITE_ACTIONS = new Set(['create', 'update', 'delete', 'clone']);
const PUBLISHING_ACTIONS = new Set(['publish', 'unpublish', 'discardDraft']);
const DRAFT_QUESTIONS = ['publicationFilter', 'hasPublishedVersion'];

/** The current request's state when it came through a content API route, else undefined. */
export function contentApiState(strapi: Core.Strapi): RequestState['state'] | undefined {
  const ctx = strapi.requestContext.get() as RequestState | undefined;
  return ctx?.state?.route?.info?.type === 'content-api' ? ctx.state : undefined;
}

/** Whether the caller of a content API request may read drafts: the editor role only. */
export const mayReadDrafts = (state: NonNullable<RequestState['state']>): boolean =>
  state.auth?.strategy?.name === 'users-permissions' && state.user?.role?.type === DRAFT_READER_ROLE;

export function publicationRules(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    const state = contentApiState(strapi);
    if (!state) return next();
    const params = context.params as { status?: string; documentId?: string; locale?: string };
    const draftAndPublish = Boolean(context.contentType.options?.draftAndPublish);

    if (params.status !== undefined && params.status !== 'draft' && params.status !== 'published') {
      throw new errors.ValidationError(`Invalid status "${String(params.status)}": use draft or published`);
    }
    if (READ_ACTIONS.has(context.action)) {
      if (!mayReadDrafts(state)) {
        // Strapi's filters on the publication state (which documents have an unpublished edit, or
        // were never published) are questions about drafts.
        for (const name of DRAFT_QUESTIONS)
          if ((params as Record<string, unknown>)[name] !== undefined)
            throw new errors.ValidationError(
              `Invalid parameter "${name}": only published content is public`,
              {
                source: 'query',
                param: name,
              },
            );
        params.status = 'published';
      }
      return next();
    }
    // Users (registration, profile) and uploads are their plugins' business.
    if (!context.uid.startsWith('api::')) return next();
    if (!WRITE_ACTIONS.has(context.action) && !PUBLISHING_ACTIONS.has(context.action)) return next();
    if (!draftAndPublish) {
      throw new errors.ForbiddenError(
        `${context.contentType.info.displayName} has no drafts: it is edited in the admin panel only`,
      );
    }
    if (PUBLISHING_ACTIONS.has(context.action)) {
      throw new errors.ForbiddenError('Publishing is done in the admin panel, not through the content API');
    }
    if (context.action === 'delete') {
      // Any locale: a delete asked in a locale the document lacks must not answer otherwise.
      const published = await publishedLocales(strapi, context.uid, params.documentId);
      if (published.length > 0) {
        // A PolicyError: a 403 whose message reaches the client (telling what to do instead).
        throw new errors.PolicyError(
          `This document is published (${published.join(', ')}): unpublish it first, in the admin panel (the content API deletes drafts only)`,
        );
      }
      return next();
    }
    params.status = 'draft';
    return next();
  };
}

/** The locales in which `documentId` has a published version, sorted (none: never published). */
export async function publishedLocales(
  strapi: Core.Strapi,
  uid: string,
  documentId: string | undefined,
): Promise<string[]> {
  if (!documentId) return [];
  const rows = (await strapi.db.query(uid as never).findMany({
    where: { documentId, publishedAt: { $notNull: true } },
    select: ['locale'],
  } as never)) as { locale?: string }[];
  return [...new Set(rows.map((row) => row.locale ?? ''))].sort();
}
