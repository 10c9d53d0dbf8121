export default {
  routes: [{ method: 'GET', path: '/timeline', handler: 'timeline.find' }],
};
