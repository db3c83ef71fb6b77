import { App, Chart, Duration } from 'cdk8s';
import { CnpgHealthChecks, FluxKustomization, FluxSubstituteFrom } from '../src';

describe('FluxKustomization', () => {
  test('is checked against the kustomize-controller CRD (vendor/crds/flux-kustomize-controller-1.9.6)', () => {
    const c = new Chart(new App(), 'c');
    const k = new FluxKustomization(c, 'apps', {
      path: './apps',
      dependsOn: [{ name: 'infra', namespace: 'flux-system' }],
      substituteFrom: [FluxSubstituteFrom.configMap('cluster-settings'), FluxSubstituteFrom.secret('s', true)],
      interval: Duration.minutes(5),
      retryInterval: Duration.minutes(1),
      timeout: Duration.minutes(3),
    });
    k.addHealthCheck({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' });
    k.addHealthCheckExpression(CnpgHealthChecks.cluster());
    const [obj] = c.toJson();
    expect(obj.spec).toMatchObject({
      interval: '5m',
      retryInterval: '1m',
      timeout: '3m',
      postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-settings' }, { kind: 'Secret', name: 's', optional: true }] },
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }],
    });
    k.apiObject.addOverride('spec.sourceRefs', { name: 'x' });
    expect(() => c.toJson()).toThrow(/Kustomization spec\.sourceRefs = \{"name":"x"\} is not a field of Kustomization spec \(Flux kustomize-controller 1\.9\.6\).*did you mean spec\.sourceRef\?/);
  });

  test.each([['/abs'], ['../outside'], ['./a/../../b']])('refuses the path %s', (p) => {
    expect(() => new FluxKustomization(new Chart(new App(), 'c'), 'k', { path: p })).toThrow(/path = .* is not a directory inside the source/);
  });
});

