/**
 * The association's open data as a DCAT-AP 3.0 catalogue (https://semiceu.github.io/DCAT-AP/),
 * which data.public.lu (udata) harvests: the catalogue, one dataset per listing (projects and
 * services; sites; funders), one distribution per format and locale, and the REST API as a
 * dcat:DataService. Built as an RDF graph with rdflib and serialized by it (JSON-LD, Turtle,
 * RDF/XML): no RDF is written by hand.
 *
 * Every node is an IRI, never a blank node: rdflib's RDF/XML serializer writes a typed blank node
 * as an empty property element (a different graph), and IRIs under the catalogue's own URL
 * (`…/api/catalog#dataset-projects`) let a harvester recognise a dataset from one harvest to the
 * next. Controlled vocabularies are the EU authority tables (publications.europa.eu) that
 * DCAT-AP recommends; each node that the shapes give a class to is stated with that class.
 */
import { graph, lit, Namespace, serialize, sym, type IndexedFormula } from 'rdflib';
import type { NamedNode as Iri } from 'rdflib/lib/tf-types';
import type { DataLicense } from '../utils/data-license';
import type { CatalogFacts, DatasetKey, Period } from './facts';

const RDF = Namespace('http://www.w3.org/1999/02/22-rdf-syntax-ns#');
const RDFS = Namespace('http://www.w3.org/2000/01/rdf-schema#');
const DCAT = Namespace('http://www.w3.org/ns/dcat#');
const DCT = Namespace('http://purl.org/dc/terms/');
const FOAF = Namespace('http://xmlns.com/foaf/0.1/');
const VCARD = Namespace('http://www.w3.org/2006/vcard/ns#');
const SKOS = Namespace('http://www.w3.org/2004/02/skos/core#');
const XSD = Namespace('http://www.w3.org/2001/XMLSchema#');
const EU = 'http://publications.europa.eu/resource/authority/';

/** Prefixes of the serializations (rdflib would otherwise invent some). */
export const PREFIXES: Record<string, string> = {
  rdf: RDF('').value,
  rdfs: RDFS('').value,
  dcat: DCAT('').value,
  dct: DCT('').value,
  foaf: FOAF('').value,
  vcard: VCARD('').value,
  skos: SKOS('').value,
  xsd: XSD('').value,
};

/** The serializations offered, in order of preference (the first is the default). */
export const CATALOG_TYPES = ['application/ld+json', 'text/turtle', 'application/rdf+xml'] as const;
export type CatalogType = (typeof CATALOG_TYPES)[number];

/** EU language authority codes of the CMS's locales (ISO 639-1 to the table's 639-3 codes). */
const LANGUAGES: Record<string, { code: string; name: string }> = {
  fr: { code: 'FRA', name: 'French' },
  de: { code: 'DEU', name: 'German' },
  lb: { code: 'LTZ', name: 'Luxembourgish' },
  en: { code: 'ENG', name: 'English' },
  pt: { code: 'POR', name: 'Portuguese' },
  it: { code: 'ITA', name: 'Italian' },
  nl: { code: 'NLD', name: 'Dutch' },
  es: { code: 'SPA', name: 'Spanish' },
};

/** Title and description are given in these languages (lb is offered as data, not as metadata). */
type Texts = { fr: string; de: string; en: string };

const THEMES: Record<string, Texts> = {
  SOCI: { fr: 'Population et société', de: 'Bevölkerung und Gesellschaft', en: 'Population and society' },
  EDUC: {
    fr: 'Éducation, culture et sport',
    de: 'Bildung, Kultur und Sport',
    en: 'Education, culture and sport',
  },
  REGI: { fr: 'Régions et villes', de: 'Regionen und Städte', en: 'Regions and cities' },
  GOVE: {
    fr: 'Gouvernement et secteur public',
    de: 'Regierung und öffentlicher Sektor',
    en: 'Government and public sector',
  },
};

interface Format {
  key: string;
  /** The listing's URL for a locale, from the public base URL. */
  url: (base: string, locale: string) => string;
  /** A file to download (all rows at once), or a paged API answer (access URL only). */
  download: boolean;
  fileType: string;
  mediaType: string;
  label: string;
}

const LISTING = '/api/listings/projects';
const IANA = 'https://www.iana.org/assignments/media-types/';
const JSON_FORMAT = { download: false, fileType: 'JSON', mediaType: 'application/json', label: 'JSON' };

