/**
 * The admission request a template sees as `input.review` (and CEL as `request`), built the way
 * Gatekeeper's target (pkg/target/target.go) builds it: kind {group, version, kind}, name,
 * namespace, operation, userInfo, object, oldObject; from a plain object (operation CREATE unless
 * told otherwise) or from an `AdmissionReview` document (its `request` as given, as gator does).
 */
import { groupOf } from './match.js';

/** The request as JSON (admission.k8s.io/v1 AdmissionRequest fields Gatekeeper fills). */
export interface Review {
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly name: string;
  readonly namespace: string;
  readonly operation: string;
  readonly userInfo: Record<string, unknown>;
  readonly object?: Record<string, unknown> | null;
  readonly oldObject?: Record<string, unknown> | null;
  readonly [key: string]: unknown;
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** True for an `admission.k8s.io` AdmissionReview (a gator test case of an UPDATE or DELETE). */
export function isAdmissionReview(o: Record<string, unknown>): boolean {
  return o.kind === 'AdmissionReview' && str(o.apiVersion).startsWith('admission.k8s.io/');
}

function kindOf(o: Record<string, unknown>): Review['kind'] {
  const av = str(o.apiVersion);
  const i = av.indexOf('/');
  return { group: groupOf(o), version: i >= 0 ? av.slice(i + 1) : av, kind: str(o.kind) };
}

/** The review of a plain object. */
export function reviewOfObject(
  o: Record<string, unknown>,
  operation: string,
  userInfo: Record<string, unknown> = { username: '', groups: [] },
): Review {
  const md = obj(o.metadata) ?? {};
  const base = { kind: kindOf(o), name: str(md.name), namespace: str(md.namespace), operation, userInfo };
  // Gatekeeper moves the object to oldObject on DELETE (setObjectOnDelete).
  return operation === 'DELETE' ? { ...base, oldObject: o } : { ...base, object: o };
}

/**
 * The review of an AdmissionReview document: its request, with the object under review (object,
 * else oldObject) for identity. Undefined when it carries neither.
 */
export function reviewOfAdmissionReview(
  doc: Record<string, unknown>,
): { review: Review; object: Record<string, unknown> } | undefined {
  const req = obj(doc.request);
  if (!req) return undefined;
  const object = obj(req.object);
  const oldObject = obj(req.oldObject);
  const subject = object ?? oldObject;
  if (!subject) return undefined;
  const md = obj(subject.metadata) ?? {};
  const k = obj(req.kind);
  const operation = str(req.operation);
  const review: Review = {
    ...req,
    kind: k ? { group: str(k.group), version: str(k.version), kind: str(k.kind) } : kindOf(subject),
    name: typeof req.name === 'string' ? req.name : str(md.name),
    namespace: typeof req.namespace === 'string' ? req.namespace : str(md.namespace),
    operation,
    userInfo: obj(req.userInfo) ?? {},
    // Gatekeeper sets object to oldObject on DELETE when object is absent.
    ...(operation === 'DELETE' && !object && oldObject ? { object: oldObject } : {}),
  };
  return { review, object: subject };
}
