/**
 * What each option of each command means, as data (issue #19 item 9, #20 item 6): a one-line
 * description, its default and an example. `aksfleet <command> --help` is rendered from it
 * (render.ts), and options.test.ts holds every option a command accepts to having an entry here,
 * so a new flag is described before it ships.
 *
 * Lookup: the command's own entry first, then COMMON_OPTIONS (a flag that means the same on
 * every command that takes it, e.g. the HelmRelease flags of build/check/diff/promote).
 */

export interface OptionHelp {
  /** The value's placeholder in help (`FILE`, `NAME`), for options that take one. */
  readonly value?: string;
  /** One line: what the option does. */
  readonly description: string;
  /** What applies when the option is not given. */
  readonly default: string;
  /** A typical use, as typed (starts with the flag). */
  readonly example: string;
  /** The only values the option takes (choice.ts checks them), when it is an enumeration. */
  readonly choices?: readonly string[];
  /** The default is derived from the repository (not one of the choices): checked by optionalChoice. */
  readonly derivedDefault?: boolean;
}

const FORMAT = (values: string, dflt: string, example: string): OptionHelp => ({
  value: values,
  description: `output format: ${values.split('|').join(', ')}`,
  default: dflt,
  example: `--format ${example}`,
  choices: values.split('|'),
});

/** Options with one meaning wherever a command accepts them. */
/** `--no-cache` of the commands that use only the content stores (build, diff; check's own says more). */
const STORES_NO_CACHE: OptionHelp = {
  description:
    'neither read nor fill the content stores kept between runs (chart renders; in .git/aksfleet/store/, ' +
    'else $XDG_CACHE_HOME/aksfleet/store/): same output, slower',
  default: 'off: the stores are used',
  example: '--no-cache',
};

export const COMMON_OPTIONS: Readonly<Record<string, OptionHelp>> = {
  'chart-source': {
    value: 'KIND/NS/NAME=DIR',
    description: 'charts of a HelmRepository or OCIRepository from a local folder of charts or archives (repeatable)',
    default: 'none: such HelmReleases are reported as not rendered',
    example: '--chart-source HelmRepository/flux-system/charts=examples/chart',
  },
  'chart-cache': {
    value: 'DIR',
    description: "the chart cache that 'aksfleet helm pull' fills",
    default: "none (with --chart-source alone, the user's default cache)",
    example: '--chart-cache ~/.cache/aksfleet/charts',
  },
  'fetch-charts': {
    description:
      'fetch the charts the cache lacks from their HelmRepository/OCIRepository (network; never set by ' +
      '.aksfleet.yaml), then render',
    default: 'off: offline, missing charts are reported as not rendered',
    example: '--fetch-charts --chart-cache ~/.cache/aksfleet/charts',
  },
  'repository-config': {
    value: 'FILE',
    description:
      "with --fetch-charts: a helm repositories.yaml ('helm repo add --username/--ca-file' writes one) whose " +
      'entries give the credentials and TLS files of HTTP chart repositories, matched by URL (for sources ' +
      'with secretRef/certSecretRef), and the TLS files (caFile/certFile/keyFile) of OCI registries in an ' +
      'entry whose url is oci://HOST[/PATH]; never shown',
    default: 'none: a HelmRepository with secretRef or certSecretRef is reported as not rendered',
    example: '--repository-config ~/.config/helm/repositories.yaml --fetch-charts',
  },
  'registry-config': {
    value: 'FILE',
    description:
      "with --fetch-charts: a Docker config.json ('helm registry login' or 'docker login' writes one) whose " +
      'auths give the credentials of OCI registries, by host (for sources with secretRef or a cloud ' +
      'provider); never shown',
    default:
      'none: registries are pulled anonymously, and a source with secretRef or provider is reported as not rendered',
    example: '--registry-config ~/.config/helm/registry/config.json --fetch-charts',
  },
  'no-helm': {
    description: 'do not render HelmReleases (the HelmRelease objects only)',
    default: 'off',
    example: '--no-helm',
  },
  'kube-version': {
    value: 'V',
    description:
      "the cluster's Kubernetes version: charts see it as .Capabilities.KubeVersion, check validates objects " +
      "against its minor's schemas",
    default: "the fleet spec's kubernetesVersion, else Helm's default for charts and the newest AKS minor for schemas",
    example: '--kube-version 1.33',
  },
  'values-from': {
    value: 'FILE',
    description: 'ConfigMaps and Secrets (a YAML stream) that live only in the cluster, for HelmRelease valuesFrom',
    default: 'none',
    example: '--values-from cluster-values.yaml',
  },
  vars: {
    value: 'FILE',
    description: 'postBuild variables that live only in the cluster (KEY=VALUE lines or a YAML map)',
    default: 'none',
    example: '--vars outputs.env',
  },
  source: {
    value: 'KIND/NS/NAME=PATH',
    description: 'build a Flux source that is another repository from a local folder (repeatable)',
    default: 'none: such Kustomizations are not buildable',
    example: '--source GitRepository/flux-system/apps=../apps',
  },
  'allow-missing-vars': {
    description:
      'substitute unset postBuild variables with the empty string (Flux with StrictPostBuildSubstitutions ' +
      'off) instead of failing as Flux 2.9 does',
    default: 'off: an unset variable is an error (build and diff: exit 2; check: an error finding)',
    example: '--allow-missing-vars',
  },
  cluster: {
    value: 'NAME',
    description: 'the cluster to work on',
    default: 'every cluster',
    example: '--cluster aks-prod',
  },
  path: {
    value: 'P',
    description: 'the cluster path in the repository (instead of --cluster)',
    default: 'every cluster',
    example: '--path clusters/aks-dev',
  },
  file: { value: 'FILE', description: 'the fleet spec', default: './fleet.yaml', example: '-f ../my-fleet/fleet.yaml' },
};

