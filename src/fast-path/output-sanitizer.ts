/**
 * Strapi's content-API output sanitizer, done in one synchronous pass.
 *
 * `strapi.contentAPI.sanitize.output` (REST controllers, GraphQL, users-permissions) runs three
 * asynchronous traversals of every entity: password and private fields
 * (`sanitizers.defaultSanitizeOutput`), relations the caller may not read
 * (`removeRestrictedRelations(auth)`), and the sanitizers plugins register for
 * `content-api.output` (users-permissions': a role's `users`). Each visits every key of every
 * node with a promise, and on a list page of 25 projects that was more than half of the server's
 * CPU time (measured: 145 requests/s with it, 308 without).
 *
 * This does the same work in one pass that awaits only what needs the database or the auth
 * strategy: which relation targets the caller may read, asked of `strapi.auth.verify` once per
 * target and caller, as Strapi does. Every decision is Strapi's own predicate, applied to the same
 * keys in the same cases:
 * - a key that is an attribute of type `password`, or private (`attribute.private` or
 *   `api.responses.privateAttributes` / `options.privateAttributes`, via Strapi's
 *   `isPrivateAttribute`), is removed;
 * - with an `auth`, a relation (other than `createdBy`/`updatedBy` on a type that populates its
 *   creator fields) is removed unless `verify(auth, { scope: '<target>.find' })` passes;
 * - a role's relation to users-permissions users is removed (the registered plugin sanitizer);
 * - relations, media, components and dynamic-zone entries are sanitized with their own schema;
 *   any other key is kept as it is.
 * Whatever this does not reproduce (a polymorphic relation in the data, another registered
 * output sanitizer, a non-object `auth`) goes to Strapi's sanitizer unchanged. Equality with it
 * is tested entity by entity, for every content type and caller, in tests/sanitize.test.ts.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { contentTypes } from '@strapi/utils';
import { expectFunction, firstReason, type FastPathPatch } from './patch';

type Attribute = {
  type: string;
  relation?: string;
  target?: string;
  component?: string;
  private?: boolean;
};
type Model = {
  uid?: string;
  attributes: Record<string, Attribute>;
  options?: { populateCreatorFields?: boolean };
};
type Auth = object;
type StrapiSanitize = Core.Strapi['contentAPI']['sanitize']['output'];
type Sanitize = (data: unknown, schema: Model, options?: { auth?: unknown }) => Promise<unknown>;

/** What the pass does with one key of one schema, decided once per schema. */
type Rule =
  | { kind: 'drop' }
  | { kind: 'keep' }
  | { kind: 'relation'; scope: string; checked: boolean; model: () => Model | undefined }
  | { kind: 'nested'; model: () => Model | undefined }
  | { kind: 'dynamiczone' }
  | { kind: 'morph' };

const KEEP: Rule = { kind: 'keep' };
const DROP: Rule = { kind: 'drop' };
const CREATOR_KEYS = new Set(['createdBy', 'updatedBy']);
const USERS = 'plugin::users-permissions.user';
const ROLES = 'plugin::users-permissions.role';

const once = <T>(compute: () => T): (() => T) => {
  let done = false;
  let value: T;
  return () => {
    if (!done) [value, done] = [compute(), true];
    return value;
  };
};

/** Thrown to hand a whole call to Strapi's sanitizer. */
const UNSUPPORTED = Symbol('unsupported by the one-pass sanitizer');

/** The function users-permissions registers for `content-api.output` (the same module instance). */
function usersPermissionsOutputSanitizer(): unknown {
  try {
    const requireHere = createRequire(__filename);
    const root = path.dirname(requireHere.resolve('@strapi/plugin-users-permissions/package.json'));
    const module = requireHere(path.join(root, 'dist/server/utils/sanitize/sanitizers.js'));
    return module.__require().defaultSanitizeOutput;
  } catch {
    return undefined;
  }
}

