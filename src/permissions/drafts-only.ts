/**
 * Content API writes (REST and GraphQL, whatever the role) land as drafts: publishing is the
 * admin panel's job (the Communication role). Strapi 5's REST create and update publish by
 * default and GraphQL's mutations take a `status`; this Document Service middleware turns every
 * such write into a draft write and refuses publish actions that come from the content API.
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';

interface RouteState {
  state?: { route?: { info?: { type?: string } } };
}

/** True while the current request came through a content API route (REST /api or /graphql). */
export function isContentApiRequest(strapi: Core.Strapi): boolean {
  const ctx = strapi.requestContext.get() as RouteState | undefined;
  return ctx?.state?.route?.info?.type === 'content-api';
}

const PUBLISHING_ACTIONS = new Set(['publish', 'unpublish', 'discardDraft']);

export function draftsOnly(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!context.contentType.options?.draftAndPublish || !isContentApiRequest(strapi)) return next();
    if (PUBLISHING_ACTIONS.has(context.action)) {
      throw new errors.ForbiddenError('Publishing is done in the admin panel, not through the content API');
    }
    if (context.action === 'create' || context.action === 'update') {
      (context.params as { status?: string }).status = 'draft';
    }
    return next();
  };
}
