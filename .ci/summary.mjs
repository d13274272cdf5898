// Prints one closing line from vitest's JSON report: "tests: N passed, N failed, N skipped".
// Fails when the report is missing or no test ran, so an empty run can never pass silently.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.error(`No test report at ${file}: the test run did not complete.`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed + failed === 0) {
  console.error('No test ran.');
  process.exit(1);
}
process.exit(failed > 0 || report.success === false ? 1 : 0);
