/**
 * Applies ./table.ts at boot, idempotently: creates missing roles and grants; removes only the
 * grants a role's `revoked` list names (security: hand-made grants are otherwise kept).
 */
import type { Core } from '@strapi/strapi';
import { ADMIN_ROLES, CONTENT_API_ROLES, STAFF_ONLY_UIDS, type AdminRole } from './table';

const ROLE_UID = 'plugin::users-permissions.role';
const PERMISSION_UID = 'plugin::users-permissions.permission';

export async function applyContentApiPermissions(strapi: Core.Strapi): Promise<void> {
  for (const spec of CONTENT_API_ROLES) {
    let role = await strapi.db.query(ROLE_UID).findOne({ where: { type: spec.type } });
    if (!role) {
      role = await strapi.db
        .query(ROLE_UID)
        .create({ data: { type: spec.type, name: spec.name, description: spec.description } });
      strapi.log.info(`[permissions] created role ${spec.type}`);
    }
    const granted = await strapi.db
      .query(PERMISSION_UID)
      .findMany({ where: { role: role.id }, select: ['action'] });
    const have = new Set(granted.map((permission: { action: string }) => permission.action));
    const missing = spec.actions.filter((action) => !have.has(action));
    for (const action of missing) {
      await strapi.db.query(PERMISSION_UID).create({ data: { action, role: role.id } });
    }
    if (missing.length > 0) strapi.log.info(`[permissions] ${spec.type}: granted ${missing.length} actions`);
    const revoked = (spec.revoked ?? []).filter((action) => have.has(action));
    if (revoked.length > 0) {
      await strapi.db
        .query(PERMISSION_UID)
        .deleteMany({ where: { role: role.id, action: { $in: revoked } } });
      strapi.log.info(`[permissions] ${spec.type}: revoked ${revoked.join(', ')}`);
    }
  }
}

interface AdminPermission {
  id?: number;
  action: string;
  subject?: string | null;
  properties?: Record<string, unknown>;
  conditions?: string[];
}

/**
 * The admin permissions a role of the table grants, with every field of each content type. A grant
 * of every locale (`locales: null` in the table) names them all: the server reads a missing list
 * as every locale, but the panel's locale picker lists only the locales a permission names, and
 * stayed blank for Communication (the list and edit views opened without a locale).
 */
function adminPermissions(strapi: Core.Strapi, spec: AdminRole, allLocales: string[]): AdminPermission[] {
  const { actionProvider } = strapi.service('admin::permission');
  const contentTypes = strapi.service('admin::content-type');
  const permissions: AdminPermission[] = [];
  for (const grant of spec.content) {
    for (const verb of grant.verbs) {
      const action = actionProvider.get(`plugin::content-manager.explorer.${verb}`);
      const withFields: AdminPermission[] = contentTypes.getPermissionsWithNestedFields([
        { ...action, subjects: grant.subjects },
      ]);
      for (const permission of withFields) {
        permissions.push({
          action: permission.action,
          subject: permission.subject,
          properties: { ...permission.properties, locales: grant.locales ?? allLocales },
          conditions: grant.conditions ?? [],
        });
      }
    }
  }
  for (const action of spec.media)
    permissions.push({ action, subject: null, properties: {}, conditions: [] });
  return permissions;
}

/**
 * The staff-only types (vocabulary terms, webhook subscriptions and their log) belong to the roles
 * of the table alone. Strapi grants its own Editor and Author roles every content type the panel
 * shows, these included, when it creates them: at every boot, any role but the super admin and the
 * table's loses the permissions on them (a webhook's partner URL and signing secret are
 * Communication's; labels are edited by whom the table says).
 */
async function revokeStaffOnlyTypes(strapi: Core.Strapi, tableRoles: Set<number>): Promise<void> {
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  const permissions = (await strapi.db.query('admin::permission').findMany({
    where: { subject: { $in: STAFF_ONLY_UIDS } },
    populate: ['role'],
  })) as (AdminPermission & { id: number; role?: { id: number; code: string } | null })[];
  const stray = permissions.filter(
    (permission) =>
      permission.role && permission.role.id !== superAdmin?.id && !tableRoles.has(permission.role.id),
  );
  if (stray.length === 0) return;
  await strapi.db
    .query('admin::permission')
    .deleteMany({ where: { id: { $in: stray.map((permission) => permission.id) } } });
  const codes = [...new Set(stray.map((permission) => permission.role?.code))].join(', ');
  strapi.log.info(`[permissions] staff-only types: revoked ${stray.length} permissions of ${codes}`);
}

export async function applyAdminRoles(strapi: Core.Strapi): Promise<void> {
  const roles = strapi.service('admin::role');
  const permissionService = strapi.service('admin::permission');
  const tableRoles = new Set<number>();
  const allLocales = ((await strapi.plugin('i18n').service('locales').find()) as { code: string }[]).map(
    (locale) => locale.code,
  );
  for (const spec of ADMIN_ROLES) {
    let role = await roles.findOne({ code: spec.code });
    if (!role) {
      role = await roles.create({ name: spec.name, code: spec.code, description: spec.description });
      strapi.log.info(`[permissions] created admin role ${spec.name}`);
    } else if (role.name !== spec.name || role.description !== spec.description) {
      // Names and descriptions are the panel's (in French): a role made earlier takes today's,
      // unless a role made by hand already has that name (the old one is kept, and said).
      try {
        role = await roles.update({ id: role.id }, { name: spec.name, description: spec.description });
      } catch (error) {
        strapi.log.warn(`[permissions] admin role ${spec.code} keeps its name: ${(error as Error).message}`);
      }
    }
    tableRoles.add(role.id);
    const existing: AdminPermission[] = await permissionService.findMany({
      where: { role: { id: role.id } },
    });
    const key = (permission: AdminPermission) => `${permission.action}|${permission.subject ?? ''}`;
    const have = new Set(existing.map(key));
    const wanted = adminPermissions(strapi, spec, allLocales);
    const missing = wanted.filter((permission) => !have.has(key(permission)));
    // Grants of every locale made before they were named (null), or before a locale was added:
    // they name every locale of now (a grant of chosen locales is left as it is).
    const everyLocale = new Set(
      spec.content
        .filter((grant) => grant.locales === null)
        .flatMap((grant) =>
          grant.verbs.flatMap((verb) =>
            grant.subjects.map((subject) => `plugin::content-manager.explorer.${verb}|${subject}`),
          ),
        ),
    );
    for (const permission of existing) {
      const locales = permission.properties?.locales;
      if (!everyLocale.has(key(permission)) || !permission.id) continue;
      if (Array.isArray(locales) && allLocales.every((code) => locales.includes(code))) continue;
      await strapi.db.query('admin::permission').update({
        where: { id: permission.id },
        data: { properties: { ...permission.properties, locales: allLocales } },
      });
    }
    if (missing.length > 0) {
      await roles.addPermissions(role.id, missing);
      strapi.log.info(`[permissions] admin role ${spec.name}: granted ${missing.length} permissions`);
    }
    const revoked = existing.filter((permission) => spec.revoked?.includes(permission.action));
    if (revoked.length > 0) {
      await strapi.db
        .query('admin::permission')
        .deleteMany({ where: { id: { $in: revoked.map((permission) => permission.id) } } });
      strapi.log.info(`[permissions] admin role ${spec.name}: revoked ${spec.revoked?.join(', ')}`);
    }
  }
  await revokeStaffOnlyTypes(strapi, tableRoles);
}
