/**
 * Serves public/index.html (the history page) at `/`, where Strapi 5 would redirect to the admin
 * panel; staff open /admin directly. The page's scripts and styles are served by strapi::public.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const file = path.join(strapi.dirs.static.public, 'index.html');
  return async (ctx, next) => {
    if (ctx.path !== '/' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.type = 'html';
    ctx.set('Cache-Control', 'public, no-cache');
    ctx.body = await readFile(file);
  };
};
