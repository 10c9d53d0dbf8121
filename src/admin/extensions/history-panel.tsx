/**
 * « Historique »: a side panel of the edit view (the Content Manager's `addEditViewSidePanel`)
 * listing the versions of the entry in the locale shown, newest first (GET /admin/history/...,
 * src/history/routes.ts). A version opens in a dialog, field by field beside the current draft,
 * the fields that differ marked; « Restaurer » makes it the new draft (never published) and
 * reloads the entry. The server judges the rights: a refusal is said in a notification.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  Badge,
  Box,
  Button,
  Flex,
  Modal,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { isHistoryUid } from '../../history/uids';
import { FIELD_TEXTS } from '../../admin-views/texts';

const RESTORED_KEY = 'inter-actions.history.restored';

type Language = 'fr' | 'de' | 'en';
const TEXTS = {
  fr: {
    title: 'Historique',
    empty: 'Aucune version enregistrée dans cette langue.',
    unsaved: 'Enregistrez l’entrée pour commencer son historique.',
    more: 'Versions plus anciennes',
    open: 'Voir la version du {date}',
    version: 'Version du {date}',
    by: 'par {name}',
    api: 'l’API',
    script: 'un script',
    field: 'Champ',
    thisVersion: 'Cette version',
    current: 'Dernière version',
    changed: 'différent',
    changedFields:
      '{count, plural, =0 {aucun champ modifié} one {# champ modifié} other {# champs modifiés}}',
    restore: 'Restaurer',
    restoreHint: 'Cette version devient le brouillon ; rien n’est publié.',
    close: 'Fermer',
    restored: 'Version restaurée : c’est maintenant le brouillon (non publié).',
    skipped: 'Non restauré : {items}.',
    forbidden: 'Vous ne pouvez pas restaurer cette version.',
    failed: 'La version n’a pas pu être restaurée.',
    status: { draft: 'Brouillon', modified: 'Modifié', published: 'Publié', deleted: 'Supprimé' },
  },
  de: {
    title: 'Verlauf',
    empty: 'In dieser Sprache wurde noch keine Version gespeichert.',
    unsaved: 'Speichern Sie den Eintrag, um seinen Verlauf zu beginnen.',
    more: 'Ältere Versionen',
    open: 'Version vom {date} ansehen',
    version: 'Version vom {date}',
    by: 'von {name}',
    api: 'der API',
    script: 'einem Skript',
    field: 'Feld',
    thisVersion: 'Diese Version',
    current: 'Letzte Version',
    changed: 'anders',
    changedFields: '{count, plural, =0 {kein Feld geändert} one {# Feld geändert} other {# Felder geändert}}',
    restore: 'Wiederherstellen',
    restoreHint: 'Diese Version wird zum Entwurf; nichts wird veröffentlicht.',
    close: 'Schließen',
    restored: 'Version wiederhergestellt: Sie ist jetzt der Entwurf (nicht veröffentlicht).',
    skipped: 'Nicht wiederhergestellt: {items}.',
    forbidden: 'Sie dürfen diese Version nicht wiederherstellen.',
    failed: 'Die Version konnte nicht wiederhergestellt werden.',
    status: { draft: 'Entwurf', modified: 'Geändert', published: 'Veröffentlicht', deleted: 'Gelöscht' },
  },
  en: {
    title: 'History',
    empty: 'No version saved in this locale yet.',
    unsaved: 'Save the entry to start its history.',
    more: 'Older versions',
    open: 'Open the version of {date}',
    version: 'Version of {date}',
    by: 'by {name}',
    api: 'the API',
    script: 'a script',
    field: 'Field',
    thisVersion: 'This version',
    current: 'Latest version',
    changed: 'differs',
    changedFields: '{count, plural, =0 {no field changed} one {# field changed} other {# fields changed}}',
    restore: 'Restore',
    restoreHint: 'This version becomes the draft; nothing is published.',
    close: 'Close',
    restored: 'Version restored: it is now the draft (not published).',
    skipped: 'Not restored: {items}.',
    forbidden: 'You may not restore this version.',
    failed: 'The version could not be restored.',
    status: { draft: 'Draft', modified: 'Modified', published: 'Published', deleted: 'Deleted' },
  },
};

interface Listed {
  id: number;
  createdAt: string;
  status: 'draft' | 'modified' | 'published' | 'deleted';
  author: { id: number; firstname: string | null; lastname: string | null } | null;
  source: 'admin' | 'content-api' | 'script';
  changedFields: string[];
}
interface Shown {
  data: Record<string, unknown>;
  meta: { labels: Record<string, string>; changedFields: string[] };
}

function useTexts() {
  const intl = useIntl();
  const language = (['fr', 'de', 'en'].includes(intl.locale) ? intl.locale : 'fr') as Language;
  const texts = TEXTS[language];
  const format = (message: string, values: Record<string, string | number> = {}) =>
    intl.formatMessage({ id: `inter-actions.history.${message}`, defaultMessage: message }, values);
  const date = (iso: string) =>
    new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : `${language}-LU`, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Europe/Luxembourg',
    }).format(new Date(iso));
  /** A field by its label in the panel's language, as the edit view names it. */
  const label = (model: string, field: string) => {
    const text = FIELD_TEXTS[model]?.[field];
    return (language === 'fr' ? text?.label : text?.[language]) ?? field;
  };
  return { texts, format, date, label };
}

