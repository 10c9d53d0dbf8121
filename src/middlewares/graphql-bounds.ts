/**
 * Bounds on the GraphQL documents and variables a request may hand to Apollo, checked before
 * Apollo parses anything. A penetration test sent 949 KB anonymous documents (80,000 variable
 * definitions, 90,000 `__typename`, 40,000 operations, 100,000 duplicate variables): each took 2 to
 * 4 s of CPU in parsing and validation, the event loop blocked, before the cost rules refused it;
 * variables nested 20,000 deep overflowed the stack in their coercion (INTERNAL_SERVER_ERROR).
 *
 * Past a limit (GRAPHQL_LIMITS), the request answers 400 in Strapi's error shape, like the 413 of
 * an oversize body, `details` naming the limit. The document is read token by token with
 * graphql-js's lexer and the scan stops at the first limit passed; a syntax error ends the scan
 * and is left to Apollo, which reports it. GET requests are read from the query string as Apollo
 * reads it. POST bodies are parsed here by the GraphQL plugin's own parser (its koa-bodyparser,
 * with its `bodyParserConfig`), which finds them parsed when the plugin's route runs and leaves
 * them; boot stops if the plugin no longer has it. Batched bodies (arrays, which Apollo refuses
 * anyway) are checked document by document. Apollo also parses with `maxTokens`
 * (config/plugins.ts). Sits after global::body-guard, which leaves GraphQL bodies to its Apollo
 * plugin.
 */
import { createRequire } from 'node:module';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { Lexer, Source, TokenKind } from 'graphql';
import { contentApiPathsOf } from '../utils/content-api';

/**
 * What one request may send. The largest documents the project's clients send (tests/, bench/,
 * GraphiQL) are GraphiQL's introspection query (2,100 characters, 184 tokens, nesting 10, 4
 * definitions) and the canary crawl's widest list query (146 tokens); the most variables, 8 `$`.
 * The tokens bound what validation can cost: the costliest shape found (one field with a
 * selection, repeated) takes about 35 ms of CPU at 1,000 tokens, 115 ms at 2,000.
 */
export const GRAPHQL_LIMITS = {
  /** Characters of the document. */
  length: 32_768,
  tokens: 1_000,
  /** Brackets `{`, `[` and `(` inside one another in the document; objects and lists in variables. */
  depth: 32,
  /** Operations and fragments. */
  definitions: 50,
  /** `$`, where a variable is defined and where it is used. */
  variables: 100,
  /** `@`. */
  directives: 50,
};

type Limit = keyof typeof GRAPHQL_LIMITS | 'variablesDepth';

interface Refusal {
  limit: Limit;
  message: string;
}

/** The first limit the document passes, reading no further than that. */
export function documentRefusal(text: string): Refusal | undefined {
  const max = GRAPHQL_LIMITS;
  if (text.length > max.length) {
    return {
      limit: 'length',
      message: `The GraphQL document is ${text.length} characters long; at most ${max.length}`,
    };
  }
  const lexer = new Lexer(new Source(text));
  let tokens = 0;
  let depth = 0;
  let definitions = 0;
  let variables = 0;
  let directives = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > max.tokens)
        return { limit: 'tokens', message: `The GraphQL document has more than ${max.tokens} tokens` };
      const kind = token.kind;
      // Every operation and fragment has one selection set at the top level, and nothing else does.
      if (kind === TokenKind.BRACE_L && depth === 0 && ++definitions > max.definitions) {
        return {
          limit: 'definitions',
          message: `The GraphQL document has more than ${max.definitions} operations and fragments`,
        };
      }
      if (kind === TokenKind.BRACE_L || kind === TokenKind.BRACKET_L || kind === TokenKind.PAREN_L) {
        if (++depth > max.depth)
          return { limit: 'depth', message: `The GraphQL document nests more than ${max.depth} levels` };
      } else if (kind === TokenKind.BRACE_R || kind === TokenKind.BRACKET_R || kind === TokenKind.PAREN_R) {
        depth = Math.max(0, depth - 1);
      } else if (kind === TokenKind.DOLLAR && ++variables > max.variables) {
        return {
          limit: 'variables',
          message: `The GraphQL document has more than ${max.variables} variables ($, defined or used)`,
        };
      } else if (kind === TokenKind.AT && ++directives > max.directives) {
        return {
          limit: 'directives',
          message: `The GraphQL document has more than ${max.directives} directives (@)`,
        };
      }
    }
  } catch {
    // A syntax error, from the tokens read so far: Apollo's parser stops there too and reports it.
  }
  return undefined;
}