interface Dataset {
  key: DatasetKey;
  title: Texts;
  description: Texts;
  keywords: Texts[];
  themes: string[];
  formats: Format[];
}

const DATASETS: Dataset[] = [
  {
    key: 'projects',
    title: { fr: 'Projets et services', de: 'Projekte und Dienste', en: 'Projects and services' },
    description: {
      fr: 'Les projets et services publiés de l’association, une ligne par entrée : type, titre, genre ou thème, lieu et commune, années de fondation et de fermeture, financeurs, résumé.',
      de: 'Die veröffentlichten Projekte und Dienste der Vereinigung, eine Zeile pro Eintrag: Typ, Titel, Art oder Thema, Standort und Gemeinde, Gründungs- und Schließungsjahr, Geldgeber, Zusammenfassung.',
      en: 'The association’s published projects and services, one row per entry: type, title, kind or theme, site and municipality, founding and closing years, funders, summary.',
    },
    keywords: [
      { fr: 'action sociale', de: 'Sozialarbeit', en: 'social work' },
      { fr: 'jeunesse', de: 'Jugend', en: 'youth' },
      { fr: 'maison des jeunes', de: 'Jugendhaus', en: 'youth house' },
      { fr: 'insertion professionnelle', de: 'berufliche Eingliederung', en: 'employment integration' },
    ],
    themes: ['SOCI', 'EDUC'],
    formats: [
      {
        key: 'csv',
        url: (base, locale) => `${base}${LISTING}.csv?locale=${locale}`,
        download: true,
        fileType: 'CSV',
        mediaType: 'text/csv',
        label: 'CSV (RFC 4180)',
      },
      {
        key: 'excel-csv',
        url: (base, locale) => `${base}${LISTING}.csv?dialect=excel&locale=${locale}`,
        download: true,
        fileType: 'CSV',
        mediaType: 'text/csv',
        label: 'CSV for Excel',
      },
      {
        key: 'xlsx',
        url: (base, locale) => `${base}${LISTING}.xlsx?locale=${locale}`,
        download: true,
        fileType: 'XLSX',
        mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        label: 'XLSX',
      },
      { key: 'json', url: (base, locale) => `${base}${LISTING}?locale=${locale}`, ...JSON_FORMAT },
    ],
  },
  {
    key: 'sites',
    title: { fr: 'Lieux', de: 'Standorte', en: 'Sites' },
    description: {
      fr: 'Les lieux où l’association travaille : nom, commune, quartier, description et coordonnées.',
      de: 'Die Orte, an denen die Vereinigung arbeitet: Name, Gemeinde, Stadtteil, Beschreibung und Koordinaten.',
      en: 'The places where the association works: name, municipality, neighbourhood, description and coordinates.',
    },
    keywords: [
      { fr: 'quartier', de: 'Stadtteil', en: 'neighbourhood' },
      { fr: 'commune', de: 'Gemeinde', en: 'municipality' },
    ],
    themes: ['SOCI', 'REGI'],
    formats: [{ key: 'json', url: (base, locale) => `${base}/api/sites?locale=${locale}`, ...JSON_FORMAT }],
  },
  {
    key: 'funders',
    title: { fr: 'Financeurs', de: 'Geldgeber', en: 'Funders' },
    description: {
      fr: 'Les organismes qui soutiennent les projets et services de l’association : nom, type et site web.',
      de: 'Die Stellen, die die Projekte und Dienste der Vereinigung unterstützen: Name, Art und Website.',
      en: 'The bodies that support the association’s projects and services: name, kind and website.',
    },
    keywords: [
      { fr: 'financement', de: 'Finanzierung', en: 'funding' },
      { fr: 'subvention', de: 'Zuschuss', en: 'grant' },
    ],
    themes: ['SOCI', 'GOVE'],
    formats: [{ key: 'json', url: (base, locale) => `${base}/api/funders?locale=${locale}`, ...JSON_FORMAT }],
  },
];

const CATALOG_TITLE: Texts = {
  fr: '{name} : données ouvertes',
  de: '{name}: offene Daten',
  en: '{name}: open data',
};
const CATALOG_DESCRIPTION: Texts = {
  fr: 'Les projets et services, les lieux et les financeurs de l’association, tels que publiés par son site web.',
  de: 'Die Projekte und Dienste, die Standorte und die Geldgeber der Vereinigung, wie ihre Website sie veröffentlicht.',
  en: 'The association’s projects and services, sites and funders, as its website publishes them.',
};
const API_TITLE: Texts = {
  fr: '{name} : API REST',
  de: '{name}: REST-API',
  en: '{name}: REST API',
};
const API_DESCRIPTION: Texts = {
  fr: 'Lecture publique du contenu publié (JSON) ; la description OpenAPI liste les routes et leurs paramètres.',
  de: 'Öffentlicher Lesezugriff auf die veröffentlichten Inhalte (JSON); die OpenAPI-Beschreibung listet die Routen und ihre Parameter.',
  en: 'Public read access to the published content (JSON); the OpenAPI description lists the routes and their parameters.',
};

