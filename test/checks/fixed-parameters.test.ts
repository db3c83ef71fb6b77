import { fixedParameterProblems } from '../../src/checks/fixed-parameters';

describe('fixedParameterProblems (spec.postgresql.parameters of a Cluster as written)', () => {
  test('each fixed parameter is reported with its path, value, the webhook\'s refusal and its fix; the others are not', () => {
    expect(fixedParameterProblems({ work_mem: '4MB', ssl: 'on', shared_preload_libraries: 'pg_stat_statements', max_connections: '200' })).toEqual([
      {
        path: 'spec.postgresql.parameters.ssl',
        value: 'on',
        problem: expect.stringMatching(/^cannot be set: ssl is .* and CloudNativePG's webhook rejects it \("Can't set fixed configuration parameter"\)$/),
        fix: 'remove "ssl" from the parameters',
      },
      {
        path: 'spec.postgresql.parameters.shared_preload_libraries',
        value: 'pg_stat_statements',
        problem: expect.stringMatching(/^cannot be set: shared_preload_libraries is .* \("Can't set fixed configuration parameter"\)$/),
        fix: 'load the libraries with the cluster\'s extensions (PostgresExtension.pgStatStatements(), ...) or sharedPreloadLibraries props',
      },
    ]);
  });

  test('parameters without a fixed one, or none at all, give no problem', () => {
    expect(fixedParameterProblems({ work_mem: '4MB', constructor: 'x', toString: 'y' })).toEqual([]);
    expect(fixedParameterProblems({})).toEqual([]);
    expect(fixedParameterProblems(undefined)).toEqual([]);
    expect(fixedParameterProblems(null)).toEqual([]);
  });

  test('parameters that are not a map (a list, a string) give no problem and no error', () => {
    expect(fixedParameterProblems(['ssl'])).toEqual([]);
    expect(fixedParameterProblems('ssl')).toEqual([]);
    expect(fixedParameterProblems(5)).toEqual([]);
  });
});
