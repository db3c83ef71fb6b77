import { SchemaProblem } from '../checks/schema';

/**
 * The rules of CloudNativePG's Cluster webhook about recovery and replica clusters
 * (internal/webhook/v1/cluster_webhook.go at v1.27.0 to v1.30.1: `validateBootstrapMethod`,
 * `validateBootstrapRecoverySource`, `validateBootstrapPgBaseBackupSource`, `validateRecoveryTarget`,
 * `validateTargetExclusiveness`, `validateExternalClusters`, `validateReplicaMode`,
 * `validateReplicaClusterExternalClusters`, `validatePromotionToken`), checked on the Cluster as
 * written, escape hatches included: an override that names an unknown external cluster or adds a
 * second recovery target fails at synth, not at `kubectl apply`. The typed props cannot produce
 * these; test/integ/restore-webhook.test.ts runs the same inputs through the real webhooks.
 *
 * @internal
 */
export function recoveryReferenceProblems(json: any): SchemaProblem[] {
  const spec = json?.spec ?? {};
  const problems: SchemaProblem[] = [];
  const externals: any[] = Array.isArray(spec.externalClusters) ? spec.externalClusters : [];
  const names = externals.map((e) => e?.name);
  const known = `externalClusters names ${names.length ? names.map((n) => JSON.stringify(n)).join(', ') : '(none)'}`;
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) {
      problems.push({ path: `spec.externalClusters[${i}].name`, value: n, problem: 'is listed twice (the webhook refuses duplicate external clusters)', fix: 'give each external cluster its own name' });
    }
    seen.add(n);
  });
  externals.forEach((e, i) => {
    if (e && !e.connectionParameters && !e.barmanObjectStore && !e.plugin) {
      problems.push({ path: `spec.externalClusters[${i}]`, value: e.name, problem: 'has neither connectionParameters, plugin nor barmanObjectStore', fix: 'say how to reach the cluster: its archive or its primary' });
    }
  });
  const ref = (path: string, value: unknown) => {
    if (typeof value === 'string' && value !== '' && !names.includes(value)) {
      problems.push({ path, value, problem: `names an unknown external cluster (${known})`, fix: 'name one of the externalClusters, or add the external cluster' });
    }
  };

  const bootstrap = spec.bootstrap ?? {};
  const methods = ['initdb', 'recovery', 'pg_basebackup'].filter((m) => bootstrap[m] !== undefined && bootstrap[m] !== null);
  if (methods.length > 1) {
    problems.push({ path: 'spec.bootstrap', value: methods, problem: 'has more than one bootstrap method', fix: 'keep one of initdb, recovery and pg_basebackup' });
  }
  const recovery = bootstrap.recovery;
  if (recovery) {
    ref('spec.bootstrap.recovery.source', recovery.source);
    if (recovery.backup && (recovery.source || recovery.volumeSnapshots)) {
      problems.push({ path: 'spec.bootstrap.recovery.backup', value: recovery.backup, problem: 'is mutually exclusive with source and volumeSnapshots', fix: 'keep one way to find the base backup' });
    }
    const t = recovery.recoveryTarget;
    if (t) {
      const targets = ['targetTime', 'targetLSN', 'targetName', 'targetXID', 'targetImmediate'].filter((k) => t[k] !== undefined && t[k] !== null && t[k] !== '');
      if (targets.length > 1) {
        problems.push({ path: 'spec.bootstrap.recovery.recoveryTarget', value: targets, problem: 'sets two recovery targets at once (the webhook: "Recovery target options are mutually exclusive")', fix: 'keep one target: a time, an LSN, a restore point, a transaction ID or immediate' });
      }
      const labelBased = ['targetName', 'targetXID', 'targetImmediate'].some((k) => targets.includes(k));
      if (labelBased && !recovery.volumeSnapshots && !t.backupID) {
        problems.push({ path: 'spec.bootstrap.recovery.recoveryTarget.backupID', value: undefined, problem: 'is required with a restore point, a transaction ID or an immediate target (the webhook: "BackupID is missing")', fix: 'give the ID of the base backup to start from' });
      }
      if (recovery.volumeSnapshots && t.backupID) {
        problems.push({ path: 'spec.bootstrap.recovery.recoveryTarget.backupID', value: t.backupID, problem: 'cannot be used with volumeSnapshots', fix: 'drop backupID: the snapshots are the base backup' });
      }
    }
  }
  ref('spec.bootstrap.pg_basebackup.source', bootstrap.pg_basebackup?.source);
  if (bootstrap.pg_basebackup && !bootstrap.pg_basebackup.source) {
    problems.push({ path: 'spec.bootstrap.pg_basebackup.source', value: undefined, problem: 'is required', fix: 'name the external cluster to copy' });
  }

  const replica = spec.replica;
  if (replica) {
    if (!replica.source) {
      problems.push({ path: 'spec.replica.source', value: undefined, problem: 'is required: a replica cluster replays a source', fix: 'name the external cluster to replicate' });
    }
    ref('spec.replica.source', replica.source);
    ref('spec.replica.primary', replica.primary);
    ref('spec.replica.self', replica.self);
    if (replica.primary && replica.enabled !== undefined) {
      problems.push({ path: 'spec.replica.enabled', value: replica.enabled, problem: 'cannot be combined with primary (the webhook: "replica mode enabled is not compatible with the primary field")', fix: 'use primary/source (a topology) or enabled/source (a standalone replica)' });
    }
    // `json` is there: its spec has a replica section.
    const self = replica.self || json.metadata?.name;
    const isReplica = replica.primary ? replica.primary !== self : replica.enabled === true;
    if (isReplica && !(bootstrap.recovery || bootstrap.pg_basebackup)) {
      problems.push({ path: 'spec.bootstrap', value: methods, problem: 'must be recovery or pg_basebackup for a replica cluster', fix: 'bootstrap the replica from its source' });
    }
    if (replica.promotionToken) {
      if (replica.minApplyDelay) {
        problems.push({ path: 'spec.replica.minApplyDelay', value: replica.minApplyDelay, problem: 'cannot be combined with a promotion token', fix: 'drop minApplyDelay to promote with the token' });
      }
      if (isReplica) {
        problems.push({ path: 'spec.replica.promotionToken', value: replica.promotionToken, problem: 'is only for the cluster being promoted (replica.primary must name this cluster)', fix: 'set primary to this cluster with the token, or drop the token' });
      }
    }
  }
  return problems;
}
