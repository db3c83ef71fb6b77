import { CnpgSharedCluster, Quantity } from '../src';
import { chart, one, synth } from './util/synth';

describe('ComputeResources (the library\'s own resource type, no cdk8s-plus-30)', () => {
  test('requests and limits are written as given; the CPU factories write Kubernetes quantities', () => {
    expect(Quantity.millicores(500).value).toBe('500m');
    expect(Quantity.cores(1.5).value).toBe('1.5');
    const c = chart();
    new CnpgSharedCluster(c, 'db', {
      resources: {
        cpuRequest: Quantity.millicores(750),
        cpuLimit: Quantity.cores(2),
        memoryRequest: Quantity.gibibytes(4),
        memoryLimit: Quantity.gibibytes(6),
        ephemeralStorageRequest: Quantity.mebibytes(512),
        ephemeralStorageLimit: Quantity.gibibytes(1),
      },
    });
    expect(one(synth(c), 'Cluster').spec.resources).toEqual({
      requests: { 'cpu': '750m', 'memory': '4Gi', 'ephemeral-storage': '512Mi' },
      limits: { 'cpu': '2', 'memory': '6Gi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('the defaults: 500m CPU and 1Gi requested, 2Gi memory limit, no CPU limit', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db');
    expect(one(synth(c), 'Cluster').spec.resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { memory: '2048Mi' } });
  });

  test.each([
    ['a request above its limit', { memoryRequest: Quantity.gibibytes(4), memoryLimit: Quantity.gibibytes(2) },
      /resources.memoryRequest = "4Gi" is above memoryLimit \(2Gi\), which Kubernetes refuses. Fix: lower memoryRequest to at most 2Gi, or raise memoryLimit/],
    ['a string where a Quantity goes', { cpuRequest: '500m' }, /resources.cpuRequest = "500m" is a string, where a Quantity goes\. Fix: give a Quantity: Quantity.millicores\(500\), Quantity.cores\(2\), Quantity.of\("500m"\)/],
    ['a quantity that does not parse', { memoryRequest: Quantity.of('1 Gi') }, /resources.memoryRequest = "1 Gi" is not a Kubernetes quantity/],
    ['not an object', 'big', /resources = "big" is a string, where an object goes\. Fix: give an object with the props of ComputeResources/],
  ])('%s is refused with the fix', (_name, resources, message) => {
    expect(() => new CnpgSharedCluster(chart(), 'db', { resources: resources as any })).toThrow(message);
  });
});
