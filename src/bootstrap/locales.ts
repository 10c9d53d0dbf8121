import type { Core } from '@strapi/strapi';

/** The four locales of the CMS, French first: it is the default and the language of the source. */
export const LOCALES = [
  { code: 'fr', name: 'French (fr)' },
  { code: 'de', name: 'German (de)' },
  { code: 'lb', name: 'Luxembourgish (lb)' },
  { code: 'en', name: 'English (en)' },
] as const;

export type LocaleCode = (typeof LOCALES)[number]['code'];
export const LOCALE_CODES: LocaleCode[] = LOCALES.map((locale) => locale.code);
export const DEFAULT_LOCALE: LocaleCode = 'fr';

/** Creates the missing locales and makes `fr` the default. Safe to run at every boot. */
export async function ensureLocales(strapi: Core.Strapi): Promise<void> {
  const locales = strapi.plugin('i18n').service('locales');
  for (const locale of LOCALES) {
    if (!(await locales.findByCode(locale.code))) {
      await locales.create({ code: locale.code, name: locale.name });
      strapi.log.info(`[locales] created ${locale.code}`);
    }
  }
  if ((await locales.getDefaultLocale()) !== DEFAULT_LOCALE) {
    await locales.setDefaultLocale({ code: DEFAULT_LOCALE });
    strapi.log.info(`[locales] default locale set to ${DEFAULT_LOCALE}`);
  }
}
