/**
 * GET /api/vocabulary?locale=xx: the labels of the enumeration keys, as staff last saved them in
 * the admin panel (vocabulary terms, src/vocabulary/terms.ts).
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { parseLocaleQuery } from '../../../i18n/locale-query';
import { vocabularyOf } from '../../../vocabulary/terms';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const locale = await parseLocaleQuery(strapi, ctx.query);
    ctx.body = { data: (await vocabularyOf(strapi)).lists(locale), meta: { locale } };
  },
});
