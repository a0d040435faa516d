/**
 * Rule profiles: which opinions a repository is judged by. The generic profile is what holds for
 * any Flux repository (schemas, the Flux graph, substitutions, references, safety); the
 * aks-baseline profile adds the reference architecture's opinions (owner and cost-center labels,
 * default-deny in every tenant namespace, digest-pinned prod images, probes and resources, PDBs,
 * backups, signed images), each rule tagged with `profile: 'aks-baseline'`.
 *
 * A repository with a fleet spec is judged by aks-baseline, any other by generic, unless
 * `.aksfleet.yaml` says `profile:` (or `check --profile`). Naming a rule's severity in
 * `.aksfleet.yaml` `rules:` turns that one rule on under the generic profile too.
 */
import type { CheckConfig, Profile } from './config.js';
import type { Rule } from './types.js';

/** The profile a check runs under: the configured one, else aks-baseline with a fleet spec, else generic. */
export function effectiveProfile(config: CheckConfig, hasFleet: boolean): Profile {
  return config.profile ?? (hasFleet ? 'aks-baseline' : 'generic');
}

/**
 * Whether `rule` runs under `config`'s profile. A config without a resolved profile (library
 * callers that build one by hand) runs every rule, as before profiles existed.
 */
export function inProfile(rule: Rule, config: CheckConfig): boolean {
  if (rule.profile === undefined || config.profile === undefined || config.profile === rule.profile) return true;
  const named = config.rules[rule.id];
  return named !== undefined && named !== 'off';
}
