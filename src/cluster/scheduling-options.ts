import { IConstruct } from 'constructs';
import { tolerationProblems } from './cluster-rules';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { ZONE_TOPOLOGY_KEY } from '../common/scheduling';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/** The effect of a node taint. */
export enum TaintEffect {
  /** New pods are not scheduled on the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Running pods are evicted (after `tolerationSeconds`). */
  NO_EXECUTE = 'NoExecute',
}

/**
 * A taint the instances tolerate (e.g. nodes dedicated to databases). With a `value` the taint
 * must match it (`operator: Equal`); without one, any value of the key (`operator: Exists`).
 */
export interface Toleration {
  /**
   * The taint's key, e.g. `dedicated`.
   *
   * @default - every taint (`operator: Exists` without a key): the instances go anywhere
   */
  readonly key?: string;
  /**
   * The taint's value.
   *
   * @default - any value of the key
   */
  readonly value?: string;
  /**
   * The taint's effect.
   *
   * @default - every effect
   */
  readonly effect?: TaintEffect;
  /**
   * With `TaintEffect.NO_EXECUTE`: how long an instance stays on a node that gets the taint.
   *
   * @default - for ever
   */
  readonly tolerationSeconds?: number;
}

/** What the scheduler does when a spread constraint cannot be met. */
export enum UnsatisfiableSpread {
  /** Keep the pod Pending. */
  DO_NOT_SCHEDULE = 'DoNotSchedule',
  /** Schedule anyway, preferring the least skewed domain. */
  SCHEDULE_ANYWAY = 'ScheduleAnyway',
}

/** A topology spread constraint of the instances (their labels are the selector). */
export interface TopologySpread {
  /** The node label whose values are the domains, e.g. `topology.kubernetes.io/zone`. */
  readonly topologyKey: string;
  /**
   * The largest difference of instances between two domains.
   *
   * @default 1
   */
  readonly maxSkew?: number;
  /**
   * What happens when the constraint cannot be met.
   *
   * @default UnsatisfiableSpread.DO_NOT_SCHEDULE
   */
  readonly whenUnsatisfiable?: UnsatisfiableSpread;
  /**
   * The fewest eligible domains (with `DO_NOT_SCHEDULE`).
   *
   * @default - no minimum
   */
  readonly minDomains?: number;
}

/** The scheduling props of the cluster, as `spec()` renders them. @internal */
export interface SchedulingInput {
  readonly tolerations?: Toleration[];
  readonly nodeSelector?: { [key: string]: string };
  readonly topologySpread?: TopologySpread[];
  readonly priorityClassName?: string;
  readonly schedulerName?: string;
}

const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The Cluster fields of the scheduling props: `affinity.tolerations`, `affinity.nodeSelector`,
 * extra `topologySpreadConstraints`, `priorityClassName`, `schedulerName`.
 * @internal
 */