export interface CatalogInput {
  facts: CatalogFacts;
  /** The public base URL (PUBLIC_URL), without a trailing slash. */
  base: string;
  license: DataLicense;
}

/** The catalogue as an RDF graph. */
export function buildCatalogGraph({ facts, base, license }: CatalogInput): IndexedFormula {
  const g = graph();
  const catalogUrl = `${base}/api/catalog`;
  const node = (fragment: string) => sym(`${catalogUrl}#${fragment}`);
  const a = (subject: Iri, type: Iri) => g.add(subject, RDF('type'), type);
  const publisherName = [facts.name, facts.legalForm].filter(Boolean).join(' ');
  const texts = (subject: Iri, predicate: Iri, values: Texts) => {
    for (const [language, value] of Object.entries(values))
      g.add(subject, predicate, lit(value.replaceAll('{name}', publisherName), language));
  };
  const dateTime = (date: Date) => lit(date.toISOString(), undefined, XSD('dateTime'));
  const dates = (subject: Iri, period: Period) => {
    g.add(subject, DCT('issued'), dateTime(period.issued));
    g.add(subject, DCT('modified'), dateTime(period.modified));
  };
  // Every node the graph types also gets a label: harvesters show it, and rdflib's own RDF/XML
  // parser reads a node element with only whitespace inside as an rdf:value.
  const labelled = (subject: Iri, type: Iri, label: string) => {
    a(subject, type);
    g.add(subject, RDFS('label'), lit(label, 'en'));
    return subject;
  };
  const authority = (table: string, code: string, type: Iri, label: string) =>
    labelled(sym(`${EU}${table}/${code}`), type, label);

  // Who publishes: the association (foaf:Agent, typed as a non-profit by the ADMS vocabulary).
  const publisher = node('publisher');
  a(publisher, FOAF('Agent'));
  a(publisher, FOAF('Organization'));
  g.add(publisher, FOAF('name'), lit(publisherName));
  const nonProfit = sym('http://purl.org/adms/publishertype/NonProfitOrganisation');
  a(nonProfit, SKOS('Concept'));
  g.add(nonProfit, SKOS('prefLabel'), lit('Non-Profit Organisation', 'en'));
  g.add(publisher, DCT('type'), nonProfit);
  const homepage = labelled(sym(`${base}/`), FOAF('Document'), 'Website');
  g.add(publisher, FOAF('homepage'), homepage);

  // The contact point: the association and its website (the seed names no e-mail address).
  const contact = node('contact');
  a(contact, VCARD('Kind'));
  a(contact, VCARD('Organization'));
  g.add(contact, VCARD('fn'), lit(publisherName));
  g.add(contact, VCARD('hasURL'), homepage);

  const licence = sym(license.url);
  a(licence, DCT('LicenseDocument'));
  g.add(licence, DCT('title'), lit(license.name));
  const luxembourg = authority('country', 'LUX', DCT('Location'), 'Luxembourg');
  const languages = facts.locales
    .filter((code) => LANGUAGES[code])
    .map((code) =>
      authority('language', LANGUAGES[code].code, DCT('LinguisticSystem'), LANGUAGES[code].name),
    );
  const frequency = authority('frequency', 'IRREG', DCT('Frequency'), 'irregular');
  const publicAccess = authority('access-right', 'PUBLIC', DCT('RightsStatement'), 'public');

  const themeScheme = sym(`${EU}data-theme`);
  a(themeScheme, SKOS('ConceptScheme'));
  g.add(themeScheme, DCT('title'), lit('Data theme', 'en'));
  const theme = (code: string) => {
    const concept = authority('data-theme', code, SKOS('Concept'), THEMES[code].en);
    texts(concept, SKOS('prefLabel'), THEMES[code]);
    g.add(concept, SKOS('inScheme'), themeScheme);
    return concept;
  };

  const catalog = sym(catalogUrl);
  a(catalog, DCAT('Catalog'));
  texts(catalog, DCT('title'), CATALOG_TITLE);
  // One description per language: what the catalogue holds, then the association's mission.
  const described = Object.fromEntries(
    Object.entries(CATALOG_DESCRIPTION).map(([language, text]) => [
      language,
      [text, facts.mission[language]].filter(Boolean).join(' '),
    ]),
  ) as Texts;
  texts(catalog, DCT('description'), described);
  g.add(catalog, DCT('publisher'), publisher);
  g.add(catalog, DCAT('contactPoint'), contact);
  g.add(catalog, FOAF('homepage'), homepage);
  for (const language of languages) g.add(catalog, DCT('language'), language);
  g.add(catalog, DCT('spatial'), luxembourg);
  g.add(catalog, DCT('license'), licence);
  g.add(catalog, DCAT('themeTaxonomy'), themeScheme);
  dates(catalog, facts.catalog);

  // The REST API, which serves every dataset (JSON, paged); its OpenAPI document describes it.
  const api = node('api');
  a(api, DCAT('DataService'));
  texts(api, DCT('title'), API_TITLE);
  texts(api, DCT('description'), API_DESCRIPTION);
  // Typed rdfs:Resource because the shapes' ranges ask for that class and a validator infers none.
  const endpoint = labelled(sym(`${base}/api`), RDFS('Resource'), 'REST API');
  const openapi = labelled(sym(`${base}/api/openapi.json`), RDFS('Resource'), 'OpenAPI document');
  g.add(api, DCAT('endpointURL'), endpoint);
  g.add(api, DCAT('endpointDescription'), openapi);
  g.add(api, DCT('publisher'), publisher);
  g.add(api, DCAT('contactPoint'), contact);
  g.add(api, DCT('license'), licence);
  g.add(api, DCT('accessRights'), publicAccess);
  g.add(catalog, DCAT('service'), api);

  for (const dataset of DATASETS) {
    const subject = node(`dataset-${dataset.key}`);
    const period = facts.datasets[dataset.key];
    a(subject, DCAT('Dataset'));
    g.add(catalog, DCAT('dataset'), subject);
    g.add(api, DCAT('servesDataset'), subject);
    g.add(subject, DCT('identifier'), lit(subject.value));
    texts(subject, DCT('title'), dataset.title);
    texts(subject, DCT('description'), dataset.description);
    for (const keyword of dataset.keywords) texts(subject, DCAT('keyword'), keyword);
    for (const code of dataset.themes) g.add(subject, DCAT('theme'), theme(code));
    g.add(subject, DCT('publisher'), publisher);
    g.add(subject, DCAT('contactPoint'), contact);
    g.add(subject, DCT('spatial'), luxembourg);
    g.add(subject, DCT('accrualPeriodicity'), frequency);
    g.add(subject, DCT('accessRights'), publicAccess);
    for (const language of languages) g.add(subject, DCT('language'), language);
    dates(subject, period);

    for (const format of dataset.formats) {
      const fileType = authority('file-type', format.fileType, DCT('MediaTypeOrExtent'), format.fileType);
      const mediaType = labelled(sym(`${IANA}${format.mediaType}`), DCT('MediaType'), format.mediaType);
      for (const locale of facts.locales) {
        const distribution = node(`distribution-${dataset.key}-${format.key}-${locale}`);
        const url = sym(format.url(base, locale));
        const language = LANGUAGES[locale];
        a(distribution, DCAT('Distribution'));
        g.add(subject, DCAT('distribution'), distribution);
        g.add(
          distribution,
          DCT('title'),
          lit(`${dataset.title.en}, ${format.label}, ${language?.name ?? locale}`, 'en'),
        );
        g.add(distribution, DCAT('accessURL'), url);
        if (format.download) g.add(distribution, DCAT('downloadURL'), url);
        else g.add(distribution, DCAT('accessService'), api);
        g.add(distribution, DCAT('mediaType'), mediaType);
        g.add(distribution, DCT('format'), fileType);
        if (language) g.add(distribution, DCT('language'), sym(`${EU}language/${language.code}`));
        g.add(distribution, DCT('license'), licence);
        g.add(distribution, DCT('modified'), dateTime(period.modified));
      }
    }
  }
  return g;
}

/** The graph in one of the offered serializations, written by rdflib. */
export function serializeCatalog(g: IndexedFormula, type: CatalogType): string {
  const text = serialize(null, g, null, type, undefined, { namespaces: PREFIXES });
  if (typeof text !== 'string') throw new Error(`rdflib wrote no ${type}`);
  return text;
}
