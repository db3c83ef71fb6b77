import { IConstruct } from 'constructs';
import { invalidInput } from './errors';
import { PLAUSIBLE_BYTES, Quantity } from './quantity';

/**
 * What a container requests (for scheduling) and may use at most (its limits): CPU, memory and
 * ephemeral storage, as Kubernetes quantities, e.g.
 * `{ cpuRequest: Quantity.millicores(500), memoryRequest: Quantity.gibibytes(1), memoryLimit: Quantity.gibibytes(2) }`.
 *
 * Leave the CPU limit unset for database and proxy containers: a CPU limit throttles them into
 * latency spikes, while the request already reserves their share.
 */
export interface ComputeResources {
  /**
   * CPU reserved for the container, e.g. `Quantity.millicores(500)` or `Quantity.of('2')`.
   *
   * @default - see the prop that takes these resources
   */
  readonly cpuRequest?: Quantity;
  /**
   * The most CPU the container may use.
   *
   * @default - no limit
   */
  readonly cpuLimit?: Quantity;
  /**
   * Memory reserved for the container, e.g. `Quantity.gibibytes(4)`.
   *
   * @default - see the prop that takes these resources
   */
  readonly memoryRequest?: Quantity;
  /**
   * The most memory the container may use (above it, the kernel kills it).
   *
   * @default - see the prop that takes these resources
   */
  readonly memoryLimit?: Quantity;
  /**
   * Ephemeral storage reserved for the container.
   *
   * @default - none
   */
  readonly ephemeralStorageRequest?: Quantity;
  /**
   * The most ephemeral storage the container may use.
   *
   * @default - no limit
   */
  readonly ephemeralStorageLimit?: Quantity;
}

/** Kubernetes `requests`/`limits` maps. @internal */
export interface RenderedResources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

const FIELDS: ReadonlyArray<readonly [keyof ComputeResources, 'requests' | 'limits', string]> = [
  ['cpuRequest', 'requests', 'cpu'],
  ['cpuLimit', 'limits', 'cpu'],
  ['memoryRequest', 'requests', 'memory'],
  ['memoryLimit', 'limits', 'memory'],
  ['ephemeralStorageRequest', 'requests', 'ephemeral-storage'],
  ['ephemeralStorageLimit', 'limits', 'ephemeral-storage'],
];

/**
 * Validates and renders resources: each value a Kubernetes quantity, and no request above its
 * limit (the API server refuses the pod template otherwise).
 *
 * @param field the prop's name, for errors (e.g. `resources`)
 * @internal
 */
export function renderComputeResources(scope: IConstruct, field: string, r: ComputeResources): RenderedResources {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) {
    throw invalidInput(scope, field, r, 'is not a set of resources',
      'give e.g. { cpuRequest: Quantity.millicores(500), memoryRequest: Quantity.gibibytes(1), memoryLimit: Quantity.gibibytes(2) }');
  }
  const out: RenderedResources = {};
  for (const [prop, kind, key] of FIELDS) {
    const q = r[prop];
    if (q === undefined) continue;
    if (!(q instanceof Quantity)) {
      throw invalidInput(scope, `${field}.${prop}`, q, 'is not a Quantity',
        key === 'cpu' ? 'write e.g. Quantity.millicores(500) or Quantity.of("500m")' : 'write e.g. Quantity.gibibytes(1) or Quantity.of("512Mi")');
    }
    q._validate(scope, `${field}.${prop}`, key === 'memory' ? PLAUSIBLE_BYTES.memory : key === 'ephemeral-storage' ? PLAUSIBLE_BYTES.scratch : undefined);
    (out[kind] ??= {})[key] = q.value;
  }
  for (const [request, limit] of [['cpuRequest', 'cpuLimit'], ['memoryRequest', 'memoryLimit'], ['ephemeralStorageRequest', 'ephemeralStorageLimit']] as const) {
    const rq = r[request]?.toNumber();
    const lq = r[limit]?.toNumber();
    if (rq !== undefined && lq !== undefined && rq > lq) {
      throw invalidInput(scope, `${field}.${request}`, r[request]!.value, `is above ${limit} (${r[limit]!.value}), which Kubernetes refuses`,
        `lower ${request} to at most ${r[limit]!.value}, or raise ${limit}`);
    }
  }
  return out;
}
