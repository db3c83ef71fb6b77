import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterHooks } from './cluster-hooks';
import { ICnpgCluster } from './cluster-ref';
import { BackupSource, BoundSource } from '../backup/backup-source';
import { invalidInput } from '../common/errors';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/** Options of a replica cluster ({@link ReplicaCluster.of}, {@link ReplicaCluster.standalone}). */
export interface ReplicaClusterOptions {
  /**
   * Replay a transaction only this long after it committed on the source
   * (`recovery_min_apply_delay`): time to stop a mistake before it reaches the replica. A
   * delayed replica cannot be promoted with a promotion token (CloudNativePG's webhook).
   *
   * @default - no delay
   */
  readonly minApplyDelay?: Duration;
}

/** Options of the primary of a distributed topology ({@link ReplicaCluster.primary}). */
export interface PrimaryClusterOptions {
  /**
   * The demotion token of the former primary (`kubectl get cluster <former> -o
   * jsonpath='{.status.demotionToken}'`), given when this cluster is promoted in a controlled
   * switchover: CloudNativePG waits until this cluster has replayed the former primary's last WAL
   * before it promotes it, so no transaction is lost and the former primary follows without a
   * rebuild. Without it, a promotion is a failover.
   *
   * @default - none: this cluster is the topology's primary from the start, or takes over in a failover
   */
  readonly promotionToken?: string;
}

/** What a replica topology adds to the Cluster. @internal */
export interface ReplicaFragment {
  readonly source: BoundSource;
  /** `spec.replica`, rendered at synth (it may name the cluster's own archive). */
  readonly replica: () => cnpg.ClusterSpecReplica;
  /** The cluster's own `externalClusters` entry, when the topology needs it (rendered at synth). */
  readonly self: () => cnpg.ClusterSpecExternalClusters | undefined;
  /** True while the cluster replays its source (a replica), false for the topology's primary. */
  readonly isReplica: boolean;
}

/**
 * The cluster's place in CloudNativePG's distributed topology (`spec.replica` with
 * `externalClusters`), for disaster recovery across regions or Kubernetes clusters:
 *
 * - `ReplicaCluster.of(source)`: a replica cluster that replays `source` (from its archive,
 *   streaming from its primary, or both); bootstrapped from the source by default;
 * - `ReplicaCluster.primary(peer)`: the topology's primary, whose `peer` (a replica cluster
 *   elsewhere) it would follow after a demotion;
 * - `ReplicaCluster.standalone(source)`: a read-only copy outside any topology (`enabled: true`).
 *
 * A switchover is one line per side: the primary's `ReplicaCluster.primary(peer)` becomes
 * `ReplicaCluster.of(peer)` (demotion; its status then carries a demotion token), and the
 * replica's `ReplicaCluster.of(source)` becomes `ReplicaCluster.primary(source, { promotionToken })`
 * with that token (promotion). Both sides list both clusters in `externalClusters`: each side's own
 * archive comes from its own `addBackup()`, which a topology therefore needs.
 */
export class ReplicaCluster {
  /**
   * A replica cluster of `source`: every instance in continuous recovery, its designated primary
   * replaying the source's WAL (`replica.primary` = `replica.source` = the source).
   */
  public static of(source: BackupSource, options: ReplicaClusterOptions = {}): ReplicaCluster {
    checkArgs('ReplicaCluster.of', [source, options]);
    return new ReplicaCluster('replica', source, options.minApplyDelay, undefined);
  }

  /**
   * The primary of a distributed topology (`replica.primary` = this cluster), with `peer` as the
   * cluster it follows once demoted (`replica.source`).
   */
  public static primary(peer: BackupSource, options: PrimaryClusterOptions = {}): ReplicaCluster {
    checkArgs('ReplicaCluster.primary', [peer, options]);
    return new ReplicaCluster('primary', peer, undefined, options.promotionToken);
  }