/** A value as staff read it: linked entries and files by their names. */
function readable(value: unknown, labels: Record<string, string>): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value))
    return value.length === 0 ? '—' : value.map((item) => readable(item, labels)).join(', ');
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key} : ${readable(inner, labels)}`)
      .join(' · ');
  const text = String(value);
  return labels[text] ?? labels[`file:${text}`] ?? text;
}

function VersionDialog({
  model,
  documentId,
  locale,
  version,
  latest,
  onClose,
}: {
  model: string;
  documentId: string;
  locale: string;
  version: Listed;
  latest: Listed;
  onClose: () => void;
}) {
  const { texts, format, date, label } = useTexts();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [shown, setShown] = useState<{ version: Shown; latest: Shown } | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/admin/history/${model}/${documentId}`;

  useEffect(() => {
    let live = true;
    Promise.all([
      get<Shown>(`${base}/${version.id}`, { params: { locale } }),
      get<Shown>(`${base}/${latest.id}`, { params: { locale } }),
    ]).then(
      ([one, last]) => live && setShown({ version: one.data, latest: last.data }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [base, get, latest.id, locale, version.id]);

  const restore = async () => {
    setBusy(true);
    try {
      const { data } = await post<{ meta: { skipped: { label: string }[]; notRestored: string[] } }>(
        `${base}/${version.id}/restore?locale=${encodeURIComponent(locale)}`,
      );
      const left = [...data.meta.skipped.map((item) => item.label), ...data.meta.notRestored];
      const message =
        left.length > 0
          ? `${texts.restored} ${format(texts.skipped, { items: left.join(', ') })}`
          : texts.restored;
      // The form holds the values it loaded: the page loads the restored draft, then says so.
      window.sessionStorage.setItem(RESTORED_KEY, message);
      window.location.reload();
    } catch (error) {
      const status = (error as { status?: number; response?: { status?: number } }).response?.status;
      toggleNotification({ type: 'danger', message: status === 403 ? texts.forbidden : texts.failed });
      setBusy(false);
    }
  };

  // In the order of the edit view's fields (the stored order is the database's).
  const order = Object.keys(FIELD_TEXTS[model] ?? {});
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const fields = shown
    ? Object.keys({ ...shown.latest.data, ...shown.version.data }).sort((a, b) => rank(a) - rank(b))
    : [];
  const labels = shown ? { ...shown.latest.meta.labels, ...shown.version.meta.labels } : {};
  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{format(texts.version, { date: date(version.createdAt) })}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Table colCount={3} rowCount={fields.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{texts.field}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{texts.thisVersion}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{texts.current}</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {shown &&
                fields.map((field) => {
                  const differs =
                    JSON.stringify(shown.version.data[field] ?? null) !==
                    JSON.stringify(shown.latest.data[field] ?? null);
                  return (
                    <Tr key={field} data-field={field} data-differs={differs ? 'true' : 'false'}>
                      <Td>
                        <Flex gap={2}>
                          <Typography fontWeight={differs ? 'bold' : undefined}>
                            {label(model, field)}
                          </Typography>
                          {differs && <Badge>{texts.changed}</Badge>}
                        </Flex>
                      </Td>
                      <Td style={{ whiteSpace: 'normal' }}>
                        <Typography>{readable(shown.version.data[field], labels)}</Typography>
                      </Td>
                      <Td style={{ whiteSpace: 'normal' }}>
                        <Typography>{readable(shown.latest.data[field], labels)}</Typography>
                      </Td>
                    </Tr>
                  );
                })}
            </Tbody>
          </Table>
          <Box paddingTop={3}>
            <Typography variant="pi" textColor="neutral600">
              {texts.restoreHint}
            </Typography>
          </Box>
        </Modal.Body>
        <Modal.Footer>
          <Button variant="tertiary" onClick={onClose}>
            {texts.close}
          </Button>
          <Button loading={busy} disabled={!shown || version.id === latest.id} onClick={restore}>
            {texts.restore}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
}

function HistoryList({ model, documentId, locale }: { model: string; documentId: string; locale: string }) {
  const { texts, format, date } = useTexts();
  const { get } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [versions, setVersions] = useState<Listed[] | null>(null);
  const [pageSize, setPageSize] = useState(5);
  const [total, setTotal] = useState(0);
  const [open, setOpen] = useState<Listed | null>(null);

  const load = useCallback(() => {
    get<{ data: Listed[]; meta: { pagination: { total: number } } }>(
      `/admin/history/${model}/${documentId}`,
      {
        params: { locale, pageSize },
      },
    ).then(
      ({ data }) => {
        setVersions(data.data);
        setTotal(data.meta.pagination.total);
      },
      () => setVersions([]),
    );
  }, [documentId, get, locale, model, pageSize]);

  useEffect(load, [load]);
  useEffect(() => {
    const message = window.sessionStorage.getItem(RESTORED_KEY);
    if (message) {
      window.sessionStorage.removeItem(RESTORED_KEY);
      toggleNotification({ type: 'success', message });
    }
  }, [toggleNotification]);

  if (versions === null) return null;
  if (versions.length === 0)
    return (
      <Typography variant="pi" textColor="neutral600">
        {texts.empty}
      </Typography>
    );
  const who = (version: Listed) =>
    version.author
      ? [version.author.firstname, version.author.lastname].filter(Boolean).join(' ')
      : version.source === 'script'
        ? texts.script
        : texts.api;
  return (
    <Flex direction="column" alignItems="stretch" gap={2} width="100%">
      {versions.map((version) => (
        <Button
          key={version.id}
          variant="tertiary"
          fullWidth
          aria-label={format(texts.open, { date: date(version.createdAt) })}
          onClick={() => setOpen(version)}
          style={{ height: 'auto', justifyContent: 'flex-start', textAlign: 'left' }}
        >
          <Flex direction="column" alignItems="flex-start" gap={1} paddingTop={1} paddingBottom={1}>
            <Typography fontWeight="bold">{date(version.createdAt)}</Typography>
            <Badge>{texts.status[version.status]}</Badge>
            <Typography variant="pi" textColor="neutral600">
              {format(texts.by, { name: who(version) })} ·{' '}
              {format(texts.changedFields, { count: version.changedFields.length })}
            </Typography>
          </Flex>
        </Button>
      ))}
      {total > versions.length && (
        <Button variant="ghost" onClick={() => setPageSize((size) => size + 10)}>
          {texts.more}
        </Button>
      )}
      {open && (
        <VersionDialog
          model={model}
          documentId={documentId}
          locale={locale}
          version={open}
          latest={versions[0]}
          onClose={() => setOpen(null)}
        />
      )}
    </Flex>
  );
}

/** The panel, for the types with a history, once the entry exists. */
export function HistoryPanel(props: {
  model: string;
  documentId?: string;
  document?: { locale?: string | null; updatedAt?: string | null } | null;
}) {
  const { texts } = useTexts();
  if (!isHistoryUid(props.model)) return null;
  const locale =
    props.document?.locale ??
    new URLSearchParams(window.location.search).get('plugins[i18n][locale]') ??
    'fr';
  return {
    title: texts.title,
    content: props.documentId ? (
      // A save gives the document a new updatedAt: the list is read again.
      <HistoryList
        key={`${locale}|${props.document?.updatedAt ?? ''}`}
        model={props.model}
        documentId={props.documentId}
        locale={locale}
      />
    ) : (
      <Typography variant="pi" textColor="neutral600">
        {texts.unsaved}
      </Typography>
    ),
  };
}
