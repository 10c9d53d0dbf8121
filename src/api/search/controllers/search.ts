/**
 * GET /api/search?q=&locale=&types=&page=&pageSize=: ranked full-text search (src/search). The
 * action is `find` so that read-only API tokens may call it.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { parseSearchQuery } from '../../../search/query';
import { searchPage } from '../../../search/search';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const query = await parseSearchQuery(strapi, ctx.query as Record<string, unknown>);
    ctx.body = await searchPage(strapi, query);
  },
});
