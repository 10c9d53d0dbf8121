export default {
  routes: [
    {
      method: 'GET',
      path: '/changes',
      handler: 'change.find',
      config: { description: 'Changes to published content, oldest first, from a cursor (src/changes)' },
    },
  ],
};
