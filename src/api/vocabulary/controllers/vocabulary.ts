import type { Context } from 'koa';
import { parseLocaleQuery } from '../../../i18n/locale-query';
import { labelsIn } from '../../../vocabulary/labels';

export default {
  async find(ctx: Context) {
    const locale = parseLocaleQuery(ctx.query);
    ctx.body = { data: labelsIn(locale), meta: { locale } };
  },
};
