import { factories } from '@strapi/strapi';
import { pinPopulate } from '../../../routes/populate';

const populate = {
  middlewares: [
    pinPopulate('api::service.service', {
      funders: { fields: ['name', 'slug'] },
      enterprises: { fields: ['name', 'slug'] },
    }),
  ],
};

export default factories.createCoreRouter('api::service.service', {
  config: { find: populate, findOne: populate },
});
