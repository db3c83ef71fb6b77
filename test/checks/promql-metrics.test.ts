import { promqlMetricNames } from '../../src/checks/promql-metrics';
import { parsePromql } from '../util/promql';

const names = (expr: string) => promqlMetricNames(expr).metrics;

describe('promqlMetricNames', () => {
  test.each([
    ['a bare selector', 'cnpg_collector_up', ['cnpg_collector_up']],
    ['a recording rule name with colons', 'job:cnpg_backends:sum5m > 0', ['job:cnpg_backends:sum5m']],
    ['a range selector in a function', 'rate(cnpg_pg_stat_archiver_failed_count[5m]) > 0', ['cnpg_pg_stat_archiver_failed_count']],
    ['a subquery: its durations are not names', 'max_over_time(a[1h:5m])', ['a']],
    ['a subquery with the default step, of a range function, with an offset', 'max_over_time(rate(a[5m])[1h:]) offset 5m', ['a']],
    ['names may start with a colon', ':a + b:c', [':a', 'b:c']],
    ['label matchers: names and values are not metrics', 'a{cluster="b", role!~"c|d", e=~\'f\'}', ['a']],
    ['an aggregation with its grouping before', 'sum by (cluster, namespace) (a)', ['a']],
    ['an aggregation with its grouping before, in capitals', 'SUM BY (cluster) (a)', ['a']],
    ['an aggregation with without before', 'max without (instance) (a)', ['a']],
    ['an aggregation with its grouping after', 'sum(a) by (cluster) / count(b) without (pod)', ['a', 'b']],
    ['vector matching with on and group_left', 'a / on(cluster) group_left(role) b', ['a', 'b']],
    ['ignoring and group_right', 'a * ignoring(pod, instance) group_right(x) b', ['a', 'b']],
    ['group_left without labels', 'a * on(cluster) group_left b', ['a', 'b']],
    ['set operators, in any case', 'a and b or c unless d AND e', ['a', 'b', 'c', 'd', 'e']],
    ['bool, offset, atan2', 'a > bool 1 offset 5m atan2 b', ['a', 'b']],
    ['inf and nan in any case', 'a > Inf or b < -inf or c != NaN', ['a', 'b', 'c']],
    ['@ start() and end()', 'a @ start() - b @ end()', ['a', 'b']],
    ['start and end elsewhere are names', 'a + start - end', ['a', 'start', 'end']],
    ['a repeated name once', 'a + a * a', ['a']],
    ['strings with escaped quotes and parentheses', 'label_replace(a, "d\\"s(t", "$1", \'s\\\'rc\', "(.*)")', ['a']],
    ['raw strings', 'label_join(a, `dst`, ",", `x\\`) + b', ['a', 'b']],
    ['comments', 'a # b\n + c # d', ['a', 'c']],
    ['numbers with exponents', '1e+3 * a + 1.5E-3 * b + 2e10', ['a', 'b']],
    ['hexadecimal numbers: e is a digit, not an exponent', '0x1e+a', ['a']],
    ['a number followed by a name', '2*a', ['a']],
    ['a duration', 'a offset 1h30m', ['a']],
    ['a closing brace too many does not hide what follows', '} a{b="c"}', ['a']],
    ['names after matchers', 'a{x="y"} + b', ['a', 'b']],
    ['names after a range', 'rate(a[5m]) / rate(b[5m]) > c', ['a', 'b', 'c']],
    ['a function name alone is not a metric', 'time() - vector(1)', []],
    ['a name followed by a space and a parenthesis is a function', 'absent (a)', ['a']],
  ])('%s', (_what, expr, expected) => {
    expect(names(expr)).toEqual(expected);
    // The same names as Prometheus' own grammar finds, where the expression is valid PromQL.
    const parsed = parsePromql(expr);
    if (expr !== '} a{b="c"}') {
      expect(parsed.errors).toEqual([]);
      expect(parsed.metrics).toEqual(expected);
    }
  });

  test('a __name__ matcher is reported as such, not as a metric', () => {
    expect(promqlMetricNames('{__name__="cnpg_collector_up"}')).toEqual({ metrics: [], nameMatchers: true });
    expect(promqlMetricNames('a{job="x", __name__!="b"}')).toEqual({ metrics: ['a'], nameMatchers: true });
    expect(promqlMetricNames('a{job="__name__"}')).toEqual({ metrics: ['a'], nameMatchers: false });
    expect(promqlMetricNames('__name__')).toEqual({ metrics: ['__name__'], nameMatchers: false });
    expect(promqlMetricNames('sum by (__name__) (a)')).toEqual({ metrics: ['a'], nameMatchers: false });
  });

  test('an unterminated string or label list ends the expression without an error', () => {
    expect(names('a + label_replace(b, "x')).toEqual(['a', 'b']);
    expect(names('sum by (cluster')).toEqual([]);
    expect(names('a{b="c"')).toEqual(['a']);
    expect(names('rate(a[5m')).toEqual(['a']);
    expect(names('a * on(cluster) group_left')).toEqual(['a']);
    expect(names('')).toEqual([]);
  });
});
