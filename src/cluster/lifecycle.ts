import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/**
 * How the primary is updated in a rolling update, after every standby is
 * (`spec.primaryUpdateStrategy`).
 */
export enum PrimaryUpdateStrategy {
  /** The operator updates the primary on its own (CloudNativePG's default). */
  UNSUPERVISED = 'unsupervised',
  /**
   * The operator waits for an administrator (`kubectl cnpg promote` or `restart`): the primary
   * keeps the old version until then. Not allowed with a single instance.
   */
  SUPERVISED = 'supervised',
}

/** How the primary itself is updated (`spec.primaryUpdateMethod`). */
export enum PrimaryUpdateMethod {
  /**
   * Restart the primary in place (CloudNativePG's default): the applications wait for the
   * restart, the primary stays on its node.
   */
  RESTART = 'restart',
  /**
   * Switch over to an updated standby first, then update the former primary as a standby: the
   * write outage is the switchover's (seconds). The operator then refuses an update that changes
   * the image and the PostgreSQL parameters together.
   */
  SWITCHOVER = 'switchover',
}

/**
 * A maintenance window of the Kubernetes nodes (`spec.nodeMaintenanceWindow`): while it is in
 * progress, the operator lets a node with a local volume drain (with `reusePvc` false it
 * recreates the instance elsewhere). CloudNativePG recommends the PodDisruptionBudget
 * (`enablePodDisruptionBudget`) instead; its webhook warns when this is set.
 */
export interface NodeMaintenanceWindow {
  /** Whether the maintenance is in progress now. */
  readonly inProgress: boolean;
  /**
   * Whether an instance whose node is drained waits for its volume (true) or is recreated
   * elsewhere from a fresh copy (false).
   *
   * @default true
   */
  readonly reusePvc?: boolean;
}

/** The lifecycle props of the cluster, as `spec()` renders them. @internal */
export interface LifecycleInput {
  readonly primaryUpdateStrategy?: PrimaryUpdateStrategy;
  readonly primaryUpdateMethod?: PrimaryUpdateMethod;
  readonly failoverDelay?: Duration;
  readonly switchoverDelay?: Duration;
  readonly startDelay?: Duration;
  readonly stopDelay?: Duration;
  readonly smartShutdownTimeout?: Duration;
  readonly livenessProbeTimeout?: Duration;
  readonly nodeMaintenanceWindow?: NodeMaintenanceWindow;
}

/** CloudNativePG's defaults (the CRD's), for the checks between the delays. */
const DEFAULT_STOP_DELAY = 1800;
const DEFAULT_SMART_SHUTDOWN_TIMEOUT = 180;

/**
 * A Duration as whole seconds within [min, 2^31-1], or the library's error.
 * @internal
 */
export function wholeSeconds(scope: IConstruct, field: string, d: Duration, min: number, fix?: string): number {
  const ms = d instanceof Duration ? d.toMilliseconds() : NaN;
  const s = ms / 1000;
  if (!Number.isInteger(s) || s < min || s > 2 ** 31 - 1) {
    throw invalidInput(scope, field, Number.isFinite(s) ? `${s}s` : d, `is not a whole number of seconds of at least ${min}`,
      fix ?? `give e.g. Duration.seconds(${Math.max(min, 30)})`);
  }
  return s;
}

function seconds(scope: IConstruct, field: string, d: Duration | undefined, min: number): number | undefined {
  return d === undefined ? undefined : wholeSeconds(scope, field, d, min);
}

/**
 * The Cluster fields of the lifecycle props: update strategy and method, failover and switchover
 * delays, start/stop timing, the node maintenance window.
 * @internal
 */
export function renderLifecycle(scope: IConstruct, props: LifecycleInput, instances: number): Partial<cnpg.ClusterSpec> {
  for (const [field, value, e] of [
    ['primaryUpdateStrategy', props.primaryUpdateStrategy, PrimaryUpdateStrategy],
    ['primaryUpdateMethod', props.primaryUpdateMethod, PrimaryUpdateMethod],
  ] as const) {
    if (value !== undefined && !Object.values(e).includes(value as any)) {
      throw invalidInput(scope, field, value, 'is not a value the CRD accepts', `use one of ${Object.keys(e).map((k) => `${field === 'primaryUpdateStrategy' ? 'PrimaryUpdateStrategy' : 'PrimaryUpdateMethod'}.${k}`).join(', ')}`);
    }
  }
  if (props.primaryUpdateStrategy === PrimaryUpdateStrategy.SUPERVISED && instances === 1) {
    throw invalidInput(scope, 'primaryUpdateStrategy', props.primaryUpdateStrategy,
      'is not allowed with a single instance (CloudNativePG\'s webhook refuses it): there is no standby to promote',
      'keep PrimaryUpdateStrategy.UNSUPERVISED, or raise instances');
  }
  const failoverDelay = seconds(scope, 'failoverDelay', props.failoverDelay, 0);
  const switchoverDelay = seconds(scope, 'switchoverDelay', props.switchoverDelay, 0);
  const startDelay = seconds(scope, 'startDelay', props.startDelay, 1);
  const stopDelay = seconds(scope, 'stopDelay', props.stopDelay, 1);
  const smartShutdownTimeout = seconds(scope, 'smartShutdownTimeout', props.smartShutdownTimeout, 0);
  const livenessProbeTimeout = seconds(scope, 'livenessProbeTimeout', props.livenessProbeTimeout, 1);
  // The operator asks for a smart shutdown first, then a fast one at stopDelay − smartShutdownTimeout:
  // without room for the fast shutdown, Kubernetes kills PostgreSQL (crash recovery at the next start).
  // With neither set, the operator's defaults (180s < 1800s) pass.
  const stop = stopDelay ?? DEFAULT_STOP_DELAY;
  const smart = smartShutdownTimeout ?? DEFAULT_SMART_SHUTDOWN_TIMEOUT;
  if (smart >= stop) {
    throw invalidInput(scope, smartShutdownTimeout !== undefined ? 'smartShutdownTimeout' : 'stopDelay', `${smartShutdownTimeout !== undefined ? smart : stop}s`,
      `leaves no time for the fast shutdown: the operator requests it at stopDelay (${stop}s) − smartShutdownTimeout (${smart}s), after which Kubernetes kills PostgreSQL`,
      'keep smartShutdownTimeout well below stopDelay (CloudNativePG\'s defaults: 180s and 1800s)');
  }
  const w = props.nodeMaintenanceWindow;
  if (w !== undefined && typeof w.inProgress !== 'boolean') {
    throw invalidInput(scope, 'nodeMaintenanceWindow.inProgress', w.inProgress, 'is not a boolean', 'write true while the nodes are being maintained, false otherwise');
  }
  return {
    primaryUpdateStrategy: props.primaryUpdateStrategy as string as cnpg.ClusterSpecPrimaryUpdateStrategy | undefined,
    primaryUpdateMethod: props.primaryUpdateMethod as string as cnpg.ClusterSpecPrimaryUpdateMethod | undefined,
    failoverDelay,
    switchoverDelay,
    startDelay,
    stopDelay,
    smartShutdownTimeout,
    livenessProbeTimeout,
    nodeMaintenanceWindow: w ? { inProgress: w.inProgress, reusePvc: w.reusePvc } : undefined,
  };
}
