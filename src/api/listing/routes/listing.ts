export default {
  routes: [
    { method: 'GET', path: '/listings/projects', handler: 'listing.find' },
    { method: 'GET', path: '/listings/projects.csv', handler: 'listing.find' },
    { method: 'GET', path: '/listings/projects.xlsx', handler: 'listing.find' },
    // Any other extension: 400 naming it (rather than a 404 that reads like a missing listing).
    { method: 'GET', path: '/listings/projects.:format', handler: 'listing.find' },
  ],
};
