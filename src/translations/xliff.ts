/**
 * XLIFF 2.0 (OASIS core) for professional translators (issue 26, section 2).
 *
 * Export: one `<file>` per entry (`original="<uid>/<documentId>"`), one `<unit>` per localized text
 * of it (`id` and `name`: the field, `seo.metaTitle` inside a component, `sectors.0.name` in a
 * repeatable one), the French text as `<source>`, the locale's text as `<target>` where there is
 * one, notes naming the field, its help text and whether the French changed since the translation.
 * Rich text (Markdown) is written as it is, in a CDATA section: translators keep its marks (`**`,
 * `[…](…)`, `#`) as they find them; no inline codes are made, and none are read back. Characters
 * XML 1.0 cannot carry are written as `<cp hex="…"/>` (XLIFF's way) and read back.
 *
 * Import: each unit is judged on its own and lands in a draft of the file's target locale, never
 * published; refused are an unknown entry or field, a target in another language, a French source
 * that changed since the export (flagged: the translation of an old text is not applied), inline
 * codes or HTML the French did not have, a line break in a one-line field, a text over the field's
 * length. The parsing is fast-xml-parser's (no DTD, no entities beyond XML's own: a DOCTYPE is
 * refused before parsing).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FIELD_TEXTS } from '../admin-views/texts';
import { DEFAULT_LOCALE } from '../bootstrap/locales';
import { translatedFields } from './index';

export const XLIFF_NAMESPACE = 'urn:oasis:names:tc:xliff:document:2.0';
export const XLIFF_MEDIA_TYPE = 'application/xliff+xml';
/** The largest file an import reads (the whole translation of the site is about a tenth of it). */
export const XLIFF_MAX_BYTES = 5 * 1024 * 1024;
/** The most entries an import reads (the site has under a hundred; a file of thousands is an attack). */
export const XLIFF_MAX_FILES = 2000;

type Row = Record<string, unknown>;
type Attribute = {
  type: string;
  component?: string;
  repeatable?: boolean;
  maxLength?: number;
  pluginOptions?: { i18n?: { localized?: boolean } };
};
const LEAF_TYPES = new Set(['string', 'text', 'richtext']);

/** One translatable text of an entry: where it is in the entry's values, and its field's rules. */
export interface Leaf {
  id: string;
  path: (string | number)[];
  type: 'string' | 'text' | 'richtext';
  maxLength?: number;
  /** The component and field whose label and help text describe it. */
  owner: { model: string; field: string };
}

const attributesOf = (strapi: Core.Strapi, model: string): Record<string, Attribute> =>
  (
    (strapi.getModel(model as never) ?? strapi.components[model as never]) as unknown as {
      attributes: Record<string, Attribute>;
    }
  ).attributes;

const at = (values: unknown, path: (string | number)[]): unknown =>
  path.reduce<unknown>((value, key) => (value as Record<string | number, unknown> | null)?.[key], values);

/**
 * The translatable texts of an entry of `uid` whose French values are `source`: the localized
 * string, text and rich-text fields, and those inside localized components (each item of a
 * repeatable one, as the French has them).
 */
export function leavesOf(strapi: Core.Strapi, uid: string, source: Row): Leaf[] {
  const leaves: Leaf[] = [];
  const attributes = attributesOf(strapi, uid);
  const add = (model: string, field: string, attribute: Attribute, path: (string | number)[]) => {
    if (LEAF_TYPES.has(attribute.type))
      leaves.push({
        id: path.join('.'),
        path,
        type: attribute.type as Leaf['type'],
        maxLength: attribute.maxLength,
        owner: { model, field },
      });
  };
  for (const field of translatedFields(strapi, uid)) {
    const attribute = attributes[field];
    if (attribute.type !== 'component' || !attribute.component) {
      add(uid, field, attribute, [field]);
      continue;
    }
    const component = attribute.component;
    const inner = Object.entries(attributesOf(strapi, component));
    const items = attribute.repeatable
      ? ((source[field] as Row[] | null) ?? []).map((_, index) => [field, index])
      : [[field]];
    for (const base of items)
      for (const [name, innerAttribute] of inner) add(component, name, innerAttribute, [...base, name]);
  }
  return leaves;
}

