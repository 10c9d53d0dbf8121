/**
 * The list views' « Relecture », « Planifié » and « Traductions » columns (the Content Manager's
 * `Admin/CM/pages/ListView/inject-column-in-table` hook), for the types with a review: each row's
 * review stage in the locale listed, the date of its next schedule, and its translation status
 * (a translation: its own; a French row: each other locale's). One request per list and locale
 * for each (GET /admin/review?stage=…, GET /admin/schedules, GET /admin/translations), shared by
 * the rows and kept a few seconds, rather than one per row.
 */
import { useEffect, useState } from 'react';
import { Badge, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { isHistoryUid, SCHEDULE_UIDS } from '../../history/uids';
import { luxembourgTime } from './schedule-panel';
import { STATUS_LABELS } from './translation-panel';

type Stage = 'draft' | 'review' | 'approved';
type TranslationStatus = 'missing' | 'outdated' | 'current';
const TRANSLATED = ['de', 'lb', 'en'] as const;
type Get = ReturnType<typeof useFetchClient>['get'];
interface Workflow {
  stages: Map<string, Stage>;
  schedules: Map<string, { at: string; action: 'publish' | 'unpublish' }>;
  /** locale -> documentId -> status (the listed locale, or each other one for a French list). */
  translations: Map<string, Map<string, TranslationStatus>>;
}

const LABELS = {
  fr: {
    stage: 'Relecture',
    scheduled: 'Planifié',
    translations: 'Traductions',
    draft: 'En cours',
    review: 'À relire',
    approved: 'Approuvé',
    publish: 'Publier',
    unpublish: 'Retirer',
  },
  de: {
    stage: 'Durchsicht',
    scheduled: 'Geplant',
    translations: 'Übersetzungen',
    draft: 'In Arbeit',
    review: 'Zur Durchsicht',
    approved: 'Freigegeben',
    publish: 'Veröffentlichen',
    unpublish: 'Zurückziehen',
  },
  en: {
    stage: 'Review',
    scheduled: 'Scheduled',
    translations: 'Translations',
    draft: 'In progress',
    review: 'To review',
    approved: 'Approved',
    publish: 'Publish',
    unpublish: 'Unpublish',
  },
};
const labelsOf = (language: string) =>
  LABELS[(['fr', 'de', 'en'].includes(language) ? language : 'fr') as 'fr'];
const KEEP_MS = 5000;
const loads = new Map<string, { at: number; promise: Promise<Workflow> }>();

/** The stages and next schedules of one type and locale (one load shared by the rows). */
function workflowOf(get: Get, uid: string, locale: string): Promise<Workflow> {
  const key = `${uid}|${locale}`;
  const kept = loads.get(key);
  if (kept && Date.now() - kept.at < KEEP_MS) return kept.promise;
  const promise = (async () => {
    const stages = new Map<string, Stage>();
    for (const stage of ['review', 'approved'] as const) {
      const { data } = await get<{ data: { documentId: string }[] }>('/admin/review', {
        params: { stage, uid, locale },
      });
      for (const entry of data.data) stages.set(entry.documentId, stage);
    }
    const schedules: Workflow['schedules'] = new Map();
    if ((SCHEDULE_UIDS as readonly string[]).includes(uid)) {
      const { data } = await get<{
        data: { documentId: string; at: string; action: 'publish' | 'unpublish' }[];
      }>('/admin/schedules', { params: { uid, locale } });
      // Soonest first: the first of each document is its next.
      for (const entry of data.data)
        if (!schedules.has(entry.documentId)) schedules.set(entry.documentId, entry);
    }
    const translations: Workflow['translations'] = new Map();
    for (const target of locale === 'fr' ? TRANSLATED : [locale]) {
      const { data } = await get<{ data: { documentId: string; status: TranslationStatus }[] }>(
        '/admin/translations',
        { params: { uid, locale: target } },
      );
      translations.set(target, new Map(data.data.map((entry) => [entry.documentId, entry.status])));
    }
    return { stages, schedules, translations };
  })();
  promise.catch(() => loads.delete(key));
  loads.set(key, { at: Date.now(), promise });
  return promise;
}

function useWorkflow(uid: string, locale: string): Workflow | undefined {
  const { get } = useFetchClient();
  const [workflow, setWorkflow] = useState<Workflow>();
  useEffect(() => {
    let live = true;
    workflowOf(get, uid, locale).then(
      (loaded) => live && setWorkflow(loaded),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [get, uid, locale]);
  return workflow;
}

interface CellProps {
  documentId: string;
  locale?: string | null;
  model: string;
}

function StageCell({ documentId, locale, model }: CellProps) {
  const labels = labelsOf(useIntl().locale);
  const workflow = useWorkflow(model, locale ?? 'fr');
  if (!workflow) return null;
  const stage = workflow.stages.get(documentId) ?? 'draft';
  return (
    <Badge data-stage={stage} active={stage !== 'draft'}>
      {labels[stage]}
    </Badge>
  );
}

function ScheduledCell({ documentId, locale, model }: CellProps) {
  const intl = useIntl();
  const labels = labelsOf(intl.locale);
  const workflow = useWorkflow(model, locale ?? 'fr');
  const next = workflow?.schedules.get(documentId);
  if (!next) return <Typography textColor="neutral500">-</Typography>;
  return (
    <Typography data-scheduled={next.at}>
      {labels[next.action]} · {luxembourgTime(next.at, intl.locale)}
    </Typography>
  );
}

function TranslationsCell({ documentId, locale, model }: CellProps) {
  const intl = useIntl();
  const language = (['fr', 'de', 'en'].includes(intl.locale) ? intl.locale : 'fr') as 'fr';
  const workflow = useWorkflow(model, locale ?? 'fr');
  if (!workflow) return null;
  const shown = [...workflow.translations].map(
    ([code, statuses]) => [code, statuses.get(documentId) ?? 'missing'] as const,
  );
  return (
    <span>
      {shown.map(([code, status]) => (
        <Badge
          key={code}
          data-translation-locale={code}
          data-translation={status}
          active={status !== 'current'}
          title={STATUS_LABELS[language][status]}
          marginRight={1}
        >
          {locale === 'fr' ? `${code} · ` : ''}
          {STATUS_LABELS[language][status]}
        </Badge>
      ))}
    </span>
  );
}

interface Header {
  name: string;
  label: string | { id: string; defaultMessage: string };
  attribute: { type: string };
  searchable: boolean;
  sortable: boolean;
  cellFormatter: (row: Record<string, unknown>, header: unknown, meta: { model: string }) => JSX.Element;
}

/** The hook: two columns more in the list views of the types with a review (the page's type). */
export function addWorkflowColumns<T extends { displayedHeaders: Header[] }>(args: T): T {
  const model = decodeURIComponent(
    window.location.pathname.split('/collection-types/')[1]?.split('/')[0] ?? '',
  );
  if (!isHistoryUid(model)) return args;
  const language = window.localStorage.getItem('strapi-admin-language') ?? 'fr';
  const labels = labelsOf(language);
  const cell =
    (Component: typeof StageCell) =>
    (row: Record<string, unknown>, _header: unknown, meta: { model: string }) => (
      <Component
        documentId={String(row.documentId)}
        locale={row.locale as string | null}
        model={meta.model}
      />
    );
  return {
    ...args,
    displayedHeaders: [
      ...args.displayedHeaders,
      {
        name: 'reviewStage',
        label: { id: 'inter-actions.list.review-stage', defaultMessage: labels.stage },
        attribute: { type: 'string' },
        searchable: false,
        sortable: false,
        cellFormatter: cell(StageCell),
      },
      {
        name: 'nextSchedule',
        label: { id: 'inter-actions.list.next-schedule', defaultMessage: labels.scheduled },
        attribute: { type: 'string' },
        searchable: false,
        sortable: false,
        cellFormatter: cell(ScheduledCell),
      },
      {
        name: 'translations',
        label: { id: 'inter-actions.list.translations', defaultMessage: labels.translations },
        attribute: { type: 'string' },
        searchable: false,
        sortable: false,
        cellFormatter: cell(TranslationsCell),
      },
    ],
  };
}
