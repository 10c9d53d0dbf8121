import { factories } from '@strapi/strapi';
import { pinPopulate } from '../../../routes/populate';

const populate = {
  middlewares: [
    pinPopulate('api::enterprise.enterprise', { sectors: true, services: { fields: ['name', 'slug'] } }),
  ],
};

export default factories.createCoreRouter('api::enterprise.enterprise', {
  config: { find: populate, findOne: populate },
});
