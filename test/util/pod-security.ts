/**
 * Pod Security Admission, level `restricted` (which includes `baseline`), evaluated on every pod
 * template of synthesized manifests, as the admission controller of a namespace labelled
 * `pod-security.kubernetes.io/enforce: restricted` would.
 *
 * The rules are the Pod Security Standards of Kubernetes v1.30
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/, implemented upstream in
 * k8s.io/pod-security-admission/policy/check_*.go). Each rule below carries its name there.
 *
 * Baseline:
 *   hostProcess              securityContext.windowsOptions.hostProcess unset or false (pod, containers)
 *   hostNamespaces           hostNetwork, hostPID, hostIPC unset or false
 *   privileged               containers' securityContext.privileged unset or false
 *   capabilities_baseline    capabilities.add only from the baseline set
 *   hostPathVolumes          no hostPath volume
 *   hostPorts                containers' ports[].hostPort unset or 0
 *   appArmorProfile          appArmorProfile.type (and the legacy annotation) RuntimeDefault or Localhost
 *   seLinuxOptions           type "", container_t, container_init_t or container_kvm_t; user and role unset
 *   procMount                securityContext.procMount unset or Default
 *   seccompProfile_baseline  seccompProfile.type never Unconfined
 *   sysctls                  only the safe sysctls
 * Restricted:
 *   restrictedVolumes        only configMap, csi, downwardAPI, emptyDir, ephemeral,
 *                            persistentVolumeClaim, projected and secret volumes
 *   allowPrivilegeEscalation every container sets allowPrivilegeEscalation: false
 *   runAsNonRoot             runAsNonRoot: true on the pod or on every container, never false
 *   runAsUser                runAsUser never 0 (pod, containers)
 *   seccompProfile_restricted seccompProfile.type RuntimeDefault or Localhost on the pod or every container
 *   capabilities_restricted  every container drops ALL and adds nothing but NET_BIND_SERVICE
 *
 * "Containers" are containers, initContainers and ephemeralContainers.
 */

