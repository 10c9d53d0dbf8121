/**
 * The licence of the association's open data (the API's content, the listings, the DCAT
 * catalogue): DATA_LICENSE, a licence URI, by default Creative Commons Attribution 4.0. One reader
 * so that the OpenAPI document and the catalogue cannot state different licences.
 */
export const DEFAULT_DATA_LICENSE = 'https://creativecommons.org/licenses/by/4.0/';

/** Names of the licences an association is likely to choose; any other URI is named by itself. */
const KNOWN_LICENSES: Record<string, string> = {
  'https://creativecommons.org/licenses/by/4.0/': 'CC BY 4.0',
  'https://creativecommons.org/licenses/by-sa/4.0/': 'CC BY-SA 4.0',
  'https://creativecommons.org/publicdomain/zero/1.0/': 'CC0 1.0',
  'https://www.etalab.gouv.fr/licence-ouverte-open-licence/': 'Licence Ouverte 2.0',
  'https://opendatacommons.org/licenses/odbl/1-0/': 'ODbL 1.0',
};

export interface DataLicense {
  /** The licence's URI, as DATA_LICENSE gives it (or the default). */
  url: string;
  /** A short human name (e.g. "CC BY 4.0"); the URI itself when the licence is not a known one. */
  name: string;
}

/** Reads DATA_LICENSE on each call (tests change it between boots); an empty value means the default. */
export function dataLicense(): DataLicense {
  const url = process.env.DATA_LICENSE?.trim() || DEFAULT_DATA_LICENSE;
  const known = KNOWN_LICENSES[url] ?? KNOWN_LICENSES[`${url.replace(/\/+$/, '')}/`];
  return { url, name: known ?? url };
}
