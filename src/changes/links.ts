/**
 * The links a write may change between documents, read from the relations' join tables inside the
 * write's transaction, before and after it. A relation has two sides stored in one join table: a
 * service's enterprises are those enterprises' services, and a site saved with a project moves that
 * project (and takes it from its former site). The change feed records an event for the documents at
 * both ends of a changed link between public rows (./index.ts); the relation rules judge the write
 * against the rights on the documents it changes (../security/relation-writes.ts).
 *
 * A link joins two rows, each a version of a document: its draft or published row (draft & publish)
 * or its only row (no drafts, always public). Rows are named by (type, documentId, locale, public),
 * never by id: publishing replaces a published row, and the same link to the new row is no change.
 */
import type { Core } from '@strapi/strapi';

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, unknown>;

export interface LinkEnd {
  uid: string;
  documentId: string;
  locale: string;
  /** A published row, or the row of a type without drafts: what the public reads. */
  public: boolean;
}

export interface Link {
  /** The relation, by its attribute on the written type. */
  attribute: string;
  /** The end on the side of the written type. */
  from: LinkEnd;
  to: LinkEnd;
}

interface JoinColumn {
  name: string;
  referencedColumn: string;
}
interface RelationMeta {
  type: string;
  relation?: string;
  target?: string;
  mappedBy?: string;
  inversedBy?: string;
  joinTable?: { name: string; joinColumn: JoinColumn; inverseJoinColumn: JoinColumn };
}

interface Relation {
  attribute: string;
  target: string;
  table: string;
  column: string;
  targetColumn: string;
  referenced: string;
  targetReferenced: string;
  /** The other side holds one document of this type (a project's site): linking moves it. */
  moves: boolean;
}

/** The relations of `uid` to other content types (api::) that a join table holds. */
export function relationsOf(strapi: Core.Strapi, uid: string): Relation[] {
  const meta = strapi.db.metadata.get(uid as never) as unknown as {
    attributes: Record<string, RelationMeta>;
  };
  const relations: Relation[] = [];
  for (const [attribute, spec] of Object.entries(meta.attributes)) {
    const target = spec.target;
    if (spec.type !== 'relation' || !spec.joinTable || !target?.startsWith('api::')) continue;
    if (!strapi.contentTypes[target as never]) continue;
    const inverse = spec.mappedBy ?? spec.inversedBy;
    const other = inverse
      ? (strapi.getModel(target as never) as unknown as { attributes: Record<string, RelationMeta> })
          .attributes[inverse]
      : undefined;
    relations.push({
      attribute,
      target,
      table: spec.joinTable.name,
      column: spec.joinTable.joinColumn.name,
      targetColumn: spec.joinTable.inverseJoinColumn.name,
      referenced: spec.joinTable.joinColumn.referencedColumn,
      targetReferenced: spec.joinTable.inverseJoinColumn.referencedColumn,
      moves: other?.relation === 'oneToOne' || other?.relation === 'manyToOne',
    });
  }
  return relations;
}

interface Columns {
  table: string;
  documentId: string;
  locale?: string;
  publishedAt: string;
  draftAndPublish: boolean;
}

function columnsOf(strapi: Core.Strapi, uid: string): Columns {
  const meta = strapi.db.metadata.get(uid as never) as unknown as {
    tableName: string;
    attributes: Record<string, { columnName?: string } | undefined>;
  };
  const column = (name: string) => meta.attributes[name]?.columnName ?? name;
  const model = strapi.getModel(uid as never) as unknown as { options?: { draftAndPublish?: boolean } };
  return {
    table: meta.tableName,
    documentId: column('documentId'),
    locale: meta.attributes.locale ? column('locale') : undefined,
    publishedAt: column('publishedAt'),
    draftAndPublish: Boolean(model.options?.draftAndPublish),
  };
}

/** Whether Strapi reads a shorthand relation value as a row id (its map-relation's `isNumeric`). */
const isRowId = (value: unknown) => !Number.isNaN(parseInt(String(value), 10));

/** The targets a relation input connects or sets, in any of Strapi 5's forms (disconnects aside). */
function connected(value: unknown, into: { documentIds: Set<string>; ids: Set<number> }): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) return value.forEach((item) => connected(item, into));
  if (typeof value === 'object') {
    const input = value as Row;
    if (typeof input.documentId === 'string') into.documentIds.add(input.documentId);
    else if ('id' in input) connected(input.id, into);
    else {
      connected(input.connect, into);
      connected(input.set, into);
    }
    return;
  }
  if (typeof value !== 'string' && typeof value !== 'number') return;
  if (!isRowId(value)) into.documentIds.add(String(value));
  else {
    const id = parseInt(String(value), 10);
    if (Number.isSafeInteger(id)) into.ids.add(id);
  }
}

/**
 * The documents that `data` links through a relation whose other side holds one document (a site's
 * projects): each may leave another document of this type, whose links must be read too.
 */
