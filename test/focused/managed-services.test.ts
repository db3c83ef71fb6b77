// renderManagedServices (src/cluster/managed-services.ts), issue #17: called directly on a bare
// scope, nothing synthesized, so that per-test coverage runs only the tests a mutant reaches.
// test/cluster-options.test.ts checks the same through a synthesized Cluster.
import { AdditionalService, ClusterServiceType, ServiceSelector, ServiceUpdateStrategy } from '../../src';
import { ManagedServices, renderManagedServices } from '../../src/cluster/managed-services';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope } from '../util/synth';

const render = (services: ManagedServices | undefined, clusterName = 'db') => renderManagedServices(boxScope(), services, clusterName);
const one = (s: Partial<AdditionalService>) => render({ additional: [{ name: 'db-external', selector: ServiceSelector.READ_WRITE, ...s }] })!.additional![0];
const refusal = (...additional: AdditionalService[]) => thrown(() => render({ additional }));

describe('spec.managed.services', () => {
  test('nothing to write: unset, empty, every option off', () => {
    expect(render(undefined)).toBeUndefined();
    expect(render({})).toBeUndefined();
    expect(render({ disableReadOnlyService: false, disableReadService: false, additional: [] })).toBeUndefined();
  });

  test('the default Services turned off: ro, r, both (in that order); no additional list', () => {
    expect(render({ disableReadOnlyService: true })).toEqual({ disabledDefaultServices: ['ro'], additional: undefined });
    expect(render({ disableReadOnlyService: true })).not.toHaveProperty('additional', []);
    expect(render({ disableReadService: true })).toEqual({ disabledDefaultServices: ['r'] });
    expect(render({ disableReadService: true, disableReadOnlyService: true })).toEqual({ disabledDefaultServices: ['ro', 'r'] });
  });

  test('an additional Service with its defaults: ClusterIP, the operator\'s update strategy, no default Service turned off', () => {
    const written = render({ additional: [{ name: 'db-external', selector: ServiceSelector.READ_ONLY }] })!;
    expect(written.disabledDefaultServices).toBeUndefined();
    expect(written.additional).toEqual([{
      selectorType: 'ro',
      updateStrategy: undefined,
      serviceTemplate: { metadata: { name: 'db-external', labels: undefined, annotations: undefined }, spec: { type: 'ClusterIP', loadBalancerSourceRanges: undefined, loadBalancerClass: undefined } },
    }]);
  });

  test('every option of an additional Service written', () => {
    expect(one({
      selector: ServiceSelector.ANY_INSTANCE,
      serviceType: ClusterServiceType.LOAD_BALANCER,
      annotations: { 'metallb.universe.tf/address-pool': 'db' },
      labels: { team: 'db' },
      loadBalancerSourceRanges: ['10.0.0.0/8', '2001:db8::/32', '${CLIENTS_CIDR}'],
      loadBalancerClass: 'io.cilium/l2',
      updateStrategy: ServiceUpdateStrategy.REPLACE,
    })).toEqual({
      selectorType: 'r',
      updateStrategy: 'replace',
      serviceTemplate: {
        metadata: { name: 'db-external', labels: { team: 'db' }, annotations: { 'metallb.universe.tf/address-pool': 'db' } },
        spec: { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8', '2001:db8::/32', '${CLIENTS_CIDR}'], loadBalancerClass: 'io.cilium/l2' },
      },
    });
    expect(one({ serviceType: ClusterServiceType.NODE_PORT, updateStrategy: ServiceUpdateStrategy.PATCH })).toMatchObject({ updateStrategy: 'patch', serviceTemplate: { spec: { type: 'NodePort' } } });
    expect(one({ serviceType: ClusterServiceType.LOAD_BALANCER }).serviceTemplate.spec).toEqual({ type: 'LoadBalancer' });
  });

  test('several Services, each with its own name', () => {
    const written = render({ disableReadService: true, additional: [{ name: 'a', selector: ServiceSelector.READ_WRITE }, { name: 'b', selector: ServiceSelector.READ_ONLY }] })!;
    expect(written.disabledDefaultServices).toEqual(['r']);
    expect(written.additional!.map((s) => [s.serviceTemplate.metadata!.name, s.selectorType])).toEqual([['a', 'rw'], ['b', 'ro']]);
  });
});

describe('refusals with the construct path, field, value and fix', () => {
  test('the names of the operator\'s own Services (of this cluster)', () => {
    for (const suffix of ['rw', 'ro', 'r', 'any']) {
      expect(thrown(() => render({ additional: [{ name: `pg-${suffix}`, selector: ServiceSelector.READ_WRITE }] }, 'pg'))).toBe(
        `${BOX_PATH}: managedServices.additional[0].name = "pg-${suffix}" is the name of one of the operator's own Services. `
        + 'Fix: give the Service a name of its own, e.g. "pg-external" (the field is managed_services.additional[0].name in Python, ManagedServices.Additional[0].Name in Go)');
    }
    expect(one({ name: 'pg-rw' }).serviceTemplate.metadata!.name).toBe('pg-rw');
    expect(one({ name: 'db-rwx' }).serviceTemplate.metadata!.name).toBe('db-rwx');
  });

  test('a name twice', () => {
    expect(refusal({ name: 'x', selector: ServiceSelector.READ_WRITE }, { name: 'y', selector: ServiceSelector.READ_ONLY }, { name: 'x', selector: ServiceSelector.READ_ONLY })).toBe(
      `${BOX_PATH}: managedServices.additional[2].name = "x" is used twice. `
      + 'Fix: give the Service a name of its own, e.g. "db-external" (the field is managed_services.additional[2].name in Python, ManagedServices.Additional[2].Name in Go)');
  });

  test('a name that is not a DNS-1035 label (a Service name starts with a letter)', () => {
    expect(refusal({ name: 'ok', selector: ServiceSelector.READ_WRITE }, { name: '1db', selector: ServiceSelector.READ_WRITE })).toBe(
      `${BOX_PATH}: managedServices.additional[1].name = "1db" is not a DNS-1035 label (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit). `
      + 'Fix: use a name such as "db" (the field is managed_services.additional[1].name in Python, ManagedServices.Additional[1].Name in Go)');
    expect(refusal({ name: 'a'.repeat(64), selector: ServiceSelector.READ_WRITE })).toMatch(/name = "a{64}" is 64 characters long, more than the 63 allowed/);
    expect(one({ name: 'a'.repeat(63) }).serviceTemplate.metadata!.name).toHaveLength(63);
  });

  test('load-balancer options on a Service that is no LoadBalancer', () => {
    const fix = 'Fix: set serviceType: ClusterServiceType.LOAD_BALANCER, or drop it';
    expect(refusal({ name: 'x', selector: ServiceSelector.READ_ONLY, loadBalancerSourceRanges: ['10.0.0.0/8'] })).toBe(
      `${BOX_PATH}: managedServices.additional[0].loadBalancerSourceRanges = ["10.0.0.0/8"] only applies to a LoadBalancer Service. ${fix}`
      + ' (the field is managed_services.additional[0].load_balancer_source_ranges in Python, ManagedServices.Additional[0].LoadBalancerSourceRanges in Go)');
    expect(refusal({ name: 'x', selector: ServiceSelector.READ_ONLY, serviceType: ClusterServiceType.NODE_PORT, loadBalancerClass: 'c' })).toBe(
      `${BOX_PATH}: managedServices.additional[0].loadBalancerClass = "c" only applies to a LoadBalancer Service. ${fix}`
      + ' (the field is managed_services.additional[0].load_balancer_class in Python, ManagedServices.Additional[0].LoadBalancerClass in Go)');
    expect(refusal({ name: 'x', selector: ServiceSelector.READ_ONLY, serviceType: ClusterServiceType.CLUSTER_IP, loadBalancerSourceRanges: [] })).toMatch(/loadBalancerSourceRanges = \[\] only applies/);
  });

  test('a source range that is no CIDR, named by its index', () => {
    expect(refusal({ name: 'x', selector: ServiceSelector.READ_ONLY, serviceType: ClusterServiceType.LOAD_BALANCER, loadBalancerSourceRanges: ['10.0.0.0/8', '10.0.0.0'] })).toBe(
      `${BOX_PATH}: managedServices.additional[0].loadBalancerSourceRanges[1] = "10.0.0.0" is not an IPv4 or IPv6 CIDR. Fix: give the clients' range, e.g. "10.0.0.0/8"`
      + ' (the field is managed_services.additional[0].load_balancer_source_ranges[1] in Python, ManagedServices.Additional[0].LoadBalancerSourceRanges[1] in Go)');
    expect(refusal({ name: 'x', selector: ServiceSelector.READ_ONLY, serviceType: ClusterServiceType.LOAD_BALANCER, loadBalancerSourceRanges: ['${A}x', 'fd00::/129'] }))
      .toMatch(/loadBalancerSourceRanges\[1\] = "fd00::\/129" is not an IPv4 or IPv6 CIDR/);
  });
});
