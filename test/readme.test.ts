// The README's usage snippets are the example files (test/util/readme-examples.ts copies them).
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { embeddedFiles, README, renderReadme, startObjects, startPrograms } from './util/readme-examples';

describe('README.md', () => {
  const readme = fs.readFileSync(README, 'utf-8');

  test('embeds the start program of each language (examples/start), not the long reference platform', () => {
    expect(embeddedFiles(readme)).toEqual(expect.arrayContaining([
      'examples/start/typescript/main.ts',
      'examples/start/python/main.py',
      'examples/start/go/main.go',
    ]));
    expect(embeddedFiles(readme).filter((f) => !f.startsWith('examples/start/'))).toEqual([]);
  });

  // test/integ/start-programs.test.ts runs them; this checks their shape without the packages.
  test.each([
    ['typescript', 'main.ts', /^npm install @platform\/cnpg-constructs /m, /^npx ts-node main\.ts$/m],
    ['python', 'main.py', /^pip install platform-cnpg-constructs$/m, /^python main\.py$/m],
    ['go', 'main.go', /^go get github\.com\/platform\/cnpg-constructs-go\/cnpgconstructs$/m, /^go mod tidy && go run \.$/m],
  ])('the %s start: install, %s, run', (language, file, install, run) => {
    const steps = startPrograms(readme).get(language) ?? [];
    const kinds = steps.map((s) => (s.kind === 'file' ? s.name : 'shell'));
    expect(kinds[0]).toBe('shell');
    expect(kinds).toContain(file);
    expect(kinds[kinds.length - 1]).toBe('shell');
    const shell = steps.filter((s) => s.kind === 'shell').map((s) => (s.kind === 'shell' ? s.code : ''));
    expect(shell[0]).toMatch(/^mkdir cnpg-start && cd cnpg-start/);
    expect(shell[0]).toMatch(install);
    expect(shell[shell.length - 1]).toMatch(run);
  });

  test.each(['typescript', 'python', 'go'])('the %s getting-started guide gives the same commands and program as the README', (language) => {
    const guide = fs.readFileSync(path.join(path.dirname(README), 'docs', 'guides', `getting-started-${language}.md`), 'utf-8');
    for (const step of startPrograms(readme).get(language) ?? []) {
      if (step.kind === 'shell') expect(guide).toContain(step.code.trimEnd());
      else expect(guide).toContain(`<<< @/../examples/start/${language}/${step.name}`);
    }
  });

  test('lists the objects the start programs write', () => {
    expect(startObjects(readme).length).toBeGreaterThan(10);
    expect(startObjects(readme)).toContainEqual(['Cluster', 'shared-postgres']);
  });

  test('links every guide under docs/guides', () => {
    const guides = fs.readdirSync(path.join(path.dirname(README), 'docs', 'guides')).filter((f) => f.endsWith('.md'));
    expect(guides.filter((g) => !readme.includes(`](docs/guides/${g})`))).toEqual([]);
  });

  test('its usage snippets are the example files as they are (else: npx ts-node test/util/readme-examples.ts)', () => {
    expect(readme).toBe(renderReadme(readme));
  });
});

// The README's other TypeScript snippets are hand-written: each complete one (it imports the
// library) must type-check against the library as it is, so a renamed prop or method fails here.
describe("README.md's complete TypeScript snippets", () => {
  const ROOT = path.resolve(__dirname, '..');
  const readme = fs.readFileSync(README, 'utf-8');
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .filter((code) => code.includes("from '@platform/cnpg-constructs'"));

  test('there is at least one, and each type-checks', () => {
    expect(snippets.length).toBeGreaterThan(0);
    const files = new Map(snippets.map((code, i) => [path.join(ROOT, `__readme_snippet_${i}.ts`), code]));
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      baseUrl: ROOT,
      paths: { '@platform/cnpg-constructs': ['src/index.ts'] },
      types: ['node'],
    };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    const exists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (f) => files.get(f) ?? read(f);
    host.fileExists = (f) => files.has(f) || exists(f);
    host.getSourceFile = (f, lang, ...rest) => (files.has(f) ? ts.createSourceFile(f, files.get(f)!, lang) : getSourceFile(f, lang, ...rest));
    const program = ts.createProgram([...files.keys()], options, host);
    const errors = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.has(d.file.fileName))
      .map((d) => `README snippet ${d.file!.fileName.match(/_(\d+)\.ts$/)![1]}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(errors).toEqual([]);
  }, 120_000);
});