export async function movedDocuments(
  strapi: Core.Strapi,
  knex: Knex,
  uid: string,
  data: unknown,
): Promise<Map<string, string[]>> {
  const moved = new Map<string, string[]>();
  if (!data || typeof data !== 'object') return moved;
  for (const relation of relationsOf(strapi, uid).filter((candidate) => candidate.moves)) {
    const named = { documentIds: new Set<string>(), ids: new Set<number>() };
    connected((data as Row)[relation.attribute], named);
    if (named.ids.size > 0) {
      const target = columnsOf(strapi, relation.target);
      const rows: Row[] = await knex(target.table)
        .select(target.documentId)
        .whereIn(relation.targetReferenced, [...named.ids]);
      for (const row of rows) named.documentIds.add(String(row[target.documentId]));
    }
    if (named.documentIds.size > 0) moved.set(relation.attribute, [...named.documentIds]);
  }
  return moved;
}

const keyOf = (link: Link) =>
  JSON.stringify([
    link.attribute,
    link.from.uid,
    link.from.documentId,
    link.from.locale,
    link.from.public,
    link.to.uid,
    link.to.documentId,
    link.to.locale,
    link.to.public,
  ]);

/**
 * Every link of the documents `documentIds` of `uid`, and every link of this type to the documents
 * `moved` names (per attribute), keyed so that two reads compare.
 */
export async function readLinks(
  strapi: Core.Strapi,
  knex: Knex,
  uid: string,
  documentIds: string[],
  moved: Map<string, string[]> = new Map(),
): Promise<Map<string, Link>> {
  const links = new Map<string, Link>();
  const own = columnsOf(strapi, uid);
  for (const relation of relationsOf(strapi, uid)) {
    const targets = moved.get(relation.attribute) ?? [];
    if (documentIds.length === 0 && targets.length === 0) continue;
    const other = columnsOf(strapi, relation.target);
    const select = (alias: string, columns: Columns) => [
      `${alias}.${columns.documentId} as ${alias}Document`,
      columns.locale
        ? `${alias}.${columns.locale} as ${alias}Locale`
        : knex.raw("'' as ??", [`${alias}Locale`]),
      `${alias}.${columns.publishedAt} as ${alias}Published`,
    ];
    const rows: Row[] = await knex({ j: relation.table })
      .join({ a: own.table }, `a.${relation.referenced}`, `j.${relation.column}`)
      .join({ b: other.table }, `b.${relation.targetReferenced}`, `j.${relation.targetColumn}`)
      .select([...select('a', own), ...select('b', other)])
      .where((query) => {
        if (documentIds.length > 0) query.orWhereIn(`a.${own.documentId}`, documentIds);
        if (targets.length > 0) query.orWhereIn(`b.${other.documentId}`, targets);
      });
    for (const row of rows) {
      const endOf = (alias: string, type: string, columns: Columns): LinkEnd => ({
        uid: type,
        documentId: String(row[`${alias}Document`]),
        locale: String(row[`${alias}Locale`] ?? ''),
        public: !columns.draftAndPublish || row[`${alias}Published`] !== null,
      });
      const link = {
        attribute: relation.attribute,
        from: endOf('a', uid, own),
        to: endOf('b', relation.target, other),
      };
      links.set(keyOf(link), link);
    }
  }
  return links;
}

/** The links present in one read and not in the other (made or removed by the write). */
export function changedLinks(before: Map<string, Link>, after: Map<string, Link>): Link[] {
  const changed: Link[] = [];
  for (const [key, link] of before) if (!after.has(key)) changed.push(link);
  for (const [key, link] of after) if (!before.has(key)) changed.push(link);
  return changed;
}

/** A link between two public rows: what the public reads of both documents changed with it. */
export const isPublicLink = (link: Link): boolean => link.from.public && link.to.public;

/**
 * Whether a changed link changed the document at `end` (the other end being `other`): its draft,
 * or what the public reads of it. A draft's link to a document without drafts (a project draft and
 * its site) changes nothing of that document until the draft is published.
 */
export const changes = (end: LinkEnd, other: LinkEnd): boolean => !end.public || other.public;

/** The documents of `uid` among `documentIds` that have a public row, as `documentId|locale`. */
export async function publicVersions(
  strapi: Core.Strapi,
  knex: Knex,
  uid: string,
  documentIds: string[],
): Promise<Set<string>> {
  const columns = columnsOf(strapi, uid);
  if (documentIds.length === 0) return new Set();
  const query = knex(columns.table)
    .select(
      `${columns.documentId} as documentId`,
      columns.locale ? `${columns.locale} as locale` : knex.raw("'' as locale"),
    )
    .whereIn(columns.documentId, [...new Set(documentIds)]);
  if (columns.draftAndPublish) query.whereNotNull(columns.publishedAt);
  const rows: Row[] = await query;
  return new Set(rows.map((row) => `${String(row.documentId)}|${String(row.locale ?? '')}`));
}
