/** Gives each /graphql request its own relation-batching scope (src/graphql/batch-relations.ts). */
import type { Core } from '@strapi/strapi';
import { withRelationBatching } from '../graphql/batch-relations';

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  if (ctx.path === '/graphql') return withRelationBatching(next);
  return next();
};
