import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.join(__dirname, '..', 'scripts', 'check-cycles.js');

function run(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycles-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const r = spawnSync('node', [SCRIPT, dir], { encoding: 'utf-8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

describe('scripts/check-cycles.js (the import-cycle gate of `npx projen test`)', () => {
  test('src/ has no import cycle', () => {
    const r = spawnSync('node', [SCRIPT], { encoding: 'utf-8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('a cycle through a type-only import fails, naming the files and the edges', () => {
    const r = run({
      'cluster/core.ts': "import { Feature } from '../feature/feature';\nexport class Core { f?: Feature; }\n",
      'feature/feature.ts': "import type { Core } from '../cluster/core';\nexport class Feature { c?: Core; }\n",
      'other.ts': "import { Core } from './cluster/core';\nexport const x = Core;\n",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/1 import cycle\(s\)/);
    expect(r.stderr).toMatch(/2 files: .*cluster\/core\.ts, .*feature\/feature\.ts/);
    expect(r.stderr).not.toMatch(/other\.ts ->/);
  });

  test('re-exports and index files count; an acyclic graph passes', () => {
    expect(run({ 'a/index.ts': "export * from '../b';\n", 'b.ts': "export * from './a';\n" }).status).toBe(1);
    expect(run({ 'a.ts': "import { b } from './b';\nexport const a = b;\n", 'b.ts': 'export const b = 1;\n' }).status).toBe(0);
  });
});
