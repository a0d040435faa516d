/**
 * `.aksfleet.yaml` at the repository root: per-rule severities (or `off`), allowed registries,
 * extra system namespaces. Unknown keys and unknown rule ids are input errors (exit 2) with
 * file:line:col, so a typo never silently disables nothing.
 *
 * ```yaml
 * rules:
 *   image-digest-in-prod: error     # error | warning | info | off
 *   container-probes: off
 * allowedRegistries: [ghcr.io/my-org, mcr.microsoft.com]
 * systemNamespaces: [monitoring]     # excluded from tenant-namespace rules, besides the built-in list
 * platform: aks                      # the cluster's built-ins (data/aks/): aks | kubernetes (default; aks with a fleet spec)
 * profile: generic                   # generic | aks-baseline (default: aks-baseline with a fleet spec, else generic)
 * ```
 */
import { InputError, ErrorCollector } from '../errors.js';
import type { RepoFs } from '../repo/repo-fs.js';
import { isPlainObject } from '../resources/resource.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import type { Severity } from './severity.js';
import { isPolicyRuleId } from './policy-ids.js';

export const CONFIG_FILE = '.aksfleet.yaml';

export const PROFILES = ['generic', 'aks-baseline'] as const;
export type Profile = (typeof PROFILES)[number];

export interface CheckConfig {
  /** Severity per rule id, or `off`. Rules not named keep their default. */
  readonly rules: Readonly<Record<string, Severity | 'off'>>;
  /** Registries (host or host/path prefix) images may come from, besides the fleet registry. */
  readonly allowedRegistries: readonly string[];
  /** Namespaces excluded from tenant rules, besides the built-in system namespaces. */
  readonly systemNamespaces: readonly string[];
  /** The platform whose built-ins the reference rules count on (src/checks/cluster); default: aks with a fleet spec, else kubernetes. */
  readonly platform?: 'aks' | 'kubernetes';
  /**
   * Which opinion rules run (src/checks/profile.ts): `generic` (schemas, Flux graph, substitutions,
   * references, safety) or `aks-baseline` (also the reference architecture's opinions). Default:
   * aks-baseline with a fleet spec, else generic.
   */
  readonly profile?: Profile;
  /** Where it was read from, if anywhere. */
  readonly file?: string;
}

export const DEFAULT_CONFIG: CheckConfig = { rules: {}, allowedRegistries: [], systemNamespaces: [] };

/** Reads `.aksfleet.yaml` from the repository root, or returns the defaults when absent. */
export function loadCheckConfig(fs: RepoFs, knownRules: readonly string[]): CheckConfig {
  if (!fs.isFile(CONFIG_FILE)) return DEFAULT_CONFIG;
  return parseCheckConfig(fs.readFile(CONFIG_FILE), knownRules, CONFIG_FILE);
}

export function parseCheckConfig(text: string, knownRules: readonly string[], file = CONFIG_FILE): CheckConfig {
  const docs = parseYamlDocuments(text, file);
  if (docs.length === 0) return { ...DEFAULT_CONFIG, file };
  if (docs.length > 1)
    throw new InputError('expected one YAML document', { pos: { file, line: docs[1]!.line, column: docs[1]!.column } });
  const doc = docs[0]!;
  const errs = new ErrorCollector();
  const at = (path: (string | number)[], msg: string, key = false) => {
    const p = doc.posOf(path, { key });
    errs.add(
      new InputError(msg, {
        pos: { file, line: p.line, column: p.column },
        fieldPath: path.map(String).join('.') || undefined,
      }),
    );
  };
  const v = doc.value;
  if (!isPlainObject(v)) {
    at([], 'expected a map with keys rules, allowedRegistries, systemNamespaces');
    errs.throwIfAny();
  }
  const raw = v as Record<string, unknown>;
  const rules: Record<string, Severity | 'off'> = {};
  const allowedRegistries: string[] = [];
  const systemNamespaces: string[] = [];
  for (const key of Object.keys(raw)) {
    // `render:` (the render options) is read by src/session/render-config.ts.
    if (
      ![
        'rules',
        'allowedRegistries',
        'systemNamespaces',
        'platform',
        'profile',
        'render',
        'apiVersion',
        'kind',
      ].includes(key)
    ) {
      at(
        [key],
        `unknown field '${key}'; allowed: rules, allowedRegistries, systemNamespaces, platform, profile, render`,
        true,
      );
    }
  }
  if (raw.platform !== undefined && raw.platform !== 'aks' && raw.platform !== 'kubernetes')
    at(['platform'], `${JSON.stringify(raw.platform)} is not allowed; must be one of: aks, kubernetes`);
  if (raw.profile !== undefined && !PROFILES.includes(raw.profile as Profile))
    at(['profile'], `${JSON.stringify(raw.profile)} is not allowed; must be one of: ${PROFILES.join(', ')}`);
  if (raw.rules !== undefined && raw.rules !== null) {
    if (!isPlainObject(raw.rules)) at(['rules'], 'expected a map of rule id to error|warning|info|off');
    else {
      for (const [id, sev] of Object.entries(raw.rules)) {
        if (!knownRules.includes(id) && !isPolicyRuleId(id)) {
          at(
            ['rules', id],
            `unknown rule '${id}'; run 'aksfleet check --list-rules' for the list (a repository policy is ` +
              'named policy:<policy> or policy:<policy>/<rule>)',
            true,
          );
          continue;
        }
        const s = sev === false ? 'off' : sev;
        if (s !== 'error' && s !== 'warning' && s !== 'info' && s !== 'off') {
          at(['rules', id], `${JSON.stringify(sev)} is not allowed; must be one of: error, warning, info, off`);
          continue;
        }
        rules[id] = s;
      }
    }
  }
  for (const [key, out] of [
    ['allowedRegistries', allowedRegistries],
    ['systemNamespaces', systemNamespaces],
  ] as const) {
    const list = raw[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      at([key], 'expected a list of strings');
      continue;
    }
    list.forEach((item, i) => {
      if (typeof item !== 'string' || item === '') at([key, i], 'expected a non-empty string');
      else out.push(item.replace(/\/+$/, ''));
    });
  }
  errs.throwIfAny();
  const platform =
    raw.platform === 'aks' || raw.platform === 'kubernetes' ? { platform: raw.platform as 'aks' | 'kubernetes' } : {};
  const profile = PROFILES.includes(raw.profile as Profile) ? { profile: raw.profile as Profile } : {};
  return { rules, allowedRegistries, systemNamespaces, ...platform, ...profile, file };
}
