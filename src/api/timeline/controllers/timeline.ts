/** GET /api/timeline?locale=xx: the history page's data in one request. */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { parseLocaleQuery } from '../../../i18n/locale-query';
import type { Timeline } from '../services/timeline';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const locale = await parseLocaleQuery(strapi, ctx.query);
    const timeline: Timeline = await strapi.service('api::timeline.timeline').build(locale);
    ctx.body = { data: timeline.entries, meta: { locale, organisation: timeline.organisation } };
  },
});
