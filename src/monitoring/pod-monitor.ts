import { Construct } from 'constructs';
import { crdEnum, toCrdJson } from '../common/crd-json';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { POD_MONITOR_SPEC } from '../imports/json-names';
import type * as pm from '../imports/monitoring-podmonitor-monitoring.coreos.com';

/** The named container port of CNPG instance pods' metrics exporter (9187). @internal */
export const CNPG_INSTANCE_METRICS_PORT = 'metrics';

/** A label a scrape adds from a pod label. @internal */
export interface PodMonitorRelabel {
  readonly sourceLabel: string;
  readonly targetLabel: string;
}

/** @internal */
export interface PodMonitorOptions {
  readonly name: string;
  readonly namespace: string;
  /** Pods to scrape. */
  readonly matchLabels: { [key: string]: string };
  /** The container port, by name (`metrics`) or number (9127). */
  readonly port: string | number;
  /** Labels of the PodMonitor itself (what Prometheus/VictoriaMetrics select PodMonitors by). */
  readonly labels: { [key: string]: string };
  /** Pod labels copied onto every series (e.g. `cnpg.io/cluster` → `cluster`). */
  readonly relabelings?: PodMonitorRelabel[];
  /** Scrape interval, e.g. `30s`. */
  readonly interval?: string;
  /** More relabelings of the targets, rendered (after the library's). */
  readonly extraRelabelings?: any[];
  /** Relabelings of the series, rendered. */
  readonly metricRelabelings?: any[];
}

/**
 * An explicit prometheus-operator PodMonitor (monitoring.coreos.com/v1). CNPG's own
 * `enablePodMonitor` is deprecated in 1.30; VictoriaMetrics' operator converts PodMonitors into
 * VMPodScrapes, so the same object serves both.
 *
 * @internal
 */
export function addPodMonitor(scope: Construct, id: string, options: PodMonitorOptions): CheckedApiObject {
  const endpoint: pm.PodMonitorSpecPodMetricsEndpoints = {
    ...(typeof options.port === 'number' ? { portNumber: options.port } : { port: options.port }),
    interval: options.interval,
    relabelings: options.relabelings || options.extraRelabelings ? [
      ...(options.relabelings ?? []).map((r) => ({
        sourceLabels: [`__meta_kubernetes_pod_label_${r.sourceLabel.replace(/[^a-zA-Z0-9_]/g, '_')}`],
        targetLabel: r.targetLabel,
        action: crdEnum<pm.PodMonitorSpecPodMetricsEndpointsRelabelingsAction>('replace'),
      })),
      ...(options.extraRelabelings ?? []),
    ] : undefined,
    metricRelabelings: options.metricRelabelings,
  };
  return checkedObject(scope, id, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    fields: {
      spec: toCrdJson({
        selector: { matchLabels: options.matchLabels },
        namespaceSelector: { matchNames: [options.namespace] },
        podMetricsEndpoints: [endpoint],
      }, POD_MONITOR_SPEC),
    },
  });
}
