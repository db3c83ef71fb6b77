import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { defaultValidator, REPO_ROOT } from '../util/conformance';

// The README's main command writes the reference platform to dist/example/; this checks what
// it wrote (test:all runs synth:example before the integration tests).
const DIR = path.join(REPO_ROOT, 'dist', 'example');

describe('dist/example (npx projen synth:example)', () => {
  test('holds the synthesized platform, and every object passes the schemas', () => {
    expect(fs.existsSync(DIR)).toBe(true);
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.k8s.yaml'));
    expect(files.length).toBeGreaterThan(0);
    const objects = files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(DIR, f), 'utf-8')).map((d) => d.toJSON()));
    expect(objects.filter((o) => o.kind === 'Cluster').length).toBe(1);
    expect(defaultValidator().validateAll(objects)).toEqual([]);
  });
});
