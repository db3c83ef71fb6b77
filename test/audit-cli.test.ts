import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/audit/cli';
import { AUDIT_RULES } from '../src/audit/rules';
import { CnpgVersion } from '../src/versions/cnpg-version';

/**
 * The command line (src/audit/cli.ts) on small manifests written in each test: every option,
 * every usage error with its whole message, the exit codes. Nothing is built at `describe` level.
 */

function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

function dir(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-audit-cli-'));
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), text);
  return root;
}

const VERSION = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf-8')).version;
const USAGE_HEAD = 'Usage: cnpg-constructs audit <file-or-directory>... [options]\n';
const EXIT_LINE = 'Exit code: 0 no errors (warnings and notes allowed), 1 errors found, 2 usage or I/O error.\n';

/** A ConfigMap holding `${APP}`: clean with APP set, one note without settings. */
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: apps\ndata:\n  app: "${APP}"\n';
const SETTINGS = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  APP: shop\n';
/** A PodDisruptionBudget over CloudNativePG pods: data plane, an error in the operator's namespace. */
const PDB = (namespace: string) => 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb\n'
  + `  namespace: ${namespace}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      cnpg.io/cluster: pg\n`;

function usage(out: string) {
  expect(out.startsWith(USAGE_HEAD)).toBe(true);
  expect(out.endsWith(EXIT_LINE)).toBe(true);
  expect(out).toContain(`(default: from the\n                             settings, else ${CnpgVersion.DEFAULT.release})`);
}

describe('commands, help and version', () => {
  test.each([['--version'], ['-v']])('%s: the package\'s version, exit 0', (flag) => {
    expect(run(flag)).toStrictEqual({ code: 0, out: `${VERSION}\n`, err: '' });
  });

  test('without an io of its own: standard output and standard error', () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main(['--version'])).toBe(0);
      expect(main(['lint'])).toBe(2);
      expect(out.mock.calls).toStrictEqual([[`${VERSION}\n`]]);
      expect(err.mock.calls.length).toBe(1);
      expect(String(err.mock.calls[0][0]).startsWith('cnpg-constructs: unknown command "lint"')).toBe(true);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  test('no command: the usage on standard output, exit 2', () => {
    const r = run();
    expect([r.code, r.err]).toStrictEqual([2, '']);
    usage(r.out);
  });

  test.each([[['-h']], [['--help']], [['help']], [['audit', '--help']], [['audit', '-h']], [['audit', 'x.yaml', '--help']]])('%j: the usage, exit 0', (args) => {
    const r = run(...args);
    expect([r.code, r.err]).toStrictEqual([0, '']);
    usage(r.out);
  });

  test('an unknown command: named, with the usage, on standard error, exit 2', () => {
    const r = run('lint', 'x.yaml');
    expect([r.code, r.out]).toStrictEqual([2, '']);
    expect(r.err.startsWith('cnpg-constructs: unknown command "lint" (the command is "audit")\n\n' + USAGE_HEAD)).toBe(true);
    expect(r.err.endsWith(EXIT_LINE)).toBe(true);
  });

  test('--rules: one line per rule (id, severity, description in columns), exit 0', () => {
    const r = run('audit', '--rules');
    expect([r.code, r.err]).toStrictEqual([0, '']);
    expect(r.out).toBe(AUDIT_RULES.map((x) => `${x.id.padEnd(25)} ${x.severity.padEnd(8)} ${x.description}\n`).join(''));
    expect(r.out.split('\n')[0]).toBe('yaml                      error    The file is not valid YAML.');
  });
});

