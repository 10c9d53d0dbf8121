/**
 * Files of a page served by this server (the API reference's Swagger UI, the GraphQL IDE): a
 * fixed table of names, each read once (from node_modules or a constant), so no path from the
 * request ever reaches the file system. An unknown name is Strapi's 404.
 */
import path from 'node:path';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

export interface Asset {
  type: string;
  read: () => string | Buffer;
}

/** The directory of an installed package. */
export const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/** The route handler of `/<prefix>/:file` for these assets. */
export function assetHandler(
  assets: Record<string, Asset>,
  headers: Record<string, string> = {},
): (ctx: Context) => void {
  const cache = new Map<string, string | Buffer>();
  return (ctx) => {
    const { file } = ctx.params as { file: string };
    const asset = Object.hasOwn(assets, file) ? assets[file] : undefined;
    if (!asset) throw new errors.NotFoundError('Not Found');
    if (!cache.has(file)) cache.set(file, asset.read());
    ctx.type = `${asset.type}; charset=utf-8`;
    for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
    ctx.body = cache.get(file);
  };
}
