/** How strictly pods of one set are kept on different nodes. */
export enum PodAntiAffinity {
  /**
   * Never two pods on one node (`requiredDuringSchedulingIgnoredDuringExecution`): a node failure
   * takes at most one pod, but pods stay Pending when there are fewer nodes than pods.
   */
  REQUIRED = 'required',
  /**
   * Spread over nodes when possible (`preferredDuringSchedulingIgnoredDuringExecution`), but
   * co-locate rather than stay Pending.
   */
  PREFERRED = 'preferred',
}

/** Whether pods are spread across availability zones (`topology.kubernetes.io/zone`). */
export enum ZoneSpread {
  /** No zone spread constraint. */
  NONE = 'none',
  /** Spread evenly when possible (`whenUnsatisfiable: ScheduleAnyway`). */
  PREFERRED = 'ScheduleAnyway',
  /** Never more than one pod of difference between zones (`whenUnsatisfiable: DoNotSchedule`). */
  REQUIRED = 'DoNotSchedule',
}

/** The well-known node label of availability zones. @internal */
export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';
/** The well-known node label of host names. @internal */
export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';
