import { Construct } from 'constructs';
import { ClusterBootstrap } from './bootstrap';
import { ArchiveLocation, ClusterHooks } from './cluster-hooks';
import { ICnpgCluster } from './cluster-ref';
import { ReplicaCluster, ReplicaFragment } from './replica-cluster';
import { BoundSource } from '../backup/backup-source';
import { invalidInput } from '../common/errors';
import { CheckedApiObject } from '../core/checked-api-object';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/**
 * What a cluster's bootstrap and replica topology add to its Cluster: `spec.bootstrap`,
 * `spec.replica` and `spec.externalClusters` (each rendered at synth), and the archives it reads.
 *
 * @internal
 */
export interface DataSourcesFragment {
  readonly bootstrap?: cnpg.ClusterSpecBootstrap;
  readonly replica: () => cnpg.ClusterSpecReplica | undefined;
  readonly externalClusters: () => cnpg.ClusterSpecExternalClusters[] | undefined;
  /** The archives recovered or replicated from. */
  readonly archives: ArchiveLocation[];
  /** The source cluster's name while this cluster is a replica cluster. */
  readonly replicaOf?: string;
  /** The objects written to read the sources (ObjectStores, ExternalSecrets). */
  readonly objects: CheckedApiObject[];
}

/**
 * Binds the `bootstrap` and `replica` props to the cluster: a replica cluster without an
 * explicit bootstrap is bootstrapped from its source (its archive, or `pg_basebackup` when only
 * streamed from); an `initdb` replica is an error (CloudNativePG's webhook).
 *
 * @internal
 */
export function bindDataSources(scope: Construct, cluster: ICnpgCluster, hooks: ClusterHooks,
  props: { readonly bootstrap?: ClusterBootstrap; readonly replica?: ReplicaCluster },
  info: { readonly hasWalStorage: boolean; readonly parameters: { [key: string]: string } }): DataSourcesFragment {
  if (props.replica !== undefined && !(props.replica instanceof ReplicaCluster)) {
    throw invalidInput(scope, 'replica', props.replica, 'is not a ReplicaCluster', 'use ReplicaCluster.of(source), ReplicaCluster.primary(peer) or ReplicaCluster.standalone(source)');
  }
  if (props.bootstrap !== undefined && !(props.bootstrap instanceof ClusterBootstrap)) {
    throw invalidInput(scope, 'bootstrap', props.bootstrap, 'is not a ClusterBootstrap', 'use ClusterBootstrap.initdb(), recovery(source), volumeSnapshots({...}) or pgBaseBackup(source)');
  }
  const replica: ReplicaFragment | undefined = props.replica?._bind(scope, cluster, hooks);
  const isReplica = replica?.isReplica ?? false;
  let bootstrap = props.bootstrap;
  if (bootstrap === undefined && isReplica) {
    const source = props.replica!.source;
    bootstrap = source.hasArchive ? ClusterBootstrap.recovery(source) : ClusterBootstrap.pgBaseBackup(source);
  }
  if (isReplica && bootstrap && !bootstrap.copiesData) {
    throw invalidInput(scope, 'bootstrap', `ClusterBootstrap.${bootstrap.method}()`, 'creates an empty cluster, but a replica cluster must start from its source\'s data (CloudNativePG webhook: "replica mode bootstrap is compatible only with pg_basebackup or recovery")',
      'leave bootstrap unset (it recovers from the replica\'s source), or use ClusterBootstrap.recovery(source) / volumeSnapshots({...}) / pgBaseBackup(source)');
  }
  const fragment = bootstrap?._bind(scope, cluster, hooks, { hasWalStorage: info.hasWalStorage, replica: isReplica });
  const sources: BoundSource[] = [...(fragment?.sources ?? []), ...(replica ? [replica.source] : [])];
  const unique = sources.filter((s, i) => sources.findIndex((x) => x.name === s.name) === i);
  for (const s of unique) {
    if (s.name === cluster.clusterName && (replica || unique.length > 1)) {
      throw invalidInput(scope, 'bootstrap.source', s.name, 'has this cluster\'s own name, which names this cluster itself in a replica topology',
        'give the source the name of the cluster that wrote it (its clusterName), or give this cluster another clusterName');
    }
  }
  for (const s of unique) {
    if (s.parameters) checkRecoveryParameters(scope, s.name, s.parameters, info.parameters);
  }
  return {
    bootstrap: fragment?.bootstrap,
    replica: () => replica?.replica(),
    externalClusters: () => {
      const self = replica?.self();
      const entries = [...unique.map((s) => s.entry), ...(self && !unique.some((s) => s.name === self.name) ? [self] : [])];
      return entries.length ? entries : undefined;
    },
    archives: unique.flatMap((s) => (s.archive ? [s.archive] : [])),
    replicaOf: isReplica ? replica!.source.name : undefined,
    objects: unique.flatMap((s) => s.objects),
  };
}

/**
 * The settings a server in recovery (and a hot standby) needs at least as high as the server
 * whose WAL it replays: PostgreSQL stops with "insufficient parameter settings" otherwise
 * (xlogrecovery.c, `CheckRequiredParameterValues`). Defaults: PostgreSQL's, and CloudNativePG's
 * `max_worker_processes` 32.
 */
const RECOVERY_MINIMUMS: Record<string, number> = {
  max_connections: 100, max_worker_processes: 32, max_wal_senders: 10, max_prepared_transactions: 0, max_locks_per_transaction: 64,
};
/** The typed prop of each, when there is one (the others go through `parameters.additional`). */
const TYPED: Record<string, string> = { max_connections: 'maxConnections', max_worker_processes: 'maxWorkerProcesses' };

function checkRecoveryParameters(scope: Construct, source: string, theirs: { [key: string]: string }, ours: { [key: string]: string }): void {
  for (const [key, fallback] of Object.entries(RECOVERY_MINIMUMS)) {
    const need = Number(theirs[key] ?? fallback);
    const have = Number(ours[key] ?? fallback);
    if (Number.isFinite(need) && Number.isFinite(have) && have < need) {
      const prop = TYPED[key] ? `parameters.${TYPED[key]}` : `parameters.additional["${key}"]`;
      throw invalidInput(scope, prop, have,
        `is lower than the ${need} of ${source}, whose WAL this cluster replays: PostgreSQL stops the recovery ("insufficient parameter settings")`,
        `set ${prop} to at least ${need} (as the source has it); lower it after the restore if you must`);
    }
  }
}
