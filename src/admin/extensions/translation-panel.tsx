/**
 * « Traduction »: a side panel of the edit view in German, Luxembourgish or English (the Content
 * Manager's `addEditViewSidePanel`): the status of this translation (GET /admin/translations,
 * src/translations), the French text of each localized field beside the form (read-only, from
 * the Content Manager's own read of the French version), the fields changed in French since the
 * translation marked « À mettre à jour », and « Marquer comme vérifiée » for who may edit this
 * locale (the server judges it).
 */
import { useCallback, useEffect, useState } from 'react';
import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { FIELD_TEXTS } from '../../admin-views/texts';
import { isHistoryUid } from '../../history/uids';

type Language = 'fr' | 'de' | 'en';
type Status = 'missing' | 'outdated' | 'current';
export const STATUS_LABELS: Record<Language, Record<Status, string>> = {
  fr: { missing: 'Manquante', outdated: 'À mettre à jour', current: 'À jour' },
  de: { missing: 'Fehlt', outdated: 'Zu aktualisieren', current: 'Aktuell' },
  en: { missing: 'Missing', outdated: 'To update', current: 'Up to date' },
};
const TEXTS = {
  fr: {
    title: 'Traduction',
    source: 'Texte français',
    changed: 'modifié en français depuis la traduction',
    empty: '(vide)',
    check: 'Marquer comme vérifiée',
    checked: 'Traduction marquée comme vérifiée.',
    refused: 'Vous ne pouvez pas modifier cette langue.',
  },
  de: {
    title: 'Übersetzung',
    source: 'Französischer Text',
    changed: 'seit der Übersetzung auf Französisch geändert',
    empty: '(leer)',
    check: 'Als geprüft markieren',
    checked: 'Übersetzung als geprüft markiert.',
    refused: 'Sie dürfen diese Sprache nicht bearbeiten.',
  },
  en: {
    title: 'Translation',
    source: 'French text',
    changed: 'changed in French since the translation',
    empty: '(empty)',
    check: 'Mark as checked',
    checked: 'Translation marked as checked.',
    refused: 'You may not edit this language.',
  },
};
export const languageOf = (locale: string): Language =>
  (['fr', 'de', 'en'].includes(locale) ? locale : 'fr') as Language;

interface State {
  status: Status;
  fields: string[];
  sourceUpdatedAt: string;
}

/** A field's French value as text: strings as they are, components by their texts. */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(asText).filter(Boolean).join(' · ');
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !['id', '__component'].includes(key))
      .map(([, inner]) => asText(inner))
      .filter(Boolean)
      .join(' · ');
  return String(value);
}

function TranslationContent({
  model,
  documentId,
  locale,
  single,
  version,
}: {
  model: string;
  documentId: string;
  locale: string;
  single: boolean;
  version: string;
}) {
  const intl = useIntl();
  const language = languageOf(intl.locale);
  const texts = TEXTS[language];
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [state, setState] = useState<State | null>(null);
  const [source, setSource] = useState<Record<string, unknown> | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldTexts = FIELD_TEXTS[model] ?? {};

  const load = useCallback(() => {
    get<{ data: (State & { documentId: string })[] }>('/admin/translations', {
      params: { locale, uid: model, documentId },
    }).then(
      ({ data }) => setState(data.data.find((entry) => entry.documentId === documentId) ?? null),
      () => setState(null),
    );
    const path = single
      ? `/content-manager/single-types/${model}`
      : `/content-manager/collection-types/${model}/${documentId}`;
    get<{ data: Record<string, unknown> }>(path, { params: { locale: 'fr' } }).then(
      ({ data }) => setSource(data.data),
      () => setSource(null),
    );
  }, [documentId, get, locale, model, single]);
  useEffect(load, [load, version]);

  const check = async () => {
    setBusy(true);
    try {
      await post(
        `/admin/translations/${model}/${documentId}/checked?locale=${encodeURIComponent(locale)}`,
        {},
      );
      toggleNotification({ type: 'success', message: texts.checked });
      load();
    } catch {
      toggleNotification({ type: 'danger', message: texts.refused });
    } finally {
      setBusy(false);
    }
  };

  if (!state) return null;
  // The localized text fields (those the status names, and the labelled ones the French read has).
  const fields = [...new Set([...state.fields, ...Object.keys(fieldTexts)])].filter(
    (field) => source && field in source && typeof source[field] !== 'number',
  );
  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      <Flex gap={2}>
        <Badge data-translation={state.status} active={state.status !== 'current'}>
          {STATUS_LABELS[language][state.status]}
        </Badge>
      </Flex>
      {state.status === 'outdated' && (
        <Button variant="secondary" fullWidth loading={busy} onClick={check}>
          {texts.check}
        </Button>
      )}
      {source && (
        <Box>
          <Typography variant="sigma" textColor="neutral600" tag="h3">
            {texts.source}
          </Typography>
          <Flex tag="dl" direction="column" alignItems="stretch" gap={2} marginTop={1}>
            {fields.map((field) => {
              const outdated = state.fields.includes(field) && state.status === 'outdated';
              const label = fieldTexts[field]?.[language === 'fr' ? 'label' : language] ?? field;
              return (
                <Box
                  key={field}
                  data-source-field={field}
                  data-outdated={outdated ? 'true' : 'false'}
                  padding={outdated ? 2 : 0}
                  background={outdated ? 'warning100' : undefined}
                  hasRadius
                >
                  <Typography tag="dt" variant="pi" fontWeight="bold">
                    {String(label)}
                    {outdated ? ` — ${texts.changed}` : ''}
                  </Typography>
                  <Typography tag="dd" variant="pi" textColor="neutral700" style={{ whiteSpace: 'pre-wrap' }}>
                    {asText(source[field]).slice(0, 600) || texts.empty}
                  </Typography>
                </Box>
              );
            })}
          </Flex>
        </Box>
      )}
    </Flex>
  );
}

/** The panel, in the edit view of a locale other than French, once the entry exists. */
export function TranslationPanel(props: {
  model: string;
  documentId?: string;
  collectionType?: string;
  document?: { locale?: string | null; updatedAt?: string | null } | null;
}) {
  const intl = useIntl();
  if (!isHistoryUid(props.model)) return null;
  const locale =
    props.document?.locale ??
    new URLSearchParams(window.location.search).get('plugins[i18n][locale]') ??
    'fr';
  if (locale === 'fr' || !props.documentId) return null;
  return {
    title: TEXTS[languageOf(intl.locale)].title,
    content: (
      <TranslationContent
        key={locale}
        version={props.document?.updatedAt ?? ''}
        model={props.model}
        documentId={props.documentId}
        locale={locale}
        single={props.model === 'api::organisation.organisation'}
      />
    ),
  };
}
