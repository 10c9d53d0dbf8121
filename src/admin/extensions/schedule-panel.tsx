/**
 * « Planifier »: a side panel of the edit view (the Content Manager's `addEditViewSidePanel`) with
 * the upcoming schedules of the entry (« Planifié », GET /admin/schedules, src/schedules/routes.ts)
 * and, for who may publish it, a form to schedule « Publier » or « Retirer » of this locale or of
 * all locales at a date and time in Luxembourg, and « Annuler » on each schedule. The server judges
 * each request; a refusal is said in a notification with the server's reason.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { SCHEDULE_UIDS } from '../../history/uids';

type Action = 'publish' | 'unpublish';
type Language = 'fr' | 'de' | 'en';
const TEXTS = {
  fr: {
    title: 'Planifier',
    upcoming: 'Planifié',
    none: 'Rien de planifié.',
    action: { publish: 'Publier', unpublish: 'Retirer' },
    what: 'Action',
    scope: 'Langues',
    thisLocale: 'Cette langue ({locale})',
    allLocales: 'Toutes les langues',
    when: 'Date et heure (heure de Luxembourg)',
    schedule: 'Planifier',
    cancel: 'Annuler',
    scheduled: 'Planifié : {action}, {when}.',
    cancelled: 'Planification annulée.',
    refused: 'Refusé : {reason}',
    unsaved: 'Enregistrez l’entrée pour la planifier.',
    by: 'par {name}',
    all: 'toutes les langues',
  },
  de: {
    title: 'Planen',
    upcoming: 'Geplant',
    none: 'Nichts geplant.',
    action: { publish: 'Veröffentlichen', unpublish: 'Zurückziehen' },
    what: 'Aktion',
    scope: 'Sprachen',
    thisLocale: 'Diese Sprache ({locale})',
    allLocales: 'Alle Sprachen',
    when: 'Datum und Uhrzeit (Luxemburger Zeit)',
    schedule: 'Planen',
    cancel: 'Abbrechen',
    scheduled: 'Geplant: {action}, {when}.',
    cancelled: 'Planung abgebrochen.',
    refused: 'Abgelehnt: {reason}',
    unsaved: 'Speichern Sie den Eintrag, um ihn zu planen.',
    by: 'von {name}',
    all: 'alle Sprachen',
  },
  en: {
    title: 'Schedule',
    upcoming: 'Scheduled',
    none: 'Nothing scheduled.',
    action: { publish: 'Publish', unpublish: 'Unpublish' },
    what: 'Action',
    scope: 'Languages',
    thisLocale: 'This language ({locale})',
    allLocales: 'All languages',
    when: 'Date and time (Luxembourg time)',
    schedule: 'Schedule',
    cancel: 'Cancel',
    scheduled: 'Scheduled: {action}, {when}.',
    cancelled: 'Schedule cancelled.',
    refused: 'Refused: {reason}',
    unsaved: 'Save the entry to schedule it.',
    by: 'by {name}',
    all: 'all languages',
  },
};

interface Schedule {
  id: number;
  action: Action;
  locale: string;
  at: string;
  createdBy: { firstname: string | null; lastname: string | null } | null;
}

const languageOf = (locale: string): Language =>
  (['fr', 'de', 'en'].includes(locale) ? locale : 'fr') as Language;

/** « lundi 14 décembre 2026, 09:00 » in the panel's language, in Luxembourg time. */
export const luxembourgTime = (at: string, language: string) =>
  new Intl.DateTimeFormat(language, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'Europe/Luxembourg',
  }).format(new Date(at));

