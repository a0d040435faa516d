/**
 * The check flags the console shares with `check` (`--platform`, `--policies`): parsed one way
 * for both, so `aksfleet ui` shows the findings `aksfleet check` gives with the same flags.
 */
import { UsageError } from '../errors.js';
import { optionalChoice } from './help/choice.js';
import type { Platform } from '../checks/cluster/model.js';
import type { PolicyDocument } from '../admission/types.js';
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { readDocs, yamlFiles } from '../admission/apply.js';

export const CHECK_SELECTION_FLAGS = {
  policies: { type: 'string', multiple: true },
  platform: { type: 'string' },
} as const;

export interface CheckSelection {
  readonly platform?: Platform;
  readonly policies?: readonly PolicyDocument[];
}

/** `--platform aks|kubernetes` of `command`, checked through its choices (none: the repository decides). */
export function platformOf(command: string, flags: Readonly<Record<string, unknown>>): CheckSelection['platform'] {
  return optionalChoice(command, 'platform', flags.platform) as Platform | undefined;
}

/** `--platform` and `--policies` (repeatable; files or folders, relative to `cwd`) of `command`. */
export function checkSelection(
  command: string,
  flags: Readonly<Record<string, unknown>>,
  cwd: string,
  root: string,
): CheckSelection {
  const platform = platformOf(command, flags);
  const policies = policyDocuments(
    root,
    cwd,
    Array.isArray(flags.policies)
      ? flags.policies.map(String)
      : flags.policies === undefined
        ? []
        : [String(flags.policies)],
  );
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
