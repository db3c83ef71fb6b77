// The README's start programs run as copied, in TypeScript, Python and Go: each in a fresh empty
// directory, with the README's commands and files in order, against the packages the build packed
// (test/integ/support/start-programs.ts says what is substituted: only where the library comes
// from). They must write the objects the README lists, the same YAML in the three languages.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { packageSources, runStart, StartRun, startScript } from './support/start-programs';
import { README, startObjects, startPrograms } from '../util/readme-examples';

const readme = fs.readFileSync(README, 'utf-8');
const programs = startPrograms(readme);
const LANGUAGES = ['typescript', 'python', 'go'];
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-start-'));
const runs = new Map<string, StartRun>();
const OUTPUT = path.join('dist', 'databases.k8s.yaml');

beforeAll(() => {
  const sources = packageSources();
  for (const language of LANGUAGES) {
    const steps = programs.get(language);
    if (!steps) continue;
    const dir = path.join(WORK, language);
    fs.mkdirSync(dir);
    runs.set(language, runStart(startScript(steps, sources[language]), dir, 15 * 60_000));
  }
  const figures = Object.fromEntries([...runs].map(([l, r]) => [l, { seconds: r.seconds, status: r.status }]));
  console.log(`start programs (install + run, seconds): ${JSON.stringify(figures)}`);
  fs.mkdirSync(path.join(__dirname, '..', '..', 'test-reports'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, '..', '..', 'test-reports', 'start-programs.json'), `${JSON.stringify(figures, null, 2)}\n`);
}, 45 * 60_000);

afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

const kinds = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJSON()).map((o) => [o.kind, o.metadata.name]);

describe("the README's start programs, run as copied", () => {
  test('there is one for each language', () => {
    expect([...programs.keys()].sort()).toEqual([...LANGUAGES].sort());
  });

  test.each(LANGUAGES)('%s: the commands and the program run', (language) => {
    const run = runs.get(language)!;
    // On failure: the whole transcript (bash -x), so the failing line shows.
    if (run.status !== 0) throw new Error(`${language} exited ${run.status} after ${run.seconds} s:\n${run.output.slice(-20_000)}`);
    expect(run.output).toContain(`wrote ${OUTPUT}`);
  });

  test.each(LANGUAGES)('%s: writes the objects the README lists', (language) => {
    const file = path.join(runs.get(language)!.project, OUTPUT);
    expect(kinds(fs.readFileSync(file, 'utf-8'))).toEqual(startObjects(readme));
  });

  test.each(['python', 'go'])('%s: writes the same YAML as TypeScript', (language) => {
    const read = (l: string) => fs.readFileSync(path.join(runs.get(l)!.project, OUTPUT), 'utf-8');
    expect(read(language)).toBe(read('typescript'));
  });

  test.each(['python', 'go'])('%s: a jsii Node.js banner it prints is one the README explains', (language) => {
    const output = runs.get(language)!.output;
    const banner = /Node (\d+) (?:is end-of-life|has reached end-of-life)/.exec(output);
    if (banner) {
      const intro = readme.slice(readme.indexOf('## Start in five minutes'), readme.indexOf('<!-- start:'));
      const variable = /is end-of-life/.test(banner[0]) ? 'JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION' : 'JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION';
      expect(intro).toContain(`${variable}=${banner[1]}`);
    }
  });
});
