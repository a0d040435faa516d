/**
 * The remote URLs of the git checkout a folder belongs to, read from its git config files (no
 * git process): `<top>/.git/config`, or for a linked work tree (`.git` is a file naming the git
 * directory) the common directory's config. Only `[remote "..."] url = ...` lines are read.
 * Used to tell which Flux source is "this repository" (src/flux/source/this-repository.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Small cap: a config file is a few KB; anything larger is not read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

function readSmall(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_CONFIG_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The git directory of the work tree whose top level holds `dotGit` (a directory or a `gitdir:` file). */
function gitDirOf(dotGit: string): string | undefined {
  try {
    const st = fs.statSync(dotGit);
    if (st.isDirectory()) return dotGit;
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readSmall(dotGit) ?? '');
    return m ? path.resolve(path.dirname(dotGit), m[1]!) : undefined;
  } catch {
    return undefined;
  }
}

/** `url` values of every `[remote "..."]` section of a git config text, in file order. */
export function remoteUrlsOfConfig(text: string): string[] {
  const out: string[] = [];
  let inRemote = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inRemote = /^\[remote\s+"[^"]*"\]$/.test(line);
      continue;
    }
    if (!inRemote) continue;
    const m = /^url\s*=\s*(.*?)\s*$/i.exec(line);
    if (m?.[1]) out.push(m[1].replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

/**
 * The remote URLs of the checkout that `dir` is the top of or is inside (nearest `.git` upward),
 * or none when it is not in git or has no remote.
 */
export function gitRemoteUrls(dir: string): string[] {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    if (fs.existsSync(dotGit)) {
      const gitDir = gitDirOf(dotGit);
      if (!gitDir) return [];
      const common = readSmall(path.join(gitDir, 'commondir'))?.trim();
      const configDir = common ? path.resolve(gitDir, common) : gitDir;
      return remoteUrlsOfConfig(readSmall(path.join(configDir, 'config')) ?? '');
    }
    if (path.dirname(d) === d) return [];
  }
}
