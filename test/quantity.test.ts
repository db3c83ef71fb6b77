/**
 * src/common/quantity.ts and src/common/resources.ts called directly (nothing synthesized): the
 * Kubernetes quantity grammar of k8s.io/apimachinery/pkg/api/resource (`quantity.go`: a signed
 * decimal number, then a binary-SI suffix Ki..Ei, a decimal-SI suffix m, k, M..E, or an exponent
 * e/E with an optional sign), the checks of `_validate` and of `renderComputeResources`, each
 * refusal with its whole message.
 */
import { Construct } from 'constructs';
import { Quantity } from '../src';
import { chart } from './util/synth';
import { PLAUSIBLE_BYTES } from '../src/common/quantity';
import { renderComputeResources } from '../src/common/resources';

const scope = (): Construct => new Construct(chart(), 'box');
const validate = (q: Quantity, minimum?: number) => () => q._validate(scope(), 'size', minimum);
const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('Quantity', () => {
  test('the factories write Kubernetes notation', () => {
    expect(Quantity.of('80Gi').value).toBe('80Gi');
    expect(Quantity.millicores(500).value).toBe('500m');
    expect(Quantity.cores(2).value).toBe('2');
    expect(Quantity.cores(1.5).value).toBe('1.5');
    expect(Quantity.mebibytes(512).value).toBe('512Mi');
    expect(Quantity.gibibytes(80).value).toBe('80Gi');
    expect(Quantity.tebibytes(1).value).toBe('1Ti');
    expect(Quantity.gibibytes(80).toString()).toBe('80Gi');
    expect(`${Quantity.of('1.5T')}`).toBe('1.5T');
  });

  test.each([
    ['Quantity.of', () => Quantity.of(80 as any), 'Quantity.of: value = 80 is a number, where a string goes. Fix: write the value as a string, in quotes'],
    ['Quantity.millicores', () => Quantity.millicores('500' as any), 'Quantity.millicores: amount = "500" is a string, where a number goes. Fix: write the number without quotes'],
    ['Quantity.cores', () => Quantity.cores('2' as any), 'Quantity.cores: amount = "2" is a string, where a number goes. Fix: write the number without quotes'],
    ['Quantity.mebibytes', () => Quantity.mebibytes('512' as any), 'Quantity.mebibytes: amount = "512" is a string, where a number goes. Fix: write the number without quotes'],
    ['Quantity.gibibytes', () => Quantity.gibibytes('80' as any), 'Quantity.gibibytes: amount = "80" is a string, where a number goes. Fix: write the number without quotes'],
    ['Quantity.tebibytes', () => Quantity.tebibytes('1' as any), 'Quantity.tebibytes: amount = "1" is a string, where a number goes. Fix: write the number without quotes'],
  ])('%s checks its argument', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  test('a Flux variable is unresolved: no number, and not checked', () => {
    for (const v of ['${CNPG_DATA_SIZE}', '${SIZE:=10Gi}', '1${X}']) {
      const q = Quantity.of(v);
      expect(q.isUnresolved).toBe(true);
      expect(q.toNumber()).toBeUndefined();
      expect(validate(q, GiB)).not.toThrow();
    }
    expect(Quantity.of('80Gi').isUnresolved).toBe(false);
    expect(Quantity.of('$X').isUnresolved).toBe(false);
  });

  test.each([
    // Every suffix of the grammar.
    ['7', 7], ['7m', 7e-3], ['7k', 7e3], ['7M', 7e6], ['7G', 7e9], ['7T', 7e12], ['7P', 7e15], ['7E', 7e18],
    ['7Ki', 7 * 2 ** 10], ['7Mi', 7 * 2 ** 20], ['7Gi', 7 * 2 ** 30], ['7Ti', 7 * 2 ** 40], ['7Pi', 7 * 2 ** 50], ['7Ei', 7 * 2 ** 60],
    // Exponents: e or E, with or without a sign, of several digits.
    ['5e3', 5e3], ['5E3', 5e3], ['5e+3', 5e3], ['5e-3', 5e-3], ['5e12', 5e12], ['12E-2', 0.12],
    // The number: several digits, a sign, a fraction with or without digits on either side.
    ['123', 123], ['+12', 12], ['-12', -12], ['1.25', 1.25], ['12.', 12], ['.25', 0.25], ['-.5Gi', -0.5 * 2 ** 30], ['1.5T', 1.5e12],
    ['0', 0], ['10.75Mi', 10.75 * 2 ** 20],
  ])('%s is %d', (text, n) => {
    const actual = Quantity.of(text).toNumber()!;
    expect(Math.abs(actual - n)).toBeLessThanOrEqual(Math.abs(n) * 1e-12);
  });

  test.each([
    '', ' 1Gi', '1Gi ', '1 Gi', 'Gi', 'x1', '1Gix', '1Gb', '1gi', '1KiB', '1.2.3', '.', '+', '1e', '1e+', 'e3', '1e3Gi', '1Gie3',
    '++1', '1,5', '1_000', '1K', '1mi', '\n1', '1\n',
  ])('"%s" is not a quantity', (text) => {
    expect(Quantity.of(text).toNumber()).toBeUndefined();
  });

  test('a value that is not a quantity is refused with the fix', () => {
    expect(validate(Quantity.of('10 GB'))).toThrow(new Error('Construct at \'test/box\': size = "10 GB" is not a Kubernetes quantity. '
      + 'Fix: write a number with an optional unit suffix, such as "80Gi", "512Mi" or "1Ti", or use Quantity.gibibytes(80)'));
  });

  test.each(['0', '0Gi', '-1Gi', '-.5', '0e999'])('%s is refused: not greater than zero', (text) => {
    expect(validate(Quantity.of(text))).toThrow(new Error(`Construct at 'test/box': size = "${text}" must be greater than zero. `
      + 'Fix: give a positive size such as Quantity.gibibytes(10)'));
  });

  test('exa and exbi are sizes, not exponents: 1E and 1Ei pass a minimum of 1Gi', () => {
    expect(validate(Quantity.of('1E'), GiB)).not.toThrow();
    expect(validate(Quantity.of('1Ei'), GiB)).not.toThrow();
    expect(validate(Quantity.of('1e0'), GiB)).toThrow('size = "1e0" is 1 bytes, below the smallest plausible size for this (1Gi). Fix: give at least 1Gi');
  });

  test('the smallest quantities accepted without a minimum', () => {
    expect(validate(Quantity.of('1m'))).not.toThrow();
    expect(validate(Quantity.of('1e-3'))).not.toThrow();
  });

  test('a minimum: exactly at it accepted, one byte below refused (the minimum in Gi, Mi or bytes)', () => {
    expect(validate(Quantity.of('1Gi'), GiB)).not.toThrow();
    expect(validate(Quantity.of('1073741823'), GiB)).toThrow(new Error('Construct at \'test/box\': size = "1073741823" is 1073741823 bytes, '
      + 'below the smallest plausible size for this (1Gi): a number without a unit is bytes. '
      + 'Fix: add the unit, e.g. Quantity.of("1073741823Gi") or Quantity.of("1073741823Mi")'));
    expect(validate(Quantity.of('64Mi'), 64 * MiB)).not.toThrow();
    expect(validate(Quantity.of('65535Ki'), 64 * MiB)).toThrow(new Error('Construct at \'test/box\': size = "65535Ki" is 67107840 bytes, '
      + 'below the smallest plausible size for this (64Mi). Fix: give at least 64Mi, e.g. Quantity.gibibytes(10)'));
    expect(validate(Quantity.of('3Gi'), 3 * GiB)).not.toThrow();
    expect(validate(Quantity.of('2Gi'), 3 * GiB)).toThrow('below the smallest plausible size for this (3Gi). Fix: give at least 3Gi, e.g. Quantity.gibibytes(10)');
    expect(validate(Quantity.of('1500'), 1500)).not.toThrow();
    expect(validate(Quantity.of('1.499k'), 1500)).toThrow(new Error('Construct at \'test/box\': size = "1.499k" is 1499 bytes, '
      + 'below the smallest plausible size for this (1500). Fix: give at least 1500, e.g. Quantity.gibibytes(10)'));
  });

  test('a bare number with a fraction is bytes too; one with an exponent or a sign is not called bare', () => {
    expect(validate(Quantity.of('10.5'), MiB)).toThrow(new Error('Construct at \'test/box\': size = "10.5" is 10.5 bytes, '
      + 'below the smallest plausible size for this (1Mi): a number without a unit is bytes. '
      + 'Fix: add the unit, e.g. Quantity.of("10.5Gi") or Quantity.of("10.5Mi")'));
    expect(validate(Quantity.of('10.25'), MiB)).toThrow('size = "10.25" is 10.25 bytes, below the smallest plausible size for this (1Mi): '
      + 'a number without a unit is bytes. Fix: add the unit, e.g. Quantity.of("10.25Gi") or Quantity.of("10.25Mi")');
    expect(validate(Quantity.of('1e3'), MiB)).toThrow(new Error('Construct at \'test/box\': size = "1e3" is 1000 bytes, '
      + 'below the smallest plausible size for this (1Mi). Fix: give at least 1Mi, e.g. Quantity.gibibytes(10)'));
    expect(validate(Quantity.of('+100'), MiB)).toThrow('size = "+100" is 100 bytes, below the smallest plausible size for this (1Mi). Fix: give at least 1Mi');
    expect(validate(Quantity.of('100.'), MiB)).toThrow('size = "100." is 100 bytes, below the smallest plausible size for this (1Mi). Fix: give at least 1Mi');
  });

  test('the plausible sizes: 64Mi for data and WAL volumes, 1Mi for memory and scratch space', () => {
    expect(PLAUSIBLE_BYTES).toStrictEqual({ dataVolume: 64 * MiB, walVolume: 64 * MiB, memory: MiB, scratch: MiB });
  });
});

describe('renderComputeResources', () => {
  const render = (r: unknown) => renderComputeResources(scope(), 'resources', r as any);
  const RESOURCES_FIX = 'give e.g. { cpuRequest: Quantity.millicores(500), memoryRequest: Quantity.gibibytes(1), memoryLimit: Quantity.gibibytes(2) }';

  test('nothing given renders nothing', () => {
    expect(render({})).toStrictEqual({});
  });

  test.each([
    ['cpuRequest', Quantity.millicores(250), { requests: { cpu: '250m' } }],
    ['cpuLimit', Quantity.cores(2), { limits: { cpu: '2' } }],
    ['memoryRequest', Quantity.mebibytes(256), { requests: { memory: '256Mi' } }],
    ['memoryLimit', Quantity.gibibytes(2), { limits: { memory: '2Gi' } }],
    ['ephemeralStorageRequest', Quantity.mebibytes(64), { requests: { 'ephemeral-storage': '64Mi' } }],
    ['ephemeralStorageLimit', Quantity.gibibytes(1), { limits: { 'ephemeral-storage': '1Gi' } }],
  ])('%s alone', (prop, q, expected) => {
    expect(render({ [prop]: q })).toStrictEqual(expected);
  });

  test('all six, requests and limits in one map each; equal request and limit accepted', () => {
    expect(render({
      cpuRequest: Quantity.of('1'),
      cpuLimit: Quantity.millicores(1000),
      memoryRequest: Quantity.gibibytes(1),
      memoryLimit: Quantity.of('1024Mi'),
      ephemeralStorageRequest: Quantity.of('1G'),
      ephemeralStorageLimit: Quantity.of('1000M'),
    })).toStrictEqual({
      requests: { 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '1G' },
      limits: { 'cpu': '1000m', 'memory': '1024Mi', 'ephemeral-storage': '1000M' },
    });
  });

  test.each([null, 'big', 5, [Quantity.gibibytes(1)], undefined])('%p is not a set of resources', (r) => {
    const shown = r === undefined ? '(unset)' : JSON.stringify(r);
    expect(() => render(r)).toThrow(new Error(`Construct at 'test/box': resources = ${shown} is not a set of resources. Fix: ${RESOURCES_FIX}`));
  });

  test.each([
    ['cpuRequest', 'cpu_request', 'CpuRequest', 'write e.g. Quantity.millicores(500) or Quantity.of("500m")'],
    ['cpuLimit', 'cpu_limit', 'CpuLimit', 'write e.g. Quantity.millicores(500) or Quantity.of("500m")'],
    ['memoryRequest', 'memory_request', 'MemoryRequest', 'write e.g. Quantity.gibibytes(1) or Quantity.of("512Mi")'],
    ['memoryLimit', 'memory_limit', 'MemoryLimit', 'write e.g. Quantity.gibibytes(1) or Quantity.of("512Mi")'],
    ['ephemeralStorageRequest', 'ephemeral_storage_request', 'EphemeralStorageRequest', 'write e.g. Quantity.gibibytes(1) or Quantity.of("512Mi")'],
    ['ephemeralStorageLimit', 'ephemeral_storage_limit', 'EphemeralStorageLimit', 'write e.g. Quantity.gibibytes(1) or Quantity.of("512Mi")'],
  ])('%s that is not a Quantity is refused with the fix of its kind', (prop, python, go, fix) => {
    expect(() => render({ [prop]: '1' })).toThrow(new Error(`Construct at 'test/box': resources.${prop} = "1" is not a Quantity. `
      + `Fix: ${fix} (the field is resources.${python} in Python, Resources.${go} in Go)`));
  });

  test('each value is checked under its own field; memory and ephemeral storage need 1Mi, CPU any positive amount', () => {
    expect(render({ cpuRequest: Quantity.millicores(1), cpuLimit: Quantity.of('1m') })).toStrictEqual({ requests: { cpu: '1m' }, limits: { cpu: '1m' } });
    expect(() => render({ cpuLimit: Quantity.of('0') })).toThrow(new Error('Construct at \'test/box\': resources.cpuLimit = "0" must be greater than zero. '
      + 'Fix: give a positive size such as Quantity.gibibytes(10) (the field is resources.cpu_limit in Python, Resources.CpuLimit in Go)'));
    for (const prop of ['memoryRequest', 'memoryLimit', 'ephemeralStorageRequest', 'ephemeralStorageLimit']) {
      expect(render({ [prop]: Quantity.of('1Mi') })).toBeDefined();
      expect(() => render({ [prop]: Quantity.of('1048575') })).toThrow(new RegExp(`^Construct at 'test/box': resources\\.${prop} = "1048575" is 1048575 bytes, `
        + 'below the smallest plausible size for this \\(1Mi\\): a number without a unit is bytes\\. Fix: add the unit'));
    }
  });

  test.each([
    ['cpuRequest', 'cpuLimit', 'cpu_request', 'CpuRequest', Quantity.millicores(1001), Quantity.cores(1), '1001m', '1'],
    ['memoryRequest', 'memoryLimit', 'memory_request', 'MemoryRequest', Quantity.of('1025Mi'), Quantity.gibibytes(1), '1025Mi', '1Gi'],
    ['ephemeralStorageRequest', 'ephemeralStorageLimit', 'ephemeral_storage_request', 'EphemeralStorageRequest', Quantity.of('1000001k'), Quantity.of('1G'), '1000001k', '1G'],
  ])('%s above %s is refused', (request, limit, python, go, rq, lq, rqText, lqText) => {
    expect(() => render({ [request]: rq, [limit]: lq })).toThrow(new Error(`Construct at 'test/box': resources.${request} = "${rqText}" `
      + `is above ${limit} (${lqText}), which Kubernetes refuses. Fix: lower ${request} to at most ${lqText}, or raise ${limit} `
      + `(the field is resources.${python} in Python, Resources.${go} in Go)`));
  });

  test('a request or limit alone, or one of them unresolved, is not compared', () => {
    expect(render({ memoryRequest: Quantity.gibibytes(64) })).toStrictEqual({ requests: { memory: '64Gi' } });
    expect(render({ memoryRequest: Quantity.gibibytes(64), memoryLimit: Quantity.of('${LIMIT}') }))
      .toStrictEqual({ requests: { memory: '64Gi' }, limits: { memory: '${LIMIT}' } });
    expect(render({ memoryRequest: Quantity.of('${REQUEST}'), memoryLimit: Quantity.mebibytes(1) }))
      .toStrictEqual({ requests: { memory: '${REQUEST}' }, limits: { memory: '1Mi' } });
  });
});
