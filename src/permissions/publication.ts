/**
 * What the content API (REST and GraphQL) may see and do with draft & publish, enforced once for
 * every type as a Document Service middleware:
 * - reads return published content only, whatever `status` a query asks for, except for the
 *   editor role, whose drafts are its work;
 * - writes land as drafts, whatever the role (Strapi 5's REST create and update publish by
 *   default; GraphQL mutations take a `status`); publishing is the admin panel's job;
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
const PUBLISHING_ACTIONS = new Set(['publish', 'unpublish', 'discardDraft']);

/** The current request's state when it came through a content API route, else undefined. */
export function contentApiState(strapi: Core.Strapi): RequestState['state'] | undefined {
  const ctx = strapi.requestContext.get() as RequestState | undefined;
  return ctx?.state?.route?.info?.type === 'content-api' ? ctx.state : undefined;
}

const mayReadDrafts = (state: NonNullable<RequestState['state']>): boolean =>
  state.auth?.strategy?.name === 'users-permissions' && state.user?.role?.type === DRAFT_READER_ROLE;

export function publicationRules(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!context.contentType.options?.draftAndPublish) return next();
    const state = contentApiState(strapi);
    if (!state) return next();

    const params = context.params as { status?: string };
    if (params.status !== undefined && params.status !== 'draft' && params.status !== 'published') {
      throw new errors.ValidationError(`Invalid status "${String(params.status)}": use draft or published`);
    }
    if (PUBLISHING_ACTIONS.has(context.action)) {
      throw new errors.ForbiddenError('Publishing is done in the admin panel, not through the content API');
    }
    if (context.action === 'create' || context.action === 'update') {
      params.status = 'draft';
    } else if (READ_ACTIONS.has(context.action) && !mayReadDrafts(state)) {
      params.status = 'published';
    }
    return next();
  };
}