// ---- Writing -------------------------------------------------------------------------------

// XML 1.0's characters (tab, line feed, carriage return, and from space on, minus the surrogates
// and U+FFFE/U+FFFF): anything else becomes an XLIFF code point element.
// eslint-disable-next-line no-control-regex
const XML_CHARACTER = /^[\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]$/u;
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const escapeText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
const codePoint = (character: string) =>
  `<cp hex="${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}"/>`;

/** A text as XLIFF content: CDATA for Markdown (where it can be), escaped text otherwise. */
function content(text: string, cdata: boolean): string {
  if (NOT_XML.test(text))
    return [...text]
      .map((character) => (XML_CHARACTER.test(character) ? escapeText(character) : codePoint(character)))
      .join('');
  // A CDATA section cannot hold its own end, and a carriage return in it would be read as a line feed.
  return cdata && !/\]\]>|\r/.test(text) ? `<![CDATA[${text}]]>` : escapeText(text);
}

export interface ExportUnit {
  leaf: Leaf;
  source: string;
  target: string | null;
  outdated: boolean;
}

export interface ExportEntry {
  uid: string;
  documentId: string;
  title: string | null;
  units: ExportUnit[];
}

const note = (category: string, text: string) =>
  `        <note category="${category}">${content(text, false)}</note>`;

