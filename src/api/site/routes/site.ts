import { factories } from '@strapi/strapi';
import { pinPopulate } from '../../../routes/populate';

const populate = { middlewares: [pinPopulate('api::site.site', { location: true })] };

export default factories.createCoreRouter('api::site.site', {
  config: { find: populate, findOne: populate },
});
