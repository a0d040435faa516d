/**
 * The Pod Security Standards checks (k8s.io/pod-security-admission/policy, latest version), baseline
 * and restricted, as `validate.podSecurity` uses them. Each violation names its control and where it
 * is: the pod spec, or a container (with its image), so Kyverno's `exclude` entries can exempt it.
 */
import { isMap } from '../pattern/go-values.js';

export type Level = 'baseline' | 'restricted';

export interface Violation {
  readonly control: string;
  readonly message: string;
  /** undefined: a pod-level field; else the container's image. */
  readonly image?: string;
  readonly field: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isMap(v) ? v : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isMap) : []);

interface Container {
  readonly c: Obj;
  readonly kind: 'containers' | 'initContainers' | 'ephemeralContainers';
}

function containersOf(spec: Obj): Container[] {
  return (['initContainers', 'containers', 'ephemeralContainers'] as const).flatMap((kind) =>
    list(spec[kind]).map((c) => ({ c, kind })),
  );
}

const BASELINE_CAPS = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** All violations of the level's checks for a pod spec (and the pod's annotations for AppArmor). */
export function podSecurityViolations(spec: Obj, annotations: Obj, level: Level): Violation[] {
  const out: Violation[] = [];
  const podSc = obj(spec.securityContext);
  const cs = containersOf(spec);
  const pod = (control: string, field: string, message: string): void => void out.push({ control, field, message });
  const ctr = (control: string, c: Container, field: string, message: string): void =>
    void out.push({
      control,
      field: `spec.${c.kind}[*].${field}`,
      message: `${message} (container ${String(c.c.name)})`,
      image: String(c.c.image ?? ''),
    });

  // baseline
  if (obj(podSc.windowsOptions).hostProcess === true)
    pod('HostProcess', 'spec.securityContext.windowsOptions.hostProcess', 'hostProcess is not allowed');
  for (const c of cs)
    if (obj(obj(c.c.securityContext).windowsOptions).hostProcess === true)
      ctr('HostProcess', c, 'securityContext.windowsOptions.hostProcess', 'hostProcess is not allowed');
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (spec[f] === true) pod('Host Namespaces', `spec.${f}`, `${f}=true`);
  for (const c of cs)
    if (obj(c.c.securityContext).privileged === true)
      ctr('Privileged Containers', c, 'securityContext.privileged', 'privileged');
  for (const c of cs) {
    const add = Array.isArray(obj(obj(c.c.securityContext).capabilities).add)
      ? (obj(obj(c.c.securityContext).capabilities).add as unknown[]).map(String)
      : [];
    const bad = add.filter((a) => !BASELINE_CAPS.has(a));
    if (bad.length)
      ctr('Capabilities', c, 'securityContext.capabilities.add', `non-default capabilities ${bad.join(', ')}`);
  }
  for (const v of list(spec.volumes))
    if (v.hostPath !== undefined)
      pod('HostPath Volumes', 'spec.volumes[*].hostPath', `hostPath volume ${String(v.name)}`);
  for (const c of cs)
    for (const p of list(c.c.ports))
      if (typeof p.hostPort === 'number' && p.hostPort !== 0)
        ctr('Host Ports', c, 'ports[*].hostPort', `hostPort ${p.hostPort}`);
  const appArmorBad = (t: unknown): boolean => t !== undefined && t !== 'RuntimeDefault' && t !== 'Localhost';
  if (appArmorBad(obj(podSc.appArmorProfile).type))
    pod('AppArmor', 'spec.securityContext.appArmorProfile.type', 'AppArmor profile not allowed');
  for (const c of cs)
    if (appArmorBad(obj(obj(c.c.securityContext).appArmorProfile).type))
      ctr('AppArmor', c, 'securityContext.appArmorProfile.type', 'AppArmor profile not allowed');
  for (const [k, v] of Object.entries(annotations)) {
    if (
      k.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      v !== 'runtime/default' &&
      !(typeof v === 'string' && v.startsWith('localhost/'))
    )
      pod('AppArmor', `metadata.annotations["${k}"]`, `AppArmor annotation ${String(v)}`);
  }
  const seLinuxBad = (o: Obj): boolean =>
    !SELINUX_TYPES.has(String(o.type ?? '')) || o.user !== undefined || o.role !== undefined;
  if (isMap(podSc.seLinuxOptions) && seLinuxBad(podSc.seLinuxOptions))
    pod('SELinux', 'spec.securityContext.seLinuxOptions', 'SELinux options not allowed');
  for (const c of cs) {
    const o = obj(c.c.securityContext).seLinuxOptions;
    if (isMap(o) && seLinuxBad(o)) ctr('SELinux', c, 'securityContext.seLinuxOptions', 'SELinux options not allowed');
  }
  for (const c of cs) {
    const pm = obj(c.c.securityContext).procMount;
    if (pm !== undefined && pm !== 'Default')
      ctr('/proc Mount Type', c, 'securityContext.procMount', `procMount ${String(pm)}`);
  }
  const podSeccomp = obj(podSc.seccompProfile).type;
  if (level === 'baseline') {
    if (podSeccomp === 'Unconfined')
      pod('Seccomp', 'spec.securityContext.seccompProfile.type', 'seccompProfile Unconfined');
    for (const c of cs)
      if (obj(obj(c.c.securityContext).seccompProfile).type === 'Unconfined')
        ctr('Seccomp', c, 'securityContext.seccompProfile.type', 'seccompProfile Unconfined');
  }
  for (const s of list(podSc.sysctls))
    if (!SAFE_SYSCTLS.has(String(s.name)))
      pod('Sysctls', 'spec.securityContext.sysctls[*].name', `sysctl ${String(s.name)}`);
  if (level === 'baseline') return out;

  // restricted
  for (const v of list(spec.volumes)) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type))
      pod('Volume Types', `spec.volumes[*].${type}`, `volume ${String(v.name)} of type ${type}`);
  }
  for (const c of cs)
    if (obj(c.c.securityContext).allowPrivilegeEscalation !== false)
      ctr('Privilege Escalation', c, 'securityContext.allowPrivilegeEscalation', 'allowPrivilegeEscalation != false');
  if (podSc.runAsNonRoot === false)
    pod('Running as Non-root', 'spec.securityContext.runAsNonRoot', 'runAsNonRoot=false');
  for (const c of cs) {
    const v = obj(c.c.securityContext).runAsNonRoot;
    if (v === false || (v === undefined && podSc.runAsNonRoot !== true))
      ctr('Running as Non-root', c, 'securityContext.runAsNonRoot', 'runAsNonRoot != true');
  }
  if (podSc.runAsUser === 0) pod('Running as Non-root user', 'spec.securityContext.runAsUser', 'runAsUser=0');
  for (const c of cs)
    if (obj(c.c.securityContext).runAsUser === 0)
      ctr('Running as Non-root user', c, 'securityContext.runAsUser', 'runAsUser=0');
  const okSeccomp = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';
  if (podSeccomp !== undefined && !okSeccomp(podSeccomp))
    pod('Seccomp', 'spec.securityContext.seccompProfile.type', `seccompProfile ${String(podSeccomp)}`);
  for (const c of cs) {
    const t = obj(obj(c.c.securityContext).seccompProfile).type;
    if (t !== undefined ? !okSeccomp(t) : !okSeccomp(podSeccomp))
      ctr('Seccomp', c, 'securityContext.seccompProfile.type', 'seccompProfile must be RuntimeDefault or Localhost');
  }
  for (const c of cs) {
    const caps = obj(obj(c.c.securityContext).capabilities);
    const drop = Array.isArray(caps.drop) ? caps.drop.map(String) : [];
    const add = Array.isArray(caps.add) ? caps.add.map(String) : [];
    if (!drop.includes('ALL')) ctr('Capabilities', c, 'securityContext.capabilities.drop', 'must drop ALL');
    const bad = add.filter((a) => a !== 'NET_BIND_SERVICE');
    if (bad.length) ctr('Capabilities', c, 'securityContext.capabilities.add', `adds ${bad.join(', ')}`);
  }
  return out;
}
