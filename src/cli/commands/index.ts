/**
 * The whole command surface, in the order `aksfleet --help` lists it: each command's name and
 * summary, and its module, loaded only when that command runs (start-up pays for one command, not all).
 */
import type { CommandEntry } from '../command.js';

export const commands: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'write <dir>/fleet.yaml: the example fleet (and fleet.schema.json for editors)',
    load: async () => (await import('./init.js')).default,
  },
  {
    name: 'generate',
    summary: 'generate the Flux repo and cluster IaC from fleet.yaml',
    load: async () => (await import('./generate.js')).default,
  },
  {
    name: 'schema',
    summary: 'print the JSON Schema of fleet.yaml',
    load: async () => (await import('./schema.js')).default,
  },
  {
    name: 'kustomize',
    summary: 'drop-in for kubectl kustomize <dir>',
    load: async () => (await import('./kustomize.js')).default,
  },
  {
    name: 'helm template',
    summary: 'drop-in for helm template [NAME] CHART (Helm 4.2), rendered in-process',
    load: async () => (await import('./helm-template.js')).default,
  },
  {
    name: 'helm pull',
    summary: 'drop-in for helm pull CHART (HTTP repositories, oci:// registries), in-process',
    load: async () => (await import('./helm-pull.js')).default,
  },
  {
    name: 'build',
    summary: 'render what Flux would apply to a cluster',
    load: async () => (await import('./build.js')).default,
  },
  {
    name: 'check',
    summary: 'the pull-request gate: render every cluster and run every rule',
    load: async () => (await import('./check.js')).default,
  },
  {
    name: 'report merge',
    summary: 'merge the JSON parts of check --shard I/N into the one report an unsharded check writes',
    load: async () => (await import('./report-merge.js')).default,
  },
  {
    name: 'diff',
    summary: 'what Flux would change between two git refs (or a ref and the working tree), per cluster',
    load: async () => (await import('./diff.js')).default,
  },
  {
    name: 'promote',
    summary: 'prepare a promotion branch from one environment to the next, with the rendered diff',
    load: async () => (await import('./promote.js')).default,
  },
  {
    name: 'upgrade plan',
    summary: 'plan fleet upgrades ring by ring (runbook, az script, Fleet Manager update runs)',
    load: async () => (await import('./upgrade-plan.js')).default,
  },
  {
    name: 'upgrade bluegreen',
    summary: 'blue/green node pool replacement as reviewable steps (dry run)',
    load: async () => (await import('./upgrade-bluegreen.js')).default,
  },
  {
    name: 'backup plan',
    summary: 'Velero schedules for namespaces with volumes, and a restore playbook',
    load: async () => (await import('./backup-plan.js')).default,
  },
  {
    name: 'backup verify',
    summary: 'check that every namespace has a recent successful backup (and restore test)',
    load: async () => (await import('./backup-verify.js')).default,
  },
  {
    name: 'policy apply',
    summary: 'evaluate admission policies (Kyverno) against resources offline, like kyverno apply',
    load: async () => (await import('./policy-apply.js')).default,
  },
  {
    name: 'policy test',
    summary: 'run kyverno-test.yaml files (the Kyverno CLI test format) offline, like kyverno test',
    load: async () => (await import('./policy-test.js')).default,
  },
  { name: 'ui', summary: 'serve the web console on 127.0.0.1', load: async () => (await import('./ui.js')).default },
  {
    name: 'completion',
    summary: 'print the bash completion script (source <(aksfleet completion bash))',
    load: async () => (await import('./completion.js')).completionCommand(commands),
  },
  {
    name: 'demo',
    summary: 'the example fleet end to end: init, generate, git branches, build, check (what npm start runs)',
    load: async () => (await import('./demo.js')).default,
  },
];