describe('usage errors: exit 2, the whole message on standard error', () => {
  test('an unknown option: node\'s message and the usage', () => {
    const r = run('audit', 'x.yaml', '--bogus');
    expect([r.code, r.out]).toStrictEqual([2, '']);
    expect(r.err.startsWith('cnpg-constructs audit: Unknown option \'--bogus\'')).toBe(true);
    expect(r.err).toContain('\n\n' + USAGE_HEAD);
  });

  test('an option without its value', () => {
    const r = run('audit', 'x.yaml', '--settings');
    expect(r.code).toBe(2);
    expect(r.err.startsWith('cnpg-constructs audit: Option \'--settings <value>\' argument missing')).toBe(true);
  });

  test('no file or directory', () => {
    const r = run('audit');
    expect([r.code, r.out]).toStrictEqual([2, '']);
    expect(r.err.startsWith(`cnpg-constructs audit: give at least one file or directory\n\n${USAGE_HEAD}`)).toBe(true);
  });

  test('a format that is not text, json or sarif', () => {
    expect(run('audit', dir(), '--format', 'xml')).toStrictEqual({ code: 2, out: '', err: 'cnpg-constructs audit: --format xml is not one of text, json, sarif\n' });
  });

  test('a path or a settings file that does not exist', () => {
    const d = dir({ 'cm.yaml': CM });
    expect(run('audit', d, '/no/such/dir')).toStrictEqual({ code: 2, out: '', err: 'cnpg-constructs audit: /no/such/dir: no such file or directory\n' });
    expect(run('audit', d, '--settings', '/no/such/settings.yaml'))
      .toStrictEqual({ code: 2, out: '', err: 'cnpg-constructs audit: /no/such/settings.yaml: no such file or directory\n' });
  });

  test.each([['-1'], ['1.5'], ['x'], ['1e400']])('--reserved-connections=%s', (value) => {
    expect(run('audit', dir({ 'cm.yaml': CM }), `--reserved-connections=${value}`)).toStrictEqual({
      code: 2, out: '', err: `cnpg-constructs audit: --reserved-connections ${value} is not a whole number of zero or more\n`,
    });
  });

  test.each([[''], [' '], ['0x10'], ['1e1'], ['+5'], [' 5']])('--reserved-connections %j: only digits (Number() reads these as numbers)', (value) => {
    expect(run('audit', dir({ 'cm.yaml': CM }), `--reserved-connections=${value}`)).toStrictEqual({
      code: 2, out: '', err: `cnpg-constructs audit: --reserved-connections ${value} is not a whole number of zero or more\n`,
    });
  });

  test('what the audit refuses: a Helm chart version as the operator version, an unreadable or empty settings file', () => {
    const d = dir({ 'cm.yaml': CM, 'empty.yaml': 'a: 1\n' });
    const chart = run('audit', d, '--operator-version', '0.26.1');
    expect([chart.code, chart.out]).toStrictEqual([2, '']);
    expect(chart.err).toMatch(/^cnpg-constructs audit: CnpgVersion\.of: version = "0\.26\.1" is not a supported CloudNativePG release \(this looks like a Helm chart version: .*\n$/);
    expect(run('audit', d, '--settings', d)).toStrictEqual({
      code: 2, out: '', err: `cnpg-constructs audit: cannot read the settings file ${d}: EISDIR: illegal operation on a directory, read\n`,
    });
    expect(run('audit', d, '--settings', path.join(d, 'empty.yaml'))).toStrictEqual({
      code: 2, out: '', err: `cnpg-constructs audit: the settings file ${path.join(d, 'empty.yaml')} has no ConfigMap with data\n`,
    });
  });
});

describe('audits', () => {
  test('no errors: exit 0 and the text report by default (a note for the variable left as written)', () => {
    const d = dir({ 'cm.yaml': CM });
    const r = run('audit', d);
    expect([r.code, r.err]).toStrictEqual([0, '']);
    expect(r.out.split('\n')[0]).toBe(`cnpg-constructs audit: 1 objects in 1 files, CloudNativePG ${CnpgVersion.DEFAULT.release}, no settings (Flux variables left as written)`);
    expect(r.out).toContain('note    flux-variable-unresolved: "${APP}" holds Flux variables, left as written');
    expect(r.out.endsWith('\n0 errors, 0 warnings, 1 notes\n')).toBe(true);
    expect(run('audit', d, '--format', 'text').out).toBe(r.out);
  });

  test('--settings: the variables substituted; --format json; --operator-version', () => {
    const d = dir({ 'cm.yaml': CM, 'settings.yaml': SETTINGS });
    const r = run('audit', path.join(d, 'cm.yaml'), '--settings', path.join(d, 'settings.yaml'), '--format', 'json', '--operator-version', '1.30.0');
    expect([r.code, r.err]).toStrictEqual([0, '']);
    const report = JSON.parse(r.out);
    expect(report.settingsFile).toBe(path.join(d, 'settings.yaml'));
    expect(report.operatorVersion).toBe('1.30.0');
    expect(report.summary).toStrictEqual({ files: 1, objects: 1, refusedObjects: 0, errors: 0, warnings: 0, notes: 0 });
  });

  test('errors found: exit 1, even with a single error (--strict-substitution and a variable the settings lack)', () => {
    const d = dir({ 'cm.yaml': CM.replace('${APP}', '${GONE}'), 'settings.yaml': SETTINGS });
    const lax = run('audit', path.join(d, 'cm.yaml'), '--settings', path.join(d, 'settings.yaml'), '--format', 'json');
    expect(JSON.parse(lax.out).findings.map((f: any) => [f.ruleId, f.severity])).toStrictEqual([['flux-variable', 'error']]);
    expect(lax.code).toBe(1);
    const strict = run('audit', path.join(d, 'cm.yaml'), '--settings', path.join(d, 'settings.yaml'), '--format', 'json', '--strict-substitution');
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.out).findings.map((f: any) => f.problem)).toContain('fails Flux\'s strict substitution: variable not set (strict mode): "GONE"');
  });

  test('--operator-namespace: the data plane is checked against the namespace given (default cnpg-system)', () => {
    const d = dir({ 'pdb.yaml': PDB('cnpg-system'), 'other.yaml': PDB('ops').replace('name: pdb', 'name: pdb2') });
    const byNamespace = (...args: string[]) => {
      const r = run('audit', d, '--format', 'json', ...args);
      return JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'operator-namespace').map((f: any) => `${r.code} ${f.namespace}/${f.name}`);
    };
    expect(byNamespace()).toStrictEqual(['1 cnpg-system/pdb']);
    expect(byNamespace('--operator-namespace', 'ops')).toStrictEqual(['1 ops/pdb2']);
  });

  test('--reserved-connections: 0 accepted, and given to the connection budget', () => {
    const cluster = 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\n  namespace: db\nspec:\n  instances: 1\n  storage:\n    size: 1Gi\n'
      + '  postgresql:\n    parameters:\n      max_connections: "100"\n';
    const pooler = 'apiVersion: postgresql.cnpg.io/v1\nkind: Pooler\nmetadata:\n  name: p\n  namespace: db\nspec:\n  cluster:\n    name: pg\n  instances: 3\n  type: rw\n'
      + '  pgbouncer:\n    poolMode: transaction\n    pg_hba:\n      - hostssl app app 0.0.0.0/0 scram-sha-256\n';
    const d = dir({ 'cluster.yaml': cluster, 'pooler.yaml': pooler });
    const budget = (...args: string[]) => JSON.parse(run('audit', d, '--format', 'json', ...args).out).findings
      .filter((f: any) => f.ruleId === 'connection-budget').map((f: any) => f.problem.replace(/\. .*/, ''));
    // 3 replicas × (20 + 1) = 63 of 100 − 3 − reserved.
    expect(budget('--reserved-connections', '0')).toStrictEqual([]);
    expect(budget('--reserved-connections', '34')).toStrictEqual([]);
    expect(budget('--reserved-connections', '35').length).toBe(1);
  });

  test('--output FILE (and -o): the report written, the counts on standard error, nothing on standard output', () => {
    const d = dir({ 'cm.yaml': CM.replace('${APP}', '${GONE}'), 'settings.yaml': SETTINGS });
    const out = path.join(d, 'report.sarif');
    const r = run('audit', path.join(d, 'cm.yaml'), '--settings', path.join(d, 'settings.yaml'), '--format', 'sarif', '--output', out);
    expect(r).toStrictEqual({ code: 1, out: '', err: `cnpg-constructs audit: 1 errors, 0 warnings; report written to ${out}\n` });
    const sarif = JSON.parse(fs.readFileSync(out, 'utf-8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((x: any) => x.ruleId)).toStrictEqual(['flux-variable']);
    const text = path.join(d, 'report.txt');
    const short = run('audit', path.join(d, 'cm.yaml'), '-o', text);
    expect(short).toStrictEqual({ code: 0, out: '', err: `cnpg-constructs audit: 0 errors, 0 warnings; report written to ${text}\n` });
    expect(fs.readFileSync(text, 'utf-8').split('\n')[0]).toMatch(/^cnpg-constructs audit: 1 objects in 1 files/);
  });

  test('a report that cannot be written: exit 2', () => {
    const d = dir({ 'cm.yaml': CM });
    const out = path.join(d, 'no', 'such', 'report.json');
    expect(run('audit', d, '--output', out)).toStrictEqual({
      code: 2, out: '', err: `cnpg-constructs audit: cannot write ${out}: ENOENT: no such file or directory, open '${out}'\n`,
    });
  });
});
