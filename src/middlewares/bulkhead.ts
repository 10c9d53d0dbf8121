/**
 * Bulkheads: expensive requests draw on a bounded share of the database pool, and each client on a
 * few of those at once, so that cheap reads always find a connection (issue 23, section 2).
 *
 * Ten anonymous requests filtering through relations used to hold every pooled connection; other
 * reads then waited 5 s for one and answered 503. Expensive here means a request whose cost grows
 * with the data rather than with the page: the partner downloads (CSV, XLSX), the search, a list
 * whose filter crosses a relation or component, and a GraphQL operation that does either. At most
 * `share` of the pool's connections serve such requests at once on an instance, and at most
 * `perClient` of them come from one client address (the address the limits key on, TRUSTED_PROXY_HOPS).
 * Beyond, the answer is immediate, never a wait: 429 for the client over its share, 503 when the
 * instance's share is taken, both with `Retry-After` in Strapi's error shape.
 *
 * It sits inside the response cache (a cached answer costs no connection and is never refused)
 * and after the query checks (a refused query costs nothing).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { Kind, parse, visit, type ValueNode } from 'graphql';
import { contentApiPaths, contentApiPathsOf, type ContentApiPaths } from '../utils/content-api';
import { unavailable } from './error-shape';

export interface BulkheadConfig {
  /** Share of DATABASE_POOL_MAX that expensive requests may hold at once (0 to 1). */
  share: number;
  /** Expensive requests one client may have running at once. */
  perClient: number;
}

/** Seconds a refused client is told to wait: expensive requests last about that long. */
const RETRY_AFTER = 1;

/** Under the REST prefix: the partner downloads and the search. */
const DOWNLOAD = /^listings\/[^/]+\.(csv|xlsx)$/;
const SEARCH = /^search\/?$/;
const GRAPHQL_OPERATORS = new Set(
  'and or not eq eqi ne nei lt lte gt gte in notIn contains notContains containsi notContainsi null notNull between startsWith startsWithi endsWith endsWithi'.split(
    ' ',
  ),
);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether a filter crosses a relation or component: a field whose condition is itself about
 * fields (`{ funders: { name: ... } }`), not operators (`{ title: { $eq: ... } }`). No schema is
 * needed: a condition on a plain field holds operators only.
 */
function crosses(filter: unknown, isOperator: (key: string) => boolean, depth = 0): boolean {
  if (depth > 32) return true;
  if (Array.isArray(filter)) return filter.some((item) => crosses(item, isOperator, depth + 1));
  if (!isRecord(filter)) return false;
  return Object.entries(filter).some(([key, value]) => {
    if (isOperator(key)) return crosses(value, isOperator, depth + 1);
    return isRecord(value) && Object.keys(value).some((inner) => !isOperator(inner));
  });
}

const restOperator = (key: string) => key.startsWith('$');
const graphqlOperator = (key: string) => GRAPHQL_OPERATORS.has(key);

/** A GraphQL literal as plain data, variables read from `variables`. */
function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.OBJECT:
      return Object.fromEntries(
        node.fields.map((field) => [field.name.value, valueOf(field.value, variables)]),
      );
    case Kind.LIST:
      return node.values.map((item) => valueOf(item, variables));
    case Kind.VARIABLE:
      return variables[node.name.value];
    default:
      return undefined;
  }
}

/** Whether a GraphQL document searches or filters through a relation (it was bounded before). */
function expensiveGraphql(query: unknown, variables: unknown): boolean {
  if (typeof query !== 'string') return false;
  let found = false;
  try {
    visit(parse(query), {
      Field(node) {
        if (node.name.value === 'search') found = true;
      },
      Argument(node) {
        if (node.name.value === 'filters' && !found)
          found = crosses(valueOf(node.value, isRecord(variables) ? variables : {}), graphqlOperator);
      },
    });
  } catch {
    return false; // not a document: GraphQL answers its own error, at no cost
  }
  return found;
}

/** The class of an expensive request, or undefined for a cheap one. */
export function expensiveClass(ctx: Context, paths: ContentApiPaths = contentApiPaths()): string | undefined {
  if (paths.isGraphql(ctx.path)) {
    const body = (ctx.method === 'GET' ? ctx.query : ctx.request.body) as
      { query?: unknown; variables?: unknown } | undefined;
    let variables = body?.variables;
    if (typeof variables === 'string') {
      try {
        variables = JSON.parse(variables);
      } catch {
        variables = undefined;
      }
    }
    return body && expensiveGraphql(body.query, variables) ? 'graphql' : undefined;
  }
  if (ctx.method !== 'GET' || !paths.isRest(ctx.path)) return undefined;
  const route = ctx.path.slice(paths.rest.length);
  if (DOWNLOAD.test(route)) return 'download';
  if (SEARCH.test(route)) return 'search';
  if (crosses((ctx.query as { filters?: unknown }).filters, restOperator)) return 'relation filter';
  return undefined;
}

export default (
  config: Partial<BulkheadConfig>,
  { strapi }: { strapi: Core.Strapi },
): Core.MiddlewareHandler => {
  const poolMax = Number(strapi.config.get('database.connection.pool.max')) || 10;
  const share = Math.min(1, Math.max(0, config.share ?? 0.4));
  const limit = Math.max(1, Math.floor(poolMax * share));
  const perClient = Math.max(1, config.perClient ?? 2);
  const contentApi = contentApiPathsOf(strapi);
  let running = 0;
  const byClient = new Map<string, number>();

  return async (ctx, next) => {
    const kind = expensiveClass(ctx as unknown as Context, contentApi);
    if (!kind) return next();
    const client = ctx.request.ip;
    if ((byClient.get(client) ?? 0) >= perClient) {
      ctx.set('Retry-After', String(RETRY_AFTER));
      throw new errors.RateLimitError(
        `Too many costly requests at once from this client (a ${kind}): at most ${perClient}; retry in a moment`,
      );
    }
    if (running >= limit) {
      ctx.state.shed = true; // global::response-cache serves no stale answer for it
      unavailable(ctx, `The server is busy with costly requests (a ${kind}); retry in a moment`, RETRY_AFTER);
      return;
    }
    running += 1;
    byClient.set(client, (byClient.get(client) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      running -= 1;
      const left = (byClient.get(client) ?? 1) - 1;
      if (left > 0) byClient.set(client, left);
      else byClient.delete(client);
    };
    // A streamed download holds its share until the last byte is sent (or the client leaves).
    ctx.res.once('close', release);
    try {
      await next();
    } finally {
      if (ctx.res.writableFinished || ctx.res.destroyed || !isStream(ctx.body)) release();
    }
  };
};

const isStream = (body: unknown) => typeof (body as { pipe?: unknown } | undefined)?.pipe === 'function';
