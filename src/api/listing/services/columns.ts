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
  texts: Texts;
}

const column = <T extends z.ZodType>(schema: T, texts: Texts): Column<T> => ({ schema, texts });

export const COLUMNS = {
  type: column(z.enum(['project', 'service']), {
    en: 'project (a neighbourhood project at a site) or service (a national social service)',
    fr: 'project (projet de quartier sur un site) ou service (service social national)',
    de: 'project (Stadtteilprojekt an einem Standort) oder service (landesweiter Sozialdienst)',
    lb: 'project (Quartiersprojet op engem Site) oder service (nationale Sozialdéngscht)',
  }),
  documentId: column(z.string(), {
    en: 'Stable identifier of the entry: the key to store (the slug may be edited)',
    fr: 'Identifiant stable de l’entrée : la clé à conserver (le slug peut changer)',
    de: 'Dauerhafte Kennung des Eintrags: der zu speichernde Schlüssel (der Slug kann sich ändern)',
    lb: 'Stabill Identifikatioun vum Agrag: de Schlëssel fir ze späicheren (de Slug ka geännert ginn)',
  }),
  slug: column(z.string(), {
    en: 'Short name of the entry in web addresses',
    fr: 'Nom court de l’entrée dans les adresses web',
    de: 'Kurzname des Eintrags in Webadressen',
    lb: 'Kuerznumm vum Agrag an Webadressen',
  }),
  title: column(z.string(), {
    en: 'Name of the project or service, in the language of the row',
    fr: 'Nom du projet ou du service, dans la langue de la ligne',
    de: 'Name des Projekts oder Dienstes, in der Sprache der Zeile',
    lb: 'Numm vum Projet oder vum Déngscht, an der Sprooch vun der Zeil',
  }),
  locale: column(z.string(), {
    en: 'Language of the row (fr when the entry has no translation in the requested language)',
    fr: 'Langue de la ligne (fr quand l’entrée n’est pas traduite dans la langue demandée)',
    de: 'Sprache der Zeile (fr, wenn der Eintrag nicht in die gewünschte Sprache übersetzt ist)',
    lb: 'Sprooch vun der Zeil (fr, wann den Agrag net an déi gefroten Sprooch iwwersat ass)',
  }),
  kind: column(z.enum(KINDS), {
    en: 'Kind of project or theme of service (stable key)',
    fr: 'Type de projet ou thème du service (clé stable)',
    de: 'Projektart oder Thema des Dienstes (fester Schlüssel)',
    lb: 'Zort vu Projet oder Theema vum Déngscht (stabille Schlëssel)',
  }),
  kindLabel: column(z.string(), {
    en: 'The kind or theme, in words, in the requested language',
    fr: 'Le type ou le thème en toutes lettres, dans la langue demandée',
    de: 'Die Art oder das Thema in Worten, in der gewünschten Sprache',
    lb: 'D’Zort oder d’Theema a Wierder, an der gefroter Sprooch',
  }),
  foundedYear: column(z.int(), {
    en: 'Year the project or service began',
    fr: 'Année de création du projet ou du service',
    de: 'Gründungsjahr des Projekts oder Dienstes',
    lb: 'Joer, an deem de Projet oder den Déngscht ugefaang huet',
  }),
  site: column(z.string(), {
    en: 'Name of the site of the project (empty for services)',
    fr: 'Nom du site du projet (vide pour les services)',
    de: 'Name des Standorts des Projekts (leer bei Diensten)',
    lb: 'Numm vum Site vum Projet (eidel bei Déngschter)',
  }),
  commune: column(z.string(), {
    en: 'Commune of the site (empty for services)',
    fr: 'Commune du site (vide pour les services)',
    de: 'Gemeinde des Standorts (leer bei Diensten)',
    lb: 'Gemeng vum Site (eidel bei Déngschter)',
  }),
  funders: column(z.array(z.string()), {
    en: 'Slugs of the funders, in alphabetical order (separated by ; in CSV and XLSX)',
    fr: 'Slugs des financeurs, par ordre alphabétique (séparés par ; en CSV et XLSX)',
    de: 'Slugs der Geldgeber, alphabetisch (in CSV und XLSX durch ; getrennt)',
    lb: 'Slugs vun de Geldgeber, alphabetesch (am CSV an XLSX mat ; getrennt)',
  }),
  updatedAt: column(z.iso.datetime(), {
    en: 'Last change of the published entry (UTC; local time in the Excel formats)',
    fr: 'Dernière modification de l’entrée publiée (UTC ; heure locale dans les formats Excel)',
    de: 'Letzte Änderung des veröffentlichten Eintrags (UTC; Ortszeit in den Excel-Formaten)',
    lb: 'Lescht Ännerung vum publizéierten Agrag (UTC; lokal Zäit an den Excel-Formater)',
  }),
  closedYear: column(z.int().nullable(), {
    en: 'Year the project or service ended (empty while it runs)',
    fr: 'Année de fin du projet ou du service (vide tant qu’il est actif)',
    de: 'Jahr, in dem das Projekt oder der Dienst endete (leer, solange er läuft)',
    lb: 'Joer, an deem de Projet oder den Déngscht opgehalen huet (eidel, soulaang en nach leeft)',
  }),
  siteSlug: column(z.string(), {
    en: 'Slug of the site (empty for services)',
    fr: 'Slug du site (vide pour les services)',
    de: 'Slug des Standorts (leer bei Diensten)',
    lb: 'Slug vum Site (eidel bei Déngschter)',
  }),
  funderNames: column(z.array(z.string()), {
    en: 'Names of the funders, in the order of the funders column',
    fr: 'Noms des financeurs, dans l’ordre de la colonne funders',
    de: 'Namen der Geldgeber, in der Reihenfolge der Spalte funders',
    lb: 'Nimm vun de Geldgeber, an der Reiefolleg vun der Kolonn funders',
  }),
  summary: column(z.string(), {
    en: 'Short description, in the language of the row (may be empty)',
    fr: 'Description courte, dans la langue de la ligne (peut être vide)',
    de: 'Kurzbeschreibung, in der Sprache der Zeile (kann leer sein)',
    lb: 'Kuerz Beschreiwung, an der Sprooch vun der Zeil (ka fehlen)',
  }),
  publicUrl: column(z.string(), {
    en: 'Address of the public page of the entry',
    fr: 'Adresse de la page publique de l’entrée',
    de: 'Adresse der öffentlichen Seite des Eintrags',
    lb: 'Adress vun der ëffentlecher Säit vum Agrag',
  }),
  inferred: column(z.boolean(), {
    en: 'true when some facts were inferred because the source page does not state them',
    fr: 'true quand certaines informations ont été déduites, la page source ne les indiquant pas',
    de: 'true, wenn manche Angaben erschlossen wurden, weil die Quellseite sie nicht nennt',
    lb: 'true, wann eng Angab ofgeleet gouf, well d’Quellsäit se net nennt',
  }),
};

export type ColumnName = keyof typeof COLUMNS;
export const LISTING_COLUMNS = Object.keys(COLUMNS) as ColumnName[];

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