const reasonOf = (error: unknown) =>
  (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message ?? '';

/** `version` changes with each save or publish of the entry: read again, keeping what is typed. */
function ScheduleContent({
  model,
  documentId,
  locale,
  version,
}: {
  model: string;
  documentId: string;
  locale: string;
  version: string;
}) {
  const intl = useIntl();
  const language = languageOf(intl.locale);
  const texts = TEXTS[language];
  const { get, post, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [schedules, setSchedules] = useState<Schedule[] | null>(null);
  const [mayPublish, setMayPublish] = useState(false);
  const [action, setAction] = useState<Action>('publish');
  const [scope, setScope] = useState<'one' | 'all'>('one');
  const [when, setWhen] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    get<{ data: Schedule[] }>('/admin/schedules', { params: { uid: model, documentId, locale } }).then(
      ({ data }) => setSchedules(data.data),
      () => setSchedules(null),
    );
    // Who may publish the entry schedules it (the review's answer says so).
    get<{ meta: { mayPublish: boolean } }>(`/admin/review/${model}/${documentId}`, {
      params: { locale },
    }).then(
      ({ data }) => setMayPublish(data.meta.mayPublish),
      () => setMayPublish(false),
    );
  }, [documentId, get, locale, model]);
  useEffect(load, [load, version]);

  const refused = (error: unknown) =>
    toggleNotification({
      type: 'danger',
      message: intl.formatMessage(
        { id: 'inter-actions.schedule.refused', defaultMessage: texts.refused },
        { reason: reasonOf(error) },
      ),
    });

  const schedule = async () => {
    setBusy(true);
    try {
      const { data } = await post<{ data: Schedule }>('/admin/schedules', {
        uid: model,
        documentId,
        locale: scope === 'all' ? '*' : locale,
        action,
        at: when,
      });
      toggleNotification({
        type: 'success',
        message: intl.formatMessage(
          { id: 'inter-actions.schedule.done', defaultMessage: texts.scheduled },
          { action: texts.action[action], when: luxembourgTime(data.data.at, language) },
        ),
      });
      setWhen('');
      load();
    } catch (error) {
      refused(error);
    } finally {
      setBusy(false);
    }
  };

  const cancel = async (id: number) => {
    setBusy(true);
    try {
      await del(`/admin/schedules/${id}`);
      toggleNotification({ type: 'success', message: texts.cancelled });
      load();
    } catch (error) {
      refused(error);
    } finally {
      setBusy(false);
    }
  };

  if (!schedules) return null;
  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      <Box>
        <Typography variant="sigma" textColor="neutral600" tag="h3">
          {texts.upcoming}
        </Typography>
        {schedules.length === 0 ? (
          <Typography variant="pi" textColor="neutral600" tag="p">
            {texts.none}
          </Typography>
        ) : (
          <Flex tag="ul" direction="column" alignItems="stretch" gap={2} marginTop={1}>
            {schedules.map((entry) => (
              <Flex tag="li" key={entry.id} justifyContent="space-between" gap={2} data-schedule={entry.id}>
                <Typography variant="pi">
                  <strong>{texts.action[entry.action]}</strong> (
                  {entry.locale === '*' ? texts.all : entry.locale}) — {luxembourgTime(entry.at, language)}
                  {entry.createdBy?.firstname
                    ? ` ${intl.formatMessage({ id: 'inter-actions.schedule.by', defaultMessage: texts.by }, { name: [entry.createdBy.firstname, entry.createdBy.lastname].filter(Boolean).join(' ') })}`
                    : ''}
                </Typography>
                {mayPublish && (
                  <Button variant="danger-light" size="S" disabled={busy} onClick={() => cancel(entry.id)}>
                    {texts.cancel}
                  </Button>
                )}
              </Flex>
            ))}
          </Flex>
        )}
      </Box>
      {mayPublish && (
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Field.Root name="schedule-action">
            <Field.Label>{texts.what}</Field.Label>
            <SingleSelect value={action} onChange={(value: string | number) => setAction(value as Action)}>
              <SingleSelectOption value="publish">{texts.action.publish}</SingleSelectOption>
              <SingleSelectOption value="unpublish">{texts.action.unpublish}</SingleSelectOption>
            </SingleSelect>
          </Field.Root>
          <Field.Root name="schedule-scope">
            <Field.Label>{texts.scope}</Field.Label>
            <SingleSelect
              value={scope}
              onChange={(value: string | number) => setScope(value as 'one' | 'all')}
            >
              <SingleSelectOption value="one">
                {intl.formatMessage(
                  { id: 'inter-actions.schedule.this-locale', defaultMessage: texts.thisLocale },
                  { locale },
                )}
              </SingleSelectOption>
              <SingleSelectOption value="all">{texts.allLocales}</SingleSelectOption>
            </SingleSelect>
          </Field.Root>
          <Field.Root name="schedule-at">
            <Field.Label>{texts.when}</Field.Label>
            <TextInput
              type="datetime-local"
              value={when}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => setWhen(event.target.value)}
            />
          </Field.Root>
          <Button variant="secondary" fullWidth loading={busy} disabled={!when} onClick={schedule}>
            {texts.schedule}
          </Button>
        </Flex>
      )}
    </Flex>
  );
}

/** The panel, for the types with drafts among those staff publish, once the entry exists. */
export function SchedulePanel(props: {
  model: string;
  documentId?: string;
  document?: { locale?: string | null; updatedAt?: string | null; publishedAt?: string | null } | null;
  meta?: unknown;
}) {
  const intl = useIntl();
  const language = languageOf(intl.locale);
  if (!(SCHEDULE_UIDS as readonly string[]).includes(props.model)) return null;
  const locale =
    props.document?.locale ??
    new URLSearchParams(window.location.search).get('plugins[i18n][locale]') ??
    'fr';
  return {
    title: TEXTS[language].title,
    content: props.documentId ? (
      // A publish may have been the scheduled one: read again after each (what is typed stays).
      <ScheduleContent
        key={locale}
        version={`${props.document?.updatedAt ?? ''}|${props.document?.publishedAt ?? ''}`}
        model={props.model}
        documentId={props.documentId}
        locale={locale}
      />
    ) : (
      <Typography variant="pi" textColor="neutral600">
        {TEXTS[language].unsaved}
      </Typography>
    ),
  };
}
