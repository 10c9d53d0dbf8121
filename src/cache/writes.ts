/**
 * Which database writes change what public answers can show: an allow-list. Only those bump the
 * content generation (./index.ts), which empties the response cache and the settings' memos.
 *
 * - Content that public answers show: a write counts when it touches a published row (a row of a
 *   type without draft & publish is always one). A draft save writes the draft row
 *   (`publishedAt` null), its components and its link rows, and syncs the non-localized fields
 *   to the other locales' drafts only (@strapi/i18n's syncNonLocalizedAttributes keeps each
 *   status apart): none of it is public, so nobody outside learns when staff save. Publishing,
 *   unpublishing, discarding and deleting write or delete published rows.
 * - Components and link rows are written with the row that owns them, which decides.
 * - Settings that public answers depend on: the public role's permissions (and roles), the
 *   locales, i18n's settings in the core store (its default locale), and media files' metadata
 *   (a new file is shown by no published entry until an entry that uses it is published).
 * - Nothing else: accounts (users-permissions users, admin users, sessions, tokens), the webhook
 *   state, content history and the like never bump, so a login or a password reset for a known
 *   account leaves the cache as it was.
 * An `api::` type in neither list below counts as public content (with a warning at boot): a
 * new type is then never served stale, only cached less well until it is listed.
 */
import type { Core } from '@strapi/strapi';
import { contentTypes } from '@strapi/utils';

/** Content types whose published rows public answers show. */
export const PUBLIC_CONTENT = [
  'api::project.project',
  'api::service.service',
  'api::enterprise.enterprise',
  'api::site.site',
  'api::funder.funder',
  'api::organisation.organisation',
  'api::term.term',
];

/** Content types of this app that no public answer shows (partners' webhooks and their log). */
export const PRIVATE_CONTENT = [
  'api::webhook-subscription.webhook-subscription',
  'api::webhook-delivery.webhook-delivery',
];

/** Settings every write of which counts. */
const SETTINGS = new Set([
  'plugin::i18n.locale',
  'plugin::users-permissions.permission',
  'plugin::users-permissions.role',
]);
const CORE_STORE = 'strapi::core-store';
/** The core store's keys that count: i18n's settings (`plugin_i18n_default_locale`). */
const STORE_KEYS = /^plugin_i18n_/;
const FILE = 'plugin::upload.file';

type Row = Record<string, unknown> | null | undefined;
interface WriteEvent {
  action: string;
  model: { uid: string };
  params?: { where?: unknown; data?: unknown };
  result?: unknown;
  state: { published?: boolean };
}

const WRITES = /^(before|after)(Create|CreateMany|Update|UpdateMany|Delete|DeleteMany)$/;
const isSet = (value: unknown) => value !== null && value !== undefined;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `where` keeps to draft rows (`publishedAt: null`, as i18n's locale sync writes). */
function draftsOnly(where: unknown): boolean {
  if (!isRecord(where)) return false;
  const value = where.publishedAt;
  if (value === null) return true;
  if (isRecord(value) && (value.$null === true || value.$eq === null)) return true;
  return Array.isArray(where.$and) && where.$and.some(draftsOnly);
}

/** How many rows a *Many write reached (undefined when not said). */
const countOf = (result: unknown) => (isRecord(result) ? (result.count as number | undefined) : undefined);

/**
 * Whether a write to a content type with draft & publish reached a published row. `state`
 * carries what the `before` step found out.
 */
function touchesPublishedRow(event: WriteEvent, kind: string): boolean {
  const data = event.params?.data;
  const result = event.result as Row;
  switch (kind) {
    case 'Create':
      if (isRecord(result) && 'publishedAt' in result) return isSet(result.publishedAt);
      return isRecord(data) && isSet(data.publishedAt);
    case 'CreateMany':
      return Array.isArray(data) && data.some((row) => isRecord(row) && isSet(row.publishedAt));
    case 'Update': {
      if (!result) return false; // no row matched
      const written = isRecord(data) ? data.publishedAt : undefined;
      if (isSet(written) || event.state.published) return true;
      if (written === null) return false; // a draft, and still one
      if ('publishedAt' in result) return isSet(result.publishedAt);
      return !draftsOnly(event.params?.where);
    }
    case 'Delete':
      if (!result) return false;
      return 'publishedAt' in result ? isSet(result.publishedAt) : true;
    default: // UpdateMany, DeleteMany
      if (countOf(event.result) === 0) return false;
      return !draftsOnly(event.params?.where) || (isRecord(data) && isSet(data.publishedAt));
  }
}

type Verdict = 'never' | 'always' | 'published' | 'files' | 'store';

function verdictOf(strapi: Core.Strapi, uid: string): Verdict {
  if (SETTINGS.has(uid)) return 'always';
  if (uid === FILE) return 'files';
  if (uid === CORE_STORE) return 'store';
  const known = PUBLIC_CONTENT.includes(uid);
  if (!known && (!uid.startsWith('api::') || PRIVATE_CONTENT.includes(uid))) return 'never';
  const model = strapi.getModel(uid as never) as unknown as Parameters<
    typeof contentTypes.hasDraftAndPublish
  >[0];
  return model && contentTypes.hasDraftAndPublish(model) ? 'published' : 'always';
}

/**
 * Calls `changed` after every write (in its transaction, if any) that may change a public answer,
 * and says at boot which `api::` types are in neither list.
 */
export function watchPublicWrites(strapi: Core.Strapi, changed: () => Promise<void>): void {
  const unlisted = Object.keys(strapi.contentTypes).filter(
    (uid) => uid.startsWith('api::') && !PUBLIC_CONTENT.includes(uid) && !PRIVATE_CONTENT.includes(uid),
  );
  if (unlisted.length > 0)
    strapi.log.warn(
      `Response cache: ${unlisted.join(', ')} in neither list of src/cache/writes.ts; every write to it empties the cache`,
    );

  const verdicts = new Map<string, Verdict>();
  strapi.db.lifecycles.subscribe(async (raw) => {
    const event = raw as unknown as WriteEvent;
    const match = WRITES.exec(event.action);
    if (!match) return;
    const [, when, kind] = match;
    const uid = event.model.uid;
    let verdict = verdicts.get(uid);
    if (!verdict) verdicts.set(uid, (verdict = verdictOf(strapi, uid)));
    if (verdict === 'never') return;

    if (when === 'before') {
      // A draft save writes `publishedAt: null` to a row found by its id: one look at that row
      // tells a draft (the Document Service's case) from a published row made a draft.
      const data = event.params?.data;
      if (verdict === 'published' && kind === 'Update' && isRecord(data) && data.publishedAt === null) {
        const where = event.params?.where;
        if (!draftsOnly(where)) {
          const row = (await strapi.db
            .query(uid as never)
            .findOne({ where, select: ['publishedAt'] } as never)) as Row;
          event.state.published = isRecord(row) && isSet(row.publishedAt);
        }
      }
      return;
    }

    let counts: boolean;
    if (verdict === 'published') counts = touchesPublishedRow(event, kind);
    else if (verdict === 'files') counts = !kind.startsWith('Create');
    else if (verdict === 'store') {
      const row = (isRecord(event.result) ? event.result : event.params?.data) as Row;
      counts = !isRecord(row) || typeof row.key !== 'string' || STORE_KEYS.test(row.key);
    } else counts = true;
    if (counts && (kind === 'Update' || kind === 'Delete') && !event.result) counts = false;
    if (counts && countOf(event.result) === 0) counts = false;
    if (counts) await changed();
  });
}
