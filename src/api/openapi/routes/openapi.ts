export default {
  routes: [
    {
      method: 'GET',
      path: '/openapi.json',
      handler: 'openapi.find',
      // Documentation of the public API: readable by anyone, like the API it describes.
      config: { auth: false },
    },
  ],
};
