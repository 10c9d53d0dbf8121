/**
 * Runs in the jest worker's own realm (loaded by tests/support/environment.js with Node's require),
 * never in a test file's module registry: boots and stops Strapi for tests/support/strapi.ts.
 *
 * - process.env here is the worker's real environment (a test file sees a copy), which Strapi's
 *   configuration reads: a boot's variables are set here and restored when it stops.
 * - process is the worker's real process. Strapi adds SIGTERM and SIGINT listeners at every boot,
 *   each holding its instance, and its destroy() calls process.removeAllListeners(), which would
 *   also remove the worker's own IPC listener (the worker then exits between two files). So the
 *   listeners present before a boot are put back when that instance stops, and only those.
 */
'use strict';
const path = require('node:path');

/** `src/<name>` of the booted app: the compiled copy the app itself runs (one module instance). */
function appModule(distDir, name) {
  return require(path.join(distDir, name));
}

function restoreEnv(previous) {
  for (const name of Object.keys(process.env)) if (!(name in previous)) delete process.env[name];
  Object.assign(process.env, previous);
}

const snapshotListeners = () =>
  new Map(process.eventNames().map((event) => [event, process.rawListeners(event)]));

function restoreListeners(snapshot) {
  for (const event of process.eventNames())
    for (const listener of process.rawListeners(event))
      if (!snapshot.get(event)?.includes(listener)) process.removeListener(event, listener);
  for (const [event, listeners] of snapshot) {
    const present = process.rawListeners(event);
    for (const listener of listeners) if (!present.includes(listener)) process.on(event, listener);
  }
}

async function boot({ appDir, distDir, env }) {
  const previousEnv = { ...process.env };
  const listeners = snapshotListeners();
  resetProcessState();
  Object.assign(process.env, env);
  const { createStrapi } = require('@strapi/strapi');
  let strapi;
  try {
    strapi = await createStrapi({ appDir, distDir }).load();
    strapi.server.mount();
  } catch (error) {
    restoreListeners(listeners);
    restoreEnv(previousEnv);
    throw error;
  }
  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      try {
        await appModule(distDir, 'src/utils/settle').settle(strapi);
        await strapi.destroy();
      } finally {
        restoreListeners(listeners);
        restoreEnv(previousEnv);
      }
    })());
  return { strapi, stop };
}

/**
 * Process-wide state of libraries that a production process holds for its one Strapi, reset
 * between two instances of a worker: koa2-ratelimit's memory store (Strapi's admin and
 * users-permissions limiters keep their counts in one module-level object).
 */
function resetProcessState() {
  require('koa2-ratelimit').Stores.Memory.cleanAll();
}

module.exports = { boot, appModule, restoreEnv };
