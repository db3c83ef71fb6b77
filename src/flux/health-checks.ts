/**
 * A Flux health check of one object: Flux waits for it to be ready before it marks the
 * Kustomization ready (and before the Kustomizations that depend on it run).
 */
export interface FluxHealthCheck {
  /** The object's apiVersion, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** The object's kind, e.g. `Deployment`. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /**
   * The object's namespace.
   *
   * @default - the Kustomization's namespace
   */
  readonly namespace?: string;
}

/**
 * Custom health-check logic for one kind (`spec.healthCheckExprs` of a Flux Kustomization): CEL
 * expressions over the object (`status`, `spec`, `metadata` are its top-level fields). Flux
 * evaluates `inProgress`, then `failed`, then `current`; the first that is true decides, and none
 * true means in progress. Needs kustomize-controller 1.5 or newer (Flux 2.5, February 2025).
 */
export interface FluxHealthCheckExpression {
  /** The group and version of the kind (only the group is matched), e.g. `postgresql.cnpg.io/v1`. */
  readonly apiVersion: string;
  /** The kind. */
  readonly kind: string;
  /** True when the object is ready. */
  readonly current: string;
  /**
   * True when the object failed.
   *
   * @default - none: an object is never failed, only in progress until the timeout
   */
  readonly failed?: string;
  /**
   * True while the object is still being reconciled.
   *
   * @default - none
   */
  readonly inProgress?: string;
}

const CNPG = 'postgresql.cnpg.io/v1';

/**
 * The health of CloudNativePG objects for Flux, as CEL (`spec.healthCheckExprs`).
 *
 * Flux's generic readiness (kstatus) reads `Ready`/`Reconciling`/`Stalled` conditions and
 * `observedGeneration`; CloudNativePG's kinds say readiness otherwise, differently per release
 * (read from the CRDs' status schemas and the operator's source, api/v1 at v1.27.1 and v1.30.1):
 *
 * - Cluster: the `Ready` condition (`ClusterIsReady`), and a `phase` naming the states the operator
 *   cannot leave by itself (unknown or failing plugin, image catalog error, unrecoverable, missing
 *   architecture binary, objects it cannot create, invalid definition).
 * - Pooler: no condition in any supported release; 1.30 adds `status.phase` (`active`, `paused`,
 *   `inactive`, `failed`), 1.27 only `status.instances`, the Deployment's replicas (not their
 *   readiness). Its Deployment (same name) is what tells that PgBouncer serves: FluxDelivery checks
 *   it with Flux's own Deployment readiness, and the Pooler with the expression below.
 * - ScheduledBackup: no condition; `status.nextScheduleTime` is set once the operator has accepted
 *   and scheduled it, and 1.30 reports a refused one in `status.error`.
 *
 * Every field read is guarded with `has()`: Flux waits until the timeout on an expression that
 * reads a field the object does not have yet. Optional types (`?.`) are avoided: kustomize-controller
 * 1.5's CEL environment is the oldest this must run on.
 */
export class CnpgHealthChecks {
  /** The phases of a Cluster the operator does not leave by itself (cluster_types.go). */
  public static readonly CLUSTER_FAILED_PHASES: string[] = [
    'Cluster cannot proceed to reconciliation due to an unknown plugin being required',
    'Cluster cannot proceed to reconciliation due to an error while interacting with plugins',
    'Cluster has incomplete or invalid image catalog',
    'Cluster is unrecoverable and needs manual intervention',
    'Cluster cannot execute instance online upgrade due to missing architecture binary',
    'Unable to create required cluster objects',
    'Invalid cluster definition',
  ];

  /** A Cluster is ready when its `Ready` condition is True; failed in a phase it cannot leave. */
  public static cluster(): FluxHealthCheckExpression {
    return {
      apiVersion: CNPG,
      kind: 'Cluster',
      current: "has(status.conditions) && status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
      failed: `has(status.phase) && status.phase in [${CnpgHealthChecks.CLUSTER_FAILED_PHASES.map((p) => `'${p}'`).join(', ')}]`,
    };
  }

  /**
   * A Pooler is current once the operator runs as many replicas as it asks for (and, on 1.30, its
   * phase is active or paused); failed when 1.30 says so.
   */
  public static pooler(): FluxHealthCheckExpression {
    return {
      apiVersion: CNPG,
      kind: 'Pooler',
      current: "has(status.instances) && has(spec.instances) && status.instances >= spec.instances && (!has(status.phase) || status.phase in ['active', 'paused'])",
      failed: "has(status.phase) && status.phase == 'failed'",
    };
  }

  /**
   * A ScheduledBackup is current once scheduled (or when suspended); failed when the operator
   * reports an error (1.30).
   */
  public static scheduledBackup(): FluxHealthCheckExpression {
    return {
      apiVersion: CNPG,
      kind: 'ScheduledBackup',
      current: '(has(spec.suspend) && spec.suspend) || has(status.nextScheduleTime)',
      failed: "has(status.error) && status.error != ''",
    };
  }

  /** The three. */
  public static all(): FluxHealthCheckExpression[] {
    return [CnpgHealthChecks.cluster(), CnpgHealthChecks.pooler(), CnpgHealthChecks.scheduledBackup()];
  }
}
