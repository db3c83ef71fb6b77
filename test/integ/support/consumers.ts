// Runs the reference platform from the three languages the library is published for, each into
// its own directory: TypeScript (examples/platform, ts-node on the sources), Python
// (examples/python, the wheel from dist/python in a fresh venv) and Go (examples/go, the module
// from dist/go). Used by test/integ/consumers.test.ts (parity) and bench/consumers.ts (timings).
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const DIST = path.join(REPO_ROOT, 'dist');
const VENV = path.join(REPO_ROOT, '.cache', 'py-consumer');
const GO_BIN = path.join(REPO_ROOT, '.cache', 'go-consumer', 'platform');

export type Language = 'typescript' | 'python' | 'go';
export const LANGUAGES: Language[] = ['typescript', 'python', 'go'];

const ENV = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { cwd: REPO_ROOT, env: ENV, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message} (is ${cmd} installed?)`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return String(r.stdout);
}

/** The packages `npx projen package-all` builds; throws (with the fix) when one is missing or older than lib/. */
export function checkPackages(): { wheel: string } {
  const wheels = fs.existsSync(path.join(DIST, 'python')) ? fs.readdirSync(path.join(DIST, 'python')).filter((f) => f.endsWith('.whl')) : [];
  const goMod = path.join(DIST, 'go', 'cnpgconstructs', 'go.mod');
  const cdk8sGoMod = path.join(DIST, 'go', 'cdk8s', 'go.mod');
  const missing = [
    wheels.length !== 1 ? `dist/python/*.whl (found ${wheels.length})` : undefined,
    !fs.existsSync(goMod) ? 'dist/go/cnpgconstructs' : undefined,
    !fs.existsSync(cdk8sGoMod) ? 'dist/go/cdk8s' : undefined,
  ].filter(Boolean);
  if (missing.length) throw new Error(`missing packages: ${missing.join(', ')}; build them with 'npx projen package-all'`);
  const wheel = path.join(DIST, 'python', wheels[0]);
  // The packages embed the assembly they were built from: it must be the one lib/ has now.
  const tarballs = fs.readdirSync(path.join(DIST, 'js')).filter((f) => f.endsWith('.jsii.tgz') && !f.startsWith('cdk8s'));
  const packaged = JSON.parse(run('tar', ['-xzOf', path.join(DIST, 'js', tarballs[0]), 'package/.jsii'])).fingerprint;
  const current = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, '.jsii'), 'utf-8')).fingerprint;
  if (packaged !== current) {
    throw new Error(`dist/ holds packages of another build than .jsii (fingerprint ${packaged}, now ${current}); rebuild with 'npx projen package-all'`);
  }
  return { wheel };
}

/** The version npm installed of a package (the Python venv pins cdk8s & co. to the same ones). */
function npmVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf-8')).version;
}

/** A fresh venv with the built wheel and its jsii dependencies from PyPI, at the TypeScript build's versions. */
export function preparePython(): void {
  const { wheel } = checkPackages();
  fs.mkdirSync(path.dirname(VENV), { recursive: true });
  run('python3', ['-m', 'venv', '--clear', VENV]);
  const pins = ['cdk8s', 'constructs'].map((p) => `${p}==${npmVersion(p)}`);
  run(path.join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', wheel, ...pins]);
}

/** Compiles examples/go against dist/go (dependencies from the Go module proxy, go.sum committed). */
export function prepareGo(): void {
  checkPackages();
  run('go', ['build', '-o', GO_BIN, '.'], { cwd: path.join(REPO_ROOT, 'examples', 'go') });
}

/** Synthesizes the platform in one language into outdir; returns the written file names. */
export function synthesize(language: Language, outdir: string, extraEnv: Record<string, string> = {}): string[] {
  fs.rmSync(outdir, { recursive: true, force: true });
  const env = { ...ENV, ...extraEnv, CNPG_EXAMPLE_OUTDIR: outdir };
  switch (language) {
    case 'typescript':
      run('npx', ['ts-node', '--project', 'examples/tsconfig.json', 'examples/platform/main.ts'], { env });
      break;
    case 'python':
      run(path.join(VENV, 'bin', 'python'), ['main.py'], { env, cwd: path.join(REPO_ROOT, 'examples', 'python') });
      break;
    case 'go':
      run(GO_BIN, [], { env, cwd: path.join(REPO_ROOT, 'examples', 'go') });
      break;
  }
  return fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort();
}

/** `diff -u` of two files ('' when byte-identical). */
export function unifiedDiff(a: string, b: string): string {
  const r = spawnSync('diff', ['-u', a, b], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status === 0) return '';
  if (r.status === 1) return r.stdout;
  throw new Error(`diff ${a} ${b}: ${r.stderr || r.error}`);
}
