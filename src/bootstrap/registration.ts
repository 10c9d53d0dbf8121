import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';

/**
 * Public self-registration follows ALLOW_REGISTRATION (default off) at every boot, so the
 * environment, not a forgotten admin-panel switch, decides whether anyone may sign up.
 */
export async function applyRegistrationSetting(strapi: Core.Strapi): Promise<void> {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const advanced = ((await store.get({ key: 'advanced' })) ?? {}) as Record<string, unknown>;
  const allow = env.bool('ALLOW_REGISTRATION', false);
  if (advanced.allow_register !== allow) {
    await store.set({ key: 'advanced', value: { ...advanced, allow_register: allow } });
    strapi.log.info(`[registration] public self-registration ${allow ? 'on' : 'off'}`);
  }
}
