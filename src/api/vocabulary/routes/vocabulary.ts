export default {
  routes: [
    {
      method: 'GET',
      path: '/vocabulary',
      handler: 'vocabulary.find',
      config: { description: 'Labels of the enumeration keys (project kinds, service themes, funder kinds)' },
    },
  ],
};