/** Per command (its name as typed): options whose meaning is the command's own. */
export const OPTION_HELP: Readonly<Record<string, Readonly<Record<string, OptionHelp>>>> = {
  init: {
    force: {
      description: 'overwrite an existing fleet.yaml and fleet.schema.json',
      default: 'off: an existing fleet.yaml or fleet.schema.json is an error (exit 2)',
      example: '--force',
    },
  },
  generate: {
    output: {
      value: 'DIR',
      description: 'the folder to generate into',
      default: "the fleet file's folder",
      example: '-o ../fleet-repo',
    },
    force: {
      description: 'overwrite generated files you edited',
      default: 'off: an edited generated file is a conflict (exit 1)',
      example: '--force',
    },
    'dry-run': {
      description: 'list what would be created, updated and deleted; write nothing',
      default: 'off',
      example: '--dry-run',
    },
  },
  schema: {},
  kustomize: {
    'load-restrictor': {
      value: 'RESTRICTOR',
      description: 'LoadRestrictionsRootOnly or LoadRestrictionsNone, as kubectl kustomize',
      default: 'LoadRestrictionsRootOnly',
      example: '--load-restrictor LoadRestrictionsNone',
    },
    root: {
      value: 'DIR',
      description: 'read nothing outside DIR',
      default: "<dir>'s git work tree (outside git, what kustomize reads)",
      example: '--root workloads',
    },
  },
  'helm template': {
    namespace: { value: 'NS', description: 'the release namespace', default: 'default', example: '-n apps' },
    values: {
      value: 'FILE',
      description: 'a values file (repeatable; later ones win)',
      default: "the chart's values.yaml only",
      example: '-f values-prod.yaml',
    },
    set: {
      value: 'K=V',
      description: 'set a value (repeatable, comma-separated pairs)',
      default: 'none',
      example: '--set replicaCount=3',
    },
    'set-string': {
      value: 'K=V',
      description: 'set a value as a string (repeatable)',
      default: 'none',
      example: '--set-string image.tag=1.10',
    },
    'set-json': {
      value: 'K=JSON',
      description: 'set a value from JSON (repeatable)',
      default: 'none',
      example: '--set-json \'resources={"limits":{"cpu":"1"}}\'',
    },
    'kube-version': {
      value: 'V',
      description: 'the Kubernetes version of .Capabilities.KubeVersion',
      default: "Helm's default",
      example: '--kube-version 1.33',
    },
    'api-versions': {
      value: 'API_VERSION',
      description: 'an API version for .Capabilities.APIVersions (repeatable, or comma-separated)',
      default: "Helm's built-in list",
      example: '-a monitoring.coreos.com/v1',
    },
    'include-crds': { description: "print the chart's crds/ too", default: 'off', example: '--include-crds' },
    'skip-crds': { description: "leave out the chart's crds/", default: 'off', example: '--skip-crds' },
    'skip-tests': { description: 'leave out test hooks', default: 'off', example: '--skip-tests' },
    'no-hooks': { description: 'leave out hooks', default: 'off', example: '--no-hooks' },
    'skip-schema-validation': {
      description: 'do not validate values against values.schema.json',
      default: 'off',
      example: '--skip-schema-validation',
    },
    'show-only': {
      value: 'TEMPLATE',
      description: 'print only this template (repeatable)',
      default: 'every template',
      example: '-s templates/deployment.yaml',
    },
    'is-upgrade': {
      description: 'set .Release.IsUpgrade instead of .Release.IsInstall',
      default: 'off',
      example: '--is-upgrade',
    },
    'name-template': {
      value: 'TPL',
      description: 'a template that makes the release name',
      default: 'none',
      example: "--name-template 'web-{{ randAlpha 4 | lower }}'",
    },
    'generate-name': {
      description: 'generate the release name (NAME is then not given)',
      default: 'off',
      example: '-g',
    },
  },
  'helm pull': {
    repo: {
      value: 'URL',
      description: 'the chart repository URL',
      default: 'none: CHART is an oci:// or archive URL',
      example: '--repo https://stefanprodan.github.io/podinfo',
    },
    version: {
      value: 'V',
      description: 'the chart version or a semver range',
      default: 'the newest stable version',
      example: "--version '^6'",
    },
    devel: { description: 'consider pre-release versions too', default: 'off', example: '--devel' },
    destination: { value: 'DIR', description: 'where to write the chart', default: '.', example: '-d charts/' },
    untar: { description: 'unpack the chart after downloading it', default: 'off: keep the .tgz', example: '--untar' },
    untardir: {
      value: 'DIR',
      description: 'with --untar, the folder under the destination to unpack into',
      default: '.',
      example: '--untardir unpacked',
    },
    'plain-http': { description: 'talk plain HTTP to an OCI registry', default: 'off: HTTPS', example: '--plain-http' },
    username: {
      value: 'U',
      description: 'registry or repository user name',
      default: 'from the Docker config, else anonymous',
      example: '--username bot',
    },
    password: {
      value: 'P',
      description: 'registry or repository password or token',
      default: 'from the Docker config, else anonymous',
      example: '--password "$TOKEN"',
    },
  },
  build: {
    path: {
      value: 'P',
      description: 'the cluster path in the repository to build (or --cluster)',
      default: 'none: give --path or --cluster',
      example: '--path clusters/aks-dev',
    },
    cluster: {
      value: 'NAME',
      description: 'the cluster to build (or --path)',
      default: 'none: give --path or --cluster',
      example: '--cluster aks-prod',
    },
    output: {
      value: 'yaml|json',
      description: 'output format: yaml (the objects) or json (the build, Kustomization by Kustomization)',
      default: 'yaml',
      example: '-o json',
      choices: ['yaml', 'json'],
    },
    summary: {
      description: 'print one line per Kustomization and HelmRelease instead of the objects',
      default: 'off',
      example: '--summary',
    },
    'allow-unbuildable': {
      description: 'print the rest when a Kustomization is not buildable offline (exit 0)',
      default: 'off: exit 2 naming it',
      example: '--allow-unbuildable',
    },
    'show-secrets': {
      description: 'print Secret values instead of masking them',
      default: 'off: masked',
      example: '--show-secrets',
    },
    explain: {
      value: 'KIND/[NS/]NAME',
      description:
        'for one object, which build stage produced it and which stage set or changed each of its fields ' +
        '(paths only, no values)',
      default: 'off: print the objects',
      example: '--explain Deployment/apps/podinfo',
    },
    'no-cache': STORES_NO_CACHE,
  },
  check: {
    policies: {
      value: 'DIR',
      description: "admission policies to apply besides the repository's own (repeatable)",
      default: "the repository's own only",
      example: '--policies ../policies',
    },
    format: FORMAT('text|json|sarif|junit|markdown', 'text', 'sarif'),
    'fail-on': {
      value: 'error|warning|info',
      description: 'the lowest severity that fails the gate (exit 1)',
      default: 'error',
      example: '--fail-on warning',
      choices: ['error', 'warning', 'info'],
    },
    platform: {
      value: 'aks|kubernetes',
      description: "whose built-ins reference rules know: AKS's or plain Kubernetes'",
      default: 'aks with a fleet spec or platform: aks in .aksfleet.yaml, else kubernetes',
      example: '--platform aks',
      choices: ['aks', 'kubernetes'],
      derivedDefault: true,
    },
    profile: {
      value: 'generic|aks-baseline',
      description: "which rules run: generic (any Flux repository) or also the reference architecture's opinions",
      default: 'aks-baseline with a fleet spec or profile: in .aksfleet.yaml, else generic',
      example: '--profile aks-baseline',
      choices: ['generic', 'aks-baseline'],
      derivedDefault: true,
    },
    'list-rules': { description: 'list the rules and exit', default: 'off', example: '--list-rules' },
    'changed-since': {
      value: 'REF',
      description: 'check only the clusters whose inputs differ from REF',
      default: 'every cluster',
      example: '--changed-since origin/main',
    },
    'no-cache': {
      description:
        'neither read nor fill the caches kept between runs (Kustomization builds, chart renders, compiled ' +
        'validators, admission verdicts; in .git/aksfleet/, else $XDG_CACHE_HOME/aksfleet/): same report, slower',
      default: 'off: the caches are used',
      example: '--no-cache',
    },
    jobs: {
      value: 'N',
      description: 'spread the clusters over N worker threads (1 to 64; same report)',
      default: '1',
      example: '--jobs 2',
    },
    shard: {
      value: 'I/N',
      description:
        'check only shard I of N (clusters by discovery index modulo N; findings about no cluster in shard ' +
        '1); merge the JSON parts with report merge',
      default: 'every cluster',
      example: '--shard 2/4',
    },
    watch: {
      description:
        'keep running: after each save, check again the clusters it can change and print the whole report ' +
        "(a header line on stderr first); Ctrl-C exits with the last run's code",
      default: 'off',
      example: '--watch',
    },
  },
  diff: {
    base: {
      value: 'REF',
      description: 'the git ref to compare from (required)',
      default: 'none: required',
      example: '--base env/qa',
    },
    head: {
      value: 'REF',
      description: 'the git ref to compare to',
      default: 'the working tree',
      example: '--head env/dev',
    },
    format: FORMAT('text|markdown|json', 'text', 'markdown'),
    strict: {
      description: 'exit 2 when a part of a cluster could not be followed',
      default: 'off: listed, exit 1',
      example: '--strict',
    },
    'no-cache': STORES_NO_CACHE,
  },
  promote: {
    push: {
      description: 'push the branch and open the pull request (GITHUB_TOKEN or an Azure DevOps token)',
      default: 'off: the branch stays local',
      example: '--push',
    },
    format: FORMAT('text|markdown', 'text', 'markdown'),
  },
  'upgrade plan': {
    state: {
      value: 'FILE',
      description: "the clusters' state: a JSON array of 'az aks show -o json' output",
      default: 'the versions of the fleet spec',
      example: '--state state.json',
    },
    live: {
      description: 'read the state from Azure (the Azure SDK, your az login)',
      default: 'off: offline',
      example: '--live',
    },
    to: {
      value: 'VERSION',
      description: 'the target Kubernetes version, a minor or a patch AKS offers (data/aks-versions.json)',
      default: "each cluster's version in the fleet spec",
      example: '--to 1.35',
    },
    format: FORMAT('markdown|json|az|fleet', 'markdown', 'az'),
    repo: {
      value: 'DIR',
      description: 'the generated repository, to flag PodDisruptionBudgets that block drains',
      default: 'none: PDBs not checked',
      example: '--repo .',
    },
    date: {
      value: 'YYYY-MM-DD',
      description: 'the day AKS support is judged on',
      default: 'today',
      example: '--date 2026-12-01',
    },
  },
  'upgrade bluegreen': {
    apply: {
      description: 'not supported yet (exit 2): run the printed steps one by one',
      default: 'off: a dry run',
      example: '--apply',
    },
    format: FORMAT('markdown|json', 'markdown', 'json'),
  },
  'backup plan': {
    format: {
      value: 'markdown|yaml|json',
      description:
        'output format: markdown (the plan and the restore playbook), or the plan as yaml or json (one document)',
      default: 'markdown',
      example: '--format yaml',
      choices: ['markdown', 'yaml', 'json'],
    },
  },
  'backup verify': {
    backups: {
      value: 'FILE',
      description:
        "Velero Backups: the output of 'kubectl get backups.velero.io -A -o json'; with backup.engine " +
        "azureBackup, of 'az dataprotection job list -o json' (backup and restore jobs)",
      default: 'none: give --backups or --live',
      example: '--backups backups.json',
    },
    live: {
      description:
        "read Backups and Restores with kubectl from the current context; with azureBackup, run 'az " +
        "dataprotection job list' and 'backup-instance list' on the fleet's vault",
      default: 'off: offline',
      example: '--live',
    },
    'max-age': {
      value: 'DAYS',
      description: 'the oldest a last successful backup may be',
      default: "the fleet's schedule period plus a day (azureBackup: plus one period, at most a day), else 31",
      example: '--max-age 2',
    },
    restores: {
      value: 'FILE',
      description:
        "Velero Restores ('kubectl get restores.velero.io -A -o json'): check restore tests too; with " +
        'azureBackup, more jobs (restore jobs are always checked)',
      default: 'none: restore tests not checked (with --live, read; with azureBackup, the restore jobs of --backups)',
      example: '--restores restores.json',
    },
    instances: {
      value: 'FILE',
      description:
        "azureBackup only: the output of 'az dataprotection backup-instance list -o json': protection " +
        'configured, tenant namespaces covered',
      default: 'none: instances not checked (with --live, read)',
      example: '--instances instances.json',
    },
    'max-restore-age': {
      value: 'DAYS',
      description: 'the oldest a restore test may be',
      default: '31',
      example: '--max-restore-age 31',
    },
    file: {
      value: 'FILE',
      description: 'the fleet spec: which namespaces must have backups',
      default: './fleet.yaml when it exists',
      example: '-f fleet.yaml',
    },
    cluster: {
      value: 'NAME',
      description: "only this cluster's namespaces (needs a fleet spec)",
      default: 'every cluster',
      example: '--cluster aks-prod',
    },
    now: {
      value: 'ISO-TIME',
      description: 'the time ages are measured from',
      default: 'now',
      example: '--now 2026-11-25T00:00:00Z',
    },
    format: FORMAT('markdown|json', 'markdown', 'json'),
  },
  'policy apply': {
    resource: {
      value: 'FILE',
      description: 'a resource file or folder to admit (repeatable, required)',
      default: 'none: required',
      example: '-r deployment.yaml',
    },
    'values-file': {
      value: 'FILE',
      description: 'values for the policies, in the Kyverno CLI Values format',
      default: 'none',
      example: '-f values.yaml',
    },
    userinfo: {
      value: 'FILE',
      description: 'the request user info (Kyverno CLI UserInfo)',
      default: 'none',
      example: '-u user.yaml',
    },
    'context-file': {
      value: 'FILE',
      description:
        "cluster objects and image data for Kyverno's CEL libraries (resource.Get/List, image.GetMetadata), " +
        'in the Kyverno CLI Context format',
      default: 'none: those calls are not evaluable offline',
      example: '--context-file context.yaml',
    },
    format: FORMAT('text|json', 'text', 'json'),
  },
  'report merge': {
    format: FORMAT('text|json|sarif|junit|markdown', 'text', 'sarif'),
    'fail-on': {
      value: 'error|warning|info',
      description: 'the lowest severity that fails (exit 1)',
      default: "the parts' own --fail-on",
      example: '--fail-on warning',
    },
  },
  'policy test': {
    format: FORMAT('text|json', 'text', 'json'),
  },
  ui: {
    port: {
      value: 'N',
      description: 'the TCP port to serve on (0: any free port)',
      default: '7777',
      example: '--port 8080',
    },
    host: {
      value: 'ADDR',
      description: 'the address to bind (other than loopback only on purpose)',
      default: '127.0.0.1',
      example: '--host 127.0.0.1',
    },
    state: {
      value: 'FILE',
      description: "the clusters' state for the upgrade timeline ('az aks show -o json' array)",
      default: 'the fleet spec versions',
      example: '--state state.json',
    },
    to: {
      value: 'VERSION',
      description: 'the target version of the upgrade timeline',
      default: "each cluster's spec version",
      example: '--to 1.35',
    },
    policies: {
      value: 'DIR',
      description:
        "admission policies the console's check applies besides the repository's own (repeatable), as check --policies",
      default: "the repository's own only",
      example: '--policies ../policies',
    },
    platform: {
      value: 'aks|kubernetes',
      description: "whose built-ins the console's reference rules know, as check --platform",
      default: 'aks with a fleet spec or platform: aks in .aksfleet.yaml, else kubernetes',
      example: '--platform kubernetes',
      choices: ['aks', 'kubernetes'],
      derivedDefault: true,
    },
    watch: {
      description:
        'keep the console up to date: after each save, check again the clusters it can change and serve the new ' +
        'model (the page updates itself; a file that fails to load is shown there, the last model kept as stale)',
      default: 'off: the model is computed once',
      example: '--watch',
    },
  },
  completion: {},
  demo: {},
};

/** The options every command takes (main.ts parses them). */
export const GLOBAL_OPTION_HELP: Readonly<Record<string, OptionHelp>> = {
  debug: { description: 'print stack traces with errors', default: 'off', example: '--debug' },
  help: { description: 'print this help', default: 'off', example: '--help' },
};

/** The help entry of `flag` on `command`, or undefined when it has none. */
export function optionHelp(command: string, flag: string): OptionHelp | undefined {
  return OPTION_HELP[command]?.[flag] ?? COMMON_OPTIONS[flag] ?? GLOBAL_OPTION_HELP[flag];
}
