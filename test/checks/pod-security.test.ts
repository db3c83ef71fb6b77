import { podSecurityProblems, workloadPodSecurityRule, workloadPodSpec } from '../../src/checks/pod-security';

const FIX = 'run as a non-root user: runAsNonRoot: true and a non-zero runAsUser (e.g. 65532) on the pod, '
  + 'allowPrivilegeEscalation: false and capabilities: { drop: [ALL] } on every container (what BackupValidationJob writes)';
const RESTRICTED = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
const podSpec = (pod: any, ...containers: any[]) => ({ securityContext: pod, containers });

describe('workloadPodSpec', () => {
  const spec = { containers: [] };
  test('a CronJob\'s job template', () => {
    expect(workloadPodSpec({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec } } } } }))
      .toEqual({ spec, path: 'spec.jobTemplate.spec.template.spec' });
    for (const partial of [{}, { jobTemplate: {} }, { jobTemplate: { spec: {} } }, { jobTemplate: { spec: { template: {} } } }]) {
      expect(workloadPodSpec({ kind: 'CronJob', spec: partial })).toEqual({ spec: undefined, path: 'spec.jobTemplate.spec.template.spec' });
    }
    expect(workloadPodSpec({ kind: 'CronJob' })).toEqual({ spec: undefined, path: 'spec.jobTemplate.spec.template.spec' });
  });

  test.each(['Job', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'])('a %s\'s template', (kind) => {
    expect(workloadPodSpec({ kind, spec: { template: { spec } } })).toEqual({ spec, path: 'spec.template.spec' });
    expect(workloadPodSpec({ kind })).toEqual({ spec: undefined, path: 'spec.template.spec' });
    expect(workloadPodSpec({ kind, spec: {} })).toEqual({ spec: undefined, path: 'spec.template.spec' });
    expect(workloadPodSpec({ kind, spec: { template: {} } })).toEqual({ spec: undefined, path: 'spec.template.spec' });
  });

  test('a Pod\'s own spec', () => {
    expect(workloadPodSpec({ kind: 'Pod', spec })).toEqual({ spec, path: 'spec' });
  });

  test('other kinds and no object have none', () => {
    expect(workloadPodSpec({ kind: 'Service', spec: { template: { spec } } })).toBeUndefined();
    expect(workloadPodSpec({ kind: 'Cluster', spec })).toBeUndefined();
    expect(workloadPodSpec(undefined)).toBeUndefined();
  });
});

