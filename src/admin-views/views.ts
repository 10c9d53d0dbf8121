/**
 * How the admin panel's list and edit views are laid out, per content type and component: the
 * columns staff scan by, the field each entry is known by (its title or name, so that relations
 * show names, not ids), and the order of the edit form.
 */

/** The field an entry is shown by: list views, relation pickers, the edit view's header. */
export const MAIN_FIELDS: Record<string, string> = {
  'api::project.project': 'title',
  'api::service.service': 'name',
  'api::enterprise.enterprise': 'name',
  'api::site.site': 'name',
  'api::funder.funder': 'name',
  'api::organisation.organisation': 'name',
  'api::term.term': 'label',
  'api::webhook-subscription.webhook-subscription': 'name',
  'api::webhook-delivery.webhook-delivery': 'change',
};

/**
 * List view columns. Strapi adds the publication status (draft & publish) and the locales badge
 * (i18n) by itself after these.
 */
export const LIST_COLUMNS: Record<string, string[]> = {
  'api::project.project': ['title', 'site', 'kind', 'foundedYear'],
  'api::service.service': ['name', 'theme', 'foundedYear'],
  'api::site.site': ['name', 'commune', 'quarter'],
  'api::funder.funder': ['name', 'kind'],
  'api::enterprise.enterprise': ['name', 'foundedYear'],
  'api::term.term': ['label', 'group', 'key'],
  'api::webhook-subscription.webhook-subscription': ['name', 'url', 'active'],
  'api::webhook-delivery.webhook-delivery': [
    'partner',
    'changeId',
    'change',
    'outcome',
    'attempts',
    'lastAttemptAt',
  ],
};

/** A field of the edit form: its name, or its name and width (1 to 12 columns of a row). */
export type EditField = string | [name: string, size: number];

/**
 * The edit form, group by group (identity; place and dates; texts; relations; SEO). Each group
 * starts a new row; its fields fill rows of 12 columns at their default width unless given one. A
 * field that a schema does not have is skipped; a field of a schema that no group names is kept
 * where Strapi put it, after the groups.
 */
export const EDIT_GROUPS: Record<string, EditField[][]> = {
  'api::project.project': [
    ['title', 'slug'],
    ['kind', 'site'],
    ['foundedYear', 'closedYear'],
    [['summary', 12], 'partner'],
    ['description'],
    ['cover', 'coverAlt'],
    ['funders', 'inferred'],
    ['contact'],
    ['seo'],
  ],
  'api::service.service': [
    ['name', 'slug'],
    ['theme', 'formerName'],
    ['foundedYear'],
    [['summary', 12]],
    ['description'],
    ['funders', 'enterprises'],
    ['inferred'],
    ['contact'],
    ['seo'],
  ],
  'api::enterprise.enterprise': [
    ['name', 'slug'],
    ['legalForm', 'website'],
    ['foundedYear', 'employeesApprox', 'socialPurposeShare'],
    [['summary', 12]],
    ['description'],
    ['sectors'],
    ['services', 'inferred'],
    ['seo'],
  ],
  'api::site.site': [
    ['name', 'slug'],
    ['commune', 'quarter'],
    ['location'],
    [['description', 12]],
    ['projects', 'inferred'],
  ],
  'api::funder.funder': [
    ['name', 'slug'],
    ['kind', 'website'],
    ['projects', 'services'],
    ['organisations', 'inferred'],
  ],
  'api::organisation.organisation': [
    ['name', 'legalForm'],
    ['foundedYear'],
    [['mission', 12]],
    [['independence', 12]],
    [['history', 12]],
    [['neighbourhoodIntro', 12]],
    [['socialIntro', 12]],
    ['funders', 'inferred'],
    ['seo'],
  ],
  'api::term.term': [['label'], ['group', 'key']],
  'api::webhook-subscription.webhook-subscription': [
    ['name', 'active'],
    [['url', 12]],
    [['events', 12]],
    ['resendFrom'],
  ],
  'api::webhook-delivery.webhook-delivery': [
    ['partner', 'subscription'],
    ['changeId', 'eventId'],
    ['change', 'outcome'],
    ['attempts', 'responseStatus'],
    [['lastError', 12]],
    ['lastAttemptAt', 'deliveredAt'],
  ],
  'shared.contact': [
    ['email', 'phone'],
    ['address', 'website'],
  ],
  'shared.location': [['latitude', 'longitude']],
  'shared.sector': [['name']],
  'shared.seo': [['metaTitle'], [['metaDescription', 12]]],
};
