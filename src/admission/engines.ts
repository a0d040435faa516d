/**
 * The registry of admission engines `aksfleet policy apply|test` (and later `check`) dispatch to by
 * document kind: Kyverno classic policies (ClusterPolicy/Policy), Kubernetes ValidatingAdmissionPolicy
 * (+ bindings), Kyverno ValidatingPolicy (CEL, src/admission/cel-policies) and Gatekeeper
 * ConstraintTemplates + Constraints (src/admission/gatekeeper).
 */
import type { KyvernoData } from '../cel/index.js';
import { validatingAdmissionPolicyEngine, validatingPolicyEngineWith } from './cel-policies/index.js';
import { gatekeeperEngine } from './gatekeeper/index.js';
import { kyvernoEngine } from './kyverno/index.js';
import type { RequestInfo } from './kyverno/match/match.js';
import type { AdmissionEngine } from './types.js';

export interface EngineOptions {
  /** Who makes the request (a Kyverno CLI UserInfo file): roles, clusterRoles, username, groups. */
  readonly requestInfo?: RequestInfo;
  /** What Kyverno's CEL libraries know offline (a Kyverno CLI context file: resources, images). */
  readonly kyverno?: KyvernoData;
}

/** Every engine, in the order their results are reported. */
export function admissionEngines(opts: EngineOptions = {}): AdmissionEngine[] {
  const vpol = validatingPolicyEngineWith({
    ...(opts.requestInfo?.userInfo ? { userInfo: { ...opts.requestInfo.userInfo } } : {}),
    ...(opts.kyverno ? { kyverno: opts.kyverno } : {}),
  });
  return [
    kyvernoEngine({ requestInfo: opts.requestInfo }) as AdmissionEngine,
    vpol as AdmissionEngine,
    validatingAdmissionPolicyEngine as AdmissionEngine,
    gatekeeperEngine() as AdmissionEngine,
  ];
}

/** The request info of a Kyverno CLI `UserInfo` document (cli.kyverno.io/v1alpha1). */
export function requestInfoOf(doc: Record<string, unknown>): RequestInfo {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const user = doc.userInfo && typeof doc.userInfo === 'object' ? (doc.userInfo as Record<string, unknown>) : {};
  return {
    roles: strings(doc.roles),
    clusterRoles: strings(doc.clusterRoles),
    userInfo: { username: typeof user.username === 'string' ? user.username : '', groups: strings(user.groups) },
  };
}