export function createOnePassSanitizer(strapi: Core.Strapi): {
  sanitize: Sanitize;
  strapiSanitize: Sanitize;
  /** How many calls went to Strapi's sanitizer (what this pass does not reproduce). */
  delegated: () => number;
} {
  let delegatedCalls = 0;
  const strapiSanitizeOutput = strapi.contentAPI.sanitize.output.bind(strapi.contentAPI.sanitize);
  const strapiSanitize: Sanitize = (data, schema, options) => {
    delegatedCalls += 1;
    return strapiSanitizeOutput(data, schema as never, options as never);
  };
  const knownSanitizer = usersPermissionsOutputSanitizer();
  const getModel = (uid: string) => strapi.getModel(uid as never) as unknown as Model | undefined;

  const rules = new WeakMap<Model, Map<string, Rule>>();
  const ruleFor = (model: Model, key: string): Rule => {
    let byKey = rules.get(model);
    if (!byKey) rules.set(model, (byKey = new Map()));
    let rule = byKey.get(key);
    if (!rule) byKey.set(key, (rule = decide(model, key)));
    return rule;
  };

  const decide = (model: Model, key: string): Rule => {
    const attribute = model.attributes[key];
    if (attribute == null) return KEEP;
    if (attribute.type === 'password') return DROP;
    if (attribute.private === true || contentTypes.isPrivateAttribute(model as never, key)) return DROP;
    switch (attribute.type) {
      case 'relation': {
        if (attribute.relation?.toLowerCase().startsWith('morph')) return { kind: 'morph' };
        if (attribute.target === USERS && model.uid === ROLES) return DROP;
        const creatorExempt = CREATOR_KEYS.has(key) && Boolean(model.options?.populateCreatorFields);
        return {
          kind: 'relation',
          scope: attribute.target as string,
          checked: !creatorExempt,
          model: once(() => getModel(attribute.target as string)),
        };
      }
      case 'media':
        return { kind: 'nested', model: once(() => getModel('plugin::upload.file')) };
      case 'component':
        return { kind: 'nested', model: once(() => getModel(attribute.component as string)) };
      case 'dynamiczone':
        return { kind: 'dynamiczone' };
      default:
        return KEEP;
    }
  };

  /**
   * One entity: a shallow copy without the removed keys, its nested entities sanitized.
   * `readable(target)` is true, false, or undefined while the decision is not known yet.
   */
  const pass = (
    entity: unknown,
    model: Model | undefined,
    readable: (target: string) => boolean | undefined,
  ): unknown => {
    if (entity === null || (typeof entity !== 'object' && typeof entity !== 'function') || model == null)
      return entity;
    // Rows are plain objects; lodash's clone of anything else (a Date, a class instance) is not
    // a spread, so those go to Strapi. (Plain in any realm: the prototype is a root prototype.)
    const prototype = Object.getPrototypeOf(entity);
    if (prototype !== null && Object.getPrototypeOf(prototype) !== null && !Array.isArray(entity))
      throw UNSUPPORTED;
    const copy = (Array.isArray(entity) ? [...entity] : { ...entity }) as Record<string, unknown>;
    for (const key of Object.keys(copy)) {
      const rule = ruleFor(model, key);
      if (rule.kind === 'keep') continue;
      if (rule.kind === 'drop') {
        delete copy[key];
        continue;
      }
      const value = copy[key];
      if (rule.kind === 'relation' && rule.checked && readable(rule.scope) === false) {
        delete copy[key];
        continue;
      }
      if (rule.kind === 'relation' || rule.kind === 'nested') {
        if (value == null) continue;
        const target = rule.model();
        copy[key] = Array.isArray(value)
          ? value.map((item) => pass(item, target, readable))
          : pass(value, target, readable);
      } else if (rule.kind === 'dynamiczone') {
        if (!Array.isArray(value)) continue;
        copy[key] = value.map((item) =>
          item == null ? item : pass(item, getModel((item as { __component: string }).__component), readable),
        );
      } else {
        throw UNSUPPORTED;
      }
    }
    return copy;
  };

  /** Per caller (the request's `auth` object), which relation targets it may read. */
  const decisions = new WeakMap<Auth, Map<string, boolean>>();
  const canRead = async (auth: Auth, target: string): Promise<boolean> => {
    try {
      // A string, as Strapi's removeRestrictedRelations asks it (strategies cast it to a list).
      await strapi.auth.verify(auth as never, { scope: `${target}.find` as never });
      return true;
    } catch {
      return false;
    }
  };

  const sanitizeEntity = async (entity: unknown, model: Model, auth: unknown): Promise<unknown> => {
    if (!auth) return pass(entity, model, () => true);
    let known = decisions.get(auth as Auth);
    if (!known) decisions.set(auth as Auth, (known = new Map()));
    const decided = known;
    // A first pass that assumes unknown targets readable meets every target the data can reach;
    // once they are decided, the second pass is the answer.
    const missing = new Set<string>();
    let result = pass(entity, model, (target) => {
      const allowed = decided.get(target);
      if (allowed === undefined) missing.add(target);
      return allowed;
    });
    if (missing.size > 0) {
      for (const target of missing) decided.set(target, await canRead(auth as Auth, target));
      result = pass(entity, model, (target) => decided.get(target) as boolean);
    }
    return result;
  };

  const sanitize: Sanitize = async (data, schema, options = {}) => {
    if (!schema) throw new Error('Missing schema in sanitizeOutput');
    const { auth } = options;
    const registered = strapi.sanitizers.get('content-api.output') as unknown[];
    // What this pass reproduces: Strapi's sanitizers plus the one users-permissions registers.
    const supported =
      registered.length === 1 &&
      registered[0] === knownSanitizer &&
      knownSanitizer !== undefined &&
      (!auth || typeof auth === 'object');
    if (!supported) return strapiSanitize(data, schema, options);
    // Lists element by element, nested lists too, as Strapi's sanitizeOutput does.
    const sanitizeData = async (value: unknown): Promise<unknown> => {
      if (!Array.isArray(value)) return sanitizeEntity(value, schema, auth);
      const result = new Array(value.length);
      for (let i = 0; i < value.length; i += 1) result[i] = await sanitizeData(value[i]);
      return result;
    };
    try {
      return await sanitizeData(data);
    } catch (error) {
      if (error === UNSUPPORTED) return strapiSanitize(data, schema, options);
      throw error;
    }
  };

  return {
    sanitize,
    strapiSanitize: strapiSanitizeOutput as unknown as Sanitize,
    delegated: () => delegatedCalls,
  };
}

