import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { buildOpenApiDocument } from '../../../openapi/document';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let document: Record<string, unknown> | undefined;
  return {
    async find(ctx: Context) {
      // The schemas do not change while the server runs: build the document once.
      document ??= buildOpenApiDocument(strapi);
      ctx.body = document;
    },
  };
};
