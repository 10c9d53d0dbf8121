/**
 * GraphQL relation fields prepared once per request, field and arguments, not once per entry.
 *
 * For every entry of a list, Strapi resolves `site` or `funders` through its field wrapper (auth
 * check, policy context) and its association resolver (argument transformation, query validation
 * and sanitization, status and publication filters), and for every entry that comes to the same
 * database query: only the parent differs. With 25 projects and two relations that was 50
 * preparations per request and most of its CPU time (measured: 725 requests/s for the list
 * without relations, 134 with both). Here the first entry goes through Strapi's resolver
 * unchanged and the load it makes (`db.query(uid).load(parent, field, query)`) is seen; the other
 * entries under the same field, arguments and root query make that load for their own parent, in
 * the same DataLoader batch (batch-relations.ts), and answer what Strapi's field resolver answers
 * with it: the loaded value, or [] for an empty to-many.
 *
 * Only where nothing else can differ between entries: relation fields (not polymorphic: media are
 * not relations) whose resolver configuration is the auth scope Strapi generates, with no policy,
 * middleware or resolver of anyone else's. While the first entry has not reached its load, the
 * others wait for it; if it fails instead (forbidden, invalid arguments), each of them goes
 * through Strapi's resolver and fails as it would have.
 */
import type { Core } from '@strapi/strapi';
import {
  getNamedType,
  GraphQLObjectType,
  Kind,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
} from 'graphql';
import { plainDataKey } from './query-checks';
import { withLoadsSeen, type LoadCall } from './graphql-batch-relations';
import { checkSchemaHooks, modelTypes, whenSchemaBuilt, type Extension } from './graphql-schema';
import { expectFunction, type FastPathPatch } from './patch';

type Resolver = GraphQLFieldResolver<unknown, unknown>;
type Attribute = { type: string; relation?: string; target?: string };
type Model = { modelType: string; uid: string; attributes: Record<string, Attribute> };

/** Tests compare with Strapi's resolvers by setting this on the Strapi instance to `true`. */
export const SHARING_DISABLED = Symbol.for('inter-actions.graphql.relation-sharing-disabled');

/** Per request (the GraphQL context), the load each shared field made, once known. */
const preparations = new WeakMap<object, Map<string, Promise<LoadCall | undefined>>>();

/** The configuration Strapi generates for a relation field: its target's find scope, nothing else. */
function onlyGeneratedScope(config: unknown, target: string): boolean {
  if (typeof config !== 'object' || config === null) return false;
  const { auth, ...rest } = config as { auth?: { scope?: unknown } };
  if (Object.keys(rest).length > 0 || typeof auth !== 'object' || auth === null) return false;
  const { scope, ...authRest } = auth;
  return (
    Object.keys(authRest).length === 0 &&
    Array.isArray(scope) &&
    scope.length === 1 &&
    scope[0] === `${target}.find`
  );
}

/** Attribute types whose GraphQL field is not the stored value. */
const NOT_PLAIN = new Set(['relation', 'component', 'media', 'dynamiczone']);

/**
 * The columns the selection reads, when it reads only plain fields of the target (resolved by
 * reading the property: see plain-fields.ts) and relations (which need the id alone), so that the
 * load need not fetch and convert the others; otherwise undefined (the whole row).
 * `plainFields` are the target type's fields without a resolver, taken when the schema was built
 * (Apollo later wraps every resolver).
 */
function selectedColumns(
  info: GraphQLResolveInfo,
  target: Model,
  plainFields: Set<string>,
): string[] | undefined {
  const columns = new Set(['id']);
  for (const node of info.fieldNodes) {
    for (const selection of node.selectionSet?.selections ?? []) {
      if (selection.kind !== Kind.FIELD) return undefined;
      const name = selection.name.value;
      if (name === '__typename') continue;
      const attribute = target.attributes[name];
      if (attribute?.type === 'relation') continue;
      if (!attribute || !plainFields.has(name)) return undefined;
      columns.add(name);
    }
  }
  return [...columns];
}

/** The root field an entry hangs from: Strapi's association resolver reads its arguments. */
function rootKey(info: GraphQLResolveInfo): string {
  let path = info.path;
  while (path.prev) path = path.prev;
  return String(path.key);
}

