/**
 * Preview of drafts on the public entry page (public/entry.html), from the admin panel's edit view.
 *
 * - `previewHandler` is Strapi 5's preview handler (config/admin.ts, `preview.config.handler`). The
 *   Content Manager calls it inside the admin request GET /content-manager/preview/url/:uid, whose
 *   policy requires a logged-in admin user. For a draft it checks that this user may read the
 *   document in that locale (the Content Manager itself does not: "TODO: Permissions to preview
 *   content" in 5.54), then mints a preview token (./token.ts) bound to type, documentId and
 *   locale, and answers the entry page's URL with the token in the fragment (`#preview=`), which
 *   browsers never send to a server, so it reaches no access log. For the published version it
 *   answers the public page of the entry, without a token.
 * - `readDraft` is the one read of drafts that the content API makes for a reader who may not read
 *   drafts: GET /api/preview (src/api/preview) calls it after the token checked out. The rules
 *   that force published content on such readers (src/permissions/publication.ts and
 *   src/security/published-only.ts) apply to content API requests, which they recognise by the
 *   request context's route; this one read runs in a copy of the request context without the
 *   route, so it sees the draft of that one document in that one locale, and nothing else of the
 *   request does. Its relations to draft & publish types are then replaced by their published
 *   versions: the page shows the draft as the public page will show it once published, and no
 *   other document's draft.
 */
import type { Core, UID } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { mintPreviewToken, previewKey } from './token';
import { publicUrlOf } from '../utils/public-url';

/** The entry page, served from public/ by strapi::public. */
export const ENTRY_PAGE = '/entry.html';

type Attribute = { type: string; target?: string };
type Model = {
  uid: string;
  kind: 'collectionType' | 'singleType';
  info: { singularName: string };
  options?: { draftAndPublish?: boolean };
  attributes: Record<string, Attribute>;
};
type Entry = Record<string, unknown> & { documentId?: string; slug?: unknown };

/** Relations Strapi adds to every type: admin users and the other locales. */
const SYSTEM_RELATIONS = new Set(['createdBy', 'updatedBy', 'localizations']);
const POPULATED = new Set(['relation', 'component', 'media', 'dynamiczone']);

const apiModels = (strapi: Core.Strapi): Model[] =>
  (Object.values(strapi.contentTypes) as unknown as Model[]).filter((model) => model.uid.startsWith('api::'));

/**
 * The types that have a preview, by singular name: every content type with draft & publish, and
 * every single type (the organisation).
 */
export function previewTypes(strapi: Core.Strapi): Map<string, Model> {
  return new Map(
    apiModels(strapi)
      .filter((model) => model.options?.draftAndPublish === true || model.kind === 'singleType')
      .map((model) => [model.info.singularName, model]),
  );
}

/** The key that signs preview tokens (derived from ADMIN_JWT_SECRET). */
export const previewKeyOf = (strapi: Core.Strapi): Buffer =>
  previewKey(strapi.config.get<string>('admin.auth.secret', ''));

/** PUBLIC_URL, or '' (a URL relative to the admin panel's origin). */
const origin = publicUrlOf;

/** The public page of an entry (a published one is found by slug; a single type needs none). */
export function entryPageUrl(strapi: Core.Strapi, type: string, locale: string, slug?: string): string {
  const query = new URLSearchParams({ type });
  if (slug) query.set('slug', slug);
  query.set('locale', locale);
  return `${origin(strapi)}${ENTRY_PAGE}?${query}`;
}

interface HandlerParams {
  documentId?: string;
  locale?: string | null;
  status?: string;
  [key: string]: unknown;
}

interface AdminContext {
  state?: { userAbility?: unknown };
}

/**
 * Strapi 5's preview handler: the URL of the entry page for the document the staff member is
 * editing, with a preview token for its draft. undefined (the panel says there is nothing to
 * preview) for a type without a page, a document without that version, or a user who may not
 * read it.
 */
