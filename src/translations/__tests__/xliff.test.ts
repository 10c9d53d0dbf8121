/**
 * The XLIFF writer and reader (../xliff.ts) on their own: whatever text a field holds comes back
 * the same through a file (Markdown, XML's special characters, a carriage return, characters XML
 * 1.0 cannot carry), and what is not a French-to-one-locale XLIFF 2.0 file is a 400.
 */
import { buildXliff, parseXliff, targetProblem, type Leaf } from '../xliff';

const leaf = (id: string, type: Leaf['type'], maxLength?: number): Leaf => ({
  id,
  path: id.split('.').map((key) => (/^\d+$/.test(key) ? Number(key) : key)),
  type,
  maxLength,
  owner: { model: 'api::project.project', field: id.split('.')[0] },
});

const TEXTS = [
  'Maison des jeunes « Gare » – l’été',
  '**Gras** & [lien](https://example.org/?a=1&b=2) <b>x</b> ]]> fin',
  'Ligne 1\r\nLigne 2\n\tindentée  ',
  'Contrôle\u000B et \u0001 et \uFFFE',
  '  espaces au bord  ',
];

test('every text comes back unchanged through a file, as source and as target', () => {
  const xml = buildXliff('de', [
    {
      uid: 'api::project.project',
      documentId: 'abc123',
      title: 'Titre & <autre>',
      units: TEXTS.flatMap((text, index) => [
        {
          leaf: leaf(`description${index}`, 'richtext'),
          source: text,
          target: `${text} (de)`,
          outdated: index === 1,
        },
        { leaf: leaf(`seo.${index}.metaTitle`, 'string'), source: text, target: null, outdated: false },
      ]),
    },
  ]);
  const parsed = parseXliff(xml);
  expect(parsed).toMatchObject({ srcLang: 'fr', trgLang: 'de' });
  expect(parsed.files).toHaveLength(1);
  expect(parsed.files[0].original).toBe('api::project.project/abc123');
  const units = Object.fromEntries(parsed.files[0].units.map((unit) => [unit.id, unit]));
  TEXTS.forEach((text, index) => {
    expect(units[`description${index}`]).toMatchObject({
      source: text,
      target: `${text} (de)`,
      markup: undefined,
    });
    expect(units[`seo.${index}.metaTitle`]).toMatchObject({ source: text, target: undefined });
  });
});

test('inline codes in a target are named, not read as text', () => {
  const xml = buildXliff('de', [
    {
      uid: 'api::project.project',
      documentId: 'abc',
      title: null,
      units: [{ leaf: leaf('title', 'string'), source: 'Titre', target: 'Titel', outdated: false }],
    },
  ]).replace('<target>Titel</target>', '<target>Ti<ph id="1"/>tel</target>');
  expect(parseXliff(xml).files[0].units[0]).toMatchObject({ markup: '<ph>' });
});

test.each([
  ['not XML', 'bonjour'],
  ['not XLIFF', '<?xml version="1.0"?><html/>'],
  ['XLIFF 1.2', '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file/></xliff>'],
  [
    'from German',
    '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="de" trgLang="en"/>',
  ],
  [
    'without a target language',
    '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr"/>',
  ],
  [
    'with a DOCTYPE',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr" trgLang="de">&e;</xliff>',
  ],
])('%s is a 400 naming the file field', (_, xml) => {
  expect(() => parseXliff(xml)).toThrow(
    expect.objectContaining({ name: 'ValidationError', details: { source: 'body', param: 'file' } }),
  );
});

test('a target that would break its field is named', () => {
  expect(targetProblem(leaf('description', 'richtext'), 'Un **texte**', 'Ein <script>x</script>')).toMatch(
    /<script>/,
  );
  expect(targetProblem(leaf('description', 'richtext'), 'Un <br> texte', 'Ein <br> Text')).toBeNull();
  expect(targetProblem(leaf('title', 'string'), 'Titre', 'Zeile\nzwei')).toMatch(/line break/);
  expect(targetProblem(leaf('title', 'string', 5), 'Titre', 'Sechs!')).toMatch(/5 characters/);
  expect(targetProblem(leaf('title', 'string', 5), 'Titre', 'Fünf!')).toBeNull();
});
