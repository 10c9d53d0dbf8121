/**
 * Who may do what: the content API's roles (users-permissions) and the admin panel's roles (admin
 * RBAC). Applied at every boot by ./apply.ts: a grant missing here is added, and nothing granted
 * by hand is removed. docs/contributors.md, "Roles and permissions", shows the same table for people
 * (docs/staff.fr.md, « Qui peut faire quoi », in French for staff).
 */
import { LOCALE_CODES, DEFAULT_LOCALE } from '../bootstrap/locales';

/** Collection types that the public reads. */
export const EDITABLE_TYPES = ['project', 'service', 'enterprise', 'site', 'funder'] as const;
/**
 * The editor role writes only types with draft & publish: its writes are drafts, which the public
 * never sees. A write to a site or a funder (no drafts) would be live at once, so those are edited
 * in the admin panel only (where publishing is a granted right).
 */
export const DRAFT_TYPES = ['project', 'service', 'enterprise'] as const;
const TYPES_WITHOUT_DRAFTS = EDITABLE_TYPES.filter(
  (name) => !(DRAFT_TYPES as readonly string[]).includes(name),
);

const READ = ['find', 'findOne'] as const;
const WRITE = ['create', 'update', 'delete'] as const;

const actions = (names: readonly string[], verbs: readonly string[]) =>
  names.flatMap((name) => verbs.map((verb) => `api::${name}.${name}.${verb}`));

/** Every read of the public API: content types, the organisation and the read endpoints. */
const PUBLIC_READS = [
  ...actions(EDITABLE_TYPES, READ),
  'api::organisation.organisation.find',
  'api::vocabulary.vocabulary.find',
  'api::listing.listing.find',
  'api::catalog.catalog.find',
  'api::timeline.timeline.find',
  'api::change.change.find',
  'api::search.search.find',
];

export interface ContentApiRole {
  /** users-permissions role type (its stable key). */
  type: string;
  name: string;
  description: string;
  actions: string[];
  /** Removed at boot if granted (by hand or by an earlier version of this table). */
  revoked?: string[];
}

export const CONTENT_API_ROLES: ContentApiRole[] = [
  {
    type: 'public',
    name: 'Public',
    description: 'Anyone without a token: websites. Reads published content only.',
    actions: PUBLIC_READS,
  },
  {
    type: 'authenticated',
    name: 'Authenticated',
    description: 'Default role of an API user: the public reads and its own profile.',
    actions: [...PUBLIC_READS, 'plugin::users-permissions.user.me'],
  },
  {
    type: 'editor',
    name: 'Editor',
    description: 'Front-end editing tools: create, update and delete content; drafts stay drafts.',
    actions: [...PUBLIC_READS, 'plugin::users-permissions.user.me', ...actions(DRAFT_TYPES, WRITE)],
    revoked: [...actions(TYPES_WITHOUT_DRAFTS, WRITE), ...actions(['organisation'], ['update', 'delete'])],
  },
];

// ---------------------------------------------------------------------------------------------
// Admin panel (communications staff). Content Manager actions per content type; `locales: null`
// means every locale, present and future (Strapi's i18n convention).

export const CONTENT_UIDS = [...EDITABLE_TYPES, 'organisation'].map((name) => `api::${name}.${name}`);
/**
 * The vocabulary terms (labels of project kinds, service themes, funder kinds): no content API
 * route, read publicly through GET /api/vocabulary. In the panel, staff change labels only: a new
 * term, a changed key and a deletion are refused whoever asks (src/vocabulary/terms.ts), so no
 * role is granted `delete`; `create` is a new locale's label of a term (Strapi 5's Content
 * Manager asks `create` for a missing locale).
 */
export const VOCABULARY_UIDS = ['api::term.term'];
/**
 * Partner webhooks (src/webhooks), staff-only: no content API route, granted to no content API role.
 * Communication manages the subscriptions and reads the delivery log (written by the worker only).
 */
