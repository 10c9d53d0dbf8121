import { factories } from '@strapi/strapi';
import { pinPopulate } from '../../../routes/populate';

const populate = {
  middlewares: [
    pinPopulate('api::organisation.organisation', { funders: { fields: ['name', 'slug', 'kind'] } }),
  ],
};

export default factories.createCoreRouter('api::organisation.organisation', {
  config: { find: populate },
});
