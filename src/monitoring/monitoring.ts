import { Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CnpgAlertsOptions } from './alert-options';
import { AlertContext, AlertGroup, AlertRule, buildAlertRules, promDuration, validateAlertOptions } from './alert-presets';
import { clusterDashboard, DashboardContext, poolerDashboard } from './dashboards';
import { CLUSTER_LABEL, CnpgMetricCatalogue } from './metric-catalogue';
import { addPodMonitor, CNPG_INSTANCE_METRICS_PORT } from './pod-monitor';
import { Relabeling, renderRelabelings } from './relabeling';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { DataDurability } from '../cluster/replication';
import { crdValue, toCrdJson } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { validateName } from '../common/names';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';
import { PROMETHEUS_RULE_SPEC } from '../imports/json-names';
import type * as prom from '../imports/monitoring-prometheusrule-monitoring.coreos.com';

/** The Grafana dashboards of a cluster: ConfigMaps for Grafana's dashboard sidecar. */
export interface CnpgDashboardsOptions {
  /**
   * Whether the dashboards are emitted.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Whether the pooler dashboard is emitted (without poolers it only says so).
   *
   * @default true
   */
  readonly poolers?: boolean;

  /**
   * The namespace of the ConfigMaps: one the Grafana sidecar watches.
   *
   * @default - the cluster's namespace
   */
  readonly namespace?: string;

  /**
   * The labels the Grafana sidecar selects dashboard ConfigMaps by.
   *
   * @default { grafana_dashboard: '1' } (the Grafana Helm chart's default `sidecar.dashboards.label`)
   */
  readonly sidecarLabels?: { [key: string]: string };

  /**
   * The Grafana folder of the dashboards.
   *
   * @default 'CloudNativePG'
   */
  readonly folder?: string;

  /**
   * The ConfigMap annotation that names the folder (the sidecar's `folderAnnotation`).
   *
   * @default 'grafana_folder'
   */
  readonly folderAnnotation?: string;
}

/** Options of {@link CnpgSharedCluster.addMonitoring}. */
export interface CnpgMonitoringOptions {
  /**
   * Whether the cluster's PodMonitor is emitted (pods `cnpg.io/cluster=<name>`,
   * `cnpg.io/podRole=instance`, port `metrics`; series get a `cluster` label). Turn it off when
   * the instances are scraped some other way, with the same `cluster` label.
   *
   * @default true
   */
  readonly podMonitor?: boolean;

  /**
   * The scrape interval of the PodMonitor.
   *
   * @default - the Prometheus (or vmagent) global scrape interval
   */
  readonly scrapeInterval?: Duration;

  /**
   * More relabelings of the PodMonitor's targets (after the library's, which sets `cluster`),
   * e.g. a node label. They replace the Cluster's deprecated `spec.monitoring.podMonitorRelabelings`.
   *
   * @default - only the library's
   */
  readonly relabelings?: Relabeling[];

  /**
   * Relabelings of the scraped series (`metricRelabelings`), e.g. to drop costly metrics. They
   * replace the Cluster's deprecated `spec.monitoring.podMonitorMetricRelabelings`.
   *
   * @default - none
   */
  readonly metricRelabelings?: Relabeling[];

  /**
   * The alert presets (a PrometheusRule).
   *
   * @default - every preset that applies, with its defaults
   */
  readonly alerts?: CnpgAlertsOptions;

  /**
   * The Grafana dashboards (ConfigMaps).
   *
   * @default - the cluster and pooler dashboards
   */
  readonly dashboards?: CnpgDashboardsOptions;
}

/** Props of {@link CnpgMonitoring}. */
export interface CnpgMonitoringProps extends CnpgMonitoringOptions {
  /** The monitored cluster. */
  readonly cluster: ICnpgCluster;
}

const GROUP_NAMES: { [g in AlertGroup]: string } = {
  backups: 'backups',
  walArchiving: 'wal-archiving',
  replication: 'replication',
  cluster: 'cluster',
  poolers: 'poolers',
};

/**
 * Monitoring of a {@link CnpgSharedCluster}: an explicit PodMonitor for its instances (CNPG's
 * `enablePodMonitor` is deprecated in 1.30), a PrometheusRule with the alert presets (each alert
 * with `severity`, `summary`, `description` and `runbook_url`), and Grafana dashboards for the
 * cluster and its poolers. The poolers' PodMonitors come with the poolers.
 *
 * The backup method and the poolers are read at synth, so backups and poolers attached after
 * this construct are monitored too. VictoriaMetrics' operator converts PodMonitors into
 * VMPodScrapes and PrometheusRules into VMRules (its default `prometheus-operator` converter), so
 * the same objects serve Prometheus and VictoriaMetrics.
 */
