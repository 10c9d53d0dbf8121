/**
 * GraphiQL, served from this server at `GET /graphql` (a browser's request, Accept: text/html) in
 * development. Apollo's sandbox, Strapi's default landing page, loads from Apollo's CDN and shows
 * "offline" here; this page loads GraphiQL, React and ReactDOM from node_modules through
 * /graphql/ide/*, with no inline script (the initializer is a served file), so it runs under the
 * strict Content-Security-Policy of strapi::security and asks nothing of another origin.
 *
 * Off in production, like introspection (config/plugins.ts `landingPage`): production serves the
 * endpoint and the schema document (/graphql/schema.graphql) alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Core } from '@strapi/strapi';
import { assetHandler, packageDir, type Asset } from '../utils/assets';

export const IDE_PREFIX = '/graphql/ide';

const reactDir = () => path.dirname(require.resolve('react'));
const reactDomDir = () => path.dirname(require.resolve('react-dom'));

/** Mounts the IDE in the element #graphiql; a file, so that the CSP needs no 'unsafe-inline'. */
const INITIALIZER = `'use strict';
(function () {
  var fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', window.location.href).href });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }),
  );
})();
`;

const PAGE_CSS = 'html, body, #graphiql { height: 100%; margin: 0; }\n';

/** The assets, by file name: their type and where they come from. */
const ASSETS: Record<string, Asset> = {
  'react.production.min.js': {
    type: 'application/javascript',
    read: () => readFileSync(path.join(reactDir(), 'umd', 'react.production.min.js')),
  },
  'react-dom.production.min.js': {
    type: 'application/javascript',
    read: () => readFileSync(path.join(reactDomDir(), 'umd', 'react-dom.production.min.js')),
  },
  'graphiql.min.js': {
    type: 'application/javascript',
    read: () => readFileSync(path.join(packageDir('graphiql'), 'graphiql.min.js')),
  },
  'graphiql.min.css': {
    type: 'text/css',
    read: () => readFileSync(path.join(packageDir('graphiql'), 'graphiql.min.css')),
  },
  'init.js': { type: 'application/javascript', read: () => INITIALIZER },
  'page.css': { type: 'text/css', read: () => PAGE_CSS },
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>GraphQL IDE · Inter-Actions</title>
    <link rel="stylesheet" href="${IDE_PREFIX}/graphiql.min.css" />
    <link rel="stylesheet" href="${IDE_PREFIX}/page.css" />
  </head>
  <body>
    <div id="graphiql">Loading the GraphQL IDE…</div>
    <script src="${IDE_PREFIX}/react.production.min.js"></script>
    <script src="${IDE_PREFIX}/react-dom.production.min.js"></script>
    <script src="${IDE_PREFIX}/graphiql.min.js"></script>
    <script src="${IDE_PREFIX}/init.js"></script>
  </body>
</html>
`;

/** The landing page for config/plugins.ts `landingPage` (Strapi calls it with strapi). */
export const graphiqlLandingPage = (): ApolloServerPlugin => ({
  async serverWillStart() {
    return {
      async renderLandingPage() {
        return { html: PAGE };
      },
    };
  },
});

/** The assets' routes, only where the IDE is the landing page (not in production by default). */
export function registerGraphqlIde(strapi: Core.Strapi): void {
  if (typeof strapi.plugin('graphql').config('landingPage') !== 'function') return;
  strapi.server.routes([
    {
      method: 'GET',
      path: `${IDE_PREFIX}/:file`,
      handler: assetHandler(ASSETS, { 'Cache-Control': 'no-cache' }),
      config: { auth: false },
    },
  ] as never);
}
