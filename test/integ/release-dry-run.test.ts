/**
 * A release dry run: projen's `bump` step (the first step of `npx projen release`, which decides
 * the version from the conventional commits since the last v* tag and writes the CHANGELOG) in a
 * temporary worktree, so that neither this checkout's package.json nor dist/ changes and nothing
 * is published. Runs on the Node of the machine (Node 20 here; commit-and-tag-version 13 and
 * conventional-commits-parser 7 declare Node >= 22, see docs/guides/versioning.md).
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..');

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf-8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'dry-run', GIT_AUTHOR_EMAIL: 'dry-run@example.com', GIT_COMMITTER_NAME: 'dry-run', GIT_COMMITTER_EMAIL: 'dry-run@example.com' },
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

describe('release dry run (projen bump in a worktree)', () => {
  let tree = '';
  let lastTag = '';
  /** Whether a commit since the last tag is already breaking (then any release is a minor one in 0.x). */
  let breakingSinceTag = false;

  beforeAll(() => {
    lastTag = sh('git', ['describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*', 'HEAD'], ROOT).stdout.trim();
    const log = sh('git', ['log', '--format=%B%n--end--', `${lastTag}..HEAD`], ROOT).stdout;
    breakingSinceTag = /^[a-z]+(\([^)]*\))?!:/m.test(log) || /^BREAKING[ -]CHANGE:/m.test(log);
    tree = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-release-')), 'tree');
    sh('git', ['worktree', 'add', '--quiet', '--detach', tree, 'HEAD'], ROOT);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  });

  afterAll(() => {
    if (tree) spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT });
  });

  const bump = () => {
    fs.rmSync(path.join(tree, 'dist'), { recursive: true, force: true });
    sh('git', ['checkout', '--quiet', '--', 'package.json'], tree);
    sh('npx', ['projen', 'bump'], tree);
    return {
      version: fs.readFileSync(path.join(tree, 'dist', 'version.txt'), 'utf-8').trim(),
      tag: fs.readFileSync(path.join(tree, 'dist', 'releasetag.txt'), 'utf-8').trim(),
      changelog: fs.readFileSync(path.join(tree, 'dist', 'changelog.md'), 'utf-8'),
    };
  };

  const next = (v: string, part: 'minor' | 'patch') => {
    const [major, minor, patch] = v.replace(/^v/, '').split('.').map(Number);
    return part === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
  };

  test('a feat since the last tag gives the next patch (0.x; minor if a commit since the tag is breaking) and a CHANGELOG entry', () => {
    sh('git', ['commit', '--quiet', '--allow-empty', '-m', 'feat(versions): dry-run probe feature'], tree);
    const r = bump();
    expect(r.version).toBe(next(lastTag, breakingSinceTag ? 'minor' : 'patch'));
    expect(r.tag).toBe(`v${r.version}`);
    expect(r.changelog).toContain(`## [${r.version}]`);
    expect(r.changelog).toMatch(/### Features[\s\S]*dry-run probe feature/);
  });

  test('a breaking change gives the next minor (0.x) and a BREAKING CHANGES section', () => {
    sh('git', ['commit', '--quiet', '--allow-empty', '-m', 'feat(versions)!: dry-run probe breaking change'], tree);
    const r = bump();
    expect(r.version).toBe(next(lastTag, 'minor'));
    expect(r.changelog).toMatch(/### ⚠ BREAKING CHANGES[\s\S]*dry-run probe breaking change/);
  });

  test('the checkout itself is untouched', () => {
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version).toBe('0.0.0');
  });
});
