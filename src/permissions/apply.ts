/** Applies ./table.ts at boot, idempotently: creates missing roles and grants, removes nothing. */
import type { Core } from '@strapi/strapi';
import { CONTENT_API_ROLES } from './table';

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
  }
}