/** The first variable nested deeper than the limit, walked without recursion. */
export function variablesRefusal(variables: unknown): Refusal | undefined {
  if (!variables || typeof variables !== 'object') return undefined;
  const max = GRAPHQL_LIMITS.depth;
  for (const [name, value] of Object.entries(variables)) {
    const pending: [unknown, number][] = [[value, 1]];
    while (pending.length > 0) {
      const [current, depth] = pending.pop()!;
      if (current === null || typeof current !== 'object') continue;
      if (depth > max) {
        return {
          limit: 'variablesDepth',
          message: `The GraphQL variable $${name} nests more than ${max} levels of objects and lists`,
        };
      }
      for (const child of Object.values(current)) pending.push([child, depth + 1]);
    }
  }
  return undefined;
}

function refuse(refusal: Refusal | undefined): void {
  if (!refusal) return;
  const max = refusal.limit === 'variablesDepth' ? GRAPHQL_LIMITS.depth : GRAPHQL_LIMITS[refusal.limit];
  throw new errors.ValidationError(refusal.message, { limit: refusal.limit, max });
}

/** One GraphQL request of a POST body: its `query` and `variables`, when they have Apollo's types. */
function checkRequest(request: unknown): void {
  if (!request || typeof request !== 'object') return;
  const { query, variables } = request as { query?: unknown; variables?: unknown };
  if (typeof query === 'string') refuse(documentRefusal(query));
  refuse(variablesRefusal(variables));
}

/** A GET request, from its query string read as Apollo reads it. */
function checkSearch(search: string): void {
  const params = new URLSearchParams(search);
  for (const query of params.getAll('query')) refuse(documentRefusal(query));
  for (const text of params.getAll('variables')) {
    let variables: unknown;
    try {
      variables = JSON.parse(text);
    } catch {
      continue; // Apollo answers 400 for invalid JSON
    }
    refuse(variablesRefusal(variables));
  }
}

type BodyParser = (options?: object) => Core.MiddlewareHandler;

/** The GraphQL plugin's body parser, configured as the plugin configures it; none if it has none. */
function pluginBodyParser(strapi: Core.Strapi): Core.MiddlewareHandler | undefined {
  const configured = strapi.config.get<unknown>('plugin::graphql.apolloServer.bodyParserConfig', true);
  if (!configured) return undefined;
  let bodyParser: unknown;
  try {
    bodyParser = createRequire(require.resolve('@strapi/plugin-graphql/package.json'))('koa-bodyparser');
  } catch {
    // Checked below.
  }
  if (typeof bodyParser !== 'function') {
    throw new Error(
      '[graphql-bounds] @strapi/plugin-graphql no longer parses bodies with koa-bodyparser: adapt src/middlewares/graphql-bounds.ts',
    );
  }
  return typeof configured === 'object'
    ? (bodyParser as BodyParser)(configured)
    : (bodyParser as BodyParser)();
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const contentApi = contentApiPathsOf(strapi);
  const parseBody = pluginBodyParser(strapi);
  return async (ctx, next) => {
    if (!contentApi.isGraphql(ctx.path)) return next();
    if (ctx.method === 'GET') {
      checkSearch(ctx.querystring);
    } else if (ctx.method === 'POST') {
      if (ctx.request.body === undefined && parseBody) await parseBody(ctx, async () => {});
      for (const request of [ctx.request.body].flat()) checkRequest(request);
    }
    return next();
  };
};