/** One violation: where, which rule, what was found. */
export interface PsaViolation {
  readonly object: string;
  readonly path: string;
  readonly rule: string;
  readonly detail: string;
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** A pod template found in a manifest: its metadata (annotations) and spec, and where it is. */
export interface PodTemplate {
  readonly object: string;
  readonly path: string;
  readonly metadata: any;
  readonly spec: any;
}

/**
 * Every pod spec the manifests define: Pods, workload templates (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Job, CronJob) and CloudNativePG Pooler `spec.template`.
 */
export function podTemplates(manifests: any[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const m of manifests) {
    const object = `${m.kind}/${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name}`;
    switch (m.kind) {
      case 'Pod':
        out.push({ object, path: 'spec', metadata: m.metadata ?? {}, spec: m.spec ?? {} });
        break;
      case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': case 'ReplicationController':
        out.push({ object, path: 'spec.template.spec', metadata: m.spec?.template?.metadata ?? {}, spec: m.spec?.template?.spec ?? {} });
        break;
      case 'CronJob':
        out.push({
          object,
          path: 'spec.jobTemplate.spec.template.spec',
          metadata: m.spec?.jobTemplate?.spec?.template?.metadata ?? {},
          spec: m.spec?.jobTemplate?.spec?.template?.spec ?? {},
        });
        break;
      case 'Pooler':
        out.push({ object, path: 'spec.template.spec', metadata: m.spec?.template?.metadata ?? {}, spec: effectivePoolerPodSpec(m.spec?.template?.spec ?? {}) });
        break;
    }
  }
  return out;
}

/**
 * The operator's security context of the containers it manages (CloudNativePG
 * pkg/specs/pods.go `CreateContainerSecurityContext`, with the cluster's default seccomp
 * profile RuntimeDefault).
 */
export const CNPG_CONTAINER_SECURITY_CONTEXT = {
  capabilities: { drop: ['ALL'] },
  privileged: false,
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  seccompProfile: { type: 'RuntimeDefault' },
};
/** The operator's pod security context of pooler pods (`CreatePodSecurityContext(seccomp, 998, 996)`). */
export const CNPG_POOLER_POD_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: 998,
  runAsGroup: 996,
  fsGroup: 996,
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * The pod spec the CloudNativePG operator builds from a Pooler's `spec.template`
 * (pkg/specs/pgbouncer/deployments.go): it OVERWRITES the pod security context and the security
 * context of the `pgbouncer` container (`WithSecurityContext(..., true)`,
 * `WithContainerSecurityContext("pgbouncer", ..., true)`) and adds the `bootstrap-controller`
 * init container with its own. Everything else the library writes (volumes, host namespaces,
 * other containers and their contexts) is checked as written.
 */
export function effectivePoolerPodSpec(spec: any): any {
  const containers: any[] = [...(spec.containers ?? [])];
  if (!containers.some((c) => c.name === 'pgbouncer')) containers.push({ name: 'pgbouncer' });
  return {
    ...spec,
    securityContext: { ...(spec.securityContext ?? {}), ...CNPG_POOLER_POD_SECURITY_CONTEXT },
    containers: containers.map((c) => (c.name === 'pgbouncer' ? { ...c, securityContext: CNPG_CONTAINER_SECURITY_CONTEXT } : c)),
    initContainers: [
      ...(spec.initContainers ?? []).filter((c: any) => c.name !== 'bootstrap-controller'),
      { name: 'bootstrap-controller', securityContext: CNPG_CONTAINER_SECURITY_CONTEXT },
    ],
  };
}

/** Checks one pod template against `restricted`. */
export function checkRestricted(t: PodTemplate): PsaViolation[] {
  const v: PsaViolation[] = [];
  const add = (path: string, rule: string, detail: string) => v.push({ object: t.object, path: `${t.path}${path ? `.${path}` : ''}`, rule, detail });
  const spec = t.spec ?? {};
  const psc = spec.securityContext ?? {};
  const containers: Array<[string, any]> = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    (spec[list] ?? []).forEach((c: any, i: number) => containers.push([`${list}[${i}]`, c]));
  }

