/** Gives each /graphql request its own relation-batching scope (src/fast-path/graphql-batch-relations.ts). */
import type { Core } from '@strapi/strapi';
import { relationBatchingApplied, withRelationBatching } from '../fast-path/graphql-batch-relations';
import { contentApiPathsOf } from '../utils/content-api';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const contentApi = contentApiPathsOf(strapi);
  return async (ctx, next) => {
    if (contentApi.isGraphql(ctx.path) && relationBatchingApplied(strapi)) return withRelationBatching(next);
    return next();
  };
};
