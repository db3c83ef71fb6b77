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

/** What the pooler invariants need to know of the cluster besides its manifests. */
export interface PoolerInvariantOptions {
  /** Pooler names whose application accepted fewer than 3 replicas. */
  readonly reducedAvailability: Set<string>;
  /** The cluster's reservedConnections (the library's default is 10). */
  readonly reservedConnections: number;
  /** Whether the targeted operator lets the pooler's TLS modes be set (CloudNativePG 1.27.1 and later). */
  readonly tlsModesSettable: boolean;
}

const HBA_HEAD = ['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject'];
const HBA_TAIL = ['host all all 0.0.0.0/0 reject', 'host all all ::/0 reject'];

/**
 * Poolers, as strict as the library: at least three replicas unless opted out, spread over nodes
 * (pod anti-affinity in the template); a pg_hba of exactly: plain text rejected (IPv4 and IPv6),
 * then each database/role pair over TLS with scram-sha-256 (IPv4 and IPv6 rules of the same
 * pair), then everything else rejected; the TLS modes written (client `require` or stricter,
 * server `verify-ca`/`verify-full`) where the operator takes them; and the server connections
 * they can open within what the instances accept (`max_connections −
 * superuser_reserved_connections − reservedConnections`, read from the Cluster): one pool per
 * database/role pair × (default_pool_size + reserve_pool_size), capped by max_db_connections ×
 * databases and max_user_connections × roles, plus the auth query; the `rw`/`r` poolers on the
 * primary, the `ro`/`r` poolers on one standby.
 */
export function poolerInvariants(manifests: any[], options: PoolerInvariantOptions): string[] {
  const broken: string[] = [];
  const cluster = manifests.find((m) => m.kind === 'Cluster');
  const params = cluster?.spec?.postgresql?.parameters ?? {};
  const accepted = Number(params.max_connections ?? 100) - Number(params.superuser_reserved_connections ?? 3) - options.reservedConnections;
  const demand: Record<string, number> = { rw: 0, ro: 0, r: 0 };
  for (const p of manifests.filter((m) => m.kind === 'Pooler')) {
    const name = `Pooler/${p.metadata.name}`;
    const spec = p.spec ?? {};
    const replicas = spec.instances ?? 1;
    if (replicas < 3 && !options.reducedAvailability.has(p.metadata.name)) broken.push(`${name}: ${replicas} replicas (at least 3 unless opted out)`);
    const anti = spec.template?.spec?.affinity?.podAntiAffinity;
    const terms = [...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
      ...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => t.podAffinityTerm)];
    if (!terms.some((t: any) => t?.topologyKey === 'kubernetes.io/hostname' && t?.labelSelector?.matchLabels?.['cnpg.io/poolerName'] === p.metadata.name)) {
      broken.push(`${name}: no pod anti-affinity over kubernetes.io/hostname for its own pods`);
    }
    const pg = spec.pgbouncer?.parameters ?? {};
    const tls = [pg.client_tls_sslmode, pg.server_tls_sslmode];
    if (options.tlsModesSettable
      ? !['require', 'verify-ca', 'verify-full'].includes(tls[0]) || !['verify-ca', 'verify-full'].includes(tls[1])
      : tls.some((m) => m !== undefined)) {
      broken.push(`${name}: TLS modes client ${tls[0]}, server ${tls[1]} (${options.tlsModesSettable ? 'require or stricter, verify-ca or verify-full' : 'not settable on this release'})`);
    }
    const hba: string[] = spec.pgbouncer?.pg_hba ?? [];
    const middle = hba.slice(HBA_HEAD.length, hba.length - HBA_TAIL.length);
    const pairs = new Map<string, [string, string]>();
    let exact = hba.length >= HBA_HEAD.length + HBA_TAIL.length + 2 && middle.length % 2 === 0
      && HBA_HEAD.every((r, i) => hba[i] === r) && HBA_TAIL.every((r, i) => hba[hba.length - HBA_TAIL.length + i] === r);
    for (let i = 0; exact && i < middle.length; i += 2) {
      const v4 = /^hostssl (\S+) (\S+) 0\.0\.0\.0\/0 scram-sha-256$/.exec(middle[i]);
      const v6 = /^hostssl (\S+) (\S+) ::\/0 scram-sha-256$/.exec(middle[i + 1]);
      if (!v4 || !v6 || v4[1] !== v6[1] || v4[2] !== v6[2]) exact = false;
      else for (const d of v4[1].split(',')) for (const r of v4[2].split(',')) pairs.set(`${d}\0${r}`, [d, r]);
    }
    if (!exact) {
      broken.push(`${name}: pg_hba is not [plain text rejected, hostssl pairs with scram-sha-256 for IPv4 and IPv6, the rest rejected]: ${JSON.stringify(hba)}`);
      continue;
    }
    const all = [...pairs.values()];
    if (all.some(([d, r]) => d === 'all' || r === 'all')) {
      broken.push(`${name}: accepts every database or role, so its server connections have no bound`);
      continue;
    }
    const pools = Number(pg.default_pool_size ?? 20) + Number(pg.reserve_pool_size ?? 0);
    const mdc = Number(pg.max_db_connections ?? 0);
    const muc = Number(pg.max_user_connections ?? 0);
    const perReplica = Math.min(
      all.length * pools,
      mdc > 0 ? mdc * new Set(all.map(([d]) => d)).size : Infinity,
      muc > 0 ? muc * new Set(all.map(([, r]) => r)).size : Infinity,
    ) + 1;
    demand[spec.type ?? 'rw'] += replicas * perReplica;
  }
  if (demand.rw + demand.r > accepted) broken.push(`poolers can open ${demand.rw + demand.r} server connections on the primary, more than the ${accepted} it accepts`);
  if (demand.ro + demand.r > accepted) broken.push(`poolers can open ${demand.ro + demand.r} server connections on a standby, more than the ${accepted} it accepts`);
  return broken;
}