  /**
   * A standalone replica cluster (`replica.enabled: true`, `replica.source`), e.g. for reporting:
   * not part of a topology, promoted only by turning replica mode off.
   */
  public static standalone(source: BackupSource, options: ReplicaClusterOptions = {}): ReplicaCluster {
    checkArgs('ReplicaCluster.standalone', [source, options]);
    return new ReplicaCluster('standalone', source, options.minApplyDelay, undefined);
  }

  /** `replica`, `primary` or `standalone`. */
  public readonly role: string;
  /** The source (a replica's) or the peer (a primary's). */
  public readonly source: BackupSource;
  /** True when the cluster replays its source (not the topology's primary). */
  public readonly isReplica: boolean;

  private readonly minApplyDelay?: Duration;
  private readonly promotionToken?: string;

  private constructor(role: string, source: BackupSource, minApplyDelay: Duration | undefined, promotionToken: string | undefined) {
    this.role = role;
    this.source = source;
    this.minApplyDelay = minApplyDelay;
    this.promotionToken = promotionToken;
    this.isReplica = role !== 'primary';
  }

  /** @internal */
  public _bind(scope: Construct, cluster: ICnpgCluster, hooks: ClusterHooks): ReplicaFragment {
    const field = 'replica';
    const source = this.source._bind(scope, `${field}.source`, cluster, hooks);
    if (source.name === cluster.clusterName) {
      throw invalidInput(scope, `${field}.source`, source.name, 'has this cluster\'s own name: in a topology, every cluster has its own name',
        'name the source after the cluster that writes it (BackupSource.objectStore({ clusterName })), or give this cluster another clusterName');
    }
    let delay: string | undefined;
    if (this.minApplyDelay !== undefined) {
      let s: number;
      try {
        s = this.minApplyDelay.toSeconds();
      } catch {
        throw invalidInput(scope, `${field}.minApplyDelay`, this.minApplyDelay.toHumanString(), 'is not a whole number of seconds', 'give e.g. Duration.hours(1)');
      }
      if (s < 1) throw invalidInput(scope, `${field}.minApplyDelay`, this.minApplyDelay.toHumanString(), 'must be at least one second', 'give e.g. Duration.hours(1), or leave it unset');
      delay = goDuration(s);
    }
    if (this.promotionToken !== undefined) {
      if (!/^[A-Za-z0-9+/=_-]+$/.test(this.promotionToken.trim())) {
        throw invalidInput(scope, `${field}.promotionToken`, this.promotionToken, 'is not a demotion token (base64 from the former primary\'s status)',
          'copy it from kubectl get cluster <former primary> -o jsonpath=\'{.status.demotionToken}\'');
      }
    }

    const role = this.role;
    const token = this.promotionToken?.trim();
    const self = (): cnpg.ClusterSpecExternalClusters | undefined => {
      if (role === 'standalone') return undefined;
      const own = hooks._ownArchive();
      if (!own) {
        if (role === 'primary') {
          throw invalidInput(scope, `${field}`, 'ReplicaCluster.primary(...)', 'makes this cluster the primary of a distributed topology, but it has no backups: the replica replays the primary\'s archive, and the webhook needs the primary in externalClusters',
            'add cluster.addBackup({...}) (its archive is the one the peer reads as this cluster)');
        }
        return undefined;
      }
      return { name: cluster.clusterName, ...own.entry() };
    };
    return {
      source,
      isReplica: this.isReplica,
      self,
      replica: () => {
        if (role === 'standalone') return { enabled: true, source: source.name, minApplyDelay: delay };
        return {
          primary: role === 'primary' ? cluster.clusterName : source.name,
          source: source.name,
          promotionToken: token,
          minApplyDelay: delay,
        };
      },
    };
  }
}

/** A Go duration (`1h30m`), what `minApplyDelay` takes. */
function goDuration(totalSeconds: number): string {
  let rest = totalSeconds;
  let out = '';
  for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