/** The XLIFF 2.0 document of `entries` from French into `locale`. */
export function buildXliff(locale: string, entries: ExportEntry[]): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="${XLIFF_NAMESPACE}" version="2.0" srcLang="${DEFAULT_LOCALE}" trgLang="${locale}">`,
  ];
  entries.forEach((entry, index) => {
    lines.push(
      `  <file id="f${index + 1}" original="${escapeAttribute(`${entry.uid}/${entry.documentId}`)}">`,
    );
    if (entry.title)
      lines.push(
        '    <notes>',
        `      <note category="title">${content(entry.title, false)}</note>`,
        '    </notes>',
      );
    for (const unit of entry.units) {
      const text = FIELD_TEXTS[unit.leaf.owner.model]?.[unit.leaf.owner.field];
      const notes = [
        text ? note('field', text.label) : null,
        text?.help ? note('description', text.help) : null,
        unit.leaf.maxLength
          ? note('length', `${unit.leaf.maxLength.toLocaleString('fr-FR')}\u00A0caractères au plus`)
          : null,
        unit.outdated ? note('status', 'Le texte français a changé depuis la dernière traduction.') : null,
      ].filter((line): line is string => line !== null);
      const state = unit.target !== null && !unit.outdated ? 'translated' : 'initial';
      const markdown = unit.leaf.type === 'richtext';
      lines.push(
        `    <unit id="${unit.leaf.id}" name="${unit.leaf.id}">`,
        ...(notes.length > 0
          ? ['      <notes>', ...notes.map((line) => line.slice(2)), '      </notes>']
          : []),
        `      <segment state="${state}">`,
        `        <source>${content(unit.source, markdown)}</source>`,
        ...(unit.target !== null ? [`        <target>${content(unit.target, markdown)}</target>`] : []),
        '      </segment>',
        '    </unit>',
      );
    }
    lines.push('  </file>');
  });
  lines.push('</xliff>', '');
  return lines.join('\n');
}

// ---- Reading -------------------------------------------------------------------------------

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

export interface ParsedUnit {
  id: string;
  source: string | null;
  /** The target's text; `undefined` without a target. */
  target: string | undefined;
  targetLang?: string;
  /** Why the unit cannot be read as plain text (inline codes or other elements), if so. */
  markup?: string;
}

export interface ParsedFile {
  original: string;
  units: ParsedUnit[];
}

export interface ParsedXliff {
  srcLang: string;
  trgLang: string;
  files: ParsedFile[];
}

const invalid = (message: string) => new errors.ValidationError(message, { source: 'body', param: 'file' });

const nameOf = (node: Node) => Object.keys(node).find((key) => key !== ':@')!;
const childrenOf = (node: Node) => node[nameOf(node)] as Node[];
const elements = (nodes: Node[], name: string) => nodes.filter((node) => nameOf(node) === name);

/** The text of a `<source>` or `<target>`: its text and `<cp>` elements; other elements refused. */
function textOf(nodes: Node[]): { text: string; markup?: string } {
  let text = '';
  for (const node of nodes) {
    const name = nameOf(node);
    if (name === '#text') text += String(node['#text']);
    else if (name === 'cp') {
      const hex = node[':@']?.['@_hex'] ?? '';
      const code = /^[0-9A-Fa-f]{1,6}$/.test(hex) ? Number.parseInt(hex, 16) : Number.NaN;
      if (!Number.isInteger(code) || code > 0x10ffff || code === 0)
        return { text, markup: 'an invalid <cp>' };
      text += String.fromCodePoint(code);
    } else return { text, markup: `<${name}>` };
  }
  return { text };
}

/** Reads an XLIFF 2.0 document (400 for anything that is not one, or not from French). */
export function parseXliff(xml: string): ParsedXliff {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw invalid('Invalid XLIFF: a DOCTYPE or entity declaration is not read');
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw invalid(`Invalid XLIFF: not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    commentPropName: false as never,
  });
  let document: Node[];
  try {
    document = parser.parse(xml) as Node[];
  } catch (error) {
    // What the validator lets through and the parser will not read (nesting past its bound, an
    // element named like an object prototype's key): the file, not the server, is at fault.
    throw invalid(`Invalid XLIFF: ${(error as Error).message}`);
  }
  const roots = document.filter((node) => nameOf(node) !== '#text');
  const root = roots[0];
  if (roots.length !== 1 || nameOf(root) !== 'xliff')
    throw invalid('Invalid XLIFF: the root element must be <xliff>');
  const attributes = root[':@'] ?? {};
  if (attributes['@_xmlns'] !== XLIFF_NAMESPACE || attributes['@_version'] !== '2.0')
    throw invalid(`Invalid XLIFF: version 2.0 in the namespace ${XLIFF_NAMESPACE} is read`);
  const srcLang = attributes['@_srcLang'];
  const trgLang = attributes['@_trgLang'];
  if (srcLang !== DEFAULT_LOCALE) throw invalid(`Invalid XLIFF: srcLang must be "${DEFAULT_LOCALE}"`);
  if (!trgLang) throw invalid("Invalid XLIFF: trgLang (the translation's language) is missing");
  const files = elements(childrenOf(root), 'file').map((file) => {
    const units: ParsedUnit[] = [];
    const collect = (nodes: Node[]) => {
      for (const node of nodes) {
        const name = nameOf(node);
        if (name === 'group') collect(childrenOf(node));
        if (name !== 'unit') continue;
        const segments = elements(childrenOf(node), 'segment');
        const id = node[':@']?.['@_id'] ?? '';
        const segment = segments.length === 1 ? childrenOf(segments[0]) : null;
        if (!segment) {
          units.push({ id, source: null, target: undefined, markup: 'a unit of several segments' });
          continue;
        }
        const [source] = elements(segment, 'source');
        const [target] = elements(segment, 'target');
        const sourceText = source ? textOf(childrenOf(source)) : { text: '' };
        const targetText = target ? textOf(childrenOf(target)) : undefined;
        units.push({
          id,
          source: source ? sourceText.text : null,
          target: targetText?.text,
          targetLang: target?.[':@']?.['@_xml:lang'],
          markup: targetText?.markup ?? sourceText.markup,
        });
      }
    };
    collect(childrenOf(file));
    return { original: file[':@']?.['@_original'] ?? '', units };
  });
  return { srcLang, trgLang, files };
}

