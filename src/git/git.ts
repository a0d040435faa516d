/**
 * Running git: the only place that spawns it. Every call names the repository; errors become
 * InputError (a bad ref, not a repository) with git's own message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { InputError } from '../errors.js';

export interface GitResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1' };

/** Runs git and returns its output; throws InputError on a non-zero exit. */
export function git(repo: string, args: string[], input?: string | Buffer): string {
  const r = gitRaw(repo, args, input);
  if (r.status !== 0) {
    throw new InputError(
      `git ${args[0]} failed in ${repo}: ${r.stderr.trim() || r.stdout.trim() || `exit ${r.status}`}`,
    );
  }
  return r.stdout;
}

/** Runs git and returns status, stdout and stderr whatever the exit code. */
export function gitRaw(repo: string, args: string[], input?: string | Buffer): GitResult {
  const r = spawnSync('git', args, { cwd: repo, input, env: ENV, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.error) throw new InputError(`cannot run git: ${r.error.message} (is git installed?)`);
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs git and returns stdout as bytes (for blob contents). */
export function gitBytes(repo: string, args: string[], input?: string | Buffer): Buffer {
  try {
    return execFileSync('git', args, {
      cwd: repo,
      input,
      env: ENV,
      maxBuffer: 1 << 30,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new InputError(`git ${args[0]} failed in ${repo}: ${err.stderr?.toString().trim() || err.message}`);
  }
}

/**
 * The contents of the objects `shas` in one `git cat-file --batch`, by SHA. An object the
 * repository lacks (a partial or trimmed clone) is absent from the map: reading it says so.
 */
export function catFileBatch(repo: string, shas: readonly string[]): Map<string, Buffer> {
  const buf = gitBytes(repo, ['cat-file', '--batch'], shas.join('\n') + '\n');
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off < buf.length) {
    const nl = buf.indexOf(0x0a, off);
    const header = buf.toString('utf8', off, nl).split(' ');
    if (header[1] === 'missing') {
      off = nl + 1;
      continue;
    }
    const size = Number(header[2]);
    const start = nl + 1;
    out.set(header[0]!, buf.subarray(start, start + size));
    off = start + size + 1;
  }
  return out;
}

/** The top-level directory of the work tree containing `dir`, or undefined outside a repository. */
export function gitTopLevel(dir: string): string | undefined {
  const r = gitRaw(dir, ['rev-parse', '--show-toplevel']);
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Full commit SHA of a ref; InputError naming the ref when it does not exist. */
export function resolveCommit(repo: string, ref: string): string {
  const r = gitRaw(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (r.status !== 0) throw new InputError(`unknown git ref '${ref}' in ${repo}`);
  return r.stdout.trim();
}
