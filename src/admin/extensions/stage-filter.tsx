/**
 * « Relecture » filter of the list views (the Content Manager's `listView` `actions` injection
 * zone, where i18n puts its locale picker): all entries, or those « À relire », « Approuvé » or
 * « En cours » in the listed locale. The stages live beside Strapi's tables (src/review), so the
 * filter is the list of their documents, asked of GET /admin/review and applied as Strapi's own
 * `documentId` filter in the URL: the list, its count and its pages stay Strapi's.
 */
import { useState } from 'react';
import { SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { useFetchClient, useNotification, useQueryParams } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { isHistoryUid } from '../../history/uids';

type Choice = 'all' | 'review' | 'approved' | 'draft';
type Filter = Record<string, unknown>;
interface Query {
  filters?: { $and?: Filter[] };
  plugins?: { i18n?: { locale?: string } };
  page?: number | string;
}

const LABELS = {
  fr: {
    all: 'Relecture : toutes',
    review: 'À relire',
    approved: 'Approuvé',
    draft: 'En cours',
    label: 'Étape de relecture',
    failed: 'Les étapes de relecture n’ont pas pu être lues.',
  },
  de: {
    all: 'Durchsicht: alle',
    review: 'Zur Durchsicht',
    approved: 'Freigegeben',
    draft: 'In Arbeit',
    label: 'Durchsichtsschritt',
    failed: 'Die Durchsichtsschritte konnten nicht gelesen werden.',
  },
  en: {
    all: 'Review: all',
    review: 'To review',
    approved: 'Approved',
    draft: 'In progress',
    label: 'Review stage',
    failed: 'The review stages could not be read.',
  },
};
/** An id no document has: "none of them" when a stage holds no entry. */
const NONE = '-';

const isOurs = (filter: Filter) => 'documentId' in filter;
/**
 * The choice shown: kept in the tab's session beside the filter it made (the URL carries only
 * Strapi's own parameters, all sent to the server), and shown while that filter is in the URL.
 */
const memory = (model: string, locale: string) => `inter-actions.review-filter.${model}.${locale}`;

export function StageFilter() {
  const intl = useIntl();
  const labels = LABELS[(['fr', 'de', 'en'].includes(intl.locale) ? intl.locale : 'fr') as 'fr'];
  const { get } = useFetchClient();
  const [{ query }, setQuery] = useQueryParams<Query>();
  const [busy, setBusy] = useState(false);
  const model = decodeURIComponent(
    window.location.pathname.split('/collection-types/')[1]?.split('/')[0] ?? '',
  );
  const locale = query.plugins?.i18n?.locale ?? 'fr';
  const current = (query.filters?.$and ?? []).find(isOurs);
  const remembered = JSON.parse(window.sessionStorage.getItem(memory(model, locale)) ?? 'null') as {
    choice: Choice;
    filter: string;
  } | null;
  const choice: Choice = current && remembered && remembered.filter !== 'null' ? remembered.choice : 'all';
  const { toggleNotification } = useNotification();
  if (!isHistoryUid(model)) return null;

  const choose = async (next: Choice) => {
    setBusy(true);
    try {
      const others = (query.filters?.$and ?? []).filter((filter) => !isOurs(filter));
      let ours: Filter | undefined;
      if (next !== 'all') {
        const idsAt = async (stage: string) =>
          (
            await get<{ data: { documentId: string }[] }>('/admin/review', {
              params: { stage, uid: model, locale },
            })
          ).data.data.map((entry) => entry.documentId);
        if (next === 'draft') {
          const moving = [...(await idsAt('review')), ...(await idsAt('approved'))];
          ours = moving.length > 0 ? { documentId: { $notIn: moving } } : undefined;
        } else {
          const ids = await idsAt(next);
          ours = { documentId: { $in: ids.length > 0 ? ids : [NONE] } };
        }
      }
      const filters = [...others, ...(ours ? [ours] : [])];
      window.sessionStorage.setItem(
        memory(model, locale),
        JSON.stringify({ choice: next, filter: JSON.stringify(ours ?? null) }),
      );
      setQuery({ page: 1, filters: filters.length > 0 ? { $and: filters } : undefined } as never);
    } catch {
      toggleNotification({ type: 'danger', message: labels.failed });
    } finally {
      setBusy(false);
    }
  };

  return (
    <SingleSelect
      size="S"
      aria-label={labels.label}
      value={choice}
      disabled={busy}
      onChange={(value: string | number) => void choose(value as Choice)}
    >
      {(['all', 'review', 'approved', 'draft'] as const).map((option) => (
        <SingleSelectOption key={option} value={option}>
          {labels[option]}
        </SingleSelectOption>
      ))}
    </SingleSelect>
  );
}
