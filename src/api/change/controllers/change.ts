/**
 * GET /api/changes?since=<cursor>&types=project,service&locale=de&pageSize=100: the change feed
 * (src/changes). A pruned cursor answers 410 in Strapi's error shape.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { CursorExpiredError, readFeed } from '../../../changes';
import { parseFeedQuery } from '../../../changes/query';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const query = await parseFeedQuery(strapi, ctx.query as Record<string, unknown>);
    try {
      const page = await readFeed(strapi, query);
      ctx.body = { data: page.data, meta: { next: page.next, hasMore: page.hasMore } };
    } catch (error) {
      if (!(error instanceof CursorExpiredError)) throw error;
      ctx.status = 410;
      ctx.body = {
        data: null,
        error: { status: 410, name: error.name, message: error.message, details: error.details },
      };
    }
  },
});
