import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { IClusterBackup, recoverySourceOf } from './backup-ref';
import { clusterWebhookProblems } from '../checks/cluster-rules';
import { clusterHooks } from '../cluster/cluster-hooks';
import { ClusterStorage } from '../cluster/storage';
import { TLS_ONLY_PG_HBA } from '../cluster/tls';
import { crdValues, toCrdJson } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';
import { PLAUSIBLE_BYTES, Quantity } from '../common/quantity';
import { ComputeResources, renderComputeResources } from '../common/resources';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';
import { CLUSTER_SPEC } from '../imports/json-names';

/**
 * Parameters a recovering server must not set lower than the server the backup came from
 * (PostgreSQL stops recovery with "insufficient parameter settings" otherwise).
 */
const RECOVERY_PARAMETERS = ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction'];
/** The name of the external cluster the probe restores from. */
const SOURCE = 'origin';

/** The restore probe's settings. */
export interface RestoreProbeOptions {
  /**
   * Whether to emit the restore probe.
   *
   * @default false - it is a second PostgreSQL instance with a full copy of the data
   */
  readonly enabled?: boolean;

  /**
   * The recovery Cluster's name (at most 50 characters).
   *
   * @default - `<cluster>-restore-probe`
   */
  readonly clusterName?: string;

  /**
   * The probe's data volume: it must hold the whole database.
   *
   * @default - the cluster's settings `dataSize` and `storageClass`, otherwise 10Gi of the default class
   */
  readonly storage?: ClusterStorage;

  /**
   * A separate WAL volume.
   *
   * @default - the cluster's settings `walSize` when set, otherwise none
   */
  readonly walStorage?: ClusterStorage;

  /**
   * CPU and memory of the probe's instance.
   *
   * @default - requests 250m CPU and 512Mi memory, limit 1Gi memory
   */
  readonly resources?: ComputeResources;
}

/** Props of {@link RestoreProbe}. */
export interface RestoreProbeProps extends RestoreProbeOptions {
  /** The backups to restore from. */
  readonly backup: IClusterBackup;
}

/**
 * A one-instance recovery `Cluster` bootstrapped from the newest base backup and WAL of the
 * backed-up cluster's object store: when it reaches "Cluster in healthy state", the backups
 * restore. It reads the object store but never writes to it (no WAL archiver of its own).
 *
 * The restore happens once, when the Cluster is created. To prove a newer backup, delete it
 * (`kubectl delete cluster <name> -n <namespace>`): its PVCs go with it, and Flux (or the next
 * `kubectl apply`) recreates it from the newest backup. To remove it for good, turn
 * `restoreProbe.enabled` off and let Flux prune it (or delete the Cluster by hand).
 */
export class RestoreProbe extends Construct {
  /** The recovery Cluster's name. */
  public readonly clusterName: string;
  /** The recovery Cluster as written, for escape hatches in the CRD's field names. */
  public readonly apiObject: CheckedApiObject;

  constructor(scope: Construct, id: string, props: RestoreProbeProps) {
    checkArgs('new RestoreProbe', [scope, id, props]);
    super(scope, id);
    const backup = props.backup;
    const cluster = backup.cluster;
    const hooks = clusterHooks(this, 'backup.cluster', cluster);
    const source = recoverySourceOf(this, 'backup', backup);
    this.clusterName = props.clusterName ?? `${cluster.clusterName}-restore-probe`;
    // At most 50 characters, so the operator's Services (<name>-rw, -ro, -r) stay within 63.
    validateName(this, 'clusterName', this.clusterName, { maxLength: 50, startsWithLetter: true });
    if (this.clusterName === cluster.clusterName) {
      throw invalidInput(this, 'clusterName', this.clusterName, 'is the name of the cluster it restores', 'give the probe its own name, e.g. "<cluster>-restore-probe"');
    }

    const settings = cluster.settings;
    const size = props.storage?.size ?? settings?.dataSize ?? Quantity.gibibytes(10);
    size._validate(this, 'storage.size', PLAUSIBLE_BYTES.dataVolume);
    const storageClass = props.storage?.storageClass ?? settings?.storageClass;
    const walSize = props.walStorage?.size ?? (props.walStorage ? undefined : settings?.walSize);
    if (props.walStorage && !walSize) {
      throw invalidInput(this, 'walStorage.size', undefined, 'is required when walStorage is given', 'give the WAL volume size, e.g. Quantity.gibibytes(20)');
    }
    walSize?._validate(this, 'walStorage.size', PLAUSIBLE_BYTES.walVolume);
    const res = renderComputeResources(this, 'resources', props.resources ?? {
      cpuRequest: Quantity.millicores(250),
      memoryRequest: Quantity.mebibytes(512),
      memoryLimit: Quantity.mebibytes(1024),
    });
    const requests = crdValues<cnpg.ClusterSpecResourcesRequests>(res.requests ?? {})!;
    const limits = crdValues<cnpg.ClusterSpecResourcesLimits>(res.limits ?? {})!;

    // An IAM role (IRSA) reads the archive only from a ServiceAccount that carries it.
    const roleArn = (backup as unknown as { _store?: { credentials: { roleArn?: string } } })._store?.credentials.roleArn;
    const spec = (): cnpg.ClusterSpec => ({
      instances: 1,
      serviceAccountTemplate: roleArn ? { metadata: { annotations: { 'eks.amazonaws.com/role-arn': roleArn } } } : undefined,
      ...cluster.postgres._clusterSpecFields(),
      // A single throw-away instance must not block node drains.
      enablePdb: false,
      enableSuperuserAccess: false,
      storage: { size: size.value, storageClass },
      walStorage: walSize ? { size: walSize.value, storageClass: props.walStorage?.storageClass ?? storageClass } : undefined,
      resources: {
        requests: Object.keys(requests).length ? requests : undefined,
        limits: Object.keys(limits).length ? limits : undefined,
      },
      // TLS only, like the shared cluster: the probe holds a full copy of every application's data.
      postgresql: { parameters: recoveryParameters(hooks._postgresParameters()), pgHba: [...TLS_ONLY_PG_HBA] },
      bootstrap: { recovery: { source: SOURCE } },
      externalClusters: [{ name: SOURCE, ...source }],
    });

    this.apiObject = checkedObject(this, 'Resource', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      release: () => cluster.operatorVersion.release,
      rules: [clusterWebhookProblems],
      metadata: {
        name: this.clusterName,
        namespace: cluster.namespace,
        labels: {
          ...cluster.commonLabels,
          'app.kubernetes.io/instance': this.clusterName,
          'app.kubernetes.io/component': 'restore-probe',
          'app.kubernetes.io/part-of': cluster.clusterName,
        },
      },
      // The probe runs on the same operator: checked against its release's CRD.
      fields: { spec: Lazy.any({ produce: () => toCrdJson(spec(), CLUSTER_SPEC) }) },
    });
  }
}

/**
 * The source's settings that recovery needs at least as high, from its Cluster's parameters. Never
 * empty: the shared cluster always sets `ssl_min_protocol_version` (a `TlsVersion`, never a Flux variable).
 */
function recoveryParameters(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...RECOVERY_PARAMETERS, 'ssl_min_protocol_version']) {
    const v = params[key];
    if (v !== undefined && !containsFluxVariable(v)) out[key] = v;
  }
  return out;
}
