import type { SchemaProblem } from './schema';

/**
 * Root and Linux capabilities in a workload's pod template: the rules of Pod Security Admission
 * `restricted` (Kubernetes' Pod Security Standards: runAsNonRoot, runAsUser, allowPrivilegeEscalation,
 * privileged, capabilities_restricted) that a backup-validation job breaks when it runs as root or
 * adds capabilities. The cluster's namespace enforces `restricted`, so the API server refuses such a
 * pod. BackupValidationJob writes a pod that passes (its rule checks it as written, escape hatches
 * included); `ManifestAudit` checks hand-written CronJobs and Jobs. test/audit.test.ts compares the
 * verdicts with test/util/pod-security.ts, the full Pod Security Standards of the test suite.
 */

/** Capabilities `restricted` lets a container add. */
const ALLOWED_ADD = ['NET_BIND_SERVICE'];

/** The pod spec of a workload and its path, for the kinds that have one. @internal */
export function workloadPodSpec(obj: any): { spec: any; path: string } | undefined {
  switch (obj?.kind) {
    case 'CronJob': return { spec: obj.spec?.jobTemplate?.spec?.template?.spec, path: 'spec.jobTemplate.spec.template.spec' };
    case 'Job': case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet':
      return { spec: obj.spec?.template?.spec, path: 'spec.template.spec' };
    case 'Pod': return { spec: obj.spec, path: 'spec' };
    default: return undefined;
  }
}

/**
 * Every way the pod runs as root or with more privilege than `restricted` allows.
 *
 * @param spec a pod spec
 * @param at its path in the object
 * @internal
 */
export function podSecurityProblems(spec: any, at: string): SchemaProblem[] {
  if (!spec || typeof spec !== 'object') return [];
  const problems: SchemaProblem[] = [];
  const pod = spec.securityContext ?? {};
  const containers: Array<[any, string]> = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    (Array.isArray(spec[list]) ? spec[list] : []).forEach((c: any, i: number) => containers.push([c, `${at}.${list}[${i}]`]));
  }
  const fix = 'run as a non-root user: runAsNonRoot: true and a non-zero runAsUser (e.g. 65532) on the pod, allowPrivilegeEscalation: false and capabilities: { drop: [ALL] } on every container (what BackupValidationJob writes)';
  if (pod.runAsUser === 0) problems.push({ path: `${at}.securityContext.runAsUser`, value: 0, problem: 'runs the pod as root (UID 0)', fix });
  if (pod.runAsNonRoot === false) problems.push({ path: `${at}.securityContext.runAsNonRoot`, value: false, problem: 'lets the pod run as root', fix });
  for (const [c, where] of containers) {
    const sc = c?.securityContext ?? {};
    const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (sc.runAsUser === 0) {problems.push({ path: `${where}.securityContext.runAsUser`, value: 0, problem: `runs container "${c?.name}" as root (UID 0)`, fix });} else if (sc.runAsNonRoot === false) {problems.push({ path: `${where}.securityContext.runAsNonRoot`, value: false, problem: `lets container "${c?.name}" run as root`, fix });} else if (nonRoot !== true) {
      problems.push({
        path: `${where}.securityContext.runAsNonRoot`,
        value: undefined,
        problem: `is not set for container "${c?.name}" nor for the pod: it runs as whatever user its image names, root for most images`,
        fix,
      });
    }
    if (sc.privileged === true) problems.push({ path: `${where}.securityContext.privileged`, value: true, problem: `runs container "${c?.name}" privileged (every capability, the host's devices)`, fix });
    const add: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
    const extra = add.filter((cap) => !ALLOWED_ADD.includes(String(cap)));
    if (extra.length) {
      problems.push({
        path: `${where}.securityContext.capabilities.add`,
        value: add,
        problem: `adds the Linux capabilities ${extra.join(', ')} to container "${c?.name}", which Pod Security "restricted" refuses`,
        fix,
      });
    }
    const drop: unknown[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
    if (!drop.includes('ALL')) {
      problems.push({
        path: `${where}.securityContext.capabilities.drop`,
        value: sc.capabilities?.drop,
        problem: `does not drop ALL capabilities of container "${c?.name}" (the runtime's defaults stay, e.g. CHOWN, DAC_OVERRIDE, SETUID)`,
        fix,
      });
    }
    if (sc.allowPrivilegeEscalation !== false) {
      problems.push({
        path: `${where}.securityContext.allowPrivilegeEscalation`,
        value: sc.allowPrivilegeEscalation,
        problem: `is not false for container "${c?.name}": a setuid binary can make it root`,
        fix,
      });
    }
  }
  return problems;
}

/** The rule of a workload as written (CheckedApiObject rules). @internal */
export function workloadPodSecurityRule(json: any): SchemaProblem[] {
  const found = workloadPodSpec(json);
  return found ? podSecurityProblems(found.spec, found.path) : [];
}
