/**
 * Gate 3 (in the unit suite): Pod Security Admission `restricted` for every pod spec the library
 * writes, with the checker itself tested rule by rule; and determinism of the reference platform.
 * (The scanners, checkov and kube-score, run in test/integ/security-scanners.test.ts.)
 */
import { App, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../../examples/platform/platform';
import { fluxSubstitute, readSettingsData } from '../util/flux';
import { checkRestricted, effectivePoolerPodSpec, formatViolations, podSecurityViolations, podTemplates } from '../util/pod-security';

/** A pod spec that satisfies `restricted`. */
function compliant(): any {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'c',
      image: 'x:1',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }],
    volumes: [{ name: 'tmp', emptyDir: {} }, { name: 's', secret: { secretName: 's' } }],
  };
}
const check = (spec: any, metadata: any = {}) => checkRestricted({ object: 'Pod/p', path: 'spec', metadata, spec });

describe('the Pod Security Admission restricted checker', () => {
  test('a compliant pod passes', () => {
    expect(check(compliant())).toEqual([]);
  });

  // One mutation per rule of the Pod Security Standards; each must be reported under its rule.
  const MUTATIONS: Array<[string, (s: any, m: any) => void]> = [
    ['hostProcess', (s) => { s.securityContext.windowsOptions = { hostProcess: true }; }],
    ['hostNamespaces', (s) => { s.hostNetwork = true; }],
    ['hostNamespaces', (s) => { s.hostPID = true; }],
    ['hostNamespaces', (s) => { s.hostIPC = true; }],
    ['privileged', (s) => { s.containers[0].securityContext.privileged = true; }],
    ['capabilities_baseline', (s) => { s.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']; }],
    ['hostPathVolumes', (s) => { s.volumes.push({ name: 'h', hostPath: { path: '/' } }); }],
    ['hostPorts', (s) => { s.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]; }],
    ['appArmorProfile', (s) => { s.securityContext.appArmorProfile = { type: 'Unconfined' }; }],
    ['appArmorProfile', (_s, m) => { m.annotations = { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' }; }],
    ['seLinuxOptions', (s) => { s.securityContext.seLinuxOptions = { type: 'spc_t' }; }],
    ['seLinuxOptions', (s) => { s.containers[0].securityContext.seLinuxOptions = { user: 'root' }; }],
    ['procMount', (s) => { s.containers[0].securityContext.procMount = 'Unmasked'; }],
    ['seccompProfile_baseline', (s) => { s.securityContext.seccompProfile = { type: 'Unconfined' }; }],
    ['sysctls', (s) => { s.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]; }],
    ['restrictedVolumes', (s) => { s.volumes.push({ name: 'n', nfs: { server: 'x', path: '/' } }); }],
    ['allowPrivilegeEscalation', (s) => { delete s.containers[0].securityContext.allowPrivilegeEscalation; }],
    ['allowPrivilegeEscalation', (s) => { s.initContainers = [{ name: 'i', securityContext: { capabilities: { drop: ['ALL'] } } }]; }],
    ['runAsNonRoot', (s) => { delete s.securityContext.runAsNonRoot; }],
    ['runAsNonRoot', (s) => { s.containers[0].securityContext.runAsNonRoot = false; }],
    ['runAsUser', (s) => { s.containers[0].securityContext.runAsUser = 0; }],
    ['seccompProfile_restricted', (s) => { delete s.securityContext.seccompProfile; }],
    ['capabilities_restricted', (s) => { s.containers[0].securityContext.capabilities = {}; }],
    ['capabilities_restricted', (s) => { s.containers[0].securityContext.capabilities.add = ['NET_RAW']; }],
  ];
  test.each(MUTATIONS.map(([rule, mutate], i) => [`${rule} #${i}`, rule, mutate] as const))('%s is reported', (_n, rule, mutate) => {
    const spec = compliant();
    const metadata: any = {};
    mutate(spec, metadata);
    expect(check(spec, metadata).map((v) => v.rule)).toContain(rule);
  });

  test('NET_BIND_SERVICE may be added; a container-level seccomp profile replaces the pod one', () => {
    const spec = compliant();
    spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE'];
    delete spec.securityContext.seccompProfile;
    spec.containers[0].securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' };
    expect(check(spec)).toEqual([]);
  });

  test('pod templates are found in every workload kind and in Poolers', () => {
    const tpl = { spec: { template: { spec: compliant() } } };
    const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].map((kind) => ({ kind, metadata: { name: kind.toLowerCase() }, ...tpl }));
    const cron = { kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: compliant() } } } } };
    const pooler = { kind: 'Pooler', metadata: { name: 'p' }, spec: { template: { spec: { containers: [{ name: 'pgbouncer' }] } } } };
    const found = podTemplates([...kinds, cron, pooler, { kind: 'Pod', metadata: { name: 'pod' }, spec: compliant() }, { kind: 'ConfigMap', metadata: { name: 'x' } }]);
    expect(found.map((t) => t.object)).toEqual(['Deployment/deployment', 'StatefulSet/statefulset', 'DaemonSet/daemonset', 'ReplicaSet/replicaset', 'Job/job', 'CronJob/c', 'Pooler/p', 'Pod/pod']);
  });

  test('Pooler: the operator sets the pod and pgbouncer security contexts; what the library adds is checked', () => {
    expect(check(effectivePoolerPodSpec({ containers: [{ name: 'pgbouncer', resources: {} }] }))).toEqual([]);
    expect(check(effectivePoolerPodSpec({}))).toEqual([]);
    const sidecar = check(effectivePoolerPodSpec({ hostNetwork: true, containers: [{ name: 'pgbouncer' }, { name: 'sidecar' }] }));
    expect(sidecar.map((v) => v.rule).sort()).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'hostNamespaces']);
  });
});

describe('the reference platform', () => {
  const synthYaml = () => {
    const app = Testing.app();
    buildPlatform(app);
    return (app as App).synthYaml();
  };
  const yamlText = synthYaml();
  const manifests = parseAllDocuments(fluxSubstitute(yamlText, readSettingsData(REFERENCE_SETTINGS_FILE))).map((d) => d.toJSON());

  test('every pod spec it writes passes Pod Security Admission restricted', () => {
    expect(formatViolations(podSecurityViolations(manifests))).toEqual([]);
  });

  test('its namespaces enforce restricted', () => {
    for (const ns of manifests.filter((m) => m.kind === 'Namespace')) {
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    }
  });

  test('synthesizing it twice gives byte-identical YAML', () => {
    expect(synthYaml()).toBe(yamlText);
  });
});
