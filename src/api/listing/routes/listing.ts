export default {
  routes: [
    { method: 'GET', path: '/listings/projects', handler: 'listing.find' },
    { method: 'GET', path: '/listings/projects.csv', handler: 'listing.find' },
  ],
};