/** Replaces `strapi.contentAPI.sanitize.output`; Strapi's own stays reachable for the tests. */
export function sanitizeOutputInOnePass(strapi: Core.Strapi): void {
  const { sanitize, strapiSanitize, delegated } = createOnePassSanitizer(strapi);
  strapi.contentAPI.sanitize.output = Object.assign(sanitize, {
    strapiSanitize,
    delegated,
  }) as unknown as StrapiSanitize;
}

type Installed = { strapiSanitize?: Sanitize; delegated?: () => number };

/** Strapi's own output sanitizer, as it was before `sanitizeOutputInOnePass`. */
export function strapiOutputSanitizer(strapi: Core.Strapi): Sanitize | undefined {
  return (strapi.contentAPI.sanitize.output as unknown as Installed).strapiSanitize;
}

/** How many calls the installed sanitizer handed to Strapi's. */
export function delegatedCalls(strapi: Core.Strapi): number {
  return (strapi.contentAPI.sanitize.output as unknown as Installed).delegated?.() ?? 0;
}

/** A throwaway entry of `model` with every scalar attribute filled and no relation. */
function canaryEntry(model: Model): Record<string, unknown> {
  const entry: Record<string, unknown> = { id: 1, documentId: 'canary' };
  for (const [name, attribute] of Object.entries(model.attributes)) {
    if (['relation', 'media', 'component', 'dynamiczone'].includes(attribute.type)) continue;
    entry[name] =
      attribute.type === 'boolean' ? true : attribute.type.match(/integer|float|decimal/) ? 1 : 'x';
  }
  return entry;
}

export const patch: FastPathPatch = {
  name: 'output-sanitizer',
  check: async (strapi) => {
    const shape = firstReason(
      expectFunction('strapi.contentAPI.sanitize.output', strapi.contentAPI?.sanitize?.output, 2),
      expectFunction('strapi.sanitizers.get', strapi.sanitizers?.get, 1),
    );
    if (shape) return shape;
    const known = usersPermissionsOutputSanitizer();
    if (known === undefined)
      return '@strapi/plugin-users-permissions/dist/server/utils/sanitize/sanitizers.js does not resolve';
    const registered = strapi.sanitizers.get('content-api.output') as unknown[];
    if (registered.length !== 1 || registered[0] !== known)
      return 'the registered content-api.output sanitizers are not users-permissions’ alone';
    // Canary: entries of every model with every scalar filled (passwords and private fields
    // included), without auth (no database needed): both sanitizers must give the same answer.
    const { sanitize, strapiSanitize } = createOnePassSanitizer(strapi);
    for (const model of [...Object.values(strapi.contentTypes), ...Object.values(strapi.components)]) {
      const entry = canaryEntry(model as unknown as Model);
      const [ours, theirs] = await Promise.all([
        sanitize(structuredClone(entry), model as unknown as Model),
        strapiSanitize(structuredClone(entry), model as unknown as Model),
      ]);
      if (JSON.stringify(ours) !== JSON.stringify(theirs))
        return `canary entry of ${(model as { uid: string }).uid} sanitized differently from Strapi`;
    }
    return undefined;
  },
  apply: sanitizeOutputInOnePass,
};
