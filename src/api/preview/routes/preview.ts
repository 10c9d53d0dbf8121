export default {
  routes: [
    {
      method: 'GET',
      path: '/preview',
      handler: 'preview.find',
      config: {
        description: 'The draft of one document, for the entry page, with a preview token (X-Preview-Token)',
        // No role grants this: the preview token (src/preview/token.ts) is the credential, checked
        // by the controller; without a valid one for this document and locale it answers 401/403.
        auth: false,
      },
    },
  ],
};
