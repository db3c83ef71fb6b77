import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { checkArgs } from '../core/prop-check';
import { CNPG_RELEASES } from '../imports/cnpg-releases';

const OPERATOR_VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?$/;

/**
 * The cloudnative-pg Helm chart minor versions and the operator minor release each ships.
 *
 * The chart is versioned apart from the operator, one minor behind it with the patch aligned
 * (chart 0.26.1 ships operator 1.27.1, 0.27.0 ships 1.28.0): see the `appVersion` of
 * `charts/cloudnative-pg/Chart.yaml` in cloudnative-pg/charts (its RELEASE.md), and the version
 * table of the chart's mirror in pgEdge/pgedge-cnpg-dist `charts/cloudnative-pg/README.md`.
 */
const CHART_MINOR_TO_OPERATOR_MINOR: Record<number, number> = { 26: 27, 27: 28, 28: 29, 29: 30 };

const KNOWN = new Map<string, CnpgVersion>();

function parts(v: string): [number, number, number] {
  const [a, b, c] = v.split('.').map(Number);
  return [a, b, c];
}

/**
 * A CloudNativePG operator release that the manifests target, to the patch: 1.27.0 and 1.27.1
 * differ (1.27.1 accepts the pooler's `client_tls_sslmode`, backported from 1.28).
 *
 * The library knows the releases whose CRDs it vendors and whose operator code its tests run
 * (1.27.0 to 1.30.1, listed by `CnpgVersion.supported()`): every construct writes only what the
 * chosen release's CRDs and webhooks accept, and a feature the release lacks is an error at synth
 * time that names the first release that has it.
 *
 * Pick the release the platform runs: `CnpgVersion.V1_27_1`, `CnpgVersion.of('1.27.1')`, or
 * derive it from the Helm chart version (`CnpgVersion.fromHelmChart('0.26.1')`) or from the
 * platform's `cluster-settings` (`CNPG_OPERATOR_VERSION`, read by `ClusterSettings.operatorVersion`).
 * A patch the library does not know (e.g. 1.27.2) is treated as the newest known patch of its
 * minor release before it (1.27.1): patch releases add, they do not take away.
 */
export class CnpgVersion {
  /** CloudNativePG 1.27.0 (Helm chart 0.26.0). */
  public static readonly V1_27_0 = CnpgVersion.known('1.27.0');
  /** CloudNativePG 1.27.1 (Helm chart 0.26.1). */
  public static readonly V1_27_1 = CnpgVersion.known('1.27.1');
  /** CloudNativePG 1.28.0 (Helm chart 0.27.0). */
  public static readonly V1_28_0 = CnpgVersion.known('1.28.0');
  /** CloudNativePG 1.28.1 (Helm chart 0.27.1). */
  public static readonly V1_28_1 = CnpgVersion.known('1.28.1');
  /** CloudNativePG 1.28.2 (Helm chart 0.27.2). */
  public static readonly V1_28_2 = CnpgVersion.known('1.28.2');
  /** CloudNativePG 1.29.0 (Helm chart 0.28.0). */
  public static readonly V1_29_0 = CnpgVersion.known('1.29.0');
  /** CloudNativePG 1.29.1 (Helm chart 0.28.1). */
  public static readonly V1_29_1 = CnpgVersion.known('1.29.1');
  /** CloudNativePG 1.30.0 (Helm chart 0.29.0). */
  public static readonly V1_30_0 = CnpgVersion.known('1.30.0');
  /** CloudNativePG 1.30.1 (Helm chart 0.29.1). */
  public static readonly V1_30_1 = CnpgVersion.known('1.30.1');

  /**
   * Any CloudNativePG 1.27 release: the manifests contain only what its first release (1.27.0)
   * accepts. Prefer the exact release the platform runs (`V1_27_1`).
   */
  public static readonly V1_27 = CnpgVersion.V1_27_0;
  /** Any CloudNativePG 1.28 release (written for 1.28.0). Prefer the exact release. */
  public static readonly V1_28 = CnpgVersion.V1_28_0;
  /** Any CloudNativePG 1.29 release (written for 1.29.0). Prefer the exact release. */
  public static readonly V1_29 = CnpgVersion.V1_29_0;
  /** Any CloudNativePG 1.30 release (written for 1.30.0). Prefer the exact release. */
  public static readonly V1_30 = CnpgVersion.V1_30_0;

  /** The oldest supported release, 1.27.0. */
  public static readonly OLDEST_SUPPORTED = CnpgVersion.known(CNPG_RELEASES[0]);
  /** The newest supported release. */
  public static readonly LATEST_SUPPORTED = CnpgVersion.known(CNPG_RELEASES[CNPG_RELEASES.length - 1]);
  /**
   * The release the constructs target when none is given: the oldest supported one (1.27.0), so
   * that manifests synthesized without a version are valid on every supported operator. Features
   * of newer releases are opt-in by declaring the release the platform runs. The default changes
   * only in a major release of this library.
   */
  public static readonly DEFAULT = CnpgVersion.OLDEST_SUPPORTED;

  /** Every supported release, oldest first. */
  public static supported(): CnpgVersion[] {
    return CNPG_RELEASES.map((r) => CnpgVersion.known(r));
  }