export function shareRelationPreparation(strapi: Core.Strapi) {
  whenSchemaBuilt(strapi, (schema, extension: Extension) => {
    for (const { model, typeName, type } of modelTypes<Model>(strapi, schema)) {
      const fields = type.getFields();
      for (const [name, attribute] of Object.entries(model.attributes)) {
        if (attribute.type !== 'relation' || !attribute.target || attribute.relation?.startsWith('morph'))
          continue;
        const field = fields[name];
        if (!field?.resolve || extension.resolvers?.[typeName]?.[name] !== undefined) continue;
        if (!onlyGeneratedScope(extension.resolversConfig?.[`${typeName}.${name}`], attribute.target))
          continue;
        const target = strapi.getModel(attribute.target as never) as unknown as Model | undefined;
        const targetType = getNamedType(field.type);
        const plainFields = new Set(
          targetType instanceof GraphQLObjectType && target
            ? Object.entries(targetType.getFields())
                .filter(([fieldName, { resolve }]) => {
                  const type = target.attributes[fieldName]?.type;
                  return resolve === undefined && type !== undefined && !NOT_PLAIN.has(type);
                })
                .map(([fieldName]) => fieldName)
            : [],
        );
        field.resolve = shared(strapi, field.resolve, {
          field: name,
          toMany: Boolean(attribute.relation?.endsWith('Many')),
          columnsOf: (info) => (target ? selectedColumns(info, target, plainFields) : undefined),
        });
      }
    }
  });
}

interface SharedField {
  field: string;
  toMany: boolean;
  /** The columns the selection needs, or undefined for the whole row. */
  columnsOf: (info: GraphQLResolveInfo) => string[] | undefined;
}

function shared(
  strapi: Core.Strapi,
  strapiResolve: Resolver,
  { field, toMany, columnsOf }: SharedField,
): Resolver {
  const loadFor = async (call: LoadCall, parent: unknown) => {
    const value = await strapi.db
      .query(call.uid as never)
      .load(parent as never, field as never, call.populate as never);
    return toMany ? (value ?? []) : value;
  };

  return (parent, args, context, info) => {
    const argsKey = plainDataKey(args);
    if (
      (strapi as unknown as Record<symbol, boolean>)[SHARING_DISABLED] ||
      argsKey === undefined ||
      typeof context !== 'object' ||
      context === null
    )
      return strapiResolve(parent, args, context, info);

    let byKey = preparations.get(context);
    if (!byKey) preparations.set(context, (byKey = new Map()));
    // The columns are part of the key: two aliases with the same arguments may select others.
    const columns = columnsOf(info);
    const key = `${info.parentType.name}.${info.fieldName}|${rootKey(info)}|${argsKey}|${columns ?? '*'}`;
    const prepared = byKey.get(key);
    if (prepared)
      return prepared.then((call) =>
        call ? loadFor(call, parent) : strapiResolve(parent, args, context, info),
      );

    // The first entry: Strapi's resolver, its load seen (and narrowed to the selected columns).
    let seen!: (call: LoadCall | undefined) => void;
    const preparation = new Promise<LoadCall | undefined>((resolve) => (seen = resolve));
    byKey.set(key, preparation);
    const result = withLoadsSeen(
      (call) => {
        if (call.entity !== parent || call.fields !== field) return undefined;
        const query = call.populate;
        const narrowed =
          columns && typeof query === 'object' && query !== null && !('select' in query)
            ? { ...query, select: columns }
            : undefined;
        seen(narrowed ? { ...call, populate: narrowed } : call);
        return narrowed;
      },
      () => strapiResolve(parent, args, context, info),
    );
    Promise.resolve(result).then(
      () => seen(undefined),
      () => {
        byKey.delete(key);
        seen(undefined);
      },
    );
    return result;
  };
}

export const patch: FastPathPatch = {
  name: 'graphql-shared-relations',
  // The loads it shares are seen through the batching scope of graphql-batch-relations.
  requires: ['graphql-batch-relations'],
  check: (strapi) =>
    checkSchemaHooks(strapi) ??
    expectFunction('strapi.contentAPI.validate.query', strapi.contentAPI?.validate?.query, 2),
  apply: shareRelationPreparation,
};
