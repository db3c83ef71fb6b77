// The library is published for TypeScript, Python and Go: the reference platform written in each
// (examples/platform, examples/python, examples/go) must synthesize byte-identical YAML, from the
// packages `npx projen package-all` built (test:all builds them before the integration tests).
// A feature added to the TypeScript example and not to the others fails here, with the diff.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LANGUAGES, Language, prepareGo, preparePython, synthesize, unifiedDiff } from './support/consumers';

const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-consumers-'));
const outdir = (language: Language) => path.join(OUT, language);
const files: Partial<Record<Language, string[]>> = {};

beforeAll(() => {
  preparePython();
  prepareGo();
  for (const language of LANGUAGES) files[language] = synthesize(language, outdir(language));
}, 600_000);

afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

describe('the reference platform from TypeScript, Python and Go', () => {
  test('TypeScript writes the platform', () => {
    expect(files.typescript!.length).toBeGreaterThan(0);
    const all = files.typescript!.map((f) => fs.readFileSync(path.join(outdir('typescript'), f), 'utf-8')).join('\n');
    expect(all).toMatch(/^kind: Cluster$/m);
  });

  test.each(['python', 'go'] as Language[])('%s writes the same files as TypeScript', (language) => {
    expect(files[language]).toEqual(files.typescript);
  });

  test.each(['python', 'go'] as Language[])('%s writes byte-identical YAML (diff against TypeScript)', (language) => {
    const diffs = files.typescript!
      .map((f) => unifiedDiff(path.join(outdir('typescript'), f), path.join(outdir(language), f)))
      .filter((d) => d !== '')
      .join('\n');
    // On failure jest prints the whole unified diff: the example of that language lags behind
    // examples/platform/platform.ts (or its binding behaves differently).
    expect(diffs).toBe('');
  });
});
