// Mutation testing of src/ (docs/development/mutation-testing.md): `npx projen mutation` runs it
// whole, `npx projen mutation:changed` only on the files a branch changed since main, and
// `npx projen mutation -- --mutate 'src/pooler/**/*.ts'` on one folder.
import { resolve } from 'node:path';

const jest = (await import('./package.json', { with: { type: 'json' } })).default.jest;

/**
 * The test files a run uses. By default every unit test (jest --findRelatedTests picks those that
 * import the mutated files, which through src/index.ts is nearly all of them). MUTATION_TESTS
 * (comma-separated test files) narrows it for a run by folder: every mutant re-runs the top level
 * of each related test file (most synthesize a chart there), so a run over src/pooler with the
 * whole suite costs about a suite run per mutant on this 2-core machine.
 */
const testMatch = process.env.MUTATION_TESTS
  ? process.env.MUTATION_TESTS.split(',').map((f) => `<rootDir>/${f.trim()}`)
  : jest.testMatch;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // The unit tests' jest configuration (package.json) with what a mutant run does not need:
    // no coverage (Stryker measures its own, per test) and no junit report.
    config: {
      ...jest,
      testMatch,
      collectCoverage: false,
      // Stryker's jest runner wraps the environment and requires it by name, without <rootDir>.
      testEnvironment: resolve('test/util/jest-environment.js'),
      reporters: ['default'],
      // Transpile only: a mutant's type errors are not kills (Stryker's disableTypeChecks keeps
      // ts-jest from reporting them), and type-checking every test file per worker was most of
      // the dry run's time.
      transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'test/tsconfig.json', isolatedModules: true }] },
    },
    // Only the test files that import the mutated file (jest --findRelatedTests).
    enableFindRelatedTests: true,
  },
  // Which tests cover which mutant: a mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  mutate: ['src/**/*.ts', '!src/imports/**'],
  concurrency: 2,
  // A mutant gets its tests' own time × 2 + 30 s before it counts as a timeout (a loop): the
  // machine is shared, and a slow run must not pass for a detected mutant.
  timeoutFactor: 2,
  timeoutMS: 30_000,
  // Results of unchanged mutants and tests are reused (.cache/ is not committed: it depends on
  // the tests' timing and paths of one machine, and CI can cache it like the CRD schemas).
  incremental: true,
  incrementalFile: '.cache/stryker-incremental.json',
  reporters: ['progress', 'clear-text', 'html', 'json'],
  htmlReporter: { fileName: 'test-reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'test-reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Not copied into the sandboxes. Of .cache/ the unit tests read only the Kubernetes schemas and
  // the bundled CEL interpreter (test/util/conformance.ts); the rest (virtual environments with
  // symbolic links to folders, Go builds, the tools of the integration tests) broke the copy.
  ignorePatterns: ['/lib', '/dist', '/coverage', '/test-reports', '/docs/.vitepress/dist', '/docs/.vitepress/cache', '/docs/api', '/.jsii', '/cdk8s.out', '/reports', '/.stryker-tmp',
    '/.cache/*', '!/.cache/k8s-schemas', '!/.cache/cel-js-*.cjs'],
};
