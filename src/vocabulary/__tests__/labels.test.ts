import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_LOCALE, LOCALE_CODES } from '../../bootstrap/locales';
import { labelsIn, VOCABULARIES } from '../labels';

const schemaEnum = (uid: string, attribute: string): string[] => {
  const name = uid.split('.').pop() as string;
  const file = path.join(__dirname, '..', '..', 'api', name, 'content-types', name, 'schema.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).attributes[attribute].enum;
};

describe('vocabulary labels', () => {
  it.each(Object.entries(VOCABULARIES))(
    '%s labels exactly the keys of its schema enumeration',
    (_, vocabulary) => {
      expect(Object.keys(vocabulary.labels).sort()).toEqual(
        schemaEnum(vocabulary.uid, vocabulary.attribute).sort(),
      );
    },
  );

  it.each(LOCALE_CODES)('has a non-empty label for every key in %s', (locale) => {
    for (const { labels } of Object.values(VOCABULARIES)) {
      for (const byLocale of Object.values(labels)) {
        expect(byLocale[locale]).toMatch(/^\S(.*\S)?$/);
      }
    }
  });

  it("gives the default locale's labels in a locale it does not have yet", () => {
    expect(labelsIn('it')).toEqual(labelsIn(DEFAULT_LOCALE));
  });
});
