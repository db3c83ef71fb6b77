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
