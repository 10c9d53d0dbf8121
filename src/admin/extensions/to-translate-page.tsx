/**
 * « À traduire » (a menu link of the panel): for one locale at a time (German, Luxembourgish,
 * English), the entries whose translation is missing or out of date, oldest French change first,
 * with the fields changed; a click opens the entry in that locale. Read from GET
 * /admin/translations (src/translations), which keeps to what the user may read.
 *
 * For professional translators: « Télécharger en XLIFF » saves that list as an XLIFF 2.0 file
 * (GET /admin/translations/xliff), « Importer un fichier XLIFF » sends the translated file back
 * (POST, the field `file`) and shows what became a draft, what was skipped and what was refused.
 */
import { useEffect, useRef, useState } from 'react';
import { Badge, Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { FIELD_TEXTS } from '../../admin-views/texts';
import { languageOf, STATUS_LABELS } from './translation-panel';

interface Refused {
  documentId: string | null;
  unit?: string;
  reason: string;
}

interface Entry {
  uid: string;
  documentId: string;
  title: string | null;
  status: 'missing' | 'outdated' | 'current';
  fields: string[];
  sourceUpdatedAt: string;
}

const LOCALES = ['de', 'lb', 'en'] as const;
const TEXTS = {
  fr: {
    title: 'À traduire',
    subtitle:
      'Les traductions manquantes ou à mettre à jour, la plus ancienne modification française d’abord.',
    locales: { de: 'Allemand', lb: 'Luxembourgeois', en: 'Anglais' },
    entry: 'Entrée',
    status: 'État',
    fields: 'Champs modifiés en français',
    since: 'Texte français du',
    none: 'Tout est traduit et à jour dans cette langue.',
    download: 'Télécharger en XLIFF',
    upload: 'Importer un fichier XLIFF',
    nothing: 'Rien à traduire dans cette langue : pas de fichier.',
    report: (updated: number, skipped: number, refused: number) =>
      `${updated} texte(s) enregistré(s) en brouillon, ${skipped} ignoré(s), ${refused} refusé(s).`,
    failed: 'Le fichier n’a pas été lu : ',
  },
  de: {
    title: 'Zu übersetzen',
    subtitle: 'Fehlende oder zu aktualisierende Übersetzungen, die älteste französische Änderung zuerst.',
    locales: { de: 'Deutsch', lb: 'Luxemburgisch', en: 'Englisch' },
    entry: 'Eintrag',
    status: 'Stand',
    fields: 'Auf Französisch geänderte Felder',
    since: 'Französischer Text vom',
    none: 'In dieser Sprache ist alles übersetzt und aktuell.',
    download: 'Als XLIFF herunterladen',
    upload: 'XLIFF-Datei importieren',
    nothing: 'In dieser Sprache gibt es nichts zu übersetzen: keine Datei.',
    report: (updated: number, skipped: number, refused: number) =>
      `${updated} Text(e) als Entwurf gespeichert, ${skipped} übersprungen, ${refused} abgelehnt.`,
    failed: 'Die Datei wurde nicht gelesen: ',
  },
  en: {
    title: 'To translate',
    subtitle: 'Missing or out-of-date translations, the oldest French change first.',
    locales: { de: 'German', lb: 'Luxembourgish', en: 'English' },
    entry: 'Entry',
    status: 'Status',
    fields: 'Fields changed in French',
    since: 'French text of',
    none: 'Everything is translated and up to date in this language.',
    download: 'Download as XLIFF',
    upload: 'Import an XLIFF file',
    nothing: 'Nothing to translate in this language: no file.',
    report: (updated: number, skipped: number, refused: number) =>
      `${updated} text(s) saved as drafts, ${skipped} skipped, ${refused} refused.`,
    failed: 'The file was not read: ',
  },
};

const editPath = (entry: Entry, locale: string) =>
  entry.uid === 'api::organisation.organisation'
    ? `/content-manager/single-types/${entry.uid}?plugins[i18n][locale]=${locale}`
    : `/content-manager/collection-types/${entry.uid}/${entry.documentId}?plugins[i18n][locale]=${locale}`;

export default function ToTranslatePage() {
  const intl = useIntl();
  const language = languageOf(intl.locale);
  const texts = TEXTS[language];
  const { get, post } = useFetchClient();
  const [locale, setLocale] = useState<(typeof LOCALES)[number]>('de');
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [message, setMessage] = useState<{ text: string; refused: Refused[] } | null>(null);
  const [reload, setReload] = useState(0);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setEntries(null);
    get<{ data: Entry[] }>('/admin/translations', { params: { locale, status: 'missing,outdated' } }).then(
      ({ data }) => setEntries(data.data),
      () => setEntries([]),
    );
  }, [get, locale, reload]);

  const download = async () => {
    setMessage(null);
    const answer = await get<Blob>('/admin/translations/xliff', {
      params: { locale, status: 'missing,outdated' },
      responseType: 'blob',
    } as never);
    if (answer.status === 204) return setMessage({ text: texts.nothing, refused: [] });
    const name = /filename="([^"]+)"/.exec(answer.headers?.get('Content-Disposition') ?? '')?.[1];
    const link = document.createElement('a');
    link.href = URL.createObjectURL(answer.data);
    link.download = name ?? `inter-actions-fr-${locale}.xlf`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const upload = async (file: File) => {
    const form = new FormData();
    form.append('file', file);
    try {
      const { data } = await post<{
        data: { refused: Refused[] };
        meta: { updated: number; skipped: number; refused: number };
      }>('/admin/translations/xliff', form);
      setMessage({
        text: texts.report(data.meta.updated, data.meta.skipped, data.meta.refused),
        refused: data.data.refused,
      });
      setReload((count) => count + 1);
    } catch (error) {
      setMessage({ text: texts.failed + (error as Error).message, refused: [] });
    }
  };

  const label = (entry: Entry, field: string) => {
    const text = FIELD_TEXTS[entry.uid]?.[field];
    return text ? String(language === 'fr' ? text.label : (text[language] ?? text.label)) : field;
  };

  return (
    <Page.Main>
      <Page.Title>{texts.title}</Page.Title>
      <Layouts.Header title={texts.title} subtitle={texts.subtitle} />
      <Layouts.Content>
        <Flex gap={2} marginBottom={4} role="group" aria-label={texts.title}>
          {LOCALES.map((code) => (
            <Button
              key={code}
              variant={code === locale ? 'default' : 'tertiary'}
              aria-pressed={code === locale}
              onClick={() => setLocale(code)}
            >
              {texts.locales[code]}
            </Button>
          ))}
        </Flex>
        <Flex gap={2} marginBottom={4}>
          <Button variant="secondary" onClick={() => void download()}>
            {texts.download}
          </Button>
          <Button variant="secondary" onClick={() => fileInput.current?.click()}>
            {texts.upload}
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept=".xlf,.xliff,application/xliff+xml,application/xml,text/xml"
            hidden
            aria-label={texts.upload}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void upload(file);
            }}
          />
        </Flex>
        {message && (
          <Box padding={4} marginBottom={4} background="neutral0" hasRadius role="status" data-xliff-report>
            <Typography>{message.text}</Typography>
            {message.refused.map((item, index) => (
              <Typography key={index} tag="p" variant="pi" textColor="danger600">
                {[item.documentId, item.unit].filter(Boolean).join(' · ')} : {item.reason}
              </Typography>
            ))}
          </Box>
        )}
        {entries === null ? (
          <Page.Loading />
        ) : entries.length === 0 ? (
          <Box padding={4} background="neutral0" hasRadius>
            <Typography>{texts.none}</Typography>
          </Box>
        ) : (
          <Table colCount={4} rowCount={entries.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{texts.entry}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{texts.status}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{texts.fields}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{texts.since}</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {entries.map((entry) => (
                <Tr key={`${entry.uid}|${entry.documentId}`} data-translation={entry.status}>
                  <Td>
                    <Link to={editPath(entry, locale)}>
                      <Typography textColor="primary600">{entry.title ?? entry.documentId}</Typography>
                    </Link>
                  </Td>
                  <Td>
                    <Badge active={entry.status === 'missing'}>{STATUS_LABELS[language][entry.status]}</Badge>
                  </Td>
                  <Td>
                    <Typography variant="pi">
                      {entry.status === 'outdated'
                        ? entry.fields.map((field) => label(entry, field)).join(', ')
                        : '—'}
                    </Typography>
                  </Td>
                  <Td>
                    <Typography variant="pi">
                      {new Intl.DateTimeFormat(intl.locale, {
                        dateStyle: 'medium',
                        timeStyle: 'short',
                      }).format(new Date(entry.sourceUpdatedAt))}
                    </Typography>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
    </Page.Main>
  );
}
