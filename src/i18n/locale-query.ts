import { errors } from '@strapi/utils';
import { DEFAULT_LOCALE, LOCALE_CODES, type LocaleCode } from '../bootstrap/locales';

const isLocale = (value: unknown): value is LocaleCode => LOCALE_CODES.includes(value as LocaleCode);

/**
 * The query of a read endpoint that takes only `locale`: returns it (default `fr`), or answers
 * 400 naming an unknown parameter or locale.
 */
export function parseLocaleQuery(query: Record<string, unknown>): LocaleCode {
  const { locale = DEFAULT_LOCALE, ...rest } = query;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new errors.ValidationError(`Unknown query parameter "${unknown[0]}"`);
  if (!isLocale(locale)) {
    throw new errors.ValidationError(
      `Invalid locale "${String(locale)}": use one of ${LOCALE_CODES.join(', ')}`,
    );
  }
  return locale;
}
