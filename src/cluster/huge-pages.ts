import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import { Quantity } from '../common/quantity';

/**
 * Huge pages of each instance (`resources.requests`/`limits` `hugepages-2Mi`, `hugepages-1Gi`:
 * Kubernetes requires requests equal to limits, and the library writes both). The nodes must have
 * them pre-allocated. PostgreSQL puts `shared_buffers` in huge pages when they hold it: set
 * `parameters.hugePages` to `on` so that it fails to start rather than silently falling back
 * (`try`, PostgreSQL's default) when they do not.
 */
export interface HugePages {
  /**
   * 2 MiB pages, e.g. `Quantity.gibibytes(2)` (1024 pages).
   *
   * @default - none
   */
  readonly size2Mi?: Quantity;
  /**
   * 1 GiB pages, e.g. `Quantity.gibibytes(4)`.
   *
   * @default - none
   */
  readonly size1Gi?: Quantity;
}

/**
 * The `hugepages-*` resources, validated: positive, whole pages.
 * @internal
 */
export function renderHugePages(scope: IConstruct, hugePages: HugePages | undefined): { [resource: string]: string } {
  const out: { [resource: string]: string } = {};
  for (const [prop, resource, page] of [['size2Mi', 'hugepages-2Mi', 2 ** 21], ['size1Gi', 'hugepages-1Gi', 2 ** 30]] as const) {
    const q = hugePages?.[prop];
    if (q === undefined) continue;
    if (!(q instanceof Quantity)) {
      throw invalidInput(scope, `hugePages.${prop}`, q, 'is not a Quantity', 'use e.g. Quantity.gibibytes(2)');
    }
    q._validate(scope, `hugePages.${prop}`);
    const bytes = q.toNumber();
    if (bytes !== undefined && bytes % page !== 0) {
      throw invalidInput(scope, `hugePages.${prop}`, q.value, `is not a whole number of ${resource.slice(10)} pages`, `give a multiple of ${resource.slice(10)}`);
    }
    out[resource] = q.value;
  }
  return out;
}
