/**
 * scripts/api-compat.sh (the jsii-diff check of .ci/run) against real git and jsii: it compiles
 * the last release tag's tree in a worktree and compares it with the current assembly. Proven
 * here to pass on the current tree, to fail on a deliberate breaking change (a public constant
 * removed from the assembly) and to pass once that change is marked in an ignore file.
 * Needs the current .jsii (`npx projen build` runs before the integration tests).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'api-compat.sh');

function run(env: Record<string, string> = {}): { status: number; output: string } {
  const r = spawnSync('bash', [SCRIPT], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf-8' });
  return { status: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
}

describe('api-compat.sh (jsii-diff against the last release tag)', () => {
  const work = path.join(ROOT, '.cache', 'compat-test');
  const broken = path.join(work, 'broken');

  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, '.jsii'))) throw new Error('.jsii is missing: run `npx projen build` first');
    const tag = spawnSync('git', ['describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*', 'HEAD'], { cwd: ROOT, encoding: 'utf-8' });
    if (tag.status !== 0) throw new Error(`no release tag reachable from HEAD: ${tag.stderr}`);
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(broken, { recursive: true });
    // The deliberate break: CnpgVersion.LATEST_SUPPORTED (released in v0.1.0) removed.
    const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf-8'));
    const type = assembly.types['@platform/cnpg-constructs.CnpgVersion'];
    const before = type.properties.length;
    type.properties = type.properties.filter((p: any) => p.name !== 'LATEST_SUPPORTED');
    if (type.properties.length !== before - 1) throw new Error('CnpgVersion.LATEST_SUPPORTED is not in the assembly');
    fs.writeFileSync(path.join(broken, '.jsii'), JSON.stringify(assembly, null, 2));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(broken, 'package.json'));
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('the current assembly has no unmarked breaking change', () => {
    const r = run();
    expect(r.output).toContain('no unmarked breaking change');
    expect(r.status).toBe(0);
  });

  test('a removed public API fails the check, naming it and its suppression key', () => {
    const r = run({ COMPAT_UPDATED: broken, COMPAT_IGNORE: path.join(work, 'none') });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/LATEST_SUPPORTED/);
    expect(r.output).toMatch(/removed:@platform\/cnpg-constructs\.CnpgVersion\.LATEST_SUPPORTED/);
  });

  test('the same change passes once marked in the ignore file', () => {
    const ignore = path.join(work, 'compatignore');
    // The breaks already marked since the release stay marked.
    fs.writeFileSync(ignore, `${fs.readFileSync(path.join(ROOT, '.compatignore'), 'utf-8')}removed:@platform/cnpg-constructs.CnpgVersion.LATEST_SUPPORTED\n`);
    const r = run({ COMPAT_UPDATED: broken, COMPAT_IGNORE: ignore });
    expect(r.output).toContain('no unmarked breaking change');
    expect(r.status).toBe(0);
  });
});
