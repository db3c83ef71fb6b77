import type { SchemaProblem } from './schema';

/**
 * A pooler's availability: its replicas, their spread over nodes and their PodDisruptionBudget.
 * The replica count is the PgBouncerPooler's own check (same sentence); anti-affinity and the PDB
 * are what the construct always writes, checked on hand-written manifests (`ManifestAudit`).
 */

/** The fewest replicas that survive a node drain and a crash together. @internal */
export const MIN_HA_POOLER_INSTANCES = 3;

/** The label CloudNativePG puts on every pod of a Pooler. @internal */
export const POOLER_NAME_LABEL = 'cnpg.io/poolerName';

/**
 * The problem of a pooler with `instances` replicas, or undefined.
 *
 * @param application the application the pooler serves (named in the sentence)
 * @internal
 */
export function poolerInstancesProblem(instances: number, application: string): { problem: string; fix: string } | undefined {
  if (instances >= MIN_HA_POOLER_INSTANCES) return undefined;
  return {
    problem: `is fewer than ${MIN_HA_POOLER_INSTANCES}: a node drain plus one crash (or, with one replica, any rollout) leaves ${application} without a pooler`,
    fix: `use ${MIN_HA_POOLER_INSTANCES} or more, or set acceptReducedAvailability: true for a development cluster`,
  };
}

/**
 * A Pooler as written: replicas (CloudNativePG's default is 1), and pod anti-affinity over nodes.
 *
 * @internal
 */
export function poolerAvailabilityProblems(pooler: any): { instances?: SchemaProblem; antiAffinity?: SchemaProblem } {
  const name = pooler?.metadata?.name;
  const written = pooler?.spec?.instances;
  const instances = written ?? 1;
  const out: { instances?: SchemaProblem; antiAffinity?: SchemaProblem } = {};
  if (typeof instances === 'number') {
    const p = poolerInstancesProblem(instances, name);
    if (p) {
      out.instances = {
        path: 'spec.instances',
        value: written,
        problem: written === undefined ? `is unset, and CloudNativePG runs 1 replica: ${p.problem.replace(/^is fewer than \d+: /, '')}` : p.problem,
        fix: `set spec.instances to ${MIN_HA_POOLER_INSTANCES} or more`,
      };
    }
  }
  const anti = pooler?.spec?.template?.spec?.affinity?.podAntiAffinity;
  const terms = [
    ...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => t?.podAffinityTerm),
  ];
  const spreads = terms.some((t: any) => t?.topologyKey === 'kubernetes.io/hostname'
    && t?.labelSelector?.matchLabels?.[POOLER_NAME_LABEL] === name);
  if (!spreads) {
    out.antiAffinity = {
      path: 'spec.template.spec.affinity.podAntiAffinity',
      value: anti,
      problem: 'does not spread the replicas over nodes: the scheduler may put them all on one node, which a single drain or node failure takes down',
      fix: `add a podAntiAffinity term on topologyKey kubernetes.io/hostname selecting ${POOLER_NAME_LABEL}: ${name} (preferred, or required with more nodes than replicas)`,
    };
  }
  return out;
}

/**
 * Whether a PodDisruptionBudget covers a pooler's pods: same namespace, and a selector that the
 * pods' labels (`cnpg.io/poolerName` plus the template's labels) satisfy.
 *
 * @internal
 */
export function pdbCoversPooler(pdb: any, pooler: any): boolean {
  if (pdb?.metadata?.namespace !== pooler?.metadata?.namespace) return false;
  const labels: Record<string, string> = { ...(pooler?.spec?.template?.metadata?.labels ?? {}), [POOLER_NAME_LABEL]: pooler?.metadata?.name };
  const selector = pdb?.spec?.selector;
  if (!selector) return false;
  const match = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const exprs = (selector.matchExpressions ?? []).every((e: any) => {
    const v = labels[e?.key];
    switch (e?.operator) {
      // A label the pods lack is in no list of values (strings).
      case 'In': return (e.values ?? []).includes(v);
      case 'NotIn': return !(e.values ?? []).includes(v);
      case 'Exists': return v !== undefined;
      case 'DoesNotExist': return v === undefined;
      default: return false;
    }
  });
  const empty = !Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length;
  return !empty && match && exprs;
}
