/**
 * `npx cnpg-constructs audit` as a user runs it: the npm tarball (dist/js, `npx projen package:js`,
 * which the build runs) installed into an empty project, its `bin` entry run on the reference
 * manifests and on the library's own output.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist', 'js');
const REFERENCE = path.join(ROOT, 'vendor', 'reference', 'k8s-gitops', 'kubernetes');
const WORKLOADS = path.join(REFERENCE, 'workloads', 'platform', 'databases', 'cloudnative-pg');
const SETTINGS = path.join(REFERENCE, 'clusters', 'infra', 'cluster-settings.yaml');
const EXAMPLE = path.join(ROOT, 'dist', 'example');

function tarball(): string {
  const files = fs.existsSync(DIST) ? fs.readdirSync(DIST).filter((f) => f.endsWith('.tgz')) : [];
  if (!files.length) throw new Error(`no npm tarball in ${DIST}: run npx projen build (or npx projen package:js) first`);
  const file = path.join(DIST, files.sort().pop()!);
  const lib = path.join(ROOT, 'lib', 'audit', 'cli.js');
  if (fs.existsSync(lib) && fs.statSync(file).mtimeMs < fs.statSync(lib).mtimeMs) {
    throw new Error(`${file} is older than lib/: run npx projen package:js`);
  }
  return file;
}

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_yes: 'true' } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const project = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-audit-cli-'));

beforeAll(() => {
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'audit-user', version: '1.0.0', private: true }));
  // The peer dependencies (cdk8s, constructs) come with it, from npm's cache when there.
  const r = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball()], project);
  if (r.status !== 0) throw new Error(`npm install failed:\n${r.stdout}\n${r.stderr}`);
}, 600_000);

describe('npx cnpg-constructs audit, installed from the npm tarball', () => {
  test('the package declares the bin and ships it', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', '@platform', 'cnpg-constructs', 'package.json'), 'utf-8'));
    expect(pkg.bin).toEqual({ 'cnpg-constructs': 'bin/cnpg-constructs' });
    expect(fs.existsSync(path.join(project, 'node_modules', '.bin', 'cnpg-constructs'))).toBe(true);
  });

  test('the reference manifests: exit 1, the text report with the 7 refused objects', () => {
    const r = run('npx', ['cnpg-constructs', 'audit', WORKLOADS, '--settings', SETTINGS], project);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('7 of 20 objects are refused by the CRD schemas or the operator\'s webhook of CloudNativePG 1.27.1');
    expect(r.stdout).toMatch(/error {3}fixed-parameter: spec\.postgresql\.parameters\.ssl = "on" cannot be set/);
  });

  test('SARIF and JSON from the installed package', () => {
    const sarif = run('npx', ['cnpg-constructs', 'audit', WORKLOADS, '--settings', SETTINGS, '--format', 'sarif'], project);
    expect(sarif.status).toBe(1);
    expect(JSON.parse(sarif.stdout).version).toBe('2.1.0');
    const json = run('npx', ['cnpg-constructs', 'audit', WORKLOADS, '--settings', SETTINGS, '--format', 'json'], project);
    expect(JSON.parse(json.stdout).summary.refusedObjects).toBe(7);
  });

  test('the library\'s own output (dist/example, npx projen synth:example): exit 0', () => {
    if (!fs.existsSync(EXAMPLE)) throw new Error(`${EXAMPLE} is missing: run npx projen synth:example`);
    const r = run('npx', ['cnpg-constructs', 'audit', EXAMPLE, '--settings', SETTINGS], project);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('0 errors, 0 warnings, 0 notes');
  });

  test('a usage error exits 2', () => {
    const r = run('npx', ['cnpg-constructs', 'audit', '--format', 'xml', WORKLOADS], project);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--format xml is not one of text, json, sarif');
  });
});