  // --- baseline ---
  if (psc.windowsOptions?.hostProcess === true) add('securityContext.windowsOptions.hostProcess', 'hostProcess', 'true');
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[f] === true) add(f, 'hostNamespaces', 'true');
  }
  (spec.volumes ?? []).forEach((vol: any, i: number) => {
    if (vol.hostPath) add(`volumes[${i}]`, 'hostPathVolumes', `hostPath ${JSON.stringify(vol.hostPath)}`);
    const sources = Object.keys(vol).filter((k) => k !== 'name');
    for (const s of sources) {
      if (!RESTRICTED_VOLUME_SOURCES.has(s)) add(`volumes[${i}]`, 'restrictedVolumes', `volume type ${s}`);
    }
  });
  checkAppArmor(psc.appArmorProfile, 'securityContext.appArmorProfile', add);
  for (const [k, val] of Object.entries(t.metadata?.annotations ?? {})) {
    if (k.startsWith(APPARMOR_ANNOTATION) && val !== 'runtime/default' && !String(val).startsWith('localhost/')) {
      add(`metadata.annotations["${k}"]`, 'appArmorProfile', String(val));
    }
  }
  checkSeLinux(psc.seLinuxOptions, 'securityContext.seLinuxOptions', add);
  (psc.sysctls ?? []).forEach((s: any, i: number) => {
    if (!SAFE_SYSCTLS.has(s.name)) add(`securityContext.sysctls[${i}]`, 'sysctls', s.name);
  });
  if (psc.seccompProfile?.type === 'Unconfined') add('securityContext.seccompProfile.type', 'seccompProfile_baseline', 'Unconfined');
  if (psc.runAsUser === 0) add('securityContext.runAsUser', 'runAsUser', '0');
  if (psc.runAsNonRoot === false) add('securityContext.runAsNonRoot', 'runAsNonRoot', 'false');

  const podNonRoot = psc.runAsNonRoot === true;
  const podSeccomp = psc.seccompProfile?.type === 'RuntimeDefault' || psc.seccompProfile?.type === 'Localhost';

  for (const [where, c] of containers) {
    const sc = c.securityContext ?? {};
    if (sc.windowsOptions?.hostProcess === true) add(`${where}.securityContext.windowsOptions.hostProcess`, 'hostProcess', 'true');
    if (sc.privileged === true) add(`${where}.securityContext.privileged`, 'privileged', 'true');
    (c.ports ?? []).forEach((p: any, i: number) => {
      if (p.hostPort !== undefined && p.hostPort !== 0) add(`${where}.ports[${i}].hostPort`, 'hostPorts', String(p.hostPort));
    });
    checkAppArmor(sc.appArmorProfile, `${where}.securityContext.appArmorProfile`, add);
    checkSeLinux(sc.seLinuxOptions, `${where}.securityContext.seLinuxOptions`, add);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') add(`${where}.securityContext.procMount`, 'procMount', sc.procMount);
    if (sc.seccompProfile?.type === 'Unconfined') add(`${where}.securityContext.seccompProfile.type`, 'seccompProfile_baseline', 'Unconfined');
    const added: string[] = sc.capabilities?.add ?? [];
    for (const cap of added) {
      if (!BASELINE_CAPABILITIES.has(cap)) add(`${where}.securityContext.capabilities.add`, 'capabilities_baseline', cap);
    }

    // --- restricted ---
    if (sc.allowPrivilegeEscalation !== false) {
      add(`${where}.securityContext.allowPrivilegeEscalation`, 'allowPrivilegeEscalation', `${sc.allowPrivilegeEscalation ?? 'unset'} (must be false)`);
    }
    if (sc.runAsNonRoot === false) add(`${where}.securityContext.runAsNonRoot`, 'runAsNonRoot', 'false');
    else if (sc.runAsNonRoot !== true && !podNonRoot) add(`${where}.securityContext.runAsNonRoot`, 'runAsNonRoot', 'unset on the container and the pod (must be true)');
    if (sc.runAsUser === 0) add(`${where}.securityContext.runAsUser`, 'runAsUser', '0');
    const cSeccomp = sc.seccompProfile?.type;
    if (cSeccomp === undefined ? !podSeccomp : cSeccomp !== 'RuntimeDefault' && cSeccomp !== 'Localhost') {
      add(`${where}.securityContext.seccompProfile.type`, 'seccompProfile_restricted', `${cSeccomp ?? 'unset on the container and the pod'} (must be RuntimeDefault or Localhost)`);
    }
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) add(`${where}.securityContext.capabilities.drop`, 'capabilities_restricted', `${JSON.stringify(drop)} (must contain ALL)`);
    for (const cap of added) {
      if (cap !== 'NET_BIND_SERVICE') add(`${where}.securityContext.capabilities.add`, 'capabilities_restricted', cap);
    }
  }
  return v;
}

/** Every `restricted` violation of every pod template in the manifests. */
export function podSecurityViolations(manifests: any[]): PsaViolation[] {
  return podTemplates(manifests).flatMap(checkRestricted);
}

/** Renders violations one per line, for a test failure. */
export function formatViolations(v: PsaViolation[]): string[] {
  return v.map((x) => `${x.object} ${x.path}: ${x.rule}: ${x.detail}`);
}

function checkAppArmor(p: any, path: string, add: (p: string, r: string, d: string) => void): void {
  if (p?.type !== undefined && p.type !== 'RuntimeDefault' && p.type !== 'Localhost') add(`${path}.type`, 'appArmorProfile', p.type);
}

function checkSeLinux(o: any, path: string, add: (p: string, r: string, d: string) => void): void {
  if (!o) return;
  if (o.type !== undefined && !SELINUX_TYPES.has(o.type)) add(`${path}.type`, 'seLinuxOptions', o.type);
  if (o.user !== undefined && o.user !== '') add(`${path}.user`, 'seLinuxOptions', o.user);
  if (o.role !== undefined && o.role !== '') add(`${path}.role`, 'seLinuxOptions', o.role);
}
