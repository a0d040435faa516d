/** Test helpers: real git repositories in temporary folders. */
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git } from './git.js';

/** A new repository with an initial commit on `main` holding `files` (a value `{ symlink: target }` makes a link). */
export function makeRepo(files: Record<string, string | { symlink: string }>, branch = 'main'): string {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-git-'));
  git(dir, ['init', '-q', '-b', branch]);
  git(dir, ['config', 'user.email', 'test@example.com']);
  git(dir, ['config', 'user.name', 'aksfleet test']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  writeFiles(dir, files);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'initial']);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | { symlink: string }>): void {
  for (const [p, v] of Object.entries(files)) {
    const abs = join(dir, p);
    mkdirSync(dirname(abs), { recursive: true });
    if (typeof v === 'string') writeFileSync(abs, v);
    else symlinkSync(v.symlink, abs);
  }
}

/** Writes files and commits them. Returns the new commit SHA. */
export function commitFiles(
  dir: string,
  files: Record<string, string | { symlink: string }>,
  message = 'change',
): string {
  writeFiles(dir, files);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}
