/** What every replacement of a Strapi internal in this folder declares (see README.md here). */
import type { Core } from '@strapi/strapi';

export interface FastPathPatch {
  /** Stable name: the inventory's row, the warning's subject, FAST_PATH_SELF_CHECK_FAIL's value. */
  name: string;
  /** Patches that must be applied for this one to be (it is skipped otherwise). */
  requires?: string[];
  /**
   * The boot self-check: undefined when what the patch replaces has the expected shape (and, where
   * a canary call needs no database, gives Strapi's answer); otherwise the reason it does not.
   */
  check(strapi: Core.Strapi): Promise<string | undefined> | string | undefined;
  /** Installs the patch. Called only after `check` passed; never half-applies. */
  apply(strapi: Core.Strapi): void;
}

/** `undefined` when `value` is a function taking at least `arity` declared parameters. */
export function expectFunction(name: string, value: unknown, arity = 0): string | undefined {
  if (typeof value !== 'function') return `${name} is not a function`;
  if (value.length < arity) return `${name} takes ${value.length} parameters, expected ${arity}`;
  return undefined;
}

/** The first reason of several checks, or undefined when all pass. */
export const firstReason = (...reasons: (string | undefined)[]): string | undefined =>
  reasons.find((reason) => reason !== undefined);

/** A plugin's service, or undefined when the plugin or the service is missing. */
export function serviceOf(
  strapi: Core.Strapi,
  plugin: string,
  service: string,
): Record<string, unknown> | undefined {
  try {
    return strapi.plugin(plugin)?.service(service) as Record<string, unknown> | undefined;
  } catch {
    return undefined;
  }
}
