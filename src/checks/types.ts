/**
 * The vocabulary of `aksfleet check`: findings, rules, and the context a rule reads.
 *
 * A rule is a named pure function over a `CheckContext` (one rendered cluster) or a
 * `RepoContext` (the whole repository) that pushes findings; it never throws for bad user
 * input and never stops at the first problem. The registry (registry.ts) lists every rule.
 */
import type { ContentStore } from '../content-store.js';
import type { AdmissionEngine, PolicyDocument } from '../admission/types.js';
import type { RepoFs } from '../repo/repo-fs.js';
import type { KObject, Origin, Resource, ResourceId } from '../resources/resource.js';
import type { Fleet } from '../spec/schema.js';
import type { CheckConfig } from './config.js';
import type { Finding, RelatedLocation, SourceLocation } from '../diagnostic.js';
import type { Severity } from './severity.js';

export { SEVERITIES, severityRank, type Severity } from './severity.js';

/**
 * One problem found by one rule, and a place it also concerns: the vocabulary of src/diagnostic.ts
 * (the day-2 planners report the same Finding).
 */
export type { Finding, RelatedLocation } from '../diagnostic.js';

/** A Flux Kustomization of a cluster and what it renders to. */
export interface RenderedKustomization {
  /** `namespace/name` of the Flux Kustomization. */
  readonly id: string;
  /** The Kustomization object itself (absent for the cluster root when it is not described by one). */
  readonly object?: KObject;
  readonly origin?: Origin;
  /** Repo-relative directory it builds, when the source is this repository. */
  readonly path?: string;
  /** Not built offline (suspended, or its source is another repository). */
  readonly skipped?: string;
  /** The objects it applies, each with its origin. */
  readonly resources: readonly Resource[];
  /** Why it could not be rendered (all of it), if it could not. */
  readonly errors?: readonly BuildProblem[];
  /** postBuild variables used but not set, when every variable source was readable offline. */
  readonly undefinedVariables?: readonly BuildProblem[];
  /** substituteFrom sources not readable offline (created in the cluster, SOPS-encrypted): their variables are unknown. */
  readonly unknownVariableSources?: readonly BuildProblem[];
  /** Fields of the kustomization file that Flux silently drops (kustomize would reject them). */
  readonly ignoredFields?: readonly BuildProblem[];
  /**
   * The HelmReleases it applies that were not rendered (src/flux/helmrelease): `failed` (the chart
   * does not render with these values) or `chart-unavailable` (no chart offline); their objects
   * are not in `resources` and were not checked.
   */
  readonly unrenderedHelmReleases?: readonly (BuildProblem & {
    readonly status: 'failed' | 'chart-unavailable';
    readonly noChartStore?: true;
  })[];
  /**
   * The Flux Operator ResourceSets it applies that were not expanded offline (their inputs come
   * from a provider that asks a remote service in the cluster, or one not in the build): the
   * objects they generate are not in `resources`. One that fails to expand is in `errors`.
   */
  readonly unexpandedResourceSets?: readonly BuildProblem[];
}

/** A build problem as check reports it: a message at a file and line (src/diagnostic.ts), about an object. */
export interface BuildProblem extends Partial<Pick<SourceLocation, 'file' | 'line'>> {
  readonly message: string;
  readonly object?: ResourceId;
}

/** Azure-side facts (from infra/ or, failing that, the fleet spec) for the IaC<->GitOps rules. */
export interface InfraInfo {
  /** Where these facts were read (file) for findings. */
  readonly file: string;
  readonly clusters: readonly InfraCluster[];
  /** The fleet container registry login server, e.g. `acrprod123.azurecr.io`. */
  readonly registryLoginServer?: string;
  readonly keyVaultName?: string;
  readonly tenantId?: string;
  /** User-assigned managed identities and their federated credentials. */
  readonly identities: readonly InfraIdentity[];
  /** Public access of the shared registry, Key Vault and backup storage (src/checks/infra-network.ts). */
  readonly sharedAccess?: InfraSharedAccess;
  /** Private endpoint group IDs a Private Link cluster needs (registry, vault, blob with Velero). */
  readonly privateLinkGroupIds?: readonly string[];
  /** With backup.engine azureBackup: each cluster's backup instance (src/checks/infra-backup.ts); absent with Velero. */
  readonly backupInstances?: readonly InfraBackupInstance[];
}

