/**
 * Strapi's per-request settings, memoized until the next write.
 *
 * Every anonymous content API request reads the public role's permissions
 * (users-permissions' `permission.findPublicPermissions`) and i18n's default locale
 * (`locales.getDefaultLocale`) from the database: two of a REST list's statements. Both change
 * only through a database write, which moves the content generation (src/cache), so each answer
 * is kept until then (`untilNextWrite`).
 */
import type { Core } from '@strapi/strapi';
import { untilNextWrite } from '../cache';
import { expectFunction, firstReason, serviceOf, type FastPathPatch } from './patch';

export const patch: FastPathPatch = {
  name: 'memoized-settings',
  check: (strapi) => {
    const permissions = serviceOf(strapi, 'users-permissions', 'permission');
    const locales = serviceOf(strapi, 'i18n', 'locales');
    return firstReason(
      expectFunction(
        'users-permissions permission.findPublicPermissions',
        permissions?.findPublicPermissions,
      ),
      expectFunction('i18n locales.getDefaultLocale', locales?.getDefaultLocale),
    );
  },
  apply: (strapi: Core.Strapi) => {
    const permissions = strapi.plugin('users-permissions').service('permission');
    permissions.findPublicPermissions = untilNextWrite(
      strapi,
      permissions.findPublicPermissions.bind(permissions),
    );
    const locales = strapi.plugin('i18n').service('locales');
    locales.getDefaultLocale = untilNextWrite(strapi, locales.getDefaultLocale.bind(locales));
  },
};