  /**
   * A release from an operator version string: `1.27.1`, `v1.30.0`, or `1.27` (any 1.27 release:
   * written for its first, 1.27.0). A patch the library does not know is read as the newest known
   * patch of its minor release before it (`1.27.2` as 1.27.1; `version` keeps what was given).
   *
   * @param version the operator version (not the Helm chart version: see `fromHelmChart`)
   */
  public static of(version: string): CnpgVersion {
    checkArgs('CnpgVersion.of', [version]);
    const m = OPERATOR_VERSION.exec(version.trim());
    if (!m) {
      throw invalidInput('CnpgVersion.of', 'version', version, 'is not a CloudNativePG operator version',
        `write major.minor.patch, e.g. "1.27.1"; supported: ${CnpgVersion.range()}`);
    }
    const [major, minor] = [Number(m[1]), Number(m[2])];
    const sameMinor = CNPG_RELEASES.filter((r) => parts(r)[0] === major && parts(r)[1] === minor);
    if (!sameMinor.length) {
      const chartHint = m[1] === '0' ? ' (this looks like a Helm chart version: use CnpgVersion.fromHelmChart)' : '';
      throw invalidInput('CnpgVersion.of', 'version', version, `is not a supported CloudNativePG release${chartHint}`,
        `use one of ${CnpgVersion.range()}`);
    }
    if (m[3] === undefined) return CnpgVersion.known(sameMinor[0]);
    const patch = Number(m[3]);
    const exact = sameMinor.find((r) => parts(r)[2] === patch);
    if (exact) return CnpgVersion.known(exact);
    const before = sameMinor.filter((r) => parts(r)[2] < patch);
    if (!before.length) {
      throw invalidInput('CnpgVersion.of', 'version', version, `is not a release the library knows (1.${minor}: ${sameMinor.join(', ')})`,
        `use one of ${sameMinor.join(', ')}`);
    }
    return new CnpgVersion(`${major}.${minor}.${patch}`, before[before.length - 1]);
  }

  /**
   * The release a cloudnative-pg Helm chart version ships: chart 0.26.x is operator 1.27.x,
   * 0.27.x is 1.28.x, 0.28.x is 1.29.x, 0.29.x is 1.30.x (the chart is one minor behind the
   * operator, patch aligned: chart 0.26.1 ships operator 1.27.1).
   *
   * @param chartVersion the chart version, e.g. "0.26.1" (the platform's `CNPG_OPERATOR_VERSION`)
   */
  public static fromHelmChart(chartVersion: string): CnpgVersion {
    checkArgs('CnpgVersion.fromHelmChart', [chartVersion]);
    const v = String(chartVersion).trim();
    if (containsFluxVariable(v)) {
      throw invalidInput('CnpgVersion.fromHelmChart', 'chartVersion', chartVersion, 'is a Flux variable, but the operator release decides which fields the manifests may contain at synth time',
        'write the chart version itself (e.g. "0.26.1"), or give operatorVersion explicitly');
    }
    const m = OPERATOR_VERSION.exec(v);
    if (!m || m[3] === undefined) {
      throw invalidInput('CnpgVersion.fromHelmChart', 'chartVersion', chartVersion, 'is not a Helm chart version',
        'write the cloudnative-pg chart version, e.g. "0.26.1" (which ships operator 1.27.1)');
    }
    const operatorMinor = m[1] === '0' ? CHART_MINOR_TO_OPERATOR_MINOR[Number(m[2])] : undefined;
    if (operatorMinor === undefined) {
      const known = Object.keys(CHART_MINOR_TO_OPERATOR_MINOR).map((c) => `0.${c}.x`).join(', ');
      const operatorHint = m[1] === '1' ? ' (this looks like an operator version: use CnpgVersion.of)' : '';
      throw invalidInput('CnpgVersion.fromHelmChart', 'chartVersion', chartVersion,
        `is not a cloudnative-pg chart of a supported operator release${operatorHint}`,
        `use a chart of ${known} (operator ${CnpgVersion.range()}), or give operatorVersion explicitly`);
    }
    return CnpgVersion.of(`1.${operatorMinor}.${m[3]}`);
  }

  /** `1.27.0 to 1.30.1`. */
  private static range(): string {
    return `${CNPG_RELEASES[0]} to ${CNPG_RELEASES[CNPG_RELEASES.length - 1]}`;
  }

  /** One object per known release, so that the constants and `of()` give the same object. */
  private static known(release: string): CnpgVersion {
    let v = KNOWN.get(release);
    if (!v) {
      v = new CnpgVersion(release, release);
      KNOWN.set(release, v);
    }
    return v;
  }

  /** The major version (1). */
  public readonly major: number;
  /** The minor version (27 for 1.27.1). */
  public readonly minor: number;
  /** The patch version (1 for 1.27.1). */
  public readonly patch: number;
  /** `major.minor.patch` as given, e.g. `1.27.1`. */
  public readonly version: string;
  /**
   * The release whose CRDs and webhook rules the manifests are written for: `version` itself when
   * the library knows it, else the newest known patch of its minor release before it.
   */
  public readonly release: string;

  private constructor(version: string, release: string) {
    [this.major, this.minor, this.patch] = parts(version);
    this.version = version;
    this.release = release;
  }

  /** Whether this release is `other` or newer (compared by the release the manifests are written for). */
  public isAtLeast(other: CnpgVersion): boolean {
    checkArgs('CnpgVersion.isAtLeast', [other], this);
    const [a, b] = [parts(this.release), parts(other.release)];
    return a[0] - b[0] > 0 || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] >= b[2])));
  }

  /** `1.27.1`. */
  public toString(): string {
    return this.version;
  }
}
