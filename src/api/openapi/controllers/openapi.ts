import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { untilNextWrite } from '../../../cache';
import { localeCodes } from '../../../i18n/fallback';
import { buildOpenApiDocument } from '../../../openapi/document';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // The schemas do not change while the server runs, the locales may (the admin panel adds one):
  // the document is built again after a write.
  let document: (() => Promise<Record<string, unknown>>) | undefined;
  return {
    async find(ctx: Context) {
      document ??= untilNextWrite(strapi, async () =>
        buildOpenApiDocument(strapi, [...(await localeCodes(strapi))]),
      );
      ctx.body = await document();
    },
  };
};
