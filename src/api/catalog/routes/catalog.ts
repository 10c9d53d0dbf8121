export default {
  routes: [
    // Public like the data it describes, through the public role (read-only tokens too):
    // src/permissions/table.ts grants `api::catalog.catalog.find`.
    { method: 'GET', path: '/catalog', handler: 'catalog.find' },
  ],
};
