// The e2e files run in name order: admin-panel (registers the first administrator and adds a
// project translated into German only) before history-page (which shows that project's fallback).
const Sequencer = require('@jest/test-sequencer').default;

module.exports = class ByName extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
};
