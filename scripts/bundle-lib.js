#!/usr/bin/env node
/*
 * The package's run-time entry point, lib/bundle/index.js: lib/index.js and every library module
 * it reaches (jsii's output, lib/**\/*.js) in one CommonJS file. The package's dependencies
 * (cdk8s, constructs, the bundled yaml and croner) stay outside, required as before.
 *
 * Why: a process that loads the library loaded 103 of its modules one by one, and Node.js
 * resolves, reads and compiles each (its package scope looked up every time); one file halves
 * that (docs/development/performance.md). Types stay per module (lib/**\/*.d.ts, `types` in
 * package.json), and the jsii assembly is unchanged: it describes types, not files.
 *
 * The bundle lives one folder below lib/, as every module did, so the modules' paths relative to
 * `__dirname` (`../../assets/...`, `../../package.json`) still reach the package's files.
 * The command line (bin/cnpg-constructs) is in it too, under a symbol key that no program sees.
 *
 * Run by the compile task after jsii.
 */
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const lib = path.join(root, 'lib');
const out = path.join(lib, 'bundle', 'index.js');

const entry = [
  "module.exports = require('./index.js');",
  // A getter: the command line's module is evaluated when the bin asks for it, not by every program
  // that loads the library.
  "Object.defineProperty(module.exports, Symbol.for('@platform/cnpg-constructs/cli'), { get: () => require('./audit/cli.js').main });",
].join('\n');

const esbuild = require('esbuild');
const result = esbuild.buildSync({
  // Resolved from lib/ (lib/bundle/ does not exist before the first bundle).
  stdin: { contents: entry, resolveDir: lib, sourcefile: 'entry.js', loader: 'js' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Dependencies are required at run time, from the package's node_modules (bundledDeps) or the
  // consumer's (peer dependencies cdk8s and constructs).
  packages: 'external',
  // Readable stack traces: names and layout kept.
  keepNames: true,
  // Mapped to src/*.ts through lib/**/*.js.map, by path and line, without the sources' text.
  sourcemap: 'external',
  sourcesContent: false,
  outfile: out,
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).filter((f) => f.startsWith('lib/'));
const size = fs.statSync(out).size;
console.log(`bundle-lib: ${path.relative(root, out)} (${inputs.length} modules of lib/, ${(size / 1024).toFixed(0)} KiB)`);
