/**
 * Admin roles hold whichever locale or side a write comes through (Document Service middleware,
 * admin panel requests only).
 *
 * Strapi's Content Manager checks a role's locales and conditions on an entry that exists; it does
 * not on what it creates (`permissionChecker.cannot.create()` is asked without the entry), and
 * i18n copies the fields that are not localized (`foundedYear`, `kind`...) from the version being
 * written into every other locale. So a Translator (de, lb, en) could create an entry in French,
 * create a site (live at once: no drafts) and attach it to the organisation, or change the French
 * draft's shared fields through a German save; a Project coordinator ("own entries only") could add
 * a locale to someone else's entry and so change its shared fields. The rules here:
 * - a new document (a clone too) starts in the default locale: its creator needs `create` there;
 * - a new locale of an existing document needs `create` in that locale, judged on the document
 *   (its creator, for "is creator" conditions);
 * - changing a field that is not localized, or a relation, needs `update` on every other existing
 *   version of the document (they all change, or become inconsistent with it); a field sent with
 *   its current value is no change.
 * Roles that hold these rights everywhere (Communication, super admins) are not affected.
 *
 * And for every role: an entry that has a published version, in any locale, is unpublished before
 * it is deleted (a delete of the entry or of one of its locales, single or bulk, is a 400 until
 * then). Strapi's Content Manager deletes it at once, every published locale going with it, or
 * leaves a translation without its French version; the staff guide (docs/staff.fr.md, « Publier »)
 * says it takes two steps.
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { publishedLocales } from '../permissions/publication';
import { relationIsSet, relationMayRemove } from '../validation/document-rules';

type Entity = Record<string, unknown> & { locale?: string; createdBy?: { id: number } | null };
interface Checker {
  can: { create(entity?: Entity): boolean; update(entity?: Entity): boolean };
}
interface AdminState {
  route?: { info?: { type?: string } };
  userAbility?: unknown;
  user?: { id: number };
}
type Attribute = { type: string; component?: string; repeatable?: boolean };

/** Set by Strapi itself on every save (the Content Manager adds the creator and editor). */
const SYSTEM_FIELDS = new Set(['createdBy', 'updatedBy', 'localizations', 'locale', 'publishedAt']);

/** The admin request being served, when it is one with a user's abilities. */
export function adminState(strapi: Core.Strapi): AdminState | undefined {
  const ctx = strapi.requestContext.get() as { state?: AdminState } | undefined;
  const state = ctx?.state;
  return state?.route?.info?.type === 'admin' && state.userAbility && state.user ? state : undefined;
}

const forbidden = (message: string) => new errors.ForbiddenError(message);

/** Drops the keys that identify stored rows (ids), so that values compare as content. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !['id', 'documentId', '__temp_key__', '__component'].includes(key))
        .map(([key, child]) => [key, comparable(child)]),
    );
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value ?? null;
}

/** Whether `sent` differs from `stored` on the keys it sends (components: on the fields it sends). */
function differs(sent: unknown, stored: unknown): boolean {
  const a = comparable(sent);
  const b = comparable(stored);
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const storedRecord = b as Record<string, unknown>;
    return Object.entries(a).some(([key, value]) => !isDeepStrictEqual(value, storedRecord[key] ?? null));
  }
  return !isDeepStrictEqual(a, b);
}

/** The file ids a media value names: an id, an object with an id, a list of them, or none. */
function mediaIds(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value.flatMap(mediaIds).sort();
  if (typeof value === 'object') return 'id' in value ? [String((value as { id: unknown }).id)] : [];
  return [String(value)];
}

/** Names of the shared fields and relations that `data` changes relative to `stored`. */
function sharedChanges(
  strapi: Core.Strapi,
  uid: string,
  data: Record<string, unknown>,
  stored: Entity | undefined,
): string[] {
  const model = strapi.getModel(uid as never) as unknown as { attributes: Record<string, Attribute> };
  const shared = new Set<string>(
    strapi.plugin('i18n').service('content-types').getNonLocalizedAttributes(model),
  );
  const changed: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    const attribute = model.attributes[name];
    if (!attribute || SYSTEM_FIELDS.has(name)) continue;
    if (attribute.type === 'relation') {
      // Any form that adds or removes a target (a list, set, connect, disconnect, null).
      if (relationIsSet(value) || relationMayRemove(value)) changed.push(name);
    } else if (attribute.type === 'media') {
      if (shared.has(name) && !isDeepStrictEqual(mediaIds(value), mediaIds(stored?.[name])))
        changed.push(name);
    } else if (shared.has(name) && differs(value, stored?.[name])) {
      changed.push(name);
    }
  }
  return changed;
}

