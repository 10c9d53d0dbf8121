/**
 * The columns of a listing row, each described once: its zod type (the JSON row, the CSV and XLSX
 * columns and the OpenAPI schema come from it) and what it means in the four locales (the XLSX
 * "columns" sheet, the OpenAPI description in English, the partner guides' column tables).
 *
 * The order is the CSV's: new columns are appended, never inserted, so that partners' imports
 * that read columns by position keep working.
 */
import { z } from 'zod';
import type { LocaleCode } from '../../../bootstrap/locales';
import { PROJECT_KINDS, SERVICE_THEMES } from '../../../vocabulary/labels';

export const KINDS = [...Object.keys(PROJECT_KINDS), ...Object.keys(SERVICE_THEMES)] as [string, ...string[]];

type Texts = Record<LocaleCode, string>;
interface Column<T extends z.ZodType = z.ZodType> {
  schema: T;
  /** What the column means (the « Colonnes » sheet, the OpenAPI description, the guides). */
  texts: Texts;
  /** Its name for people: the workbook's header row (the CSV and JSON keep the keys). */
  titles: Texts;
}

const column = <T extends z.ZodType>(schema: T, texts: Texts, titles: Texts): Column<T> => ({
  schema,
  texts,
  titles,
});

export const COLUMNS = {
  type: column(
    z.enum(['project', 'service']),
    {
      en: 'project (a neighbourhood project at a site) or service (a national social service)',
      fr: 'project (projet de quartier dans un lieu) ou service (projet social d’envergure nationale)',
      de: 'project (Stadtteilprojekt an einem Standort) oder service (landesweiter Sozialdienst)',
      lb: 'project (Quartiersprojet op engem Site) oder service (soziale Service op nationalem Plang)',
    },
    {
      en: 'Project or service',
      fr: 'Projet ou service',
      de: 'Projekt oder Dienst',
      lb: 'Projet oder Service',
    },
  ),
  documentId: column(
    z.string(),
    {
      en: 'Stable identifier of the entry: the key to store (the slug may be edited)',
      fr: 'Identifiant stable de l’entrée : la clé à conserver (le slug peut changer)',
      de: 'Dauerhafte Kennung des Eintrags: der zu speichernde Schlüssel (der Slug kann sich ändern)',
      lb: 'Stabill Identifikatioun vum Agrag: de Schlëssel fir ze späicheren (de Slug ka geännert ginn)',
    },
    {
      en: 'Identifier',
      fr: 'Identifiant',
      de: 'Kennung',
      lb: 'Identifikatioun',
    },
  ),
  slug: column(
    z.string(),
    {
      en: 'Short name of the entry in web addresses',
      fr: 'Nom court de l’entrée dans les adresses web',
      de: 'Kurzname des Eintrags in Webadressen',
      lb: 'Kuerznumm vum Agrag a Webadressen',
    },
    {
      en: 'Short name (web address)',
      fr: 'Nom court (adresse web)',
      de: 'Kurzname (Webadresse)',
      lb: 'Kuerznumm (Webadress)',
    },
  ),
  title: column(
    z.string(),
    {
      en: 'Name of the project or service, in the language of the row',
      fr: 'Nom du projet ou du service, dans la langue de la ligne',
      de: 'Name des Projekts oder Dienstes, in der Sprache der Zeile',
      lb: 'Numm vum Projet oder vum Service, an der Sprooch vun der Zeil',
    },
    {
      en: 'Name',
      fr: 'Nom',
      de: 'Name',
      lb: 'Numm',
    },
  ),
  locale: column(
    z.string(),
    {
      en: 'Language of the row (fr when the entry has no translation in the requested language)',
      fr: 'Langue de la ligne (fr quand l’entrée n’est pas traduite dans la langue demandée)',
      de: 'Sprache der Zeile (fr, wenn der Eintrag nicht in die gewünschte Sprache übersetzt ist)',
      lb: 'Sprooch vun der Zeil (fr, wann den Agrag net an déi gefrot Sprooch iwwersat ass)',
    },
    {
      en: 'Language',
      fr: 'Langue',
      de: 'Sprache',
      lb: 'Sprooch',
    },
  ),
  kind: column(
    z.enum(KINDS),
    {
      en: 'Kind of project or theme of service (stable key)',
      fr: 'Type de projet ou thème du service (clé stable)',
      de: 'Projektart oder Thema des Dienstes (fester Schlüssel)',
      lb: 'Zort vu Projet oder Theema vum Service (stabille Schlëssel)',
    },
    {
      en: 'Kind (key)',
      fr: 'Type (clé)',
      de: 'Art (Schlüssel)',
      lb: 'Zort (Schlëssel)',
    },
  ),
  kindLabel: column(
    z.string(),
    {
      en: 'The kind or theme, in words, in the requested language',
      fr: 'Le type ou le thème en toutes lettres, dans la langue demandée',
      de: 'Die Art oder das Thema in Worten, in der gewünschten Sprache',
      lb: 'D’Zort oder d’Theema a Wierder, an der gefroter Sprooch',
    },
    {
      en: 'Kind',
      fr: 'Type',
      de: 'Art',
      lb: 'Zort',
    },
  ),
  foundedYear: column(
    z.int(),
    {
      en: 'Year the project or service began',
      fr: 'Année de création du projet ou du service',
      de: 'Gründungsjahr des Projekts oder Dienstes',
      lb: 'Joer, an deem de Projet oder de Service ugefaang huet',
    },
    {
      en: 'Year founded',
      fr: 'Année de création',
      de: 'Gründungsjahr',
      lb: 'Grënnungsjoer',
    },
  ),
  site: column(
    z.string(),
    {
      en: 'Name of the site of the project (empty for services)',
      fr: 'Nom du lieu du projet (vide pour les services)',
      de: 'Name des Standorts des Projekts (leer bei Diensten)',
      lb: 'Numm vum Site vum Projet (eidel bei Servicer)',
    },
    {
      en: 'Site',
      fr: 'Lieu',
      de: 'Standort',
      lb: 'Site',
    },
  ),
  commune: column(
    z.string(),
    {
      en: 'Municipality (commune) of the site (empty for services)',
      fr: 'Commune du lieu (vide pour les services)',
      de: 'Gemeinde des Standorts (leer bei Diensten)',
      lb: 'Gemeng vum Site (eidel bei Servicer)',
    },
    {
      en: 'Municipality',
      fr: 'Commune',
      de: 'Gemeinde',
      lb: 'Gemeng',
    },
  ),
  funders: column(
    z.array(z.string()),
    {
      en: 'Slugs of the funders, in alphabetical order (separated by ; in CSV and XLSX)',
      fr: 'Slugs des financeurs, par ordre alphabétique (séparés par ; en CSV et XLSX)',
      de: 'Slugs der Geldgeber, alphabetisch (in CSV und XLSX durch ; getrennt)',
      lb: 'Slugs vun de Geldgeber, alphabetesch (am CSV an XLSX mat ; getrennt)',
    },
    {
      en: 'Funders (short names)',
      fr: 'Financeurs (noms courts)',
      de: 'Geldgeber (Kurznamen)',
      lb: 'Geldgeber (Kuerznimm)',
    },
  ),
  updatedAt: column(
    z.iso.datetime(),
    {
      en: 'Last change of the published entry (UTC; local time in the Excel formats)',
      fr: 'Dernière modification de l’entrée publiée (UTC ; heure locale dans les formats Excel)',
      de: 'Letzte Änderung des veröffentlichten Eintrags (UTC; Ortszeit in den Excel-Formaten)',
      lb: 'Lescht Ännerung vum publizéierten Agrag (UTC; lokal Zäit an den Excel-Formater)',
    },
    {
      en: 'Last change',
      fr: 'Dernière modification',
      de: 'Letzte Änderung',
      lb: 'Lescht Ännerung',
    },
  ),
  closedYear: column(
    z.int().nullable(),
    {
      en: 'Year the project or service ended (empty while it runs)',
      fr: 'Année de fin du projet ou du service (vide tant qu’il est actif)',
      de: 'Jahr, in dem das Projekt oder der Dienst endete (leer, solange es noch nicht beendet ist)',
      lb: 'Joer, an deem de Projet oder de Service opgehalen huet (eidel, soulaang en nach leeft)',
    },
    {
      en: 'Year ended',
      fr: 'Année de fin',
      de: 'Endjahr',
      lb: 'Joer vum Enn',
    },
  ),
  siteSlug: column(
    z.string(),
    {
      en: 'Slug of the site (empty for services)',
      fr: 'Slug du lieu (vide pour les services)',
      de: 'Slug des Standorts (leer bei Diensten)',
      lb: 'Slug vum Site (eidel bei Servicer)',
    },
    {
      en: 'Site (short name)',
      fr: 'Lieu (nom court)',
      de: 'Standort (Kurzname)',
      lb: 'Site (Kuerznumm)',
    },
  ),
  funderNames: column(
    z.array(z.string()),
    {
      en: 'Names of the funders, in the order of the funders column',
      fr: 'Noms des financeurs, dans l’ordre de la colonne funders',
      de: 'Namen der Geldgeber, in der Reihenfolge der Spalte funders',
      lb: 'Nimm vun de Geldgeber, an der Reiefolleg vun der Kolonn funders',
    },
    {
      en: 'Funders',
      fr: 'Financeurs',
      de: 'Geldgeber',
      lb: 'Geldgeber',
    },
  ),
  summary: column(
    z.string(),
    {
      en: 'Short description, in the language of the row (may be empty)',
      fr: 'Description courte, dans la langue de la ligne (peut être vide)',
      de: 'Kurzbeschreibung, in der Sprache der Zeile (kann leer sein)',
      lb: 'Kuerz Beschreiwung, an der Sprooch vun der Zeil (ka eidel sinn)',
    },
    {
      en: 'Summary',
      fr: 'Résumé',
      de: 'Zusammenfassung',
      lb: 'Resumé',
    },
  ),
  publicUrl: column(
    z.string(),
    {
      en: 'Address of the public page of the entry',
      fr: 'Adresse de la page publique de l’entrée',
      de: 'Adresse der öffentlichen Seite des Eintrags',
      lb: 'Adress vun der ëffentlecher Säit vum Agrag',
    },
    {
      en: 'Public page',
      fr: 'Page publique',
      de: 'Öffentliche Seite',
      lb: 'Ëffentlech Säit',
    },
  ),
  inferred: column(
    z.boolean(),
    {
      en: 'Whether some facts were inferred because the source page does not state them (true or false in CSV and JSON, Yes or No in the workbook)',
      fr: 'Si certaines informations ont été déduites, la page source ne les indiquant pas (true ou false en CSV et JSON, Oui ou Non dans le classeur)',
      de: 'Ob manche Angaben erschlossen wurden, weil die Quellseite sie nicht nennt (true oder false in CSV und JSON, Ja oder Nein in der Arbeitsmappe)',
      lb: 'Ob eng Angab ofgeleet gouf, well d’Quellsäit se net nennt (true oder false am CSV an am JSON, Jo oder Nee an der Excel-Datei)',
    },
    {
      en: 'Inferred',
      fr: 'Déduit',
      de: 'Erschlossen',
      lb: 'Ofgeleet',
    },
  ),
};

