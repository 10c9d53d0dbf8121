export default {
  routes: [
    {
      method: 'GET',
      path: '/search',
      handler: 'search.find',
      config: { description: 'Ranked full-text search over the published content (src/search)' },
    },
  ],
};