/** The draft versions of a document, every locale, with their creator and shared fields. */
async function draftVersions(strapi: Core.Strapi, uid: string, documentId: string): Promise<Entity[]> {
  const model = strapi.getModel(uid as never) as unknown as {
    attributes: Record<string, Attribute>;
    options?: { draftAndPublish?: boolean };
  };
  const populate: Record<string, unknown> = { createdBy: { select: ['id'] } };
  for (const [name, attribute] of Object.entries(model.attributes))
    if (attribute.type === 'component' || attribute.type === 'media') populate[name] = true;
  const where: Record<string, unknown> = { documentId };
  if (model.options?.draftAndPublish) where.publishedAt = { $null: true };
  return strapi.db.query(uid as never).findMany({ where, populate }) as Promise<Entity[]>;
}

/** A delete of an entry with drafts: only once no locale of it is published (else a 400). */
async function assertUnpublished(strapi: Core.Strapi, context: Modules.Documents.Middleware.Context) {
  const documentId = (context.params as { documentId?: string }).documentId;
  const published = context.contentType.options?.draftAndPublish
    ? await publishedLocales(strapi, context.uid, documentId)
    : [];
  if (published.length > 0)
    throw new errors.ValidationError(
      `This entry is published (${published.join(', ')}): unpublish it first, in every locale, then delete it`,
      { documentId, published },
    );
}

export function adminWriteRules(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!['create', 'update', 'clone', 'delete'].includes(context.action)) return next();
    if (!context.uid.startsWith('api::')) return next();
    const state = adminState(strapi);
    if (!state) return next();
    if (context.action === 'delete') {
      await assertUnpublished(strapi, context);
      return next();
    }

    const checker: Checker = strapi
      .plugin('content-manager')
      .service('permission-checker')
      .create({ userAbility: state.userAbility, model: context.uid });
    const params = context.params as {
      documentId?: string;
      locale?: string;
      data?: Record<string, unknown>;
    };
    const locale = params.locale ?? DEFAULT_LOCALE;
    const data = params.data ?? {};
    // A clone is a new document (in every locale of its source, the default one included).
    const versions =
      params.documentId && context.action !== 'clone'
        ? await draftVersions(strapi, context.uid, params.documentId)
        : [];

    if (versions.length === 0) {
      // A new document: it starts in the default locale, created by this user.
      const entry = { locale: DEFAULT_LOCALE, createdBy: { id: state.user!.id } };
      if (!checker.can.create(entry))
        throw forbidden(
          `A new entry starts in the default locale (${DEFAULT_LOCALE}), which this role may not create`,
        );
      if (context.action !== 'clone' && locale !== DEFAULT_LOCALE)
        throw new errors.ValidationError(
          `A new entry starts in the default locale (${DEFAULT_LOCALE}); its ${locale} version is added to it then`,
        );
      return next();
    }

    const own = versions.find((version) => version.locale === locale);
    const reference = own ?? versions.find((version) => version.locale === DEFAULT_LOCALE) ?? versions[0];
    if (!own && !checker.can.create({ ...reference, locale }))
      throw forbidden(`This role may not add the ${locale} version of this entry`);

    const changed = sharedChanges(strapi, context.uid, data, reference);
    if (changed.length > 0) {
      const others = versions.filter((version) => version.locale !== locale);
      const locked = others.filter((version) => !checker.can.update(version));
      if (locked.length > 0)
        throw forbidden(
          `${changed.join(', ')} ${changed.length === 1 ? 'is' : 'are'} shared with the ${locked
            .map((version) => version.locale)
            .join(', ')} version, which this role may not edit`,
        );
    }
    return next();
  };
}
