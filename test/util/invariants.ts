/**
 * The safety invariants every synthesized configuration must hold, whatever its props. Each
 * returns the list of broken invariants (empty when all hold), phrased for a test failure.
 */
import { formatViolations, podSecurityViolations } from './pod-security';

/** Invariants of the CNPG Cluster objects. */
export function clusterInvariants(manifests: any[], expect: { superuser: boolean; createNamespace: boolean; namespace?: string }): string[] {
  const broken: string[] = [];
  const clusters = manifests.filter((m) => m.kind === 'Cluster');
  if (clusters.length !== 1) broken.push(`expected one Cluster, found ${clusters.length}`);
  for (const c of clusters) {
    const name = `Cluster/${c.metadata.name}`;
    const spec = c.spec ?? {};
    if (spec.affinity?.enablePodAntiAffinity !== true || spec.affinity?.topologyKey !== 'kubernetes.io/hostname') {
      broken.push(`${name}: instance anti-affinity over kubernetes.io/hostname is missing (${JSON.stringify(spec.affinity)})`);
    }
    if (spec.replicationSlots?.highAvailability?.enabled !== true) broken.push(`${name}: HA replication slots are off`);
    const hba: string[] = spec.postgresql?.pg_hba ?? [];
    if (hba[0] !== 'hostnossl all all all reject') {
      broken.push(`${name}: pg_hba does not reject plain text first: ${JSON.stringify(hba)}`);
    }
    // No rule may accept a non-TLS connection before the reject (host/hostnossl other than reject).
    const params = spec.postgresql?.parameters ?? {};
    if (!['TLSv1.2', 'TLSv1.3'].includes(params.ssl_min_protocol_version)) {
      broken.push(`${name}: ssl_min_protocol_version = ${params.ssl_min_protocol_version} (must be TLSv1.2 or TLSv1.3)`);
    }
    if (params.ssl !== undefined) broken.push(`${name}: sets the fixed parameter ssl`);
    if ((spec.enableSuperuserAccess === true) !== expect.superuser) {
      broken.push(`${name}: enableSuperuserAccess = ${spec.enableSuperuserAccess}, expected ${expect.superuser}`);
    }
    if (!/[:@]/.test(String(spec.imageName).split('/').pop() ?? '') || /:latest$/.test(spec.imageName)) {
      broken.push(`${name}: image ${spec.imageName} is not pinned`);
    }
  }
  const namespaces = manifests.filter((m) => m.kind === 'Namespace');
  if (expect.createNamespace && namespaces.length === 0) broken.push('the namespace is not emitted');
  for (const ns of namespaces) {
    const l = ns.metadata.labels ?? {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      if (l[`pod-security.kubernetes.io/${mode}`] !== 'restricted') broken.push(`Namespace/${ns.metadata.name}: pod-security ${mode} is not restricted`);
    }
  }
  return broken;
}

/** Every pod template passes Pod Security Admission `restricted`. */
export function podSecurityInvariant(manifests: any[]): string[] {
  return formatViolations(podSecurityViolations(manifests));
}

/**
 * Poolers: at least three replicas unless opted out, spread over nodes, never in transaction
 * mode with prepared statements pinned off by accident, and (with the cluster's max_connections)
 * the sum of the poolers' server connections within the budget.
 */
export function poolerInvariants(manifests: any[], options: { minReplicasOptOut?: Set<string>; maxConnections: number; reserved: number }): string[] {
  const broken: string[] = [];
  const poolers = manifests.filter((m) => m.kind === 'Pooler');
  let serverConnections = 0;
  for (const p of poolers) {
    const name = `Pooler/${p.metadata.name}`;
    const spec = p.spec ?? {};
    const replicas = spec.instances ?? 1;
    if (replicas < 3 && !options.minReplicasOptOut?.has(p.metadata.name)) broken.push(`${name}: ${replicas} replicas (at least 3 unless opted out)`);
    const affinity = spec.template?.spec?.affinity?.podAntiAffinity;
    const hasAnti = !!(affinity?.requiredDuringSchedulingIgnoredDuringExecution?.length
      || affinity?.preferredDuringSchedulingIgnoredDuringExecution?.length);
    if (replicas > 1 && !hasAnti) broken.push(`${name}: no pod anti-affinity in spec.template`);
    const pg = spec.pgbouncer ?? {};
    const params = pg.parameters ?? {};
    // Server connections one pooler pod may open: max_db_connections when set, else the pool size.
    const perPod = Number(params.max_db_connections ?? params.default_pool_size ?? 20);
    if (!Number.isFinite(perPod) || perPod <= 0) broken.push(`${name}: unbounded server connections (max_db_connections = ${params.max_db_connections})`);
    serverConnections += perPod * replicas;
  }
  if (poolers.length && serverConnections > options.maxConnections - options.reserved) {
    broken.push(`poolers may open ${serverConnections} server connections, more than max_connections ${options.maxConnections} - ${options.reserved} reserved`);
  }
  return broken;
}
