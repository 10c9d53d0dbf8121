/** Gives each /graphql request its own relation-batching scope (src/fast-path/graphql-batch-relations.ts). */
import type { Core } from '@strapi/strapi';
import { relationBatchingApplied, withRelationBatching } from '../fast-path/graphql-batch-relations';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler =>
  async (ctx, next) => {
    if (ctx.path === '/graphql' && relationBatchingApplied(strapi)) return withRelationBatching(next);
    return next();
  };
