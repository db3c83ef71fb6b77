import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';

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

/**
 * A CloudNativePG operator release (major.minor) that the manifests target.
 *
 * The library supports CloudNativePG 1.27 to 1.30. Every construct writes only the fields that
 * the chosen release's CRDs have, and a feature the release lacks is an error at synth time that
 * names the release that brought it.
 *
 * Pick the release the platform runs: `CnpgVersion.V1_27`, or derive it from the Helm chart
 * version (`CnpgVersion.fromHelmChart('0.26.1')`) or from the platform's `cluster-settings`
 * (`CNPG_OPERATOR_VERSION`, read by `ClusterSettings.operatorVersion`).
 */
export class CnpgVersion {
  /** CloudNativePG 1.27 (Helm chart 0.26.x): the oldest supported release. */
  public static readonly V1_27 = new CnpgVersion(1, 27);
  /** CloudNativePG 1.28 (Helm chart 0.27.x). */
  public static readonly V1_28 = new CnpgVersion(1, 28);
  /** CloudNativePG 1.29 (Helm chart 0.28.x). */
  public static readonly V1_29 = new CnpgVersion(1, 29);
  /** CloudNativePG 1.30 (Helm chart 0.29.x): the newest supported release. */
  public static readonly V1_30 = new CnpgVersion(1, 30);

  /** The oldest supported release, 1.27. */
  public static readonly OLDEST_SUPPORTED = CnpgVersion.V1_27;
  /** The newest supported release, 1.30. */
  public static readonly LATEST_SUPPORTED = CnpgVersion.V1_30;
  /**
   * The release the constructs target when none is given: the oldest supported one (1.27), so that
   * manifests synthesized without a version are valid on every supported operator. Features of
   * newer releases are opt-in by declaring the release the platform runs. The default changes only
   * in a major release of this library.
   */
  public static readonly DEFAULT = CnpgVersion.OLDEST_SUPPORTED;

  /** Every supported release, oldest first. */
  public static supported(): CnpgVersion[] {
    return [CnpgVersion.V1_27, CnpgVersion.V1_28, CnpgVersion.V1_29, CnpgVersion.V1_30];
  }

  /**
   * A supported release from an operator version string: `1.27`, `1.27.1` or `v1.30.0` (the patch
   * is ignored: the CRDs of one minor release do not differ in the fields this library writes).
   *
   * @param version the operator version (not the Helm chart version: see `fromHelmChart`)
   */
  public static of(version: string): CnpgVersion {
    const m = OPERATOR_VERSION.exec(String(version).trim());
    if (!m) {
      throw invalidInput('CnpgVersion.of', 'version', version, 'is not a CloudNativePG operator version',
        `write major.minor[.patch], e.g. "1.27.1"; supported: ${CnpgVersion.range()}`);
    }
    const found = CnpgVersion.supported().find((v) => v.major === Number(m[1]) && v.minor === Number(m[2]));
    if (!found) {
      const chartHint = m[1] === '0' ? ' (this looks like a Helm chart version: use CnpgVersion.fromHelmChart)' : '';
      throw invalidInput('CnpgVersion.of', 'version', version, `is not a supported CloudNativePG release${chartHint}`,
        `use one of ${CnpgVersion.range()}`);
    }
    return found;
  }

  /**
   * The release a cloudnative-pg Helm chart version ships: chart 0.26.x is operator 1.27.x,
   * 0.27.x is 1.28.x, 0.28.x is 1.29.x, 0.29.x is 1.30.x (the chart is one minor behind the
   * operator, patch aligned: chart 0.26.1 ships operator 1.27.1).
   *
   * @param chartVersion the chart version, e.g. "0.26.1" (the platform's `CNPG_OPERATOR_VERSION`)
   */
  public static fromHelmChart(chartVersion: string): CnpgVersion {
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
    return CnpgVersion.of(`1.${operatorMinor}`);
  }

  /** `1.27 to 1.30`. */
  private static range(): string {
    const all = CnpgVersion.supported();
    return `${all[0].version} to ${all[all.length - 1].version}`;
  }

  /** The major version (1). */
  public readonly major: number;
  /** The minor version (27 for 1.27). */
  public readonly minor: number;
  /** `major.minor`, e.g. `1.27`. */
  public readonly version: string;

  private constructor(major: number, minor: number) {
    this.major = major;
    this.minor = minor;
    this.version = `${major}.${minor}`;
  }

  /** Whether this release is `other` or newer. */
  public isAtLeast(other: CnpgVersion): boolean {
    return this.major > other.major || (this.major === other.major && this.minor >= other.minor);
  }

  /** `1.27`. */
  public toString(): string {
    return this.version;
  }
}