/** An Azure Backup for AKS backup instance: the namespaces it backs up. */
export interface InfraBackupInstance {
  readonly cluster: string;
  /** Its name in the Backup vault (`aks-<cluster>`). */
  readonly name: string;
  /** Empty or absent: every namespace. */
  readonly includedNamespaces?: readonly string[];
  readonly excludedNamespaces: readonly string[];
  readonly file: string;
  readonly line?: number;
}

export interface InfraSharedAccess {
  readonly publicNetworkAccess: 'Enabled' | 'Disabled';
  readonly file: string;
  readonly line?: number;
}

export interface InfraPrivateEndpoint {
  readonly groupId: string;
  /** Its zone group names a private DNS zone linked to the cluster VNet (or one the user manages). */
  readonly linked: boolean;
  readonly hasZoneGroup?: boolean;
  readonly zone?: string;
  readonly file: string;
  readonly line?: number;
}

export interface InfraClusterNetwork {
  /** The environment uses Private Link. */
  readonly privateLink: boolean;
  readonly endpoints: readonly InfraPrivateEndpoint[];
  readonly endpointsFile: string;
  readonly endpointsLine?: number;
  readonly egressType: string;
  /** Egress is routed through a firewall (userDefinedRouting). */
  readonly firewall: boolean;
  readonly egressFile: string;
  readonly egressLine?: number;
  /** The FQDNs the firewall's application rules allow (targetFqdns), as written in its Bicep file; absent when that file is not in the repository. */
  readonly firewallFqdns?: { readonly fqdns: readonly string[]; readonly file: string };
}

export interface InfraCluster {
  readonly name: string;
  readonly environment?: string;
  readonly production: boolean;
  readonly private?: boolean;
  readonly kubernetesVersion?: string;
  /** The OIDC issuer (a literal URL or a symbolic reference like `oidc(aks-dev)`). */
  readonly oidcIssuer: string;
  readonly pools: readonly {
    readonly name: string;
    readonly count: number;
    readonly min?: number;
    readonly max?: number;
    readonly orchestratorVersion?: string;
    readonly line?: number;
  }[];
  readonly file?: string;
  readonly line?: number;
  /** Lines (in `file`) of the version and API server settings, when read from infra. */
  readonly versionLine?: number;
  readonly privateLine?: number;
  /** VNet, private endpoints and egress (src/checks/infra-network.ts). */
  readonly network?: InfraClusterNetwork;
}

export interface InfraIdentity {
  readonly name: string;
  /** The client ID as the GitOps side refers to it: a literal GUID or a `${VAR}` reference. */
  readonly clientIdRefs: readonly string[];
  readonly federatedCredentials: readonly {
    readonly cluster: string;
    readonly issuer: string;
    readonly subject: string;
    readonly file?: string;
    readonly line?: number;
  }[];
  readonly file?: string;
  readonly line?: number;
}

/** One rendered cluster: what every cluster rule reads. */
export interface CheckContext {
  readonly cluster: string;
  /** Repo-relative directory Flux syncs for this cluster. */
  readonly clusterPath: string;
  /** Production rules apply (fleet environment `production: true`, or a name like `prod`). */
  readonly production: boolean;
  /**
   * `--allow-missing-vars`: an unset postBuild variable is substituted as empty (Flux with
   * StrictPostBuildSubstitutions off), a warning; by default Flux 2.9 fails the Kustomization, an error.
   */
  readonly allowMissingVars?: boolean;
  readonly kustomizations: readonly RenderedKustomization[];
  /** Every object applied to the cluster (all Kustomizations), in render order. */
  readonly resources: readonly Resource[];
  /**
   * The cluster's Kubernetes version, whose schemas judge its objects: `--kube-version`, else the
   * fleet spec's kubernetesVersion of the cluster; absent: the newest AKS minor (src/schemas/k8s-openapi.ts).
   */
  readonly kubernetesVersion?: string;
  /**
   * Set when nothing named the version (no `--kube-version`, `render.kubeVersion` in
   * .aksfleet.yaml or fleet spec): why `kubernetesVersion` was chosen ("the newest minor AKS
   * offers on 2026-12-07"); `check` says so once (CheckResult.assumedKubernetesVersion).
   */
  readonly kubernetesVersionAssumed?: string;
  readonly fleet?: Fleet;
  readonly infra?: InfraInfo;
  readonly config: CheckConfig;
  /** The repository, for rules that look at files (paths, remote bases). */
  readonly fs?: RepoFs;
  /** Admission setup of the run (engines, `--policies` documents, compile cache); default: the registry's engines, no extra policies, no cache. */
  readonly admission?: AdmissionSetup;
  /** Values postBuild substituted from Secrets (src/flux/build/secret-values.ts): masked in this cluster's findings. */
  readonly secretValues?: readonly string[];
  /** Compiled schema validators kept between runs (the session's store): the schema rule compiles each once. */
  readonly validatorStore?: ContentStore;
}

