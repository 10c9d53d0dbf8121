// Preloaded into a server by `npm run bench -- --profile` (NODE_OPTIONS=-r): SIGUSR2 starts V8's
// CPU profiler in this process, the next SIGUSR2 stops it and writes the profile to
// BENCH_PROFILE_FILE, so that the profile holds the measured requests and not the boot.
'use strict';
const fs = require('node:fs');
const inspector = require('node:inspector');

const session = new inspector.Session();
session.connect();
let running = false;
process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')),
    );
    return;
  }
  running = false;
  session.post('Profiler.stop', (error, result) => {
    if (!error) fs.writeFileSync(process.env.BENCH_PROFILE_FILE, JSON.stringify(result.profile));
  });
});
