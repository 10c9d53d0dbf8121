/**
 * After a run of `npm test`: where the time went, per test file (wall time in its worker, slowest
 * first), and the run's total, so that the next person sees what to make faster. Jest's own
 * reporter still prints everything else.
 */
'use strict';

class TimingReporter {
  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((file) => ({
        name: file.testFilePath.replace(`${process.cwd()}/`, ''),
        seconds: (file.perfStats.end - file.perfStats.start) / 1000,
        tests: file.numPassingTests + file.numFailingTests + file.numPendingTests,
      }))
      .sort((a, b) => b.seconds - a.seconds);
    const total = files.reduce((sum, file) => sum + file.seconds, 0);
    const wall = (Date.now() - results.startTime) / 1000;
    const lines = files.map(
      (file) =>
        `${file.seconds.toFixed(1).padStart(7)} s  ${String(file.tests).padStart(5)} tests  ${file.name}`,
    );
    process.stderr.write(
      `\ntimes per test file (in their workers):\n${lines.join('\n')}\n` +
        `${total.toFixed(1).padStart(7)} s in all files, ${wall.toFixed(1)} s of wall time since jest started\n`,
    );
  }
}

module.exports = TimingReporter;
