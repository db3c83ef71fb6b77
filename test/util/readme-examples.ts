// The README's usage snippets for TypeScript, Python and Go ARE the example files: each block
// between `<!-- example: PATH -->` and `<!-- /example -->` is the file PATH, verbatim, fenced.
// `npx ts-node test/util/readme-examples.ts` rewrites README.md; test/readme.test.ts fails when the
// README differs from what this would write, so the README cannot drift from the examples.
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const README = path.join(ROOT, 'README.md');

const LANGUAGE: Record<string, string> = { '.ts': 'ts', '.py': 'python', '.go': 'go', '.mod': 'go', '.json': 'json' };
const BLOCK = /(<!-- example: (\S+) -->\n)[\s\S]*?(<!-- \/example -->)/g;

/** The README with every example block refreshed from its file. */
export function renderReadme(readme: string): string {
  return readme.replace(BLOCK, (_all, open: string, file: string, close: string) => {
    const src = fs.readFileSync(path.join(ROOT, file), 'utf-8').trimEnd();
    const fence = src.includes('```') ? '````' : '```';
    return `${open}${fence}${LANGUAGE[path.extname(file)] ?? ''}\n${src}\n${fence}\n${close}`;
  });
}

/** The files the README embeds. */
export function embeddedFiles(readme: string): string[] {
  return [...readme.matchAll(BLOCK)].map((m) => m[2]);
}

if (require.main === module) {
  const before = fs.readFileSync(README, 'utf-8');
  const after = renderReadme(before);
  if (after !== before) fs.writeFileSync(README, after);
  console.log(`README.md: ${embeddedFiles(after).join(', ')} ${after === before ? 'already current' : 'refreshed'}`);
}

/** One step of a start program in the README: a shell block to run, or a file to write. */
export type StartStep =
  | { readonly kind: 'shell'; readonly code: string }
  | { readonly kind: 'file'; readonly name: string; readonly content: string };

const START = /<!-- start: (\S+) -->\n([\s\S]*?)<!-- \/start -->/g;
const STEP = /<!-- example: (\S+) -->\n(`{3,4})\S*\n([\s\S]*?)\n\2\n<!-- \/example -->|```bash\n([\s\S]*?)```/g;

/**
 * The README's start programs (`<!-- start: LANGUAGE -->` … `<!-- /start -->`), each as the steps
 * a reader follows in order: every ```bash block, and every embedded file, written under its base
 * name (`examples/start/go/main.go` is `main.go`), with the content the README shows.
 */
export function startPrograms(readme: string): Map<string, StartStep[]> {
  const programs = new Map<string, StartStep[]>();
  for (const [, language, body] of readme.matchAll(START)) {
    const steps: StartStep[] = [];
    for (const m of body.matchAll(STEP)) {
      steps.push(m[1] !== undefined
        ? { kind: 'file', name: path.basename(m[1]), content: `${m[3]}\n` }
        : { kind: 'shell', code: m[4] });
    }
    programs.set(language, steps);
  }
  return programs;
}

/** The objects the README says the start programs write: `[kind, name]` rows of its table. */
export function startObjects(readme: string): Array<[string, string]> {
  const table = /<!-- start-objects -->\n([\s\S]*?)<!-- \/start-objects -->/.exec(readme)?.[1] ?? '';
  return table.split('\n')
    .map((line) => /^\| (\w+) \| `([^`]+)` \|/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]);
}
