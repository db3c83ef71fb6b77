// End-to-end synth time of the reference platform from TypeScript, Python and Go, cold start
// included (a new process each run: Node/ts-node, Python + the jsii runtime's Node child, the Go
// binary + its Node child). Prints figures; asserts nothing.
//   npx ts-node bench/consumers.ts [runs]      (needs `npx projen package-all` first)
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LANGUAGES, prepareGo, preparePython, REPO_ROOT, synthesize } from '../test/integ/support/consumers';

const runs = Number(process.argv[2] ?? 5);
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const time = (f: () => void) => { const t = process.hrtime.bigint(); f(); return ms(t); };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-bench-'));

console.log(`machine: ${os.cpus().length} cores, node ${process.version}`);
console.log(`prepare python venv (fresh, wheel + PyPI deps): ${time(preparePython).toFixed(0)} ms`);
console.log(`prepare go binary (warm build cache): ${time(prepareGo).toFixed(0)} ms`);
const gocache = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-gocache-'));
const cold = time(() => {
  const r = spawnSync('go', ['build', '-o', path.join(out, 'platform-go'), '.'], { cwd: path.join(REPO_ROOT, 'examples', 'go'), env: { ...process.env, GOCACHE: gocache } });
  if (r.status !== 0) throw new Error(String(r.stderr));
});
fs.rmSync(gocache, { recursive: true, force: true });
console.log(`go build with an empty build cache (modules already downloaded): ${cold.toFixed(0)} ms`);

for (const language of LANGUAGES) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(time(() => synthesize(language, path.join(out, language))));
  console.log(`${language.padEnd(10)} synth, whole process: median ${median(times).toFixed(0)} ms, min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (${runs} runs)`);
}
// ts-node type-checks the example with the library's sources (src/, 44k lines of CRD imports):
// a consumer of the compiled package does not pay that, so also without the type-check.
const transpileOnly: number[] = [];
for (let i = 0; i < runs; i++) transpileOnly.push(time(() => synthesize('typescript', path.join(out, 'ts'), { TS_NODE_TRANSPILE_ONLY: 'true' })));
console.log(`typescript synth without type-check (TS_NODE_TRANSPILE_ONLY): median ${median(transpileOnly).toFixed(0)} ms, min ${Math.min(...transpileOnly).toFixed(0)} ms`);
// What a TypeScript consumer of the compiled package runs: plain JavaScript (the example bundled
// with esbuild, the library included, cdk8s external), no compiler at run time.
const bundle = path.join(REPO_ROOT, '.cache', 'ts-consumer', 'main.js');
const esbuild = spawnSync('npx', ['esbuild', 'examples/platform/main.ts', '--bundle', '--platform=node', `--outfile=${bundle}`,
  '--external:cdk8s', '--external:constructs', '--external:cdk8s-plus-30', '--log-level=error'], { cwd: REPO_ROOT, encoding: 'utf-8' });
if (esbuild.status !== 0) throw new Error(esbuild.stderr);
const settingsFile = path.resolve(REPO_ROOT, 'vendor', 'reference', 'k8s-gitops', 'kubernetes', 'clusters', 'infra', 'cluster-settings.yaml');
const compiled: number[] = [];
for (let i = 0; i < runs; i++) {
  compiled.push(time(() => {
    const r = spawnSync('node', [bundle], { env: { ...process.env, CNPG_SETTINGS_FILE: settingsFile, CNPG_EXAMPLE_OUTDIR: path.join(out, 'js') } });
    if (r.status !== 0) throw new Error(String(r.stderr));
  }));
}
console.log(`typescript compiled to JavaScript (node, no ts-node): median ${median(compiled).toFixed(0)} ms, min ${Math.min(...compiled).toFixed(0)} ms`);
fs.rmSync(out, { recursive: true, force: true });