export const WEBHOOK_SUBSCRIPTION_UIDS = ['api::webhook-subscription.webhook-subscription'];
export const WEBHOOK_LOG_UIDS = ['api::webhook-delivery.webhook-delivery'];
export const WEBHOOK_UIDS = [...WEBHOOK_SUBSCRIPTION_UIDS, ...WEBHOOK_LOG_UIDS];
/** Types only the roles of this table (and the super admin) see in the panel. */
export const STAFF_ONLY_UIDS = [...VOCABULARY_UIDS, ...WEBHOOK_UIDS];
const PROJECT_AND_SERVICE = ['api::project.project', 'api::service.service'];

export type ContentManagerVerb = 'create' | 'read' | 'update' | 'delete' | 'publish';

export interface ContentGrant {
  verbs: ContentManagerVerb[];
  subjects: string[];
  /** Locales the grant covers; null for all. */
  locales: string[] | null;
  /** Admin RBAC conditions, e.g. `admin::is-creator`. */
  conditions?: string[];
}

export interface AdminRole {
  /** Stable key of the role in Strapi (admin role `code`). */
  code: string;
  name: string;
  description: string;
  content: ContentGrant[];
  /** Media library actions (plugin::upload.*). */
  media: string[];
  /** Removed at boot if granted (by hand or by an earlier version of this table). */
  revoked?: string[];
}

const MEDIA_READ = [
  'plugin::upload.read',
  'plugin::upload.assets.download',
  'plugin::upload.assets.copy-link',
];
/** Upload new files. */
const MEDIA_UPLOAD = ['plugin::upload.assets.create'];
/** Edit, replace and delete any file: what a published entry shows changes at once. */
const MEDIA_EDIT = ['plugin::upload.configure-view', 'plugin::upload.assets.update'];

/** Strapi's Marketplace (plugins to install: not staff's business; the panel hides the link without it). */
const MARKETPLACE = ['admin::marketplace.read'];

export const TRANSLATION_LOCALES = LOCALE_CODES.filter((code) => code !== DEFAULT_LOCALE);

export const ADMIN_ROLES: AdminRole[] = [
  {
    code: 'communication',
    name: 'Communication',
    description: 'Crée, modifie, publie et supprime tous les contenus, dans toutes les langues.',
    content: [
      { verbs: ['create', 'read', 'update', 'delete', 'publish'], subjects: CONTENT_UIDS, locales: null },
      { verbs: ['create', 'read', 'update'], subjects: VOCABULARY_UIDS, locales: null },
      { verbs: ['create', 'read', 'update', 'delete'], subjects: WEBHOOK_SUBSCRIPTION_UIDS, locales: null },
      { verbs: ['read'], subjects: WEBHOOK_LOG_UIDS, locales: null },
    ],
    media: [...MEDIA_READ, ...MEDIA_UPLOAD, ...MEDIA_EDIT],
    revoked: MARKETPLACE,
  },
  {
    code: 'project-coordinator',
    name: 'Coordination de projets',
    description:
      'Crée des projets et des services et modifie ceux qu’il ou elle a créés ; ne publie pas, ne supprime pas.',
    content: [
      { verbs: ['read'], subjects: [...CONTENT_UIDS, ...VOCABULARY_UIDS], locales: null },
      {
        verbs: ['create', 'update'],
        subjects: PROJECT_AND_SERVICE,
        locales: null,
        conditions: ['admin::is-creator'],
      },
    ],
    // Uploads new files; editing or deleting a file would change published entries of others.
    media: [...MEDIA_READ, ...MEDIA_UPLOAD],
    revoked: [...MEDIA_EDIT, ...MARKETPLACE],
  },
  {
    code: 'translator',
    name: 'Traduction',
    description:
      'Lit tout ; traduit en allemand, luxembourgeois et anglais, jamais le français ; ne publie pas, ne supprime pas.',
    content: [
      { verbs: ['read'], subjects: [...CONTENT_UIDS, ...VOCABULARY_UIDS], locales: null },
      // Adding a missing translation is a `create` of that locale in Strapi 5's Content Manager.
      {
        verbs: ['create', 'update'],
        subjects: [...CONTENT_UIDS, ...VOCABULARY_UIDS],
        locales: TRANSLATION_LOCALES,
      },
    ],
    media: MEDIA_READ,
    revoked: MARKETPLACE,
  },
];