export async function previewHandler(uid: string, params: HandlerParams): Promise<string | undefined> {
  const strapi = global.strapi as Core.Strapi;
  const model = strapi.getModel(uid as UID.ContentType) as unknown as Model | undefined;
  if (!model || !previewTypes(strapi).has(model.info.singularName) || !params.documentId) return undefined;
  const type = model.info.singularName;
  const locale = params.locale || DEFAULT_LOCALE;
  const status = params.status === 'published' ? 'published' : 'draft';

  const userAbility = (strapi.requestContext.get() as AdminContext | undefined)?.state?.userAbility;
  if (!userAbility) return undefined;
  const checker = strapi
    .plugin('content-manager')
    .service('permission-checker')
    .create({ userAbility, model: uid });

  const document = (await strapi
    .documents(uid as UID.ContentType)
    .findOne({ documentId: params.documentId, locale, status } as never)) as Entry | null;
  if (!document || checker.cannot.read(document)) return undefined;

  if (status === 'published') {
    const slug = typeof document.slug === 'string' ? document.slug : undefined;
    if (model.kind === 'collectionType' && !slug) return undefined;
    return entryPageUrl(strapi, type, locale, slug);
  }
  const token = mintPreviewToken(previewKeyOf(strapi), { type, documentId: params.documentId, locale });
  const query = new URLSearchParams({ type, documentId: params.documentId, locale });
  return `${origin(strapi)}${ENTRY_PAGE}?${query}#preview=${token}`;
}

/** What the entry page shows of a type: its relations, components and media, one level. */
function populateOf(model: Model): Record<string, true> {
  return Object.fromEntries(
    Object.entries(model.attributes)
      .filter(([name, attribute]) => POPULATED.has(attribute.type) && !SYSTEM_RELATIONS.has(name))
      .filter(([, attribute]) => !attribute.target?.startsWith('admin::'))
      .map(([name]) => [name, true as const]),
  );
}

/** Runs `read` in the current request context minus its route: the content API's reader rules skip it. */
async function outsideContentApiRules<T>(strapi: Core.Strapi, read: () => Promise<T>): Promise<T> {
  const current = strapi.requestContext.get() as object | undefined;
  // The request itself (URL, headers) stays readable to whoever looks; its state does not.
  const store = Object.create(current ?? null) as { state: object };
  store.state = { preview: true };
  let result: T | undefined;
  await strapi.requestContext.run(store as never, async () => {
    result = await read();
  });
  return result as T;
}

/** The published versions of `documentIds` of `uid` in `locale`, else in the default locale. */
async function publishedVersions(
  strapi: Core.Strapi,
  uid: string,
  documentIds: string[],
  locale: string,
): Promise<Map<string, Entry>> {
  const found = new Map<string, Entry>();
  for (const inLocale of [locale, DEFAULT_LOCALE]) {
    const missing = documentIds.filter((id) => !found.has(id));
    if (missing.length === 0) break;
    const entries = (await strapi.documents(uid as UID.ContentType).findMany({
      filters: { documentId: { $in: missing } },
      locale: inLocale,
      status: 'published',
    } as never)) as Entry[];
    for (const entry of entries) if (entry.documentId) found.set(entry.documentId, entry);
  }
  return found;
}

/**
 * The draft of one document in one locale, with what it relates to, as the public page will show
 * it once published; null when the document has no draft in that locale. Call only once a preview
 * token for exactly this document and locale has been verified.
 */
export async function readDraft(
  strapi: Core.Strapi,
  model: Model,
  documentId: string,
  locale: string,
): Promise<Entry | null> {
  const uid = model.uid as UID.ContentType;
  const draft = await outsideContentApiRules(
    strapi,
    async () =>
      (await strapi.documents(uid).findOne({
        documentId,
        locale,
        status: 'draft',
        populate: populateOf(model),
      } as never)) as Entry | null,
  );
  if (!draft) return null;
  // Relations to types with drafts point at those documents' drafts: show their published
  // versions (read under the reader rules again), as the public page will.
  for (const [name, attribute] of Object.entries(model.attributes)) {
    const target = attribute.type === 'relation' ? attribute.target : undefined;
    if (!target || !(name in draft) || SYSTEM_RELATIONS.has(name)) continue;
    const targetModel = strapi.getModel(target as UID.Schema) as unknown as Model | undefined;
    if (!targetModel?.options?.draftAndPublish) continue;
    const value = draft[name];
    const related = (Array.isArray(value) ? value : value ? [value] : []) as Entry[];
    const ids = related.map((entry) => entry.documentId).filter((id): id is string => Boolean(id));
    const published = await publishedVersions(strapi, target, ids, locale);
    const replaced = ids.map((id) => published.get(id)).filter((entry): entry is Entry => Boolean(entry));
    draft[name] = Array.isArray(value) ? replaced : (replaced[0] ?? null);
  }
  return draft;
}
