/**
 * The safety invariants every synthesized configuration must hold, whatever its props. Each
 * returns the list of broken invariants (empty when all hold), phrased for a test failure.
 */
import { formatViolations, podSecurityViolations } from './pod-security';

/** Invariants of the CNPG Cluster objects. */
export function clusterInvariants(manifests: any[], expect: { superuser: boolean; createNamespace: boolean; namespace?: string }): string[] {
  const broken: string[] = [];
  const clusters = manifests.filter((m) => m.kind === 'Cluster');
  // The restore probe (a throw-away Cluster recovered from the backups) is not the shared cluster:
  // HA does not concern it, but TLS and the superuser rules do.
  const shared = clusters.filter((c) => !c.spec?.bootstrap?.recovery);
  if (shared.length !== 1) broken.push(`expected one shared Cluster, found ${shared.length}`);
  for (const c of clusters) {
    const name = `Cluster/${c.metadata.name}`;
    const spec = c.spec ?? {};
    if (shared.includes(c)) {
      if (spec.affinity?.enablePodAntiAffinity !== true || spec.affinity?.topologyKey !== 'kubernetes.io/hostname') {
        broken.push(`${name}: instance anti-affinity over kubernetes.io/hostname is missing (${JSON.stringify(spec.affinity)})`);
      }
      if (spec.replicationSlots?.highAvailability?.enabled !== true) broken.push(`${name}: HA replication slots are off`);
    }
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
    if ((spec.enableSuperuserAccess === true) !== (shared.includes(c) && expect.superuser)) {
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
 * Poolers: at least three replicas unless opted out, spread over nodes (pod anti-affinity in the
 * template), plain text rejected first by their pg_hba, and the server connections they can open
 * within what the instances accept (`max_connections − superuser_reserved_connections`, read from
 * the Cluster): the `rw`/`r` poolers on the primary, the `ro`/`r` poolers on one standby.
 */
export function poolerInvariants(manifests: any[], reducedAvailability: Set<string>): string[] {
  const broken: string[] = [];
  const cluster = manifests.find((m) => m.kind === 'Cluster');
  const params = cluster?.spec?.postgresql?.parameters ?? {};
  const accepted = Number(params.max_connections ?? 100) - Number(params.superuser_reserved_connections ?? 3);
  const demand: Record<string, number> = { rw: 0, ro: 0, r: 0 };
  for (const p of manifests.filter((m) => m.kind === 'Pooler')) {
    const name = `Pooler/${p.metadata.name}`;
    const spec = p.spec ?? {};
    const replicas = spec.instances ?? 1;
    if (replicas < 3 && !reducedAvailability.has(p.metadata.name)) broken.push(`${name}: ${replicas} replicas (at least 3 unless opted out)`);
    const anti = spec.template?.spec?.affinity?.podAntiAffinity;
    const terms = [...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
      ...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => t.podAffinityTerm)];
    if (!terms.some((t: any) => t?.topologyKey === 'kubernetes.io/hostname' && t?.labelSelector?.matchLabels?.['cnpg.io/poolerName'] === p.metadata.name)) {
      broken.push(`${name}: no pod anti-affinity over kubernetes.io/hostname for its own pods`);
    }
    const hba: string[] = spec.pgbouncer?.pg_hba ?? [];
    const firstAccept = hba.findIndex((r) => !/\breject$/.test(r.trim()));
    const firstPlainReject = hba.findIndex((r) => /^hostnossl\s/.test(r) && /\breject$/.test(r.trim()));
    if (firstPlainReject < 0 || (firstAccept >= 0 && firstAccept < firstPlainReject)) {
      broken.push(`${name}: pg_hba does not reject plain text before accepting: ${JSON.stringify(hba)}`);
    }
    if (hba.some((r) => /^host\s/.test(r) && !/\breject$/.test(r.trim()))) broken.push(`${name}: a pg_hba "host" rule accepts plain text`);
    const pg = spec.pgbouncer?.parameters ?? {};
    const pools = Number(pg.default_pool_size ?? 20) + Number(pg.reserve_pool_size ?? 0);
    const mdc = Number(pg.max_db_connections ?? 0);
    const databases = hba.filter((r) => /^hostssl\s/.test(r) && !/\breject$/.test(r.trim())).map((r) => r.split(/\s+/)[1]);
    if (databases.includes('all')) {
      broken.push(`${name}: accepts every database, so its server connections have no bound`);
      continue;
    }
    const perReplica = Math.min(pools * Math.max(1, new Set(databases).size), mdc > 0 ? mdc * Math.max(1, new Set(databases).size) : Infinity) + 1;
    demand[spec.type ?? 'rw'] += replicas * perReplica;
  }
  if (demand.rw + demand.r > accepted) broken.push(`poolers can open ${demand.rw + demand.r} server connections on the primary, more than the ${accepted} it accepts`);
  if (demand.ro + demand.r > accepted) broken.push(`poolers can open ${demand.ro + demand.r} server connections on a standby, more than the ${accepted} it accepts`);
  return broken;
}
