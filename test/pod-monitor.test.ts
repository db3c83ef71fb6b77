import { chart, one, synth } from './util/synth';
import { addPodMonitor, CNPG_INSTANCE_METRICS_PORT, PodMonitorOptions } from '../src/monitoring/pod-monitor';

/**
 * `addPodMonitor` (src/monitoring/pod-monitor.ts) called directly on a chart built in each test:
 * the whole PodMonitor, validated against the prometheus-operator CRD by `synth`.
 */

const BASE: PodMonitorOptions = {
  name: 'pg-metrics',
  namespace: 'databases',
  matchLabels: { 'cnpg.io/cluster': 'pg', 'cnpg.io/podRole': 'instance' },
  port: CNPG_INSTANCE_METRICS_PORT,
  labels: { release: 'prometheus' },
};

function podMonitor(options: Partial<PodMonitorOptions> = {}): any {
  const c = chart();
  const obj = addPodMonitor(c, 'PodMonitor', { ...BASE, ...options });
  expect(obj.kind).toBe('PodMonitor');
  expect(obj.node.id).toBe('PodMonitor');
  return one(synth(c), 'PodMonitor');
}

test('the instances\' named port is "metrics"', () => {
  expect(CNPG_INSTANCE_METRICS_PORT).toBe('metrics');
});

test('the whole object: its labels, the pods of its own namespace by label, one endpoint on the named port', () => {
  expect(podMonitor()).toStrictEqual({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'pg-metrics', namespace: 'databases', labels: { release: 'prometheus' } },
    spec: {
      selector: { matchLabels: { 'cnpg.io/cluster': 'pg', 'cnpg.io/podRole': 'instance' } },
      namespaceSelector: { matchNames: ['databases'] },
      podMetricsEndpoints: [{ port: 'metrics' }],
    },
  });
});

test('a port by number is written as portNumber', () => {
  expect(podMonitor({ port: 9127 }).spec.podMetricsEndpoints).toStrictEqual([{ portNumber: 9127 }]);
});

test('pod labels copied onto the series: one replace each, the label\'s name as Kubernetes service discovery writes it', () => {
  const ep = podMonitor({
    relabelings: [{ sourceLabel: 'cnpg.io/cluster', targetLabel: 'cluster' }, { sourceLabel: 'app.kubernetes.io/My-Name_2', targetLabel: 'app' }],
    interval: '30s',
  }).spec.podMetricsEndpoints[0];
  expect(ep).toStrictEqual({
    port: 'metrics',
    interval: '30s',
    relabelings: [
      { sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_cluster'], targetLabel: 'cluster', action: 'replace' },
      { sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_My_Name_2'], targetLabel: 'app', action: 'replace' },
    ],
  });
});

test('more target relabelings after the library\'s, or alone; series relabelings as given', () => {
  const extra = [{ action: 'drop', sourceLabels: ['__meta_kubernetes_pod_node_name'], regex: 'node-1' }];
  const metric = [{ action: 'labeldrop', regex: 'pod_template_hash' }];
  expect(podMonitor({ relabelings: [{ sourceLabel: 'a', targetLabel: 'b' }], extraRelabelings: extra }).spec.podMetricsEndpoints[0].relabelings).toStrictEqual([
    { sourceLabels: ['__meta_kubernetes_pod_label_a'], targetLabel: 'b', action: 'replace' },
    ...extra,
  ]);
  expect(podMonitor({ extraRelabelings: extra, metricRelabelings: metric }).spec.podMetricsEndpoints).toStrictEqual([
    { port: 'metrics', relabelings: extra, metricRelabelings: metric },
  ]);
  // An empty list of the library's own: an empty list written (none copied).
  expect(podMonitor({ relabelings: [] }).spec.podMetricsEndpoints).toStrictEqual([{ port: 'metrics', relabelings: [] }]);
});
