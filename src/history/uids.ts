/**
 * The types with a history and a review stage: those staff edit and the public reads (the change
 * feed's six). Plain data, without imports: the admin panel's extensions import it too.
 */
export const HISTORY_UIDS = [
  'api::project.project',
  'api::service.service',
  'api::enterprise.enterprise',
  'api::site.site',
  'api::funder.funder',
  'api::organisation.organisation',
] as const;

export const isHistoryUid = (uid: string): boolean => (HISTORY_UIDS as readonly string[]).includes(uid);

/** Those of them with drafts, whose publish may be scheduled (sites and funders are live at once). */
export const SCHEDULE_UIDS = [
  'api::project.project',
  'api::service.service',
  'api::enterprise.enterprise',
  'api::organisation.organisation',
] as const;
