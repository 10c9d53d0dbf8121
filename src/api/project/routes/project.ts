import { factories } from '@strapi/strapi';
import { pinPopulate } from '../../../routes/populate';

const populate = {
  middlewares: [pinPopulate('api::project.project', { site: true, funders: { fields: ['name', 'slug'] } })],
};

export default factories.createCoreRouter('api::project.project', {
  config: { find: populate, findOne: populate },
});