export class CnpgMonitoring extends Construct {
  /** The monitored cluster. */
  public readonly cluster: ICnpgCluster;
  /** The PodMonitor's name, when there is one. */
  public readonly podMonitorName?: string;
  /** The PrometheusRule's name, when alerts are on. */
  public readonly prometheusRuleName?: string;
  /** The cluster dashboard's ConfigMap, when dashboards are on. */
  public readonly clusterDashboardName?: string;
  /** The pooler dashboard's ConfigMap, when it is on. */
  public readonly poolerDashboardName?: string;
  /** The namespace of the dashboard ConfigMaps. */
  public readonly dashboardNamespace: string;
  /** The instances' PodMonitor as written (escape hatches in the CRD's field names), when there is one. */
  public readonly podMonitor?: CheckedApiObject;
  /** The PrometheusRule as written, when alerts are on. */
  public readonly prometheusRule?: CheckedApiObject;
  /** The cluster dashboard's ConfigMap as written, when dashboards are on. */
  public readonly clusterDashboard?: CheckedApiObject;
  /** The pooler dashboard's ConfigMap as written, when it is on. */
  public readonly poolerDashboard?: CheckedApiObject;

  private readonly alertOptions: CnpgAlertsOptions;

  constructor(scope: Construct, id: string, props: CnpgMonitoringProps) {
    checkArgs('new CnpgMonitoring', [scope, id, props]);
    super(scope, id);
    const cluster = props.cluster;
    this.cluster = cluster;
    this.alertOptions = props.alerts ?? {};
    validateAlertOptions(this, this.alertOptions);
    const labels = { ...cluster.monitoringLabels, 'app.kubernetes.io/component': 'monitoring' };

    if (props.podMonitor ?? true) {
      this.podMonitorName = cluster.clusterName;
      let interval: string | undefined;
      if (props.scrapeInterval) {
        const s = durationSeconds(this, 'scrapeInterval', props.scrapeInterval);
        interval = promDuration(s);
      }
      this.podMonitor = addPodMonitor(this, 'PodMonitor', {
        name: this.podMonitorName,
        namespace: cluster.namespace,
        labels,
        // podRole keeps the cluster's Pooler pods (which carry cnpg.io/cluster too) out.
        matchLabels: { 'cnpg.io/cluster': cluster.clusterName, 'cnpg.io/podRole': 'instance' },
        port: CNPG_INSTANCE_METRICS_PORT,
        relabelings: [{ sourceLabel: 'cnpg.io/cluster', targetLabel: CLUSTER_LABEL }],
        interval,
        extraRelabelings: renderRelabelings(this, 'relabelings', props.relabelings, [CLUSTER_LABEL]),
        metricRelabelings: renderRelabelings(this, 'metricRelabelings', props.metricRelabelings, [CLUSTER_LABEL]),
      });
    } else if (props.relabelings?.length || props.metricRelabelings?.length) {
      throw invalidInput(this, props.relabelings?.length ? 'relabelings' : 'metricRelabelings', '[...]', 'are set but the PodMonitor is off', 'remove them, or turn podMonitor on');
    } else if (props.scrapeInterval) {
      throw invalidInput(this, 'scrapeInterval', props.scrapeInterval.toHumanString(), 'is set but the PodMonitor is off', 'remove scrapeInterval, or turn podMonitor on');
    }

    if (this.alertOptions.enabled ?? true) {
      this.prometheusRuleName = `${cluster.clusterName}-alerts`;
      const evaluation = this.alertOptions.evaluationInterval
        ? promDuration(durationSeconds(this, 'alerts.evaluationInterval', this.alertOptions.evaluationInterval))
        : undefined;
      this.prometheusRule = checkedObject(this, 'Rules', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: this.prometheusRuleName, namespace: cluster.namespace, labels },
        fields: { spec: Lazy.any({ produce: () => toCrdJson({ groups: this.renderGroups(evaluation) }, PROMETHEUS_RULE_SPEC) }) },
      });
    }

    const dashboards = props.dashboards ?? {};
    this.dashboardNamespace = dashboards.namespace ?? cluster.namespace;
    if (dashboards.enabled ?? true) {
      validateName(this, 'dashboards.namespace', this.dashboardNamespace);
      const folderAnnotation = dashboards.folderAnnotation ?? 'grafana_folder';
      if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(folderAnnotation)) {
        throw invalidInput(this, 'dashboards.folderAnnotation', folderAnnotation, 'is not an annotation key', 'give the sidecar\'s folderAnnotation, e.g. "grafana_folder"');
      }
      const sidecarLabels = dashboards.sidecarLabels ?? { grafana_dashboard: '1' };
      if (Object.keys(sidecarLabels).length === 0) {
        throw invalidInput(this, 'dashboards.sidecarLabels', sidecarLabels, 'is empty: the sidecar would not find the dashboards', 'give the sidecar\'s label, e.g. { grafana_dashboard: "1" }');
      }
      const metadata = (name: string) => ({
        name,
        namespace: this.dashboardNamespace,
        labels: { ...cluster.commonLabels, 'app.kubernetes.io/component': 'monitoring', ...sidecarLabels },
        annotations: { [folderAnnotation]: dashboards.folder ?? 'CloudNativePG' },
      });
      // The sidecar writes every key into one folder: the keys carry namespace and cluster.
      const file = `cnpg-${cluster.namespace}-${cluster.clusterName}`;
      this.clusterDashboardName = `${cluster.clusterName}-dashboard`;
      this.clusterDashboard = checkedObject(this, 'ClusterDashboard', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: metadata(this.clusterDashboardName),
        fields: { data: { [`${file}.json`]: Lazy.any({ produce: () => JSON.stringify(clusterDashboard(this.dashboardContext()), null, 1) }) } },
      });
      if (dashboards.poolers ?? true) {
        this.poolerDashboardName = `${cluster.clusterName}-poolers-dashboard`;
        this.poolerDashboard = checkedObject(this, 'PoolerDashboard', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: metadata(this.poolerDashboardName),
          fields: { data: { [`${file}-poolers.json`]: Lazy.any({ produce: () => JSON.stringify(poolerDashboard(this.dashboardContext()), null, 1) }) } },
        });
      }
    }

    this.node.addValidation({
      validate: () => {
        try {
          this._alertRules();
          return [];
        } catch (e) {
          return [(e as Error).message];
        }
      },
    });
  }

  /**
   * The alerting rules as they are now (the PrometheusRule holds them at synth).
   * @internal
   */
  public _alertRules(): AlertRule[] {
    return buildAlertRules(this, this.alertContext(), this.alertOptions);
  }

  /**
   * What the dashboards show, as it is now.
   * @internal
   */
  public _dashboards(): { cluster: object; poolers: object } {
    return { cluster: clusterDashboard(this.dashboardContext()), poolers: poolerDashboard(this.dashboardContext()) };
  }

  private alertContext(): AlertContext {
    const c = this.cluster;
    const r = c.replication;
    return {
      catalogue: CnpgMetricCatalogue.forCluster(c),
      instances: c.instances,
      synchronous: r.isSynchronous ? {
        number: r.options.number ?? 1,
        durabilityRequired: (r.options.dataDurability ?? DataDurability.REQUIRED) === DataDurability.REQUIRED,
      } : undefined,
      backup: c.backup,
      poolers: c.poolers,
    };
  }

  private dashboardContext(): DashboardContext {
    const c = this.cluster;
    return {
      namespace: c.namespace, clusterName: c.clusterName, instances: c.instances, backup: c.backup, poolers: c.poolers, replicaOf: c.replicaOf,
    };
  }

  private renderGroups(interval: string | undefined): prom.PrometheusRuleSpecGroups[] {
    const rules = this._alertRules();
    const groups: prom.PrometheusRuleSpecGroups[] = [];
    for (const group of Object.keys(GROUP_NAMES) as AlertGroup[]) {
      const inGroup = rules.filter((r) => r.group === group);
      if (!inGroup.length) continue;
      groups.push({
        name: `cnpg.${this.cluster.clusterName}.${GROUP_NAMES[group]}`,
        interval,
        rules: inGroup.map((r) => ({
          alert: r.alert,
          expr: crdValue<prom.PrometheusRuleSpecGroupsRulesExpr>(r.expr),
          for: promDuration(r.forSeconds),
          labels: r.labels,
          annotations: { ...r.annotations },
        })),
      });
    }
    return groups;
  }
}

function durationSeconds(scope: Construct, field: string, d: Duration): number {
  let s: number;
  try {
    s = d.toSeconds();
  } catch {
    throw invalidInput(scope, field, d.toHumanString(), 'is not a whole number of seconds', 'use whole seconds, e.g. Duration.seconds(30)');
  }
  if (s < 1) throw invalidInput(scope, field, d.toHumanString(), 'must be at least 1 s', 'e.g. Duration.seconds(30)');
  return s;
}
