import { IConstruct } from 'constructs';
import { invalidInput } from './errors';
import { containsFluxVariable } from './flux';
import { checkArgs } from '../core/prop-check';

// Kubernetes' quantity grammar (k8s.io/apimachinery/pkg/api/resource): a signed decimal number
// followed by a binary-SI suffix, a decimal-SI suffix, or a decimal exponent.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const MULTIPLIERS: Record<string, number> = {
  '': 1,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/**
 * A Kubernetes resource quantity such as a volume size (`80Gi`).
 *
 * Build one from a number of binary units (`Quantity.gibibytes(80)`) or parse the Kubernetes
 * notation (`Quantity.of('80Gi')`). A string holding a Flux post-build variable
 * (`Quantity.of('${CNPG_DATA_SIZE}')`) is passed through verbatim: Flux resolves it at apply time.
 * The notation is checked by the construct that uses the quantity, so the error names it.
 */
export class Quantity {
  /**
   * A quantity in Kubernetes notation, e.g. `80Gi`, `512Mi`, `1.5T`, or a Flux `${VAR}`.
   */
  public static of(value: string): Quantity {
    checkArgs('Quantity.of', [value]);
    return new Quantity(String(value));
  }

  /** `n` mebibytes (`<n>Mi`). */
  /**
   * CPU in thousandths of a core: `Quantity.millicores(500)` is `500m`, half a core.
   *
   * @param amount whole millicores
   */
  public static millicores(amount: number): Quantity {
    checkArgs('Quantity.millicores', [amount]);
    return new Quantity(`${amount}m`);
  }

  /**
   * CPU in cores: `Quantity.cores(2)` is `2`.
   *
   * @param amount cores (a fraction is written as it is, e.g. 1.5)
   */
  public static cores(amount: number): Quantity {
    checkArgs('Quantity.cores', [amount]);
    return new Quantity(`${amount}`);
  }

  public static mebibytes(amount: number): Quantity {
    checkArgs('Quantity.mebibytes', [amount]);
    return new Quantity(`${amount}Mi`);
  }

  /** `n` gibibytes (`<n>Gi`). */
  public static gibibytes(amount: number): Quantity {
    checkArgs('Quantity.gibibytes', [amount]);
    return new Quantity(`${amount}Gi`);
  }

  /** `n` tebibytes (`<n>Ti`). */
  public static tebibytes(amount: number): Quantity {
    checkArgs('Quantity.tebibytes', [amount]);
    return new Quantity(`${amount}Ti`);
  }

  /** The quantity in Kubernetes notation, as it is written into manifests. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }

  /** True when the value holds a Flux variable and is only known at apply time. */
  public get isUnresolved(): boolean {
    return containsFluxVariable(this.value);
  }

  /**
   * The quantity as a plain number (bytes for sizes), or undefined when it is unresolved or
   * not valid Kubernetes notation.
   */
  public toNumber(): number | undefined {
    const m = QUANTITY.exec(this.value);
    if (!m) return undefined;
    const suffix = m[2] ?? '';
    // An exponent has digits: `E` alone is exa (10^18) and `Ei` exbi (2^60).
    if (/^[eE][+-]?\d/.test(suffix)) return Number(m[1]) * 10 ** Number(suffix.slice(1));
    return Number(m[1]) * MULTIPLIERS[suffix];
  }

  /** The Kubernetes notation. */
  public toString(): string {
    return this.value;
  }

  /**
   * Checks the notation and that the quantity is positive.
   * @internal
   */
  public _validate(scope: IConstruct, field: string, minimumBytes?: number): void {
    if (this.isUnresolved) return;
    const n = this.toNumber();
    if (n === undefined) {
      throw invalidInput(scope, field, this.value, 'is not a Kubernetes quantity',
        'write a number with an optional unit suffix, such as "80Gi", "512Mi" or "1Ti", or use Quantity.gibibytes(80)');
    }
    if (!(n > 0)) {
      throw invalidInput(scope, field, this.value, 'must be greater than zero', 'give a positive size such as Quantity.gibibytes(10)');
    }
    // A size far below anything that can hold what it sizes is almost always a missing unit
    // (`100` is 100 bytes in Kubernetes, not 100 Gi).
    if (minimumBytes !== undefined && n < minimumBytes) {
      const bare = /^\d+(\.\d+)?$/.test(this.value);
      throw invalidInput(scope, field, this.value, `is ${n} bytes, below the smallest plausible size for this (${formatBytes(minimumBytes)})${bare ? ': a number without a unit is bytes' : ''}`,
        bare ? `add the unit, e.g. Quantity.of("${this.value}Gi") or Quantity.of("${this.value}Mi")` : `give at least ${formatBytes(minimumBytes)}, e.g. Quantity.gibibytes(10)`);
    }
  }
}

/** The smallest plausible sizes (bytes) of what a Quantity sizes, for `_validate`. @internal */
export const PLAUSIBLE_BYTES = {
  /** A PostgreSQL data volume: initdb alone writes about 40 MB. */
  dataVolume: 64 * 2 ** 20,
  /** A WAL volume: one WAL segment is 16 MiB and PostgreSQL keeps several. */
  walVolume: 64 * 2 ** 20,
  /** Memory of a container. */
  memory: 2 ** 20,
  /** Ephemeral storage / a memory-backed volume. */
  scratch: 2 ** 20,
};

function formatBytes(n: number): string {
  return n % 2 ** 30 === 0 ? `${n / 2 ** 30}Gi` : n % 2 ** 20 === 0 ? `${n / 2 ** 20}Mi` : `${n}`;
}
