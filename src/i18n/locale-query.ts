import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { localeCodes } from './fallback';

/**
 * `locale` when the i18n plugin has it (the same locales as the content types' routes, see
 * ./fallback.ts), or a 400 naming it: `message` words the refusal.
 */
export async function checkLocale(
  strapi: Core.Strapi,
  locale: unknown,
  message = (list: string) => `Invalid locale "${String(locale)}": use one of ${list}`,
): Promise<string> {
  const codes = await localeCodes(strapi);
  if (typeof locale !== 'string' || !codes.has(locale)) {
    throw new errors.ValidationError(message([...codes].join(', ')));
  }
  return locale;
}

/**
 * The query of a read endpoint that takes only `locale`: returns it (default `fr`), or answers
 * 400 naming an unknown parameter or locale.
 */
export async function parseLocaleQuery(strapi: Core.Strapi, query: Record<string, unknown>): Promise<string> {
  const { locale = DEFAULT_LOCALE, ...rest } = query;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new errors.ValidationError(`Unknown query parameter "${unknown[0]}"`);
  return checkLocale(strapi, locale);
}
