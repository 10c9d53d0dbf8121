/**
 * Who may do what through the content API (users-permissions roles). Applied at every boot by
 * ./apply.ts: a grant missing here is added, and nothing granted by hand is removed. README.md,
 * "Roles and permissions", shows the same table for people.
 */

/** Collection types that the public reads and the editor role writes. */
export const EDITABLE_TYPES = ['project', 'service', 'enterprise', 'site', 'funder'] as const;

const READ = ['find', 'findOne'] as const;
const WRITE = ['create', 'update', 'delete'] as const;

const actions = (names: readonly string[], verbs: readonly string[]) =>
  names.flatMap((name) => verbs.map((verb) => `api::${name}.${name}.${verb}`));

/** Every read of the public API: content types, the organisation and the read-only endpoints. */
const PUBLIC_READS = [
  ...actions(EDITABLE_TYPES, READ),
  'api::organisation.organisation.find',
  'api::vocabulary.vocabulary.find',
];

export interface ContentApiRole {
  /** users-permissions role type (its stable key). */
  type: string;
  name: string;
  description: string;
  actions: string[];
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
    actions: [...PUBLIC_READS, 'plugin::users-permissions.user.me', ...actions(EDITABLE_TYPES, WRITE)],
  },
];
