// Where a request's CPU time goes, layer by layer: reads the V8 CPU profile (`node --cpu-prof`) of
// a server that answered one scenario, and charges each sample to the innermost frame on its
// stack that belongs to a known layer: one of this app's modules (dist/src/...), one of Strapi's
// packages, knex, pg, Koa, GraphQL. Frames of other libraries (lodash, qs, yup...) are charged to
// the layer that called them. `npm run bench -- --profile` writes the table for S1 and S2.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Our modules, grouped as the bench's notes name the layers (dist/src/<file> → layer). */
const OUR_LAYERS = [
  [
    /security\/published-only|security\/relation-filters/,
    'ours: published-only and relation-filter rewriting',
  ],
  [/middlewares\/stable-order/, 'ours: stable order'],
  [/fast-path\/output-sanitizer/, 'ours: output sanitizer (fast path)'],
  [/fast-path\//, 'ours: fast path, other patches'],
  [
    /middlewares\/(query-guard|body-guard|bulkhead|graphql-bounds|cors-scope|canonical-path|data-transfer-guard|require-https|ready)|security\//,
    'ours: guards',
  ],
  [/cache\/|middlewares\/(response-cache|http-cache)/, 'ours: caches'],
  [/changes\/|search\//, 'ours: change feed and search middlewares'],
  [/routes\/|api\//, 'ours: routes and controllers'],
  [/./, 'ours: other'],
];

/** The layer of a frame's script, or undefined for a library that is charged to its caller. */
function layerOf(url, appDir) {
  if (!url) return undefined;
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const ours = path.join(appDir, 'dist', 'src') + path.sep;
  if (file.startsWith(ours)) {
    const relative = file.slice(ours.length);
    return OUR_LAYERS.find(([pattern]) => pattern.test(relative))[1];
  }
  const strapi = /node_modules\/@strapi\/([^/]+)\//.exec(file);
  if (strapi) return `Strapi: @strapi/${strapi[1]}`;
  if (/node_modules\/knex\//.test(file)) return 'knex (query building, running)';
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(file))
    return 'pg (driver, protocol, parsing rows)';
  if (/node_modules\/(koa|koa-compose|@koa\/[^/]+|koa-[^/]+)\//.test(file)) return 'Koa and its middlewares';
  if (/node_modules\/graphql\//.test(file)) return 'graphql-js';
  if (file.startsWith('node:') || !file.includes('/')) return 'Node.js (HTTP, streams, timers)';
  return undefined;
}

const SPECIAL = {
  '(garbage collector)': 'garbage collection',
  '(program)': 'V8 and native code (JSON, regexps...)',
  '(idle)': null,
  '(root)': null,
};

/** { layer: milliseconds } of one profile, idle left out. */
function layersOf(profileFile, appDir) {
  const profile = JSON.parse(fs.readFileSync(profileFile, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const charged = new Map();
  /** The layer of a node: its own, or its caller's, up to the root. */
  const layerOfNode = (id) => {
    if (charged.has(id)) return charged.get(id);
    const node = nodes.get(id);
    const name = node.callFrame.functionName;
    let layer;
    if (Object.hasOwn(SPECIAL, name)) layer = SPECIAL[name];
    else
      layer = layerOf(node.callFrame.url, appDir) ?? (parent.has(id) ? layerOfNode(parent.get(id)) : 'other');
    charged.set(id, layer);
    return layer;
  };
  const totals = {};
  const { samples, timeDeltas } = profile;
  for (let index = 0; index < samples.length; index += 1) {
    const layer = layerOfNode(samples[index]);
    if (layer === null) continue;
    totals[layer] = (totals[layer] ?? 0) + (timeDeltas[index] ?? 0) / 1000;
  }
  return totals;
}

/** Markdown rows: each layer's CPU time per request and its share, largest first. */
function profileTable(title, profileFile, requests, appDir) {
  const totals = layersOf(profileFile, appDir);
  const all = Object.values(totals).reduce((sum, value) => sum + value, 0);
  const rows = Object.entries(totals)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([layer, ms]) => `| ${layer} | ${(ms / requests).toFixed(3)} ms | ${((100 * ms) / all).toFixed(1)} % |`,
    );
  return [
    `${title}: ${requests} requests, ${(all / requests).toFixed(2)} ms of CPU each (idle left out).`,
    '',
    '| layer | CPU per request | share |',
    '|---|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

module.exports = { layerOf, layersOf, profileTable };
