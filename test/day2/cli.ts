/** Runs the CLI in-process with captured output (test helper). */
import { main } from '../../src/cli/main.js';

export interface Run {
  code: number;
  out: string;
  err: string;
}

export async function run(argv: string[], cwd = process.cwd(), env: Record<string, string | undefined> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), color: false, cwd, env });
  return { code, out, err };
}
