/** The shared in-process CLI runner (src/cli/testing/run-cli.ts), with the check tests' fixed date. */
import { runCli as run, type CliRun, type RunCliOptions } from '../../src/cli/testing/run-cli.js';

export type CliResult = CliRun;

/** Runs the CLI in-process with captured output; AKSFLEET_TODAY is 2026-11-25 unless `env` says otherwise. */
export function runCli(
  args: string[],
  opts: Omit<RunCliOptions, 'env'> & { env?: Record<string, string> } = {},
): Promise<CliResult> {
  return run(args, { ...opts, env: { AKSFLEET_TODAY: '2026-11-25', ...opts.env } });
}
