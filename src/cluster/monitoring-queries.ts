import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CNPG_CLUSTER_FIELDS } from './cluster-fields';
import { wholeSeconds } from './lifecycle';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';
import { CnpgVersion } from '../versions/cnpg-version';
import { requireCnpgVersion } from '../versions/features';

/**
 * A ConfigMap or Secret key with custom metrics queries for the instances' exporter
 * (`spec.monitoring.customQueriesConfigMap`/`customQueriesSecret`, in CloudNativePG's queries
 * format). Label the ConfigMap or Secret `cnpg.io/reload: "true"` so that a change reaches the
 * exporter without a restart.
 */
export class CustomQueries {
  /**
   * A key of a ConfigMap in the cluster's namespace.
   *
   * @param configMapName the ConfigMap
   * @param key the key holding the queries (YAML)
   */
  public static fromConfigMap(configMapName: string, key: string): CustomQueries {
    checkArgs('CustomQueries.fromConfigMap', [configMapName, key]);
    return new CustomQueries('configMap', configMapName, key);
  }

  /**
   * A key of a Secret in the cluster's namespace (queries that must stay private).
   *
   * @param secretName the Secret
   * @param key the key holding the queries (YAML)
   */
  public static fromSecret(secretName: string, key: string): CustomQueries {
    checkArgs('CustomQueries.fromSecret', [secretName, key]);
    return new CustomQueries('secret', secretName, key);
  }

  /** `configMap` or `secret`. */
  public readonly source: string;
  /** The ConfigMap's or Secret's name. */
  public readonly objectName: string;
  /** The key. */
  public readonly key: string;

  private constructor(source: string, objectName: string, key: string) {
    this.source = source;
    this.objectName = objectName;
    this.key = key;
  }
}

/** The exporter props of the cluster, as `spec()` renders them. @internal */
export interface MonitoringQueriesInput {
  readonly customQueries?: CustomQueries[];
  readonly disableDefaultQueries?: boolean;
  readonly metricsQueriesTtl?: Duration;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * `spec.monitoring` of the Cluster (the exporter's queries). The operator's own PodMonitor
 * (`enablePodMonitor`) is not used: `addMonitoring` writes one.
 * @internal
 */
export function renderMonitoringQueries(scope: IConstruct, props: MonitoringQueriesInput,
  version: CnpgVersion): cnpg.ClusterSpecMonitoring | undefined {
  const configMaps: cnpg.ClusterSpecMonitoringCustomQueriesConfigMap[] = [];
  const secrets: cnpg.ClusterSpecMonitoringCustomQueriesSecret[] = [];
  const seen = new Set<string>();
  (props.customQueries ?? []).forEach((q, i) => {
    const field = `customQueries[${i}]`;
    if (!(q instanceof CustomQueries)) {
      throw invalidInput(scope, field, q, 'is not a CustomQueries', 'use CustomQueries.fromConfigMap(name, key) or fromSecret(name, key)');
    }
    if (typeof q.objectName !== 'string' || (!containsFluxVariable(q.objectName) && (q.objectName.length > 253 || !DNS1123_SUBDOMAIN.test(q.objectName)))) {
      throw invalidInput(scope, field, q.objectName, `is not a ${q.source === 'secret' ? 'Secret' : 'ConfigMap'} name`, 'give the object\'s name, e.g. "pg-custom-queries"');
    }
    if (typeof q.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(q.key)) {
      throw invalidInput(scope, `${field}.key`, q.key, 'is not a key', 'give the key holding the queries, e.g. "queries.yaml"');
    }
    const id = `${q.source}/${q.objectName}/${q.key}`;
    if (seen.has(id)) throw invalidInput(scope, field, id, 'is given twice', 'list each key once');
    seen.add(id);
    (q.source === 'secret' ? secrets : configMaps).push({ name: q.objectName, key: q.key });
  });
  let ttl: string | undefined;
  if (props.metricsQueriesTtl !== undefined) {
    const s = wholeSeconds(scope, 'metricsQueriesTtl', props.metricsQueriesTtl, 1,
      'give e.g. Duration.seconds(30) (the operator\'s default); 0 turns the cache off and runs every query at each scrape (the webhook warns of heavy load)');
    requireCnpgVersion(scope, version, 'metricsQueriesTtl', `${s}s`, CNPG_CLUSTER_FIELDS.metricsQueriesTtl);
    ttl = `${s}s`;
  }
  if (!configMaps.length && !secrets.length && props.disableDefaultQueries === undefined && ttl === undefined) return undefined;
  return {
    customQueriesConfigMap: configMaps.length ? configMaps : undefined,
    customQueriesSecret: secrets.length ? secrets : undefined,
    disableDefaultQueries: props.disableDefaultQueries,
    metricsQueriesTtl: ttl,
  };
}
