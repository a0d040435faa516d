/** docs/rules.md, generated from the registry (a test keeps the page current); `--list-rules` is rules-list.ts. */
import { CATEGORY_TITLES, rules } from './registry.js';
import { CONFIG_FILE } from './config.js';
import { IGNORE_ANNOTATION, IGNORE_REASON_ANNOTATION } from './suppress.js';
import type { Rule } from './types.js';

export function rulesMarkdown(list: readonly Rule[] = rules): string {
  const out: string[] = [
    '<!-- Generated from src/checks/registry.ts by `node test/check/gen-rules-doc.mjs`; do not edit. -->',
    '# `aksfleet check` rules',
    '',
    `${list.length} rules. Each finding names the rule, the object (\`Kind/namespace/name\`), the file and ` +
      'line it came from, and a hint.',
    '',
    `Configure in \`${CONFIG_FILE}\` at the repository root (\`rules: { <id>: error|warning|info|off }\`, ` +
      '`allowedRegistries`, `systemNamespaces`, `platform: aks|kubernetes`, `profile: ' +
      'generic|aks-baseline`),',
    `or suppress a rule for one object with the annotation \`${IGNORE_ANNOTATION}: <rule-id>[,<rule-id>]\` ` +
      `and a reason in \`${IGNORE_REASON_ANNOTATION}\`.`,
    '',
    '`aksfleet check [repo] [--path P | --cluster NAME] [--format text|json|sarif|junit|markdown] [--fail-on ' +
      'error|warning|info] [--platform aks|kubernetes] [--profile generic|aks-baseline] [--list-rules]`',
    '',
    '- Clusters: in an aksfleet repository (fleet.yaml) every `clusters/<name>/`; in any Flux repository ' +
      'every directory synced by',
    '  the GitRepository + Kustomization inside it (`flux bootstrap` layout) or by a FluxInstance; failing ' +
      'those, `clusters/<name>/`.',
    '- Each cluster is rendered offline as Flux would apply it; every rule runs; all findings are reported at once.',
    '- Exit codes: 0 no finding at or above `--fail-on` (default `error`), 1 findings, 2 usage or input errors.',
    "- Profiles: the rules marked `aks-baseline` are the reference architecture's opinions (owner labels, " +
      'default-deny, digest-pinned',
    '  prod images, probes, resources, PDBs, backups, signed images). They run in a repository with a ' +
      'fleet.yaml, or when asked',
    '  (`profile: aks-baseline` in `.aksfleet.yaml`, or `--profile aks-baseline`); any other repository gets ' +
      'the generic profile',
    '  (schemas, the Flux graph, substitutions, references, safety). Naming one of them under `rules:` turns ' +
      'that rule on alone.',
    "- Tenant namespaces: in an aksfleet repository the fleet tenants' namespaces; elsewhere every declared " +
      'Namespace except',
    '  platform ones: the system names (kube-system, flux-system, ..., `*-system`, and `systemNamespaces`), ' +
      'namespaces a HelmRelease',
    '  installs a platform add-on chart into (data/platform-addons.json), and namespaces whose workloads all ' +
      'come from such charts,',
    '  carry such an `app.kubernetes.io/name`, or come from Flux Kustomizations that other Kustomizations ' +
      'depend on (the platform layer).',
    '- Reference rules (a selector, a name, a port that must resolve) judge against the cluster as it will ' +
      'be: the render, the',
    "  platform's built-ins (data/aks/; AKS with a fleet spec, `platform: aks` or `--platform aks`) and what " +
      "the render's controllers",
    "  create; where the render cannot show everything (an unrendered HelmRelease, an operator's objects) " +
      'they conclude nothing',
    '  ([cluster-model.md](cluster-model.md)).',
    '',
  ];
  for (const cat of Object.keys(CATEGORY_TITLES) as Rule['category'][]) {
    const rs = list.filter((r) => r.category === cat);
    if (!rs.length) continue;
    out.push(
      `## ${CATEGORY_TITLES[cat]}`,
      '',
      '| rule | severity | profile | scope | requires | fix |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const r of rs)
      out.push(
        `| \`${r.id}\` | ${r.severity} | ${r.profile ?? 'generic'} | ${r.scope} | ${r.doc.replace(/\|/g, '\\|')} | ${r.hint.replace(/\|/g, '\\|')} |`,
      );
    out.push('');
  }
  return out.join('\n');
}