export function renderScheduling(scope: IConstruct, props: SchedulingInput, instanceLabels: { [key: string]: string }, zoneSpread: boolean): {
  affinity: Partial<cnpg.ClusterSpecAffinity>;
  topologySpreadConstraints: cnpg.ClusterSpecTopologySpreadConstraints[];
  spec: Partial<cnpg.ClusterSpec>;
} {
  const tolerations = (props.tolerations ?? []).map((t, i) => {
    const field = `tolerations[${i}]`;
    if (t.effect !== undefined && !Object.values(TaintEffect).includes(t.effect)) {
      throw invalidInput(scope, `${field}.effect`, t.effect, 'is not a taint effect', 'use TaintEffect.NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE');
    }
    if (t.tolerationSeconds !== undefined && (!Number.isInteger(t.tolerationSeconds) || t.tolerationSeconds < 0)) {
      throw invalidInput(scope, `${field}.tolerationSeconds`, t.tolerationSeconds, 'is not a whole number of seconds', 'give e.g. 300');
    }
    const written = {
      key: t.key,
      operator: t.value === undefined ? 'Exists' : 'Equal',
      value: t.value,
      effect: t.effect,
      tolerationSeconds: t.tolerationSeconds,
    };
    const problem = tolerationProblems(written)[0];
    if (problem) throw invalidInput(scope, field, t, problem.problem, problem.fix);
    return written;
  });
  for (const [k, v] of Object.entries(props.nodeSelector ?? {})) {
    if (!QUALIFIED_NAME.test(k)) {
      throw invalidInput(scope, `nodeSelector["${k}"]`, v, 'has a key that is not a node label name', 'use e.g. "node-role.kubernetes.io/database"');
    }
    if (typeof v !== 'string' || (!containsFluxVariable(v) && (v.length > 63 || !LABEL_VALUE.test(v)))) {
      throw invalidInput(scope, `nodeSelector["${k}"]`, v, 'is not a label value', 'give the node label\'s value, e.g. "true"');
    }
  }
  const spread = (props.topologySpread ?? []).map((s, i) => {
    const field = `topologySpread[${i}]`;
    if (typeof s.topologyKey !== 'string' || !QUALIFIED_NAME.test(s.topologyKey)) {
      throw invalidInput(scope, `${field}.topologyKey`, s.topologyKey, 'is not a node label name', 'use e.g. "topology.kubernetes.io/zone"');
    }
    if (zoneSpread && s.topologyKey === ZONE_TOPOLOGY_KEY) {
      throw invalidInput(scope, `${field}.topologyKey`, s.topologyKey, 'is already spread by zoneSpread', 'drop one of them');
    }
    const maxSkew = s.maxSkew ?? 1;
    if (!Number.isInteger(maxSkew) || maxSkew < 1) {
      throw invalidInput(scope, `${field}.maxSkew`, maxSkew, 'is not a whole number of at least 1', 'give 1 (the default) or more');
    }
    const when = s.whenUnsatisfiable ?? UnsatisfiableSpread.DO_NOT_SCHEDULE;
    if (!Object.values(UnsatisfiableSpread).includes(when)) {
      throw invalidInput(scope, `${field}.whenUnsatisfiable`, when, 'is not a value Kubernetes accepts', 'use UnsatisfiableSpread.DO_NOT_SCHEDULE or SCHEDULE_ANYWAY');
    }
    if (s.minDomains !== undefined) {
      if (!Number.isInteger(s.minDomains) || s.minDomains < 1) {
        throw invalidInput(scope, `${field}.minDomains`, s.minDomains, 'is not a whole number of at least 1', 'give e.g. 3');
      }
      if (when !== UnsatisfiableSpread.DO_NOT_SCHEDULE) {
        throw invalidInput(scope, `${field}.minDomains`, s.minDomains, 'is only allowed with UnsatisfiableSpread.DO_NOT_SCHEDULE (Kubernetes refuses it otherwise)', 'drop minDomains or use DO_NOT_SCHEDULE');
      }
    }
    return {
      topologyKey: s.topologyKey,
      maxSkew,
      whenUnsatisfiable: when as string,
      minDomains: s.minDomains,
      labelSelector: { matchLabels: { ...instanceLabels } },
    };
  });
  for (const [field, v] of [['priorityClassName', props.priorityClassName], ['schedulerName', props.schedulerName]] as const) {
    if (v !== undefined && (typeof v !== 'string' || (!containsFluxVariable(v) && (v.length > 253 || !DNS1123_SUBDOMAIN.test(v))))) {
      throw invalidInput(scope, field, v, 'is not a DNS-1123 subdomain', 'give the name of the object, e.g. "database-critical"');
    }
  }
  return {
    affinity: {
      tolerations: tolerations.length ? tolerations : undefined,
      nodeSelector: props.nodeSelector && Object.keys(props.nodeSelector).length ? { ...props.nodeSelector } : undefined,
    },
    topologySpreadConstraints: spread,
    spec: { priorityClassName: props.priorityClassName, schedulerName: props.schedulerName },
  };
}
