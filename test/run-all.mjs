// Runs every suite (build, unit tests, end-to-end tests in real Chromium and Firefox, the latter
// including a smoke run of the benchmark) and ends with one plain line, "N passed, N failed, N skipped", counting
// all suites, so that a run that executed nothing is visible.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reports = mkdtempSync(join(tmpdir(), 'sockscope-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedToRun = 0;

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function vitest(label, config) {
  const output = join(reports, `${label}.json`);
  const status = run(label, 'npx', [
    'vitest',
    'run',
    '-c',
    config,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${output}`,
  ]);
  let report;
  try {
    report = JSON.parse(readFileSync(output, 'utf8'));
  } catch {
    console.error(`${label}: no report (exit ${status})`);
    failedToRun++;
    return;
  }
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A file that could not load counts as a failure even though none of its tests ran.
  for (const file of report.testResults) {
    if (file.status === 'failed' && file.assertionResults.length === 0) failedToRun++;
  }
}

if (run('build', 'npm', ['run', 'build']) !== 0) failedToRun++;
vitest('unit', 'vitest.config.ts');
vitest('e2e', 'vitest.e2e.config.ts');
rmSync(reports, { recursive: true, force: true });

const failed = totals.failed + failedToRun;
console.log(`\n${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);
process.exit(failed > 0 || totals.passed === 0 ? 1 : 0);
