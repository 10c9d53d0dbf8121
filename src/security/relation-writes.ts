/**
 * A relation write is judged against the rights on both of its sides (Document Service middleware,
 * admin panel and content API requests).
 *
 * Both sides of a relation live in one join table: a Project coordinator who creates a service
 * linked to Ecotec changes Ecotec's services, although it may not edit Ecotec; a site saved with a
 * published project moves that project at once, and takes it from its former site. So a create,
 * update or clone whose links change another document (../changes/links.ts: its draft, or what the
 * public reads of it) needs the right to update that document in that locale, as the caller has it:
 * the admin role's permission (its locales and conditions, "is creator" included) or the content
 * API role's `update` of that type. A draft linked to a document without drafts (a project draft
 * and its site or funders) changes nothing of that document until the draft is published, which
 * takes a right of its own: no right on the site is needed.
 *
 * The links are read before and after the write, inside its transaction: a refused write rolls back
 * whole (403, nothing written), whatever form the relation input took. The refusal is a PolicyError
 * (Strapi's 403 whose message reaches the client: a plain ForbiddenError thrown under an
 * authenticated route is answered "Forbidden" alone).
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  changedLinks,
  changes,
  movedDocuments,
  readLinks,
  relationsOf,
  type LinkEnd,
} from '../changes/links';
import { contentApiState } from '../permissions/publication';
import { adminState } from './admin-writes';

type Knex = Core.Strapi['db']['connection'];
type Entity = Record<string, unknown>;
/** Whether the caller may update `end`'s document in its locale. */
type MayUpdate = (end: LinkEnd) => Promise<boolean>;

const WRITES = new Set(['create', 'update', 'clone']);
/** Fields that name an entry for staff, in the order tried. */
const LABEL_FIELDS = ['name', 'title', 'slug'];

/**
 * The version the Content Manager judges an edit of (the draft, or the only row), with its creator;
 * read in the write's transaction, which strapi.db.query joins.
 */
async function editedVersion(strapi: Core.Strapi, end: LinkEnd): Promise<Entity> {
  const found = (await strapi.db.query(end.uid as never).findOne({
    where: versionOf(strapi, end, true),
    populate: { createdBy: { select: ['id'] } },
  } as never)) as Entity | null;
  return found ?? { documentId: end.documentId, locale: end.locale };
}

/** The row of `end`'s document in its locale: its draft (`draft`) or any. */
function versionOf(strapi: Core.Strapi, end: LinkEnd, draft: boolean): Entity {
  const model = strapi.getModel(end.uid as never) as unknown as {
    attributes: Record<string, unknown>;
    options?: { draftAndPublish?: boolean };
  };
  const where: Entity = { documentId: end.documentId };
  if (model.attributes.locale) where.locale = end.locale;
  if (draft && model.options?.draftAndPublish) where.publishedAt = { $null: true };
  return where;
}

/** How the caller of the current request is judged, or undefined outside admin and content API requests. */
function callerRights(strapi: Core.Strapi): MayUpdate | undefined {
  const admin = adminState(strapi);
  if (admin) {
    const service = strapi.plugin('content-manager').service('permission-checker');
    const checkers = new Map<string, { can: { update(entity: Entity): boolean } }>();
    return async (end) => {
      if (!checkers.has(end.uid))
        checkers.set(end.uid, service.create({ userAbility: admin.userAbility, model: end.uid }));
      return checkers.get(end.uid)!.can.update(await editedVersion(strapi, end));
    };
  }
  const api = contentApiState(strapi) as { auth?: unknown } | undefined;
  if (api) {
    const auth = strapi.get('auth') as { verify(auth: unknown, config: object): Promise<void> };
    return async (end) =>
      auth.verify(api.auth, { scope: [`${end.uid}.update`] }).then(
        () => true,
        () => false,
      );
  }
  return undefined;
}

async function labelOf(strapi: Core.Strapi, end: LinkEnd): Promise<string> {
  const model = strapi.getModel(end.uid as never) as unknown as {
    info: { displayName: string };
    attributes: Record<string, unknown>;
  };
  const field = LABEL_FIELDS.find((name) => name in model.attributes);
  const row = field
    ? ((await strapi.db
        .query(end.uid as never)
        .findOne({ where: versionOf(strapi, end, false), select: [field] } as never)) as Entity | null)
    : null;
  const name = row && field ? `"${String(row[field])}"` : end.documentId;
  return `${model.info.displayName} ${name}${end.locale ? ` (${end.locale})` : ''}`;
}

export function relationWriteRules(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!WRITES.has(context.action) || !context.uid.startsWith('api::')) return next();
    const params = context.params as { documentId?: string; data?: Record<string, unknown> };
    const relations = relationsOf(strapi, context.uid);
    // A clone copies the links of its source; other writes change only the relations they send.
    const sent = relations.filter((relation) => params.data && relation.attribute in params.data);
    if (relations.length === 0 || (context.action !== 'clone' && sent.length === 0)) return next();
    const mayUpdate = callerRights(strapi);
    if (!mayUpdate) return next();

    return strapi.db.transaction(async ({ trx }) => {
      const knex = trx as unknown as Knex;
      const known = params.documentId ? [params.documentId] : [];
      const moved = await movedDocuments(strapi, knex, context.uid, params.data);
      const before = await readLinks(strapi, knex, context.uid, known, moved);
      const result = await next();
      const written = (result as { documentId?: string } | null | undefined)?.documentId;
      const documentIds = [...new Set([...known, ...(written ? [written] : [])])];
      const after = await readLinks(strapi, knex, context.uid, documentIds, moved);

      // Each document changed at the other end of a link (once per locale), judged once.
      const judged = new Map<string, boolean>();
      const refused = new Map<string, { end: LinkEnd; attribute: string }>();
      for (const link of changedLinks(before, after)) {
        for (const [end, other] of [
          [link.from, link.to],
          [link.to, link.from],
        ]) {
          const self = end.uid === context.uid && end.documentId === written;
          if (self || !changes(end, other)) continue;
          const key = JSON.stringify([end.uid, end.documentId, end.locale]);
          if (!judged.has(key)) judged.set(key, await mayUpdate(end));
          if (!judged.get(key) && !refused.has(key)) refused.set(key, { end, attribute: link.attribute });
        }
      }
      if (refused.size > 0) {
        const ends = [...refused.values()];
        const labels = await Promise.all(ends.map(({ end }) => labelOf(strapi, end)));
        const attributes = [...new Set(ends.map(({ attribute }) => attribute))].join(', ');
        throw new errors.PolicyError(
          `A relation has two sides: this change of ${attributes} changes ${labels.join(', ')}, which this role may not edit`,
          {
            relations: [...new Set(ends.map(({ attribute }) => attribute))],
            documents: ends.map(({ end }) => ({
              uid: end.uid,
              documentId: end.documentId,
              locale: end.locale,
            })),
          },
        );
      }
      return result;
    });
  };
}
