import { checkArgs } from '../core/prop-check';

/**
 * How a commit waits for standbys (`spec.postgresql.synchronous.dataDurability`).
 */
export enum DataDurability {
  /**
   * A commit waits until `number` standbys confirm it: no committed transaction is lost on
   * failover, but writes stop when too few standbys are up (CNPG's own default).
   */
  REQUIRED = 'required',
  /**
   * Standbys are synchronous while they are up; when none is, the primary keeps accepting writes
   * asynchronously. Favours availability over durability.
   */
  PREFERRED = 'preferred',
}

/** How PostgreSQL picks the synchronous standbys (`synchronous_standby_names`). */
export enum SynchronousMethod {
  /** Quorum: any `number` of the listed standbys (`ANY n (...)`). */
  ANY = 'any',
  /** Priority: the first `number` standbys of the list (`FIRST n (...)`). */
  FIRST = 'first',
}

/** Options of synchronous replication. */
export interface SynchronousReplicationOptions {
  /**
   * How many standbys must confirm a commit. Must be less than the number of instances.
   *
   * @default 1
   */
  readonly number?: number;

  /**
   * What happens when fewer than `number` standbys are available.
   *
   * @default DataDurability.REQUIRED
   */
  readonly dataDurability?: DataDurability;

  /**
   * The maximum number of the cluster's own standbys to list in `synchronous_standby_names`.
   *
   * @default - all standbys (the operator's default)
   */
  readonly maxStandbyNamesFromCluster?: number;

  /**
   * Standby names put before the cluster's own (only with `DataDurability.REQUIRED`).
   *
   * @default - none
   */
  readonly standbyNamesPre?: string[];

  /**
   * Standby names put after the cluster's own (only with `DataDurability.REQUIRED`).
   *
   * @default - none
   */
  readonly standbyNamesPost?: string[];

  /**
   * Quorum-based failover (`synchronous.failoverQuorum`): before promoting a standby, the operator
   * checks that a quorum of the synchronous standbys confirms it holds every committed
   * transaction, so a failover can never lose a confirmed commit. Needs CloudNativePG 1.28 or
   * newer (`operatorVersion`).
   *
   * @default - unset (the operator's default: no quorum check)
   */
  readonly failoverQuorum?: boolean;

  /**
   * Accept that writes stop whenever a standby is missing. With `DataDurability.REQUIRED`, a
   * commit waits for `number` standbys; when the cluster has no standby to spare (2 instances
   * with `number` 1, 3 instances with `number` 2, or `maxStandbyNamesFromCluster` equal to
   * `number`), every standby restart (a rolling update, a node drain, a crash) blocks every
   * write until it is back. Refused at synth unless this is set; the usual fixes are
   * `DataDurability.PREFERRED` (writes continue asynchronously while a standby is down) or one
   * more instance.
   *
   * @default false
   */
  readonly acceptBlockedWrites?: boolean;
}

/**
 * The cluster's replication mode: synchronous (quorum `any` or priority `first`) or asynchronous.
 */
export class SynchronousReplication {
  /** Quorum-based synchronous replication (`method: any`). */
  public static any(options: SynchronousReplicationOptions = {}): SynchronousReplication {
    checkArgs('SynchronousReplication.any', [options]);
    return new SynchronousReplication(SynchronousMethod.ANY, options);
  }

  /** Priority-based synchronous replication (`method: first`). */
  public static first(options: SynchronousReplicationOptions = {}): SynchronousReplication {
    checkArgs('SynchronousReplication.first', [options]);
    return new SynchronousReplication(SynchronousMethod.FIRST, options);
  }

  /**
   * Asynchronous streaming replication only: a failover can lose the last committed
   * transactions. Needed for a single-instance cluster.
   */
  public static asynchronous(): SynchronousReplication {
    return new SynchronousReplication(undefined, {});
  }

  /** The method, or undefined for asynchronous replication. */
  public readonly method?: SynchronousMethod;
  /** The options. */
  public readonly options: SynchronousReplicationOptions;

  private constructor(method: SynchronousMethod | undefined, options: SynchronousReplicationOptions) {
    this.method = method;
    this.options = options;
  }

  /** True when commits wait for standbys. */
  public get isSynchronous(): boolean {
    return this.method !== undefined;
  }
}
