/**
 * The check flags the console shares with `check` (`--platform`, `--policies`): parsed one way
 * for both, so `aksfleet ui` shows the findings `aksfleet check` gives with the same flags.
 */
import { UsageError } from '../errors.js';
import type { PolicyDocument } from '../admission/types.js';
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { readDocs, yamlFiles } from '../admission/apply.js';

export const CHECK_SELECTION_FLAGS = {
  policies: { type: 'string', multiple: true },
  platform: { type: 'string' },
} as const;

export interface CheckSelection {
  readonly platform?: 'aks' | 'kubernetes';
  readonly policies?: readonly PolicyDocument[];
}

/** `--platform aks|kubernetes` (none: the repository decides). */
export function platformOf(flags: Readonly<Record<string, unknown>>): CheckSelection['platform'] {
  const platform = flags.platform;
  if (platform !== undefined && platform !== 'aks' && platform !== 'kubernetes') throw new UsageError(`--platform '${String(platform)}' is not one of: aks, kubernetes`);
  return platform;
}

/** `--platform` and `--policies` (repeatable; files or folders, relative to `cwd`). */
export function checkSelection(flags: Readonly<Record<string, unknown>>, cwd: string, root: string): CheckSelection {
  const platform = platformOf(flags);
  const policies = policyDocuments(root, cwd, Array.isArray(flags.policies) ? flags.policies.map(String) : flags.policies === undefined ? [] : [String(flags.policies)]);
  return { ...(platform !== undefined ? { platform } : {}), ...(policies.length ? { policies } : {}) };
}

/**
 * The documents of `--policies` (files or folders of YAML, read as given: inside the repository
 * they are named repository-relative, elsewhere by their absolute path). Bad YAML is an input error.
 */
export function policyDocuments(root: string, cwd: string, paths: readonly string[]): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (!existsSync(abs)) throw new UsageError(`--policies '${p}' does not exist`);
    for (const f of yamlFiles(abs)) {
      const rel = relative(root, f);
      const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : f;
      for (const d of readDocs(f, shown)) out.push({ object: d.object, file: d.file, line: d.line });
    }
  }
  return out;
}
