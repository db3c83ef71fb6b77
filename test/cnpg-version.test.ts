/**
 * `CnpgVersion` called directly (nothing synthesized): the version grammar, patch resolution, the
 * Helm chart mapping and the comparison, each refusal asserted whole (where, field, value,
 * problem, fix).
 */
import { CnpgVersion } from '../src';

const RANGE = '1.27.0 to 1.30.1';
const HINT: Record<string, string> = { version: '', chartVersion: ' (the field is chart_version in Python, ChartVersion in Go)' };
const err = (fn: string, field: string, value: string, problem: string, fix: string) =>
  new Error(`CnpgVersion.${fn}: ${field} = ${value} ${problem}. Fix: ${fix}${HINT[field]}`);

describe('CnpgVersion.of', () => {
  test.each([
    ['1.27.0', '1.27.0', '1.27.0'],
    ['v1.28.2', '1.28.2', '1.28.2'],
    [' 1.29.1 ', '1.29.1', '1.29.1'],
    ['1.30', '1.30.0', '1.30.0'],
    ['v1.29', '1.29.0', '1.29.0'],
    ['1.27.1-rc1', '1.27.1', '1.27.1'],
    ['1.28.0-rc.1-x', '1.28.0', '1.28.0'],
  ])('%j is %s, written for %s', (given, version, release) => {
    const v = CnpgVersion.of(given);
    expect([v.version, v.release]).toEqual([version, release]);
    expect(v).toBe(CnpgVersion.of(release));
  });

  test('every supported release by its own version is its constant', () => {
    for (const v of CnpgVersion.supported()) expect(CnpgVersion.of(v.version)).toBe(v);
    expect(CnpgVersion.supported()).toEqual([
      CnpgVersion.V1_27_0, CnpgVersion.V1_27_1, CnpgVersion.V1_28_0, CnpgVersion.V1_28_1, CnpgVersion.V1_28_2,
      CnpgVersion.V1_29_0, CnpgVersion.V1_29_1, CnpgVersion.V1_30_0, CnpgVersion.V1_30_1,
    ]);
    expect([CnpgVersion.V1_29, CnpgVersion.V1_28, CnpgVersion.V1_27, CnpgVersion.V1_30].map(String)).toEqual(['1.29.0', '1.28.0', '1.27.0', '1.30.0']);
  });

  test('an unknown patch keeps its version (without "v" or a suffix), written for the newest known patch before it', () => {
    const v = CnpgVersion.of('v1.28.7-rc1');
    expect([v.version, v.release, v.major, v.minor, v.patch, v.toString()]).toEqual(['1.28.7', '1.28.2', 1, 28, 7, '1.28.7']);
    expect(v).not.toBe(CnpgVersion.of('1.28.7'));
    expect(CnpgVersion.of('1.27.9').release).toBe('1.27.1');
    expect(CnpgVersion.of('1.30.2').release).toBe('1.30.1');
    expect(CnpgVersion.of('1.29.10').release).toBe('1.29.1');
  });

  test.each(['latest', '', '1', '1.27.1.1', 'x1.27.1', '1.27.1 x', '1.27.1-', '1.27.1-r c', 'v 1.27.1', 'V1.27.1', '1.27.x', '1..27'])('%j is no operator version', (given) => {
    expect(() => CnpgVersion.of(given)).toThrow(err('of', 'version', JSON.stringify(given), 'is not a CloudNativePG operator version',
      `write major.minor.patch, e.g. "1.27.1"; supported: ${RANGE}`));
  });

  test.each([
    ['1.26', ''], ['1.31.0', ''], ['2.27.1', ''], ['10.27.1', ''], ['1.127.1', ''], ['v1.26.9', ''], ['0.27.0', ' (this looks like a Helm chart version: use CnpgVersion.fromHelmChart)'],
    ['0.26', ' (this looks like a Helm chart version: use CnpgVersion.fromHelmChart)'],
  ])('%j is no supported release', (given, hint) => {
    expect(() => CnpgVersion.of(given)).toThrow(err('of', 'version', JSON.stringify(given), `is not a supported CloudNativePG release${hint}`, `use one of ${RANGE}`));
  });

  test('a patch older than every known patch of its minor is refused, not read as a newer one (a release list without x.y.0)', () => {
    jest.isolateModules(() => {
      jest.doMock('../src/imports/cnpg-releases', () => ({ CNPG_RELEASES: ['1.27.2', '1.27.4', '1.28.0'] }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { CnpgVersion: V } = require('../src/versions/cnpg-version') as { CnpgVersion: typeof CnpgVersion };
      expect(() => V.of('1.27.1')).toThrow(err('of', 'version', '"1.27.1"', 'is not a release the library knows (1.27: 1.27.2, 1.27.4)', 'use one of 1.27.2, 1.27.4'));
      expect(() => V.of('v1.27.0')).toThrow(err('of', 'version', '"v1.27.0"', 'is not a release the library knows (1.27: 1.27.2, 1.27.4)', 'use one of 1.27.2, 1.27.4'));
      expect(V.of('1.27.3').release).toBe('1.27.2');
      expect(V.of('1.27.5').release).toBe('1.27.4');
      expect(V.of('1.27').release).toBe('1.27.2');
      expect(V.supported().map(String)).toEqual(['1.27.2', '1.27.4', '1.28.0']);
    });
    jest.dontMock('../src/imports/cnpg-releases');
  });

  test('a value that is not a string is refused by the argument check', () => {
    expect(() => CnpgVersion.of(42 as any)).toThrow(/^CnpgVersion\.of: version = 42 is a number, where a string goes\./);
    expect(() => CnpgVersion.of(undefined as any)).toThrow(/^CnpgVersion\.of: version = \(unset\) is required/);
  });
});

describe('CnpgVersion.fromHelmChart', () => {
  test.each([
    ['0.26.0', CnpgVersion.V1_27_0], ['0.26.1', CnpgVersion.V1_27_1], ['0.27.0', CnpgVersion.V1_28_0], ['0.27.2', CnpgVersion.V1_28_2],
    ['0.28.0', CnpgVersion.V1_29_0], ['0.28.1', CnpgVersion.V1_29_1], ['0.29.0', CnpgVersion.V1_30_0], ['0.29.1', CnpgVersion.V1_30_1],
    [' 0.26.1 ', CnpgVersion.V1_27_1], ['v0.27.1', CnpgVersion.V1_28_1], ['0.26.1-rc1', CnpgVersion.V1_27_1],
  ])('chart %j ships %s', (chart, version) => {
    expect(CnpgVersion.fromHelmChart(chart)).toBe(version);
  });

  test('a later chart patch is the same operator patch, written for the newest known', () => {
    const v = CnpgVersion.fromHelmChart('0.27.5');
    expect([v.version, v.release]).toEqual(['1.28.5', '1.28.2']);
  });

  test.each(['0.26', '0', 'chart', '', '0.26.1.0', 'x0.26.1'])('%j is no chart version', (chart) => {
    expect(() => CnpgVersion.fromHelmChart(chart)).toThrow(err('fromHelmChart', 'chartVersion', JSON.stringify(chart), 'is not a Helm chart version',
      'write the cloudnative-pg chart version, e.g. "0.26.1" (which ships operator 1.27.1)'));
  });

  test.each([
    ['0.25.0', ''], ['0.30.0', ''], ['2.26.1', ''], ['1.27.1', ' (this looks like an operator version: use CnpgVersion.of)'], ['1.26.0', ' (this looks like an operator version: use CnpgVersion.of)'],
  ])('%j is no chart of a supported release', (chart, hint) => {
    expect(() => CnpgVersion.fromHelmChart(chart)).toThrow(err('fromHelmChart', 'chartVersion', JSON.stringify(chart),
      `is not a cloudnative-pg chart of a supported operator release${hint}`,
      `use a chart of 0.26.x, 0.27.x, 0.28.x, 0.29.x (operator ${RANGE}), or give operatorVersion explicitly`));
  });

  test.each(['${CNPG_OPERATOR_VERSION}', ' ${CNPG_CHART} '])('a Flux variable (%j) is refused: the release decides at synth', (chart) => {
    expect(() => CnpgVersion.fromHelmChart(chart)).toThrow(err('fromHelmChart', 'chartVersion', JSON.stringify(chart),
      'is a Flux variable, but the operator release decides which fields the manifests may contain at synth time',
      'write the chart version itself (e.g. "0.26.1"), or give operatorVersion explicitly'));
  });

  test('a value that is not a string is refused by the argument check', () => {
    expect(() => CnpgVersion.fromHelmChart(26 as any)).toThrow(/^CnpgVersion\.fromHelmChart: chartVersion = 26 is a number, where a string goes\./);
  });
});

describe('CnpgVersion.isAtLeast', () => {
  const all = CnpgVersion.supported();

  test('every pair of releases, in the order of supported()', () => {
    for (const [i, a] of all.entries()) {
      for (const [j, b] of all.entries()) expect([a.version, b.version, a.isAtLeast(b)]).toEqual([a.version, b.version, i >= j]);
    }
  });

  test('an unknown patch compares as the release it is written for', () => {
    const v = CnpgVersion.of('1.28.9');
    expect(v.isAtLeast(CnpgVersion.V1_28_2)).toBe(true);
    expect(CnpgVersion.V1_28_2.isAtLeast(v)).toBe(true);
    expect(v.isAtLeast(CnpgVersion.V1_29_0)).toBe(false);
    expect(CnpgVersion.V1_28_1.isAtLeast(v)).toBe(false);
  });

  test('the other release is required', () => {
    expect(() => CnpgVersion.V1_27_0.isAtLeast(undefined as any)).toThrow(/^CnpgVersion\.isAtLeast: other = \(unset\) is required/);
  });
});
