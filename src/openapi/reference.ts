/**
 * The readable API reference at `GET /api/docs`: Swagger UI (swagger-ui-dist, from the npm
 * registry) rendering `/api/openapi.json`, in every environment. Its script and stylesheet come
 * from node_modules through `/api/docs/<file>`, and its initializer is a served file, not an inline
 * script: the page runs under strapi::security's strict Content-Security-Policy and asks nothing
 * of another origin (no validator badge, which Swagger UI would fetch from validator.swagger.io).
 *
 * "Try it out" is on, for GET only: every documented operation is a public read, and the calls go
 * to this same origin.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { assetHandler, packageDir, type Asset } from '../utils/assets';

export const REFERENCE_PATH = '/api/docs';

const swaggerDir = () => packageDir('swagger-ui-dist');

/**
 * Swagger UI writes one level of a deepObject parameter, the rest as JSON
 * (filters[kind]={"$eq":"youth-house"}), which Strapi does not read: the request interceptor
 * expands such values into Strapi's syntax (filters[kind][$eq]=youth-house) before "Try it out"
 * sends them.
 */
const INITIALIZER = `'use strict';
function expand(query, name, value) {
  if (value !== null && typeof value === 'object') {
    Object.keys(value).forEach(function (key) {
      expand(query, name + '[' + key + ']', value[key]);
    });
  } else if (value !== null && value !== undefined) {
    query.append(name, String(value));
  }
}
function strapiQuery(request) {
  var url = new URL(request.url);
  var query = new URLSearchParams();
  url.searchParams.forEach(function (value, name) {
    var parsed = null;
    if (/^[[{]/.test(value)) {
      try {
        parsed = JSON.parse(value);
      } catch (notJson) {
        parsed = null;
      }
    }
    if (parsed !== null && typeof parsed === 'object') expand(query, name, parsed);
    else query.append(name, value);
  });
  url.search = query.toString();
  request.url = url.href;
  return request;
}
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: new URL('/api/openapi.json', window.location.href).href,
    dom_id: '#reference',
    deepLinking: true,
    // Swagger UI would load a badge image from validator.swagger.io: another origin.
    validatorUrl: null,
    // Every documented operation is a public read of this server.
    supportedSubmitMethods: ['get'],
    requestInterceptor: strapiQuery,
    defaultModelsExpandDepth: 0,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const PAGE_CSS = 'body { margin: 0; }\n';

/** The assets, by file name: their type and where they come from. */
const ASSETS: Record<string, Asset> = {
  'swagger-ui.css': {
    type: 'text/css',
    read: () => readFileSync(path.join(swaggerDir(), 'swagger-ui.css')),
  },
  'swagger-ui-bundle.js': {
    type: 'application/javascript',
    // Without the source-map comment: the map is not served.
    read: () =>
      readFileSync(path.join(swaggerDir(), 'swagger-ui-bundle.js'), 'utf8').replace(
        /\n\/\/# sourceMappingURL=\S+\s*$/,
        '\n',
      ),
  },
  'init.js': { type: 'application/javascript', read: () => INITIALIZER },
  'page.css': { type: 'text/css', read: () => PAGE_CSS },
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>API reference · Inter-Actions</title>
    <link rel="stylesheet" href="${REFERENCE_PATH}/swagger-ui.css" />
    <link rel="stylesheet" href="${REFERENCE_PATH}/page.css" />
  </head>
  <body>
    <main id="reference">
      <p>Loading the API reference… The raw description is <a href="/api/openapi.json">/api/openapi.json</a>.</p>
    </main>
    <script src="${REFERENCE_PATH}/swagger-ui-bundle.js"></script>
    <script src="${REFERENCE_PATH}/init.js"></script>
  </body>
</html>
`;

/** Mounts the page and its assets (outside the content API: no role grants them, none needs to). */
export function registerApiReference(strapi: Core.Strapi): void {
  strapi.server.routes([
    {
      method: 'GET',
      path: REFERENCE_PATH,
      handler: (ctx: Context) => {
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = PAGE;
      },
      config: { auth: false },
    },
    {
      method: 'GET',
      path: `${REFERENCE_PATH}/:file`,
      handler: assetHandler(ASSETS),
      config: { auth: false },
    },
  ] as never);
}
