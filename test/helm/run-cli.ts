// Runs the aksfleet CLI from the sources (for tests and manual comparison): node --import tsx test/helm/run-cli.ts ARGS...
import { main } from '../../src/cli/main.js';
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
