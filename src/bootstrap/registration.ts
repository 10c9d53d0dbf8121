import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';

/**
 * Public self-registration follows ALLOW_REGISTRATION (default off) at every boot, so the
 * environment, not a forgotten admin-panel switch, decides whether anyone may sign up; and a new
 * account gets the `authenticated` role (a default role changed in the panel to `editor` would let
 * anyone who registers read drafts).
 */
const DEFAULT_ROLE = 'authenticated';

export async function applyRegistrationSetting(strapi: Core.Strapi): Promise<void> {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const advanced = ((await store.get({ key: 'advanced' })) ?? {}) as Record<string, unknown>;
  const allow = env.bool('ALLOW_REGISTRATION', false);
  if (advanced.allow_register !== allow || advanced.default_role !== DEFAULT_ROLE) {
    await store.set({
      key: 'advanced',
      value: { ...advanced, allow_register: allow, default_role: DEFAULT_ROLE },
    });
    strapi.log.info(
      `[registration] public self-registration ${allow ? 'on' : 'off'}, new accounts: ${DEFAULT_ROLE}`,
    );
  }
}
