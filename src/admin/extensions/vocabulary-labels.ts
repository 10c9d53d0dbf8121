/**
 * List views show project kinds, service themes and funder kinds by their label ("Maison relais")
 * rather than their key ("maison-relais"), while the API keeps the keys. The labels are content
 * (vocabulary terms, which staff edit); they are read from the public GET /api/vocabulary in the
 * admin language when the panel starts. An enumeration column is matched to its vocabulary by its
 * values, so project and funder `kind` each get their own labels; until the labels have arrived,
 * or for a key without a label, the key is shown. Years (`foundedYear`, `closedYear`) are shown as
 * written, not as numbers with a thousands separator.
 */
type VocabularyLists = Record<string, { key: string; label: string }[]>;

interface Header {
  name: string;
  attribute?: { type?: string; enum?: string[] };
  cellFormatter?: (row: Record<string, unknown>, header: unknown, meta: unknown) => unknown;
}

/** Each vocabulary as key -> label, by admin language. */
const vocabularies = new Map<string, Map<string, string>[]>();

/** A webhook delivery's outcome (not a vocabulary: the server's states), in each admin language. */
export const DELIVERY_OUTCOMES: Record<string, Record<'fr' | 'de' | 'en', string>> = {
  pending: { fr: 'En attente', de: 'Ausstehend', en: 'Pending' },
  delivered: { fr: 'Livrée', de: 'Zugestellt', en: 'Delivered' },
  retrying: { fr: 'Nouvel essai prévu', de: 'Neuer Versuch geplant', en: 'Retrying' },
  rejected: { fr: 'Refusée', de: 'Abgelehnt', en: 'Rejected' },
  abandoned: { fr: 'Abandonnée', de: 'Aufgegeben', en: 'Abandoned' },
};

/**
 * Loads the labels in every admin language when the panel starts (before login the user's
 * language is not known yet, and it may change on the profile page).
 */
export function loadVocabularyLabels(backendUrl: string, languages: readonly string[]): void {
  for (const language of languages)
    fetch(`${backendUrl}/api/vocabulary?locale=${encodeURIComponent(language)}`)
      .then((response) => (response.ok ? response.json() : null))
      .then((body: { data?: VocabularyLists } | null) => {
        if (!body?.data) return;
        vocabularies.set(
          language,
          Object.values(body.data).map((list) => new Map(list.map(({ key, label }) => [key, label]))),
        );
      })
      .catch(() => undefined);
}

/** The panel's language now (Strapi keeps the user's choice there once logged in). */
const currentLanguage = () => window.localStorage.getItem('strapi-admin-language') ?? 'fr';

/** The vocabulary whose keys are exactly the enumeration's values, in the panel's language. */
const vocabularyFor = (values: string[]) => {
  const language = currentLanguage();
  if (values.every((value) => value in DELIVERY_OUTCOMES)) {
    const key = (language in DELIVERY_OUTCOMES.pending ? language : 'en') as 'fr' | 'de' | 'en';
    return new Map(values.map((value) => [value, DELIVERY_OUTCOMES[value][key]]));
  }
  return (vocabularies.get(language) ?? vocabularies.get('fr') ?? []).find(
    (vocabulary) => vocabulary.size === values.length && values.every((value) => vocabulary.has(value)),
  );
};

/** The content manager's `Admin/CM/pages/ListView/inject-column-in-table` hook. */
export function labelEnumerationColumns<T extends { displayedHeaders: Header[] }>(args: T): T {
  return {
    ...args,
    displayedHeaders: args.displayedHeaders.map((header) => {
      // Years as written (2013), not as numbers formatted for the language ("2 013").
      if (header.attribute?.type === 'integer' && /Year$/.test(header.name) && !header.cellFormatter)
        return {
          ...header,
          cellFormatter: (row: Record<string, unknown>) =>
            row[header.name] == null ? '-' : String(row[header.name]),
        };
      const values = header.attribute?.type === 'enumeration' ? header.attribute.enum : undefined;
      if (!values || header.cellFormatter) return header;
      return {
        ...header,
        cellFormatter: (row: Record<string, unknown>) => {
          const key = row[header.name];
          if (typeof key !== 'string') return '-';
          return vocabularyFor(values)?.get(key) ?? key;
        },
      };
    }),
  };
}
