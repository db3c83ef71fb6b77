/**
 * What the npm package holds (`npm pack --dry-run`, the list jsii-pacmak packs for npm, and inside
 * the Python wheel and the Go module): the run-time bundle and its map, the types, the assembly,
 * the assets, the bundled dependencies, and the few top-level files a package needs. Anything
 * else (a mutation run's sandboxes, repository configuration) would be published and, for Python
 * and Go, unpacked by every process that loads the library.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

const files: string[] = (() => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`npm pack --dry-run: ${r.stderr}`);
  return (JSON.parse(r.stdout)[0].files as Array<{ path: string }>).map((f) => f.path);
})();

test('the top level holds only the package\'s own entries', () => {
  const top = new Set(files.map((f) => (f.startsWith('node_modules/') ? f.split('/').slice(0, 2).join('/') : f.split('/')[0])));
  expect([...top].sort()).toEqual(['.jsii', 'LICENSE', 'README.md', 'assets', 'bin', 'lib', 'node_modules/croner', 'node_modules/yaml', 'package.json']);
});

test('lib/ ships the bundle, its map and the types, not the per-module JavaScript', () => {
  const lib = files.filter((f) => f.startsWith('lib/'));
  expect(lib.filter((f) => !f.endsWith('.d.ts')).sort()).toEqual(['lib/bundle/index.js', 'lib/bundle/index.js.map']);
  expect(lib.filter((f) => f.endsWith('.d.ts')).length).toBeGreaterThan(50);
  expect(lib).not.toContain('lib/imports/cnpg-cluster-postgresql.cnpg.io.js');
});
