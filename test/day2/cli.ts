/** Runs the CLI in-process with captured output (test helper): the shared runner, positional arguments. */
import { runCli, type CliRun } from '../../src/cli/testing/run-cli.js';

export type Run = CliRun;

export function run(argv: string[], cwd = process.cwd(), env: Record<string, string | undefined> = {}): Promise<Run> {
  return runCli(argv, { cwd, env });
}