/** What the admission rule needs from the run besides the cluster (src/checks/rules/admission.ts). */
export interface AdmissionSetup {
  readonly engines: readonly AdmissionEngine[];
  /** Policy documents given with `check --policies` (file paths as given), added to every cluster's own. */
  readonly extraPolicies: readonly PolicyDocument[];
  /** Compiled policies by content (the session's cache): the same documents compile once per run. */
  readonly cache?: Map<string, unknown>;
  /** Verdicts kept between runs (the session's content store): src/admission/verdict-cache.ts. */
  readonly verdicts?: ContentStore;
}

/** The whole repository: what repository rules read. */
export interface RepoContext {
  /** Cluster names and paths found by discovery. */
  readonly clusters: readonly { readonly name: string; readonly path: string }[];
  readonly fleet?: Fleet;
  readonly fleetFile?: string;
  readonly infra?: InfraInfo;
  readonly config: CheckConfig;
  readonly fs?: RepoFs;
  /**
   * The rendered clusters, when rules need to look across them. Empty when the check streams
   * (checkRepository with `keepContexts: false`: the CLI, --jobs workers, --changed-since):
   * repository rules must then not need them (none of the built-in ones reads them).
   */
  readonly contexts: readonly CheckContext[];
  /** Today (`YYYY-MM-DD`, UTC): AKS support is judged on this day. */
  readonly today: string;
}

/** What a rule reports: the reporter fills in rule, default severity, cluster, file and line. */
export interface Report {
  readonly message: string;
  readonly hint?: string;
  /** The object concerned: its id and origin become the finding's resource, file and line. */
  readonly resource?: Resource;
  /** Override file/line (e.g. a finding about a fleet.yaml field). */
  readonly file?: string;
  readonly line?: number;
  /** Override the resource id (when there is no Resource). */
  readonly resourceId?: ResourceId;
  /** Only when one rule reports problems of different weight. */
  readonly severity?: Severity;
  /**
   * The finding's own rule id when one rule reports under many (admission: `policy:<policy>/<rule>`);
   * suppressions and `.aksfleet.yaml` severities apply to this id.
   */
  readonly ruleId?: string;
  /**
   * Other objects (or places) involved; an `aksfleet.dev/ignore` on a related object counts as on the
   * finding's object (a suppression on a Namespace still covers a finding now placed at its NetworkPolicy).
   */
  readonly related?: readonly (RelatedLocation & { readonly object?: Resource })[];
}

export type Reporter = (r: Report) => void;

interface RuleBase {
  /** kebab-case id used in config, annotations and output. */
  readonly id: string;
  readonly severity: Severity;
  readonly category: 'schema' | 'flux' | 'ops' | 'iac' | 'policy';
  /** One line: what the rule requires. */
  readonly doc: string;
  /** Default fix suggestion (a finding may give a more specific one). */
  readonly hint: string;
  /**
   * The profile the rule belongs to when it is an opinion of the reference architecture rather
   * than a fact about Kubernetes or Flux (owner labels, default-deny, digest-pinned prod images):
   * it runs only when the repository's profile is that one, or when `.aksfleet.yaml` names it
   * (src/checks/profile.ts). Absent: a generic rule, always on.
   */
  readonly profile?: 'aks-baseline';
}
export interface ClusterRule extends RuleBase {
  readonly scope: 'cluster';
  readonly check: (ctx: CheckContext, report: Reporter) => void;
  /**
   * When a repository policy already reports what this rule reports: true when `policy` (a
   * `policy:*` finding on the same cluster) covers `own`. Then `own` is dropped and the policy's
   * finding says so (run.ts, `mergeDuplicates`): one finding, with the policy's own message.
   */
  readonly duplicatedBy?: (policy: Finding, own: Finding) => boolean;
}
export interface RepoRule extends RuleBase {
  readonly scope: 'repo';
  readonly check: (ctx: RepoContext, report: Reporter) => void;
}
export type Rule = ClusterRule | RepoRule;

/**
 * What a rule is, without its implementation: the light catalog (rule-catalog.ts, generated from
 * the registry) lists these for `check --list-rules`, which must not load the engines.
 */
export type RuleMeta = Pick<Rule, 'id' | 'severity' | 'category' | 'scope' | 'profile' | 'doc' | 'hint'>;
