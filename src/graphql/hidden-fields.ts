/**
 * Fields kept out of the GraphQL schema.
 *
 * `UploadFile.related` is the upload plugin's morph relation from a file to every entry that uses
 * it. Its union type has no content-type target Strapi can check a query against, so selecting it
 * answered INTERNAL_SERVER_ERROR ("Missing schema in validateQuery") to anonymous callers; REST
 * already refuses it to public readers (403), and which entries use a file is staff's business.
 */
import type { Core } from '@strapi/strapi';

const HIDDEN: [uid: string, field: string][] = [['plugin::upload.file', 'related']];

export function registerHiddenFields(strapi: Core.Strapi): void {
  if (!strapi.plugin('graphql')) return;
  const extension = strapi.plugin('graphql').service('extension');
  for (const [uid, field] of HIDDEN) extension.shadowCRUD(uid).field(field).disable();
}