describe('FluxKustomization: defaults, given values and the checks of its props', () => {
  const chart = () => new Chart(new App(), 'c');

  test('the documented defaults: named after the id, in flux-system, GitRepository flux-system, every 10 minutes, 10 minutes timeout, prune, no wait', () => {
    const c = chart();
    const k = new FluxKustomization(c, 'apps', { path: './apps' });
    expect([k.name, k.namespace]).toEqual(['apps', 'flux-system']);
    expect(c.toJson()).toStrictEqual([{
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { interval: '10m', timeout: '10m', path: './apps', prune: true, wait: false, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    }]);
  });

  test('every prop given is written; empty dependsOn and substituteFrom lists are left out', () => {
    const c = chart();
    const k = new FluxKustomization(c, 'apps', {
      name: 'databases',
      namespace: 'gitops',
      path: './kubernetes/databases',
      sourceRef: { kind: 'OCIRepository', name: 'platform', namespace: 'sources' },
      interval: Duration.hours(1),
      retryInterval: Duration.seconds(1),
      timeout: Duration.seconds(90),
      prune: false,
      wait: true,
      dependsOn: [{ name: 'cnpg-operator' }, { name: 'external-secrets', namespace: 'infra' }],
      substituteFrom: [FluxSubstituteFrom.secret('s')],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
      healthCheckExprs: [CnpgHealthChecks.pooler()],
    });
    expect([k.name, k.namespace]).toEqual(['databases', 'gitops']);
    const [obj] = c.toJson();
    expect(obj.metadata).toStrictEqual({ name: 'databases', namespace: 'gitops' });
    expect(obj.spec).toStrictEqual({
      interval: '1h',
      retryInterval: '1s',
      timeout: '90s',
      path: './kubernetes/databases',
      prune: false,
      wait: true,
      sourceRef: { kind: 'OCIRepository', name: 'platform', namespace: 'sources' },
      dependsOn: [{ name: 'cnpg-operator' }, { name: 'external-secrets', namespace: 'infra' }],
      postBuild: { substituteFrom: [{ kind: 'Secret', name: 's' }] },
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
      healthCheckExprs: [{ ...CnpgHealthChecks.pooler() }],
    });
    const empty = chart();
    new FluxKustomization(empty, 'apps', { path: './apps', dependsOn: [], substituteFrom: [], healthChecks: [], healthCheckExprs: [] });
    expect(Object.keys(empty.toJson()[0].spec).sort()).toEqual(['interval', 'path', 'prune', 'sourceRef', 'timeout', 'wait']);
  });

  test('a source given by name only is a GitRepository', () => {
    const c = chart();
    new FluxKustomization(c, 'apps', { path: './apps', sourceRef: { name: 'platform' } });
    expect(c.toJson()[0].spec.sourceRef).toStrictEqual({ kind: 'GitRepository', name: 'platform' });
  });

  test('name and namespace are DNS labels: the whole message names the field', () => {
    const label = 'is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit)';
    expect(() => new FluxKustomization(chart(), 'k', { path: './a', name: 'Apps' })).toThrow(new Error(
      `FluxKustomization at 'c/k': name = "Apps" ${label}. Fix: use a name such as "apps"`));
    expect(() => new FluxKustomization(chart(), 'k', { path: './a', namespace: 'flux_system' })).toThrow(new Error(
      `FluxKustomization at 'c/k': namespace = "flux_system" ${label}. Fix: use a name such as "flux-system"`));
  });

  test('the path: inside the source, whole message; a name starting with two dots is no parent', () => {
    expect(() => new FluxKustomization(chart(), 'k', { path: '/abs' })).toThrow(new Error(
      'FluxKustomization at \'c/k\': path = "/abs" is not a directory inside the source. Fix: give the path from the repository root, e.g. "./kubernetes/workloads/databases"'));
    expect(() => new FluxKustomization(chart(), 'k', { path: 'a/..' })).toThrow(/path = "a\/\.\." is not a directory inside the source/);
    for (const ok of ['./a/..b', '.', './', 'apps']) {
      const c = chart();
      new FluxKustomization(c, 'k', { path: ok });
      expect(c.toJson()[0].spec.path).toBe(ok);
    }
  });

  test('a path that is not a string is refused by the argument check, before the path check', () => {
    expect(() => new FluxKustomization(chart(), 'k', {} as any)).toThrow(new Error(
      'FluxKustomization at \'c/k\': path = (unset) is required (the directory Flux builds, relative to the source\'s root, e.g). Fix: give path: a string'));
    expect(() => new FluxKustomization(chart(), 'k', { path: 3 } as any)).toThrow(new Error(
      'FluxKustomization at \'c/k\': path = 3 is a number, where a string goes. Fix: write the value as a string, in quotes'));
  });

  test.each([
    ['interval', ''], ['retryInterval', ' (the field is retry_interval in Python, RetryInterval in Go)'], ['timeout', ''],
  ])('%s: a second accepted, 0 s refused with the whole message', (field, hint) => {
    const c = chart();
    new FluxKustomization(c, 'k', { path: './a', [field]: Duration.seconds(1) });
    expect(c.toJson()[0].spec[field]).toBe('1s');
    expect(() => new FluxKustomization(chart(), 'k', { path: './a', [field]: Duration.seconds(0) })).toThrow(new Error(
      `FluxKustomization at 'c/k': ${field} = "0 seconds" is shorter than a second. Fix: give a duration of a second or more, e.g. Duration.minutes(10)${hint}`));
  });
});

describe('FluxKustomization: health checks', () => {
  const build = () => {
    const c = new Chart(new App(), 'c');
    return { c, k: new FluxKustomization(c, 'k', { path: './a', healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'a' }] }) };
  };
  const deployment = (name: string, namespace?: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace });

  test('each object once: the same check again is dropped (no namespace and "" alike), one in another namespace (or none) or of another kind is not', () => {
    const { c, k } = build();
    k.addHealthCheck(deployment('web', 'a'));
    k.addHealthCheck(deployment('web', 'b'));
    k.addHealthCheck(deployment('web'));
    k.addHealthCheck(deployment('web'));
    // An empty namespace is no namespace to Flux (the Kustomization's own): the same object.
    k.addHealthCheck(deployment('web', ''));
    k.addHealthCheck({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', namespace: 'a' });
    k.addHealthCheck({ apiVersion: 'apps/v2', kind: 'Deployment', name: 'web', namespace: 'a' });
    k.addHealthCheck(deployment('api', 'a'));
    expect(c.toJson()[0].spec.healthChecks).toStrictEqual([
      deployment('web', 'a'), deployment('web', 'b'), { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', namespace: 'a' }, { apiVersion: 'apps/v2', kind: 'Deployment', name: 'web', namespace: 'a' },
      deployment('api', 'a'),
    ]);
  });

  test('one expression per kind: the first given wins; another kind of the group or the same kind of another group is kept', () => {
    const { c, k } = build();
    const mine = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', current: 'true' };
    k.addHealthCheckExpression(mine);
    k.addHealthCheckExpression(CnpgHealthChecks.cluster());
    k.addHealthCheckExpression(CnpgHealthChecks.pooler());
    k.addHealthCheckExpression({ apiVersion: 'other.example.com/v1', kind: 'Cluster', current: 'false' });
    expect(c.toJson()[0].spec.healthCheckExprs).toStrictEqual([
      mine, { ...CnpgHealthChecks.pooler() }, { apiVersion: 'other.example.com/v1', kind: 'Cluster', current: 'false' },
    ]);
  });

  test('checks added after construction are copied: changing the object given later changes nothing', () => {
    const { c, k } = build();
    const check = { ...deployment('api', 'a') };
    k.addHealthCheck(check);
    check.name = 'changed';
    expect(c.toJson()[0].spec.healthChecks.map((h: any) => h.name)).toEqual(['web', 'api']);
  });

  test('checks computed at synth (FluxDelivery\'s) come after the given ones, read when the object is written', () => {
    const { c, k } = build();
    let late = 'none';
    k._addHealthChecksAtSynth(() => ({ checks: [deployment(late, 'a'), deployment('web', 'a')], exprs: [CnpgHealthChecks.scheduledBackup()] }));
    k._addHealthChecksAtSynth(() => ({ checks: [deployment('second', 'a')], exprs: [] }));
    late = 'pooler';
    expect(c.toJson()[0].spec.healthChecks).toStrictEqual([deployment('web', 'a'), deployment('pooler', 'a'), deployment('second', 'a')]);
    expect(c.toJson()[0].spec.healthCheckExprs).toStrictEqual([{ ...CnpgHealthChecks.scheduledBackup() }]);
  });
});
