import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { parseLocaleQuery } from '../../../i18n/locale-query';
import { labelsIn } from '../../../vocabulary/labels';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const locale = await parseLocaleQuery(strapi, ctx.query);
    ctx.body = { data: labelsIn(locale), meta: { locale } };
  },
});