export type ColumnName = keyof typeof COLUMNS;
export const LISTING_COLUMNS = Object.keys(COLUMNS) as ColumnName[];

/** The column's name for people, in `locale` (English for a locale added in the admin panel). */
export const columnTitle = (name: ColumnName, locale: string): string =>
  (COLUMNS[name].titles as Record<string, string>)[locale] ?? COLUMNS[name].titles.en;

/** `true` and `false` as a workbook reader reads them, in `locale`. */
export const YES_NO: Record<string, [string, string]> = {
  fr: ['Oui', 'Non'],
  de: ['Ja', 'Nein'],
  lb: ['Jo', 'Nee'],
  en: ['Yes', 'No'],
};

/** What `name` means, in `locale` (English for a locale added in the admin panel). */
export const describeColumn = (name: ColumnName, locale: string): string =>
  (COLUMNS[name].texts as Record<string, string>)[locale] ?? COLUMNS[name].texts.en;

type Shape = { [K in ColumnName]: (typeof COLUMNS)[K]['schema'] };

/** The row's zod object, each field described in English (the OpenAPI schema's descriptions). */
export const listingRow = z.object(
  Object.fromEntries(
    LISTING_COLUMNS.map((name) => [name, COLUMNS[name].schema.describe(COLUMNS[name].texts.en)]),
  ) as Shape,
);

export type ListingRow = z.infer<typeof listingRow>;

type JsonType = { type?: string; items?: JsonType; anyOf?: JsonType[] };
const typeName = (schema: JsonType): string =>
  schema.anyOf
    ? schema.anyOf.map(typeName).join(' or ')
    : schema.type === 'array'
      ? `list of ${typeName(schema.items ?? {})}s`
      : (schema.type ?? 'string');

/** The partner guide's table of the columns (tests/listing-formats.test.ts keeps docs/partners.en.md in step). */
export const columnTable = (): string =>
  [
    '| column | type | meaning |',
    '|---|---|---|',
    ...LISTING_COLUMNS.map(
      (name) =>
        `| \`${name}\` | ${typeName(z.toJSONSchema(COLUMNS[name].schema) as JsonType)} | ${COLUMNS[name].texts.en} |`,
    ),
  ].join('\n');