/** The value of `path` in `values`, as text (null for none). */
export const textAt = (values: Row, path: (string | number)[]): string | null => {
  const value = at(values, path);
  return typeof value === 'string' ? value : null;
};

/** HTML's elements (a `<les>` in a sentence is text; a `<script>` or `<a>` is markup). */
const HTML_ELEMENTS = new Set(
  (
    'a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code col ' +
    'colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form ' +
    'h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend li link main map mark meta ' +
    'meter nav noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script ' +
    'section select small source span strong style sub summary sup svg table tbody td template textarea tfoot th ' +
    'thead time title tr track u ul var video wbr math frame frameset'
  ).split(' '),
);

/**
 * Why a translated `target` cannot go into `leaf` whose French is `source`, if it cannot: HTML
 * the French did not have, a line break in a one-line field, more than the field's length.
 */
export function targetProblem(leaf: Leaf, source: string, target: string): string | null {
  const tags = (text: string) =>
    new Set(
      [...text.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)[\s/>]/g)]
        .map((match) => match[1].toLowerCase())
        .filter((name) => HTML_ELEMENTS.has(name)),
    );
  const sourceTags = tags(source);
  const added = [...tags(target)].filter((tag) => !sourceTags.has(tag));
  if (added.length > 0) return `markup that would break the field: <${added[0]}> is not in the French text`;
  if (leaf.type === 'string' && /[\r\n]/.test(target)) return 'a line break in a one-line field';
  // Counted as Strapi counts (UTF-16 code units), so that what passes here passes its validation.
  if (leaf.maxLength !== undefined && target.length > leaf.maxLength)
    return `longer than the field's ${leaf.maxLength} characters`;
  return null;
}

/**
 * The values to write for `leaves` set to their targets: a plain field takes its text; a component
 * is the locale's own (or, without one, the French's shape with its texts emptied) with the
 * translated texts put in.
 */
export function valuesWith(
  strapi: Core.Strapi,
  uid: string,
  current: Row | null,
  source: Row,
  updates: { leaf: Leaf; text: string }[],
): Row {
  const data: Row = {};
  const attributes = attributesOf(strapi, uid);
  for (const { leaf, text } of updates) {
    const field = String(leaf.path[0]);
    if (leaf.path.length === 1) {
      data[field] = text;
      continue;
    }
    if (!(field in data)) {
      const mine = current?.[field];
      const french = source[field];
      const sameShape = attributes[field].repeatable
        ? Array.isArray(mine) && Array.isArray(french) && mine.length === french.length
        : mine !== null && mine !== undefined;
      data[field] = structuredClone(
        sameShape
          ? mine
          : emptied(strapi, String(attributes[field].component), french, attributes[field], mine),
      );
    }
    let holder = data[field] as Record<string | number, unknown>;
    for (const key of leaf.path.slice(1, -1)) holder = holder[key] as Record<string | number, unknown>;
    holder[leaf.path[leaf.path.length - 1]] = text;
  }
  return data;
}

/**
 * A French component value in the shape a translation takes: its texts are the locale's own where
 * the locale has an item at that place (`mine`), empty otherwise (what a new translation starts from).
 */
function emptied(
  strapi: Core.Strapi,
  component: string,
  value: unknown,
  attribute: Attribute,
  mine: unknown,
): unknown {
  const inner = attributesOf(strapi, component);
  const one = (item: Row, own: Row | null | undefined) =>
    Object.fromEntries(
      Object.entries(item).map(([key, field]) => [
        key,
        LEAF_TYPES.has(inner[key]?.type) ? ((own?.[key] as string | undefined) ?? null) : field,
      ]),
    );
  if (attribute.repeatable)
    return ((value as Row[] | null) ?? []).map((item, index) =>
      one(item, Array.isArray(mine) ? (mine[index] as Row | undefined) : undefined),
    );
  return value ? one(value as Row, mine as Row | null) : {};
}
