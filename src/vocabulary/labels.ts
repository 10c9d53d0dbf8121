/**
 * Labels of the enumeration keys, in the four locales of src/bootstrap/locales.ts. Keys are stable
 * English identifiers. A locale added in the admin panel gets the default locale's labels until
 * it is added here.
 */
import { DEFAULT_LOCALE, type LocaleCode } from '../bootstrap/locales';

type Labels = Record<string, Record<LocaleCode, string>>;

export const PROJECT_KINDS: Labels = {
  'community-work': {
    fr: 'Travail communautaire',
    de: 'Gemeinwesenarbeit',
    lb: 'Gemeinwiesenaarbecht',
    en: 'Community work',
  },
  'youth-house': { fr: 'Maison des jeunes', de: 'Jugendhaus', lb: 'Jugendhaus', en: 'Youth centre' },
  'day-care': { fr: 'Foyer de jour', de: 'Kindertagesstätte', lb: 'Dagesfoyer', en: 'Day-care centre' },
  'maison-relais': {
    fr: 'Maison relais',
    de: 'Maison Relais',
    lb: 'Maison Relais',
    en: 'After-school care centre',
  },
  childcare: { fr: 'Garde d’enfants', de: 'Kinderbetreuung', lb: 'Kannerbetreiung', en: 'Childcare' },
  'street-work': {
    fr: 'Travail de rue',
    de: 'Straßensozialarbeit',
    lb: 'Streetwork',
    en: 'Street work',
  },
  'street-sport': { fr: 'Sport de rue', de: 'Straßensport', lb: 'Stroossesport', en: 'Street sport' },
  'violence-prevention': {
    fr: 'Prévention de la violence',
    de: 'Gewaltprävention',
    lb: 'Gewaltpreventioun',
    en: 'Violence prevention',
  },
  'field-coordination': {
    fr: 'Coordination de terrain',
    de: 'Koordination vor Ort',
    lb: 'Terrainskoordinatioun',
    en: 'Field coordination',
  },
  'first-contact': { fr: 'Premier contact', de: 'Erstkontakt', lb: 'Éischte Kontakt', en: 'First contact' },
  'urban-renewal': {
    fr: 'Assainissement urbain',
    de: 'Stadtsanierung',
    lb: 'Stadsanéierung',
    en: 'Urban renewal',
  },
};

export const SERVICE_THEMES: Labels = {
  'work-initiation': {
    fr: 'Initiation au travail',
    de: 'Einführung in die Arbeitswelt',
    lb: 'Aféierung an d’Aarbechtswelt',
    en: 'Introduction to work',
  },
  'job-coaching': {
    fr: 'Accompagnement et coaching pour le travail',
    de: 'Arbeitsbegleitung und Coaching',
    lb: 'Begleedung a Coaching fir d’Aarbecht',
    en: 'Job coaching',
  },
  'debt-counselling': {
    fr: 'Conseil en matière de surendettement',
    de: 'Schuldnerberatung',
    lb: 'Scholdeberodung',
    en: 'Debt counselling',
  },
  'budget-management': {
    fr: 'Suivi financier',
    de: 'Budgetbegleitung',
    lb: 'Budgetsbegleedung',
    en: 'Budget management',
  },
  'emergency-housing': {
    fr: 'Hébergement d’urgence',
    de: 'Notunterkunft',
    lb: 'Noutënnerkonft',
    en: 'Emergency housing',
  },
};

export const FUNDER_KINDS: Labels = {
  ministry: { fr: 'Ministère', de: 'Ministerium', lb: 'Ministère', en: 'Ministry' },
  'european-union': {
    fr: 'Union européenne',
    de: 'Europäische Union',
    lb: 'Europäesch Unioun',
    en: 'European Union',
  },
  foundation: { fr: 'Fondation', de: 'Stiftung', lb: 'Fondatioun', en: 'Foundation' },
  'public-body': {
    fr: 'Établissement public',
    de: 'Öffentliche Einrichtung',
    lb: 'Ëffentlech Institutioun',
    en: 'Public body',
  },
  commune: { fr: 'Commune', de: 'Gemeinde', lb: 'Gemeng', en: 'Municipality' },
};

/** Which vocabulary labels which schema enumeration: checked against the schemas by a test. */
export const VOCABULARIES = {
  projectKinds: { labels: PROJECT_KINDS, uid: 'api::project.project', attribute: 'kind' },
  serviceThemes: { labels: SERVICE_THEMES, uid: 'api::service.service', attribute: 'theme' },
  funderKinds: { labels: FUNDER_KINDS, uid: 'api::funder.funder', attribute: 'kind' },
} as const;

export type VocabularyName = keyof typeof VOCABULARIES;

/** The label in `locale`, else in the default locale (a locale these tables do not have yet). */
const inLocale = (byLocale: Record<LocaleCode, string>, locale: string): string =>
  byLocale[locale as LocaleCode] ?? byLocale[DEFAULT_LOCALE];

export function labelsIn(locale: string): Record<VocabularyName, { key: string; label: string }[]> {
  const entries = Object.entries(VOCABULARIES).map(([name, { labels }]) => [
    name,
    Object.entries(labels).map(([key, byLocale]) => ({ key, label: inLocale(byLocale, locale) })),
  ]);
  return Object.fromEntries(entries);
}

export const labelOf = (labels: Labels, key: string, locale: string): string =>
  labels[key] ? inLocale(labels[key], locale) : key;
