/**
 * « À traduire » (a menu link of the panel): for one locale at a time (German, Luxembourgish,
 * English), the entries whose translation is missing or out of date, oldest French change first,
 * with the fields changed; a click opens the entry in that locale. Read from GET
 * /admin/translations (src/translations), which keeps to what the user may read.
 */
import { useEffect, useState } from 'react';
import { Badge, Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { FIELD_TEXTS } from '../../admin-views/texts';
import { languageOf, STATUS_LABELS } from './translation-panel';

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
  const { get } = useFetchClient();
  const [locale, setLocale] = useState<(typeof LOCALES)[number]>('de');
  const [entries, setEntries] = useState<Entry[] | null>(null);

  useEffect(() => {
    setEntries(null);
    get<{ data: Entry[] }>('/admin/translations', { params: { locale, status: 'missing,outdated' } }).then(
      ({ data }) => setEntries(data.data),
      () => setEntries([]),
    );
  }, [get, locale]);

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
