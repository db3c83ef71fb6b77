import { budgetShare, connectionBudget } from '../checks/connection-budget';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { checkArgs } from '../core/prop-check';

/** One pooler's share of a cluster's connections. */
export interface ConnectionShare {
  /** The pooler. */
  readonly poolerName: string;
  /** The application it serves. */
  readonly application: string;
  /** `rw`, `ro` or `r`: which instances its connections land on. */
  readonly type: string;
  /** Its replicas. */
  readonly instances: number;
  /**
   * Server connections one replica can open, or undefined when the pooler's pools are unbounded
   * (no `allowedDatabases`/`allowedRoles`).
   */
  readonly perInstance?: number;
  /** `instances × perInstance` (undefined when unbounded). */
  readonly total?: number;
}

/**
 * What the poolers of a cluster can open against it, compared with what its instances accept.
 *
 * Each instance accepts `max_connections − superuser_reserved_connections − reservedConnections`
 * (the last kept for the instance manager, the metrics exporter, backups and administrators;
 * streaming replication does not count: since PostgreSQL 12 WAL senders have slots of their own).
 * The primary receives the `rw` and `r` poolers' connections; a standby can receive every `ro`
 * and `r` pooler's connections (the `-ro`/`-r` Services may send them all to one instance).
 * Each pooler opens at most `instances × perInstance` (see `PgBouncerPooler.serverConnectionsPerInstance`).
 */
export class ConnectionBudget {
  /**
   * The budget of a cluster from the poolers registered so far (call it after every pooler is
   * added; the synth-time check does).
   */
  public static of(cluster: ICnpgCluster): ConnectionBudget {
    checkArgs('ConnectionBudget.of', [cluster]);
    return new ConnectionBudget(cluster);
  }

  /** `max_connections` of the instances. */
  public readonly maxConnections: number;
  /** `superuser_reserved_connections`. */
  public readonly superuserReservedConnections: number;
  /** Connections kept out of the poolers' reach (the cluster's `reservedConnections`). */
  public readonly reservedConnections: number;
  /** What the poolers may use on each instance. */
  public readonly available: number;
  /** Every pooler's share. */
  public readonly shares: ConnectionShare[];
  /** What the `rw` and `r` poolers can open on the primary. */
  public readonly primaryDemand: number;
  /** What the `ro` and `r` poolers can open on one standby. */
  public readonly standbyDemand: number;
  /** The poolers whose connections cannot be bounded. */
  public readonly unbounded: string[];
  private readonly budgetProblems: string[];

  private constructor(cluster: ICnpgCluster) {
    this.maxConnections = cluster.maxConnections;
    this.superuserReservedConnections = cluster.superuserReservedConnections;
    this.reservedConnections = cluster.reservedConnections;
    const shares = cluster.poolers.map((p) => budgetShare(p.poolerName, p.application, p.type, p.instances, p.serverConnectionsPerInstance));
    const result = connectionBudget(this, shares);
    this.available = result.available;
    this.shares = result.shares;
    this.primaryDemand = result.primaryDemand;
    this.standbyDemand = result.standbyDemand;
    this.unbounded = result.unbounded;
    this.budgetProblems = result.problems;
  }

  /** True when every pooler is bounded and both the primary and the standbys can take their demand. */
  public get fits(): boolean {
    return !this.unbounded.length && this.primaryDemand <= this.available && this.standbyDemand <= this.available;
  }

  /** The problems, one sentence each (empty when the budget fits). */
  public get problems(): string[] {
    return [...this.budgetProblems];
  }
}

const ATTACHED = new WeakSet<ICnpgCluster>();

/**
 * Adds the synth-time budget check to a cluster (once), reading every pooler registered by then.
 *
 * @internal
 */
export function attachConnectionBudget(cluster: ICnpgCluster): void {
  if (ATTACHED.has(cluster)) return;
  ATTACHED.add(cluster);
  cluster.node.addValidation({
    validate: () => {
      const budget = ConnectionBudget.of(cluster);
      if (budget.fits) return [];
      return [`CnpgSharedCluster at '${cluster.node.path}': connection budget = ${budget.problems.join('. Also, ')}. `
        + 'Fix: lower the pools (maxDbConnections caps what one replica opens per database; or defaultPoolSize/reservePoolSize), '
        + 'use fewer replicas, raise parameters.maxConnections, or lower reservedConnections; '
        + 'give every pooler allowedDatabases and allowedRoles (applications do)'];
    },
  });
}
