import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { DEFAULT_LOCALE, LOCALE_CODES, type LocaleCode } from '../../../bootstrap/locales';
import { labelsIn } from '../../../vocabulary/labels';

const isLocale = (value: unknown): value is LocaleCode => LOCALE_CODES.includes(value as LocaleCode);

export default {
  async find(ctx: Context) {
    const { locale = DEFAULT_LOCALE, ...rest } = ctx.query;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new errors.ValidationError(`Invalid query parameter: ${unknown[0]}`);
    if (!isLocale(locale)) {
      throw new errors.ValidationError(
        `Invalid locale "${String(locale)}": use one of ${LOCALE_CODES.join(', ')}`,
      );
    }
    ctx.body = { data: labelsIn(locale), meta: { locale } };
  },
};