describe('podSecurityProblems', () => {
  test('a restricted pod (non-root on the pod, on the container, or both) has none', () => {
    expect(podSecurityProblems(podSpec({ runAsNonRoot: true, runAsUser: 65532 }, { name: 'c', securityContext: RESTRICTED }), 'spec')).toEqual([]);
    expect(podSecurityProblems(podSpec(undefined, { name: 'c', securityContext: { ...RESTRICTED, runAsNonRoot: true } }), 'spec')).toEqual([]);
    expect(podSecurityProblems(podSpec({ runAsNonRoot: false }, { name: 'c', securityContext: { ...RESTRICTED, runAsNonRoot: true } }), 'spec'))
      .toEqual([{ path: 'spec.securityContext.runAsNonRoot', value: false, problem: 'lets the pod run as root', fix: FIX }]);
    expect(podSecurityProblems({ securityContext: { runAsNonRoot: true } }, 'spec')).toEqual([]);
  });

  test('NET_BIND_SERVICE is the one capability a container may add', () => {
    const sc = { ...RESTRICTED, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } };
    expect(podSecurityProblems(podSpec({ runAsNonRoot: true }, { name: 'c', securityContext: sc }), 'spec')).toEqual([]);
  });

  test('a root pod and a root container: each reported with its path', () => {
    expect(podSecurityProblems(podSpec({ runAsUser: 0, runAsNonRoot: true }, { name: 'c', securityContext: { ...RESTRICTED, runAsUser: 0 } }), 'spec.x')).toEqual([
      { path: 'spec.x.securityContext.runAsUser', value: 0, problem: 'runs the pod as root (UID 0)', fix: FIX },
      { path: 'spec.x.containers[0].securityContext.runAsUser', value: 0, problem: 'runs container "c" as root (UID 0)', fix: FIX },
    ]);
  });

  test('a container that allows root, one that sets nothing (the image decides), one non-root with a UID', () => {
    expect(podSecurityProblems(podSpec({},
      { name: 'a', securityContext: { ...RESTRICTED, runAsNonRoot: false } },
      { name: 'b', securityContext: RESTRICTED },
      { name: 'c', securityContext: { ...RESTRICTED, runAsNonRoot: true, runAsUser: 1000 } },
    ), 'spec')).toEqual([
      { path: 'spec.containers[0].securityContext.runAsNonRoot', value: false, problem: 'lets container "a" run as root', fix: FIX },
      {
        path: 'spec.containers[1].securityContext.runAsNonRoot',
        value: undefined,
        problem: 'is not set for container "b" nor for the pod: it runs as whatever user its image names, root for most images',
        fix: FIX,
      },
    ]);
  });

  test('the container\'s runAsNonRoot: false wins over the pod\'s true; runAsUser 0 is reported before it', () => {
    expect(podSecurityProblems(podSpec({ runAsNonRoot: true }, { name: 'a', securityContext: { ...RESTRICTED, runAsNonRoot: false } }), 'spec'))
      .toEqual([{ path: 'spec.containers[0].securityContext.runAsNonRoot', value: false, problem: 'lets container "a" run as root', fix: FIX }]);
    expect(podSecurityProblems(podSpec({ runAsNonRoot: true }, { name: 'a', securityContext: { ...RESTRICTED, runAsNonRoot: false, runAsUser: 0 } }), 'spec'))
      .toEqual([{ path: 'spec.containers[0].securityContext.runAsUser', value: 0, problem: 'runs container "a" as root (UID 0)', fix: FIX }]);
  });

  test('privileged, added capabilities, ALL not dropped, privilege escalation: each its own problem', () => {
    const sc = { runAsNonRoot: true, privileged: true, capabilities: { add: ['NET_BIND_SERVICE', 'SYS_ADMIN', 'NET_RAW'], drop: ['CHOWN'] } };
    expect(podSecurityProblems(podSpec({}, { name: 'c', securityContext: sc }), 'spec')).toEqual([
      { path: 'spec.containers[0].securityContext.privileged', value: true, problem: 'runs container "c" privileged (every capability, the host\'s devices)', fix: FIX },
      {
        path: 'spec.containers[0].securityContext.capabilities.add',
        value: ['NET_BIND_SERVICE', 'SYS_ADMIN', 'NET_RAW'],
        problem: 'adds the Linux capabilities SYS_ADMIN, NET_RAW to container "c", which Pod Security "restricted" refuses',
        fix: FIX,
      },
      {
        path: 'spec.containers[0].securityContext.capabilities.drop',
        value: ['CHOWN'],
        problem: 'does not drop ALL capabilities of container "c" (the runtime\'s defaults stay, e.g. CHOWN, DAC_OVERRIDE, SETUID)',
        fix: FIX,
      },
      {
        path: 'spec.containers[0].securityContext.allowPrivilegeEscalation',
        value: undefined,
        problem: 'is not false for container "c": a setuid binary can make it root',
        fix: FIX,
      },
    ]);
  });

  test('privileged false, escalation true, capabilities that are not lists', () => {
    const sc = { runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: true, capabilities: { add: 'SYS_ADMIN', drop: 'ALL' } };
    expect(podSecurityProblems(podSpec({}, { name: 'c', securityContext: sc }), 'spec').map((p) => [p.path, p.value])).toEqual([
      ['spec.containers[0].securityContext.capabilities.drop', 'ALL'],
      ['spec.containers[0].securityContext.allowPrivilegeEscalation', true],
    ]);
  });

  test('init and ephemeral containers are checked too, each list with its own index; a container without a security context has every problem', () => {
    const found = podSecurityProblems({
      securityContext: { runAsNonRoot: true },
      initContainers: [{ name: 'i', securityContext: RESTRICTED }, { name: 'j' }],
      containers: [{ name: 'c', securityContext: RESTRICTED }],
      ephemeralContainers: [{ name: 'e', securityContext: { ...RESTRICTED, runAsUser: 0 } }],
    }, 'spec');
    expect(found.map((p) => `${p.path} ${p.problem}`)).toEqual([
      'spec.initContainers[1].securityContext.capabilities.drop does not drop ALL capabilities of container "j" (the runtime\'s defaults stay, e.g. CHOWN, DAC_OVERRIDE, SETUID)',
      'spec.initContainers[1].securityContext.allowPrivilegeEscalation is not false for container "j": a setuid binary can make it root',
      'spec.ephemeralContainers[0].securityContext.runAsUser runs container "e" as root (UID 0)',
    ]);
  });

  test('container lists that are not lists, a container that is not an object, a spec that is not an object', () => {
    expect(podSecurityProblems({ securityContext: { runAsNonRoot: true }, containers: { name: 'c' } }, 'spec')).toEqual([]);
    expect(podSecurityProblems({ containers: [null] }, 'spec').map((p) => p.problem)).toEqual([
      'is not set for container "undefined" nor for the pod: it runs as whatever user its image names, root for most images',
      'does not drop ALL capabilities of container "undefined" (the runtime\'s defaults stay, e.g. CHOWN, DAC_OVERRIDE, SETUID)',
      'is not false for container "undefined": a setuid binary can make it root',
    ]);
    expect(podSecurityProblems(undefined, 'spec')).toEqual([]);
    expect(podSecurityProblems(null, 'spec')).toEqual([]);
    expect(podSecurityProblems('spec', 'spec')).toEqual([]);
  });
});

describe('workloadPodSecurityRule', () => {
  test('a root CronJob as written, at its template\'s path; kinds without a pod spec have none', () => {
    const cronJob = {
      kind: 'CronJob',
      spec: { jobTemplate: { spec: { template: { spec: { securityContext: { runAsUser: 0, runAsNonRoot: true }, containers: [{ name: 'c', securityContext: RESTRICTED }] } } } } },
    };
    expect(workloadPodSecurityRule(cronJob)).toEqual([
      { path: 'spec.jobTemplate.spec.template.spec.securityContext.runAsUser', value: 0, problem: 'runs the pod as root (UID 0)', fix: FIX },
    ]);
    expect(workloadPodSecurityRule({ kind: 'ConfigMap', spec: { containers: [{}] } })).toEqual([]);
    expect(workloadPodSecurityRule({ kind: 'Job' })).toEqual([]);
  });
});
