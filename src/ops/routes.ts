/**
 * The route template of a request, for log lines and metric labels: the router's path
 * (`/api/projects/:id`) and never the raw URL, so that label sets stay bounded. A request the
 * router did not see (answered from the response cache, refused before routing) is matched again
 * against the router; one that matches no route is `unmatched`, and what the catch-all routes
 * serve (public files, the admin panel's pages) is `static`.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

export const UNMATCHED = 'unmatched';
export const STATIC = 'static';
const CATCH_ALL = /[(*]/;

interface Layer {
  path: string | RegExp;
  methods: string[];
}
interface Matcher {
  match: (path: string, method: string) => { pathAndMethod: Layer[] };
}

const MEMO_SIZE = 2000;

export function routeTemplates(strapi: Core.Strapi): (ctx: Context) => string {
  const memo = new Map<string, string>();
  const router = (strapi.server as unknown as { router?: Matcher }).router;
  const lookup = (method: string, path: string): string => {
    const key = `${method} ${path}`;
    const known = memo.get(key);
    if (known) return known;
    let template = UNMATCHED;
    try {
      // The first route in the stack answers (the catch-alls come last).
      const layers = (router?.match(path, method).pathAndMethod ?? []).map((layer) => String(layer.path));
      template = layers.find((candidate) => !CATCH_ALL.test(candidate)) ?? layers[0] ?? UNMATCHED;
    } catch {
      // a path the router cannot decode matches nothing
    }
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(key, template);
    return template;
  };
  return (ctx) => {
    const matched = (ctx as unknown as { _matchedRoute?: string | RegExp })._matchedRoute;
    const template = matched ? String(matched) : lookup(ctx.method, ctx.path);
    // The catch-all routes (public files, the admin panel's pages) match any path: their pattern
    // says nothing, and a 404 through them is a path that matches no route.
    if (CATCH_ALL.test(template)) return ctx.status === 404 ? UNMATCHED : STATIC;
    return template;
  };
}
