import { factories } from '@strapi/strapi';
import { pinPopulate } from '../../../routes/populate';

// A funder's projects can be many: they are populated on request only.
const populate = { middlewares: [pinPopulate('api::funder.funder', {})] };

export default factories.createCoreRouter('api::funder.funder', {
  config: { find: populate, findOne: populate },
});
