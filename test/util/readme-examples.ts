// The README's usage snippets for TypeScript, Python and Go ARE the example files: each block
// between `<!-- example: PATH -->` and `<!-- /example -->` is the file PATH, verbatim, fenced.
// `npx ts-node test/util/readme-examples.ts` rewrites README.md; test/readme.test.ts fails when the
// README differs from what this would write, so the README cannot drift from the examples.
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const README = path.join(ROOT, 'README.md');

const LANGUAGE: Record<string, string> = { '.ts': 'ts', '.py': 'python', '.go': 'go', '.mod': 'go' };
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
