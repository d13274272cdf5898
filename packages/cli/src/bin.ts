/**
 * `netsuite-sync`: checks the Node.js version, then runs the command (main.ts). The check comes first and
 * main.ts is loaded only after it, so that an old Node.js gets a message naming the version it needs
 * instead of a failure to load a module it does not have.
 *
 *   netsuite-sync demo
 *   netsuite-sync sync --settings settings.json
 */
import { nodeVersionProblem, UNSUPPORTED_NODE_EXIT_CODE } from './node-version';

const problem = nodeVersionProblem(process.versions.node);
if (problem === undefined) {
  await import('./main');
} else {
  process.stderr.write(problem);
  process.exitCode = UNSUPPORTED_NODE_EXIT_CODE;
}
