// The README's usage snippets are the example files (test/util/readme-examples.ts copies them).
import * as fs from 'fs';
import { embeddedFiles, README, renderReadme } from './util/readme-examples';

describe('README.md', () => {
  const readme = fs.readFileSync(README, 'utf-8');

  test('embeds the reference platform in TypeScript, Python and Go', () => {
    expect(embeddedFiles(readme)).toEqual(expect.arrayContaining([
      'examples/platform/platform.ts',
      'examples/python/reference_platform.py',
      'examples/go/platform.go',
    ]));
  });

  test('its usage snippets are the example files as they are (else: npx ts-node test/util/readme-examples.ts)', () => {
    expect(readme).toBe(renderReadme(readme));
  });
});
