import { cdk8s, javascript, ReleasableCommits, YamlFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

/**
 * @platform/cnpg-constructs: a jsii construct library for cdk8s that runs one shared,
 * multi-tenant CloudNativePG cluster with a PgBouncer pooler per application.
 *
 * Everything generated (package.json, tasks, tsconfig, workflows) comes from this file:
 * edit it and run `npx projen`.
 */
const project = new cdk8s.ConstructLibraryCdk8s({
  author: 'Platform Team',
  authorAddress: 'platform@example.com',
  name: '@platform/cnpg-constructs',
  description: 'cdk8s constructs for a shared, multi-tenant CloudNativePG cluster with PgBouncer poolers, backups, monitoring and secrets',
  keywords: ['cdk8s', 'cloudnative-pg', 'cnpg', 'postgresql', 'pgbouncer', 'kubernetes'],
  repositoryUrl: 'https://github.com/platform/cnpg-constructs.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // Supported Node.js: 20 or newer (the TypeScript library; CI runs on 20). Python and Go run the
  // library through the jsii runtime, which supports 22 and 24 and prints an end-of-life banner on
  // 20 (docs/guides/getting-started-*.md say how to avoid or silence it).
  minNodeVersion: '20.0.0',
  // The run-time entry point is one file, lib/bundle/index.js (scripts/bundle-lib.js, after jsii):
  // loading 103 modules one by one was the largest cost of a synth above the raw floor. The types
  // stay per module (docs/development/performance.md).
  entrypoint: 'lib/bundle/index.js',
  entrypointTypes: 'lib/index.d.ts',

  // Versions from the platform's toolchain notes (this build's own pitfalls: docs/development/toolchain.md).
  cdk8sVersion: '2.70.106',
  // cdk8s-plus-30 needs constructs ^10.3.0 (projen's default 10.0.0 is too old).
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  // Source maps as files beside lib/*.js instead of inline: inline maps were 78 % of lib/*.js and were read with every module
  // at require time. The maps of the generated CRD imports are not shipped (see the package
  // ignores below). Figures: docs/development/performance.md.
  tsconfig: {
    compilerOptions: {
      inlineSourceMap: false,
      sourceMap: true,
      // The maps point at src/*.ts by path and line; the sources themselves are not embedded
      // (they doubled the maps: 1.39 MB of 7.6 MB unpacked).
      inlineSources: false,
    },
  },
  // No cdk8s-plus-30: the public API uses the library's own types (ComputeResources,
  // ImagePullPolicy), so Python and Go programs do not load its 3 MB assembly (docs/development/performance.md).
  devDeps: [
    // The bench compares require() of the library with require('cdk8s-plus-30').
    'cdk8s-plus-30@^2.4.10',
    'cdk8s-cli@^2.207.60',
    'ajv@^8.17.1',
    'ajv-formats@^3.0.1',
    '@marcbachmann/cel-js@^8.0.0',
    'pg@^8.16.0',
    'esbuild@^0.28.0',
    '@types/pg@^8.15.0',
    'fast-check@^4.3.0',
    // The docs site (docs/, `npx projen docs`) and its browser test (Debian's Chromium).
    'vitepress@^1.6.4',
    'playwright-core@^1.65.1',
    // Prometheus' own PromQL grammar: unit tests parse every alert and dashboard expression with it.
    '@prometheus-io/lezer-promql@^0.315.0',
    '@lezer/lr@^1.4.2',
    '@lezer/highlight@^1.2.1',
    // Grafana's foundation SDK: the dashboards (src/monitoring/dashboards.ts) write the JSON its
    // builders produce, and test/dashboards-sdk-parity.test.ts compares the two byte for byte. It is
    // not a runtime dependency: its entry points load 229 modules and it was 0.7 MB of the package
    // (docs/development/performance.md). 0.0.x releases break freely, so the version is pinned.
    '@grafana/grafana-foundation-sdk@0.0.21',
    // Mutation testing (docs/development/mutation-testing.md, `npx projen mutation`). Pinned: 9.6.1
    // is the last release that runs on Node 20 (10.x needs Node 22), and the three move together.
    '@stryker-mutator/core@9.6.1',
    '@stryker-mutator/jest-runner@9.6.1',
    '@stryker-mutator/typescript-checker@9.6.1',
  ],
  // Runtime dependencies are bundled into the package, as jsii requires.
  // croner: next fire times of backup schedules (src/backup/cron.ts wraps it with CNPG's grammar).
  bundledDeps: ['yaml@^2.8.0', 'croner@^11.0.1'],

  // Integration tests are our own jest suites under test/integ (see the test:integ task),
  // not cdk8s snapshot apps.
  integrationTestAutoDiscover: false,

  jestOptions: {
    // A snapshot that is rewritten on every run can never fail (toolchain.md #8).
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integ/'],
      coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/src/imports/'],
      testTimeout: 60_000,
      // Keeps the compiled CRD validators across test files (test/util/jest-environment.js).
      testEnvironment: '<rootDir>/test/util/jest-environment.js',
      coverageReporters: ['json', 'lcov', 'clover', 'cobertura', 'text-summary'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts'],
    // Generated code is not linted (toolchain.md #7).
    // The README's start programs import the published package name, which only resolves in a
    // user's project (test/readme.test.ts type-checks them, test/integ/start-programs runs them).
    ignorePatterns: ['src/imports/', '*.d.ts', 'node_modules/', 'examples/start/'],
  },

  publishToPypi: {
    distName: 'platform-cnpg-constructs',
    module: 'platform_cnpg_constructs',
  },
  publishToGo: {
    moduleName: 'github.com/platform/cnpg-constructs-go',
    packageName: 'cnpgconstructs',
  },

  gitignore: ['/.cache/', '/cdk8s.out/'],

  // `npx cnpg-constructs audit <dir>`: the library's checks over hand-written manifests
  // (src/audit/cli.ts; docs/guides/audit.md).
  bin: { 'cnpg-constructs': 'bin/cnpg-constructs' },

  // Releases (docs/guides/versioning.md): conventional commits decide the bump; only feat and fix
  // commits (and breaking ones, `feat!:` or a `BREAKING CHANGE:` footer) make a release, so a
  // docs or test commit does not publish an empty version. The release workflow runs on Node 22,
  // which commit-and-tag-version 13 and conventional-commits-parser 7 declare (they also run on
  // Node 20.19+, measured).
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  workflowNodeVersion: '22.x',

});

// ---------------------------------------------------------------------------
// Typed L1 imports of the upstream CRDs (vendor/crds, refreshed by scripts/refresh-vendor.sh),
// generated into src/imports/.
// `cdk8s import a.yaml b.yaml` only imports the first file, so the list lives in cdk8s.yaml;
// `NAME:=FILE` keeps several CRDs of one API group from overwriting one file (toolchain.md #4, #5).
// ---------------------------------------------------------------------------
const CRDS = 'vendor/crds';
const imports: Record<string, string> = {
  'cnpg-cluster': 'cnpg-1.30.0/postgresql.cnpg.io_clusters.yaml',
  'cnpg-pooler': 'cnpg-1.30.0/postgresql.cnpg.io_poolers.yaml',
  'cnpg-scheduledbackup': 'cnpg-1.30.0/postgresql.cnpg.io_scheduledbackups.yaml',
  'cnpg-database': 'cnpg-1.30.0/postgresql.cnpg.io_databases.yaml',
  'barman-objectstore': 'barman-cloud-0.14.0/barmancloud.cnpg.io_objectstores.yaml',
  'monitoring-podmonitor': 'prometheus-operator-0.93.0/monitoring.coreos.com_podmonitors.yaml',
  'monitoring-prometheusrule': 'prometheus-operator-0.93.0/monitoring.coreos.com_prometheusrules.yaml',
  'eso-externalsecret': 'external-secrets-2.9.0/external-secrets.io_externalsecrets.yaml',
};
new YamlFile(project, 'cdk8s.yaml', {
  obj: {
    language: 'typescript',
    app: 'npx ts-node examples/platform/main.ts',
    imports: [...Object.entries(imports).map(([name, file]) => `${name}:=${CRDS}/${file}`)],
  },
});
project.addTask('import', {
  description: 'Regenerate the typed CRD imports in src/imports/ and the schemas in assets/schemas/ from vendor/ (never edit them by hand)',
  steps: [
    { exec: 'rm -rf src/imports' },
    { exec: 'cdk8s import --no-check-upgrade --no-save --language typescript --output src/imports' },
    // The structural schemas every written object is checked against (assets/schemas/) and the
    // list of supported CloudNativePG releases (src/imports/cnpg-releases.ts).
    { exec: 'node scripts/gen-schemas.js' },
    // What the imports' toJson_* converters rename and convert, as tables (src/imports/json-names.ts):
    // the library writes its specs with them, so the imports are types only at run time.
    { exec: 'node scripts/gen-json-names.js' },
  ],
});

// No import cycles in src/ (the graph of the TypeScript compiler itself, scripts/check-cycles.js):
// features depend on the core's interfaces (src/cluster/cluster-ref.ts), never on the constructs
// that create them.
project.addTask('check:cycles', {
  description: 'Fail on an import cycle in src/ (the TypeScript compiler\'s import graph)',
  exec: 'node scripts/check-cycles.js',
});
project.testTask.spawn(project.tasks.tryFind('check:cycles')!);

// The run-time argument check (src/core/prop-check.ts) reads the public API's types from
// assets/prop-types.json, generated from the jsii assembly after every compile (so a new prop is
// checked without editing a list) and committed: CI fails on drift like any generated file.
project.postCompileTask.prependExec('node scripts/gen-prop-types.js');

// Unit tests validate every synthesized object against Kubernetes' own JSON schemas, which come
// from PyPI (kubernetes-validate): fetch them first, so `npx projen build` works on a fresh clone.
project.testTask.prependExec('bash .ci/install/k8s-schemas.sh');
// jsii prints a Node 20 end-of-life banner on every run (toolchain.md #13).
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// ---------------------------------------------------------------------------
// The reference platform: `npx projen synth:example` writes dist/example/*.k8s.yaml.
// ---------------------------------------------------------------------------
project.addTask('synth:example', {
  description: 'Synthesize every example (examples/main.ts): the reference platform into dist/example/, as a Flux delivery into dist/examples/flux/, and the restore and replica examples into dist/examples/<name>/',
  exec: 'ts-node --project examples/tsconfig.json examples/main.ts',
});

// ---------------------------------------------------------------------------
// The performance bench (docs/development/performance.md): figures side by side with the goals of
// issue #16; prints, asserts nothing. Arguments pass through: `npx projen bench --runs 3`.
// ---------------------------------------------------------------------------
project.addTask('bench', {
  description: 'Measure synth, require, N applications, Python/Go vs TypeScript and the tarball against the raw floors (compiles lib/ first)',
  steps: [
    { spawn: 'compile' },
    { exec: 'ts-node bench/index.ts', receiveArgs: true },
  ],
});

// ---------------------------------------------------------------------------
// Mutation testing of src/ (docs/development/mutation-testing.md, stryker.config.mjs): a
// measurement like the bench, not part of the build. Arguments pass through to Stryker, e.g.
// `npx projen mutation --mutate 'src/pooler/**/*.ts'`; MUTATION_TESTS narrows the test files.
// ---------------------------------------------------------------------------
project.addTask('mutation', {
  description: 'Mutation testing of src/ (imports excluded) with Stryker: score and survivors in test-reports/mutation/',
  exec: 'stryker run',
  receiveArgs: true,
});
project.addTask('mutation:changed', {
  description: 'Mutation testing of the src/ files changed since the merge base with main (scripts/mutation-changed.sh)',
  exec: 'bash scripts/mutation-changed.sh',
  receiveArgs: true,
});
project.gitignore.exclude('/.stryker-tmp/');

// ---------------------------------------------------------------------------
// Tests beyond the unit tests: real components (PostgreSQL, PgBouncer, S3, promtool, ...).
// ---------------------------------------------------------------------------
project.addTask('test:integ', {
  description: 'Integration tests against real components (installs them first with .ci/deps.sh)',
  steps: [
    { exec: 'bash .ci/deps.sh' },
    {
      exec: 'jest --ci --runInBand --coverage=false --testPathIgnorePatterns /node_modules/ --testMatch "<rootDir>/test/integ/**/*.test.ts"',
      env: { JEST_JUNIT_OUTPUT_DIR: 'test-reports/integ' },
    },
  ],
});
project.addTask('test:all', {
  description: 'The whole test suite: deps, build (compile, unit tests, docs), the example, integration tests; ends with "N passed, N failed"',
  exec: 'bash scripts/test-all.sh',
});

// ---------------------------------------------------------------------------
// Python and Go packages, their consumers (examples/python, examples/go) and the docs site.
// ---------------------------------------------------------------------------
// cdk8s' Go module (github.com/cdk8s-team/cdk8s-core-go) is not served by the Go module proxy
// (403 "not available"): jsii-pacmak generates it from the cdk8s npm package into dist/go/cdk8s,
// beside ours (dist/go/cnpgconstructs), whose build then resolves it by a local replace.
project.tasks.tryFind('package:go')!.reset('jsii-pacmak -v --target go --no-npmignore --outdir dist . node_modules/cdk8s');
// On a fresh clone `docs` works after `npm ci` alone: scripts/docs-api.js compiles the library
// first when .jsii is missing or older than src/.
project.addTask('docs', {
  description: 'Build the docs site (docs/ with VitePress; API reference per language from jsii-docgen, guide code in TypeScript, Python and Go) into docs/.vitepress/dist',
  steps: [
    { exec: 'node scripts/docs-api.js' },
    { exec: 'node scripts/docs-snippets.js' },
    { exec: 'vitepress build docs' },
  ],
});
project.addTask('docs:dev', {
  description: 'Serve the docs site with live reload',
  steps: [
    { exec: 'node scripts/docs-api.js' },
    { exec: 'node scripts/docs-snippets.js' },
    { exec: 'vitepress dev docs' },
  ],
});
// The site is built for the path it is published under (/cnpg-constructs/): opened from disk it
// has no styles. This serves the built site at http://localhost:4173/cnpg-constructs/.
project.addTask('docs:serve', {
  description: 'Serve the built docs site (npx projen docs first) at http://localhost:4173/cnpg-constructs/',
  exec: 'vitepress preview docs --port 4173',
});
project.gitignore.exclude('/docs/api/', '/docs/.vitepress/dist/', '/docs/.vitepress/cache/');

// API compatibility with the last release tag of this repository, offline (scripts/api-compat.sh
// builds the tag's assembly in a worktree and runs jsii-diff), instead of the npm registry.
project.tasks.tryFind('compat')?.reset('bash scripts/api-compat.sh');

// Repository files only (test/package-contents.test.ts holds the package to an allowlist): the
// sandboxes of a mutation run (a stopped one left 0.83 MB of copies in .stryker-tmp/), its
// configuration, and the inputs of the API and release-tag checks.
for (const pattern of ['/vendor/', '/examples/', '/scripts/', '/.ci/', '/bench/', '/.cache/', '/cdk8s.yaml', '/docs/', '/tools/',
  '/.stryker-tmp/', '/stryker.config.mjs', '/.compatignore', '/.release-tags']) {
  project.addPackageIgnore(pattern);
}
// The maps of the generated CRD imports (2.3 MB, 0.26 MB packed: the package would be 1.11 MB
// instead of 0.85 MB) map generated code to generated code nobody steps through; the maps of
// the hand-written code ship (docs/development/performance.md).
project.addPackageIgnore('/lib/imports/*.js.map');
// The package runs lib/bundle/index.js (scripts/bundle-lib.js): jsii's per-module JavaScript and
// maps stay in the repository (tests, the bundle's input) but not in the package, which ships the
// bundle, its map (to src/*.ts by path and line) and the per-module types.
project.compileTask.exec('node scripts/bundle-lib.js');
project.npmignore?.removePatterns('!/lib/**/*.js');
project.addPackageIgnore('/lib/**/*.js');
project.addPackageIgnore('/lib/**/*.js.map');
project.npmignore?.include('/lib/bundle/index.js', '/lib/bundle/index.js.map');
// API.md is the generated reference of the repository and the docs site (0.97 MB, 0.2 MB packed);
// the package's README links it. It is not read from the installed package.
project.addPackageIgnore('/API.md');

project.synth();
