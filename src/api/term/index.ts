/**
 * Vocabulary terms (src/vocabulary/terms.ts): the rules of every write, registered with the API's
 * own register hook (Strapi runs it before the app's), and no GraphQL types or operations for the
 * raw collection: the public reads the labels through GET /api/vocabulary, the listings and the
 * timeline. The content API has no route to terms either (this API has no routes).
 */
import type { Core } from '@strapi/strapi';
import { TERM_UID, termRules } from '../../vocabulary/terms';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    strapi.documents.use(termRules(strapi));
    if (strapi.plugin('graphql'))
      strapi.plugin('graphql').service('extension').shadowCRUD(TERM_UID).disable();
  },
};
