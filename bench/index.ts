// The performance bench of issue #16: every figure side by side in one run, CPU time (user + system
// of the child process and its descendants), paired runs, ratios against the goals.
// Prints figures; asserts nothing (tests never assert timings).
//
//   npx projen bench                       (compiles lib/ first, then runs this file)
//   npx ts-node bench/index.ts [--runs N] [--app-runs N] [--apps 1,10,100,500] [--no-consumers] [--only a,b,...]
//
// (a) the reference platform synth, the library vs a raw floor: a program that builds the same
//     objects as plain cdk8s ApiObjects (written here from the library's own output) and synthesizes
//     them; both are plain JavaScript (esbuild bundles of the program; the library as the compiled
//     lib/ a consumer requires; cdk8s, constructs and cdk8s-plus-30 from node_modules);
// (b) require() of the library vs require('cdk8s-plus-30');
// (c) N applications with backup and monitoring (bench/programs/apps.ts), library and floor, with
//     a linear fit (CPU = a + b N);
// (d) Python and Go vs TypeScript end to end on the reference platform (needs the packages of
//     `npx projen package-all` in dist/; skipped with a note otherwise);
// (e) the packed npm tarball (`npm pack --dry-run`), (f) the modules require() loads, and the
//     import cycles of src/ (every import, `import type` included).
// docs/development/performance.md explains the method and records the figures.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { build } from 'esbuild';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { checkPackages, prepareGo, preparePython, REPO_ROOT } from '../test/integ/support/consumers';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------
function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
/** Pairs of runs for (a), (b) and rounds for (d). */
const RUNS = Number(option('runs', '9'));
/** Pairs of runs per N for (c). */
const APP_RUNS = Number(option('app-runs', '3'));
const APP_COUNTS = option('apps', '1,10,100,500').split(',').map(Number);
const CONSUMERS = !process.argv.includes('--no-consumers');
/** The parts to run (the import cycles are always counted). */
const ONLY = new Set(option('only', 'a,b,c,d,e,f').split(','));

const WORK = path.join(REPO_ROOT, '.cache', 'bench');
/** What a program that requires the package loads: package.json's `main` (lib/bundle/index.js, scripts/bundle-lib.js). */
const LIB = path.join(REPO_ROOT, JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf-8')).main);
const SETTINGS_FILE = path.join(REPO_ROOT, 'vendor', 'reference', 'k8s-gitops', 'kubernetes', 'clusters', 'infra', 'cluster-settings.yaml');
const CPU_TIME = path.join(__dirname, 'cpu-time.py');
// Where test/integ/support/consumers.ts prepares the Python venv and the Go binary.
const PY_VENV = path.join(REPO_ROOT, '.cache', 'py-consumer');
const GO_BIN = path.join(REPO_ROOT, '.cache', 'go-consumer', 'platform');

/** The goals of issue #16. */
const GOALS = {
  platformVsFloor: 1.6,
  apps500Seconds: 2.0,
  requireVsPlus: 1.3,
  pythonVsTypescript: 2.0,
  tarballBytes: 1_000_000,
  importCycles: 0,
};

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------
interface Command {
  readonly label: string;
  readonly argv: string[];
  readonly cwd?: string;
  readonly env?: Record<string, string>;
}

interface Sample {
  readonly cpu: number;
  readonly wall: number;
}

/** Runs a command under bench/cpu-time.py; throws with its stderr when it fails. */
function measure(cmd: Command): Sample {
  const r = spawnSync('python3', [CPU_TIME, ...cmd.argv], {
    cwd: cmd.cwd ?? REPO_ROOT,
    env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', ...cmd.env },
    encoding: 'utf-8',
  });
  if (r.status !== 0) throw new Error(`bench/cpu-time.py ${cmd.argv.join(' ')}: ${r.stderr || r.error}`);
  const out = JSON.parse(r.stdout);
  if (out.status !== 0) throw new Error(`${cmd.label} (${cmd.argv.join(' ')}) exited ${out.status}:\n${out.stderr}`);
  return { cpu: out.cpu, wall: out.wall };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Paired {
  /** CPU seconds of each command, per round. */
  readonly cpu: number[][];
  /** Medians of each command's CPU seconds. */
  readonly medians: number[];
  /** Median over the rounds of (command i / command 0). */
  readonly ratios: number[];
}

/**
 * Runs the commands in rounds (one warm-up round first, not counted), the order reversed every
 * other round, so that drift of a shared machine falls on all of them alike; ratios are taken
 * within a round.
 */
function paired(commands: Command[], rounds: number): Paired {
  for (const c of commands) measure(c);
  const cpu: number[][] = commands.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = commands.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) cpu[i].push(measure(commands[i]).cpu);
  }
  const medians = cpu.map(median);
  const ratios = cpu.map((xs) => median(xs.map((x, round) => x / cpu[0][round])));
  return { cpu, medians, ratios };
}

const s = (seconds: number) => `${seconds.toFixed(3)} s`;
const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`;
const x = (ratio: number) => `${ratio.toFixed(2)}×`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// Building the programs
// ---------------------------------------------------------------------------------------------
/**
 * Bundles a TypeScript program into plain JavaScript, as a consumer of the package runs it: the
 * program is bundled, the library stays the compiled lib/ (required, not bundled), and cdk8s,
 * constructs and cdk8s-plus-30 come from node_modules.
 */
async function bundle(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    external: ['cdk8s', 'constructs', 'cdk8s-plus-30'],
    plugins: [{
      name: 'library-as-compiled',
      setup(b) {
        b.onResolve({ filter: /(^|\/)src(\/index)?$/ }, (args) => {
          const resolved = path.resolve(args.resolveDir, args.path);
          if (resolved !== path.join(REPO_ROOT, 'src') && resolved !== path.join(REPO_ROOT, 'src', 'index')) return undefined;
          return { path: LIB, external: true };
        });
        // Nothing else of src/ may be bundled: the library is what lib/ holds.
        b.onLoad({ filter: /\.ts$/ }, (args) => {
          if (args.path.startsWith(path.join(REPO_ROOT, 'src') + path.sep)) {
            return { errors: [{ text: `${path.relative(REPO_ROOT, args.path)} would be bundled: import the library from its index` }] };
          }
          return undefined;
        });
      },
    }],
  });
  return outfile;
}

/**
 * The raw floor: a program that creates, as plain cdk8s ApiObjects, the objects the library wrote
 * into `yamlFile`, in the same chart and order, and synthesizes them. The objects are embedded as
 * a JSON string (JSON.parse is the cheapest way for V8 to build them).
 */
function writeFloor(yamlFile: string, chartId: string, outfile: string): string {
  const objects = parseAllDocuments(fs.readFileSync(yamlFile, 'utf-8')).map((d) => d.toJSON()).filter((o) => o !== null);
  const program = [
    '// Generated by bench/index.ts: the objects of the library\'s output as plain ApiObjects.',
    '\'use strict\';',
    'const { ApiObject, App, Chart } = require(\'cdk8s\');',
    `const objects = JSON.parse(${JSON.stringify(JSON.stringify(objects))});`,
    'const app = new App({ outdir: process.argv[2] });',
    `const chart = new Chart(app, ${JSON.stringify(chartId)});`,
    'objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));',
    'app.synth();',
    '',
  ].join('\n');
  fs.writeFileSync(outfile, program);
  return outfile;
}

/** Fails unless the floor wrote exactly what the library wrote (otherwise it is not the same objects). */
function sameOutput(libraryDir: string, floorDir: string, file: string): void {
  const a = fs.readFileSync(path.join(libraryDir, file), 'utf-8');
  const b = fs.readFileSync(path.join(floorDir, file), 'utf-8');
  if (a !== b) throw new Error(`the floor's ${file} differs from the library's: the floor does not build the same objects`);
}

// ---------------------------------------------------------------------------------------------
// Static figures
// ---------------------------------------------------------------------------------------------
/** `npm pack --dry-run`: what the package would hold (the tarball jsii-pacmak writes is this one). */
function packedSize(): { size: number; unpacked: number; files: number; parts: Array<[string, number, number]> } {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`npm pack --dry-run: ${r.stderr}`);
  const [info] = JSON.parse(r.stdout);
  const parts = new Map<string, [number, number]>();
  for (const f of info.files as Array<{ path: string; size: number }>) {
    const p = f.path.split('/');
    const key = p[0] === 'node_modules' ? `node_modules/${p[1].startsWith('@') ? `${p[1]}/${p[2]}` : p[1]}`
      : p[0] === 'lib' ? (f.path.endsWith('.map') ? 'lib/**/*.js.map' : f.path.endsWith('.d.ts') ? 'lib/**/*.d.ts' : p[1] === 'imports' ? 'lib/imports/*.js' : 'lib/**/*.js')
        : p[0];
    const [n, size] = parts.get(key) ?? [0, 0];
    parts.set(key, [n + 1, size + f.size]);
  }
  return {
    size: info.size,
    unpacked: info.unpackedSize,
    files: info.entryCount,
    parts: [...parts.entries()].map(([k, [n, size]]) => [k, n, size] as [string, number, number]).sort((a, b) => b[2] - a[2]),
  };
}

/** The modules a require() of `target` loads, by package. */
function modulesLoaded(target: string): { total: number; byPackage: Array<[string, number]> } {
  // Packages count by their first node_modules/ folder (cdk8s' bundled yaml counts as cdk8s).
  const script = `require(${JSON.stringify(target)});
const out = {};
for (const f of Object.keys(require.cache)) {
  const m = /[\\/]node_modules[\\/]((@[^/\\\\]+[\\/])?[^/\\\\]+)/.exec(f);
  const k = m ? m[1] : 'the library (lib/)';
  out[k] = (out[k] || 0) + 1;
}
console.log(JSON.stringify(out));`;
  const r = spawnSync('node', ['-e', script], { cwd: REPO_ROOT, encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const byPackage = Object.entries(JSON.parse(r.stdout) as Record<string, number>).sort((a, b) => b[1] - a[1]);
  return { total: byPackage.reduce((t, [, n]) => t + n, 0), byPackage };
}

/**
 * Import cycles among src/ files (strongly connected components of more than one file, or a
 * self-import). With `withTypeImports`, `import type` counts too, as in the TypeScript compiler's graph
 * (and madge's): a cycle of types is still a cycle of the design.
 */
function importCycles(withTypeImports: boolean): string[][] {
  const root = path.join(REPO_ROOT, 'src');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.push(p);
    }
  };
  walk(root);
  const resolve = (from: string, spec: string): string | undefined => {
    if (!spec.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(from), spec);
    return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
  };
  const edges = new Map<string, string[]>();
  for (const f of files) {
    const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf-8'), ts.ScriptTarget.ES2022, false);
    const out: string[] = [];
    for (const st of sf.statements) {
      let spec: string | undefined;
      if (ts.isImportDeclaration(st) && (withTypeImports || !st.importClause?.isTypeOnly)) spec = (st.moduleSpecifier as ts.StringLiteral).text;
      if (ts.isExportDeclaration(st) && (withTypeImports || !st.isTypeOnly) && st.moduleSpecifier) spec = (st.moduleSpecifier as ts.StringLiteral).text;
      if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) spec = (st.moduleReference.expression as ts.StringLiteral).text;
      const target = spec && resolve(f, spec);
      if (target) out.push(target);
    }
    edges.set(f, out);
  }
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const sccs: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) sccs.push(scc.map((f) => path.relative(REPO_ROOT, f)).sort());
    }
  };
  for (const f of files) if (!idx.has(f)) strong(f);
  return sccs;
}

/** Least squares: y = a + b x; and the largest relative residual. */
function linearFit(xs: number[], ys: number[]): { a: number; b: number; worst: number } {
  const n = xs.length;
  const mx = xs.reduce((t, v) => t + v, 0) / n;
  const my = ys.reduce((t, v) => t + v, 0) / n;
  const b = xs.reduce((t, v, i) => t + (v - mx) * (ys[i] - my), 0) / xs.reduce((t, v) => t + (v - mx) ** 2, 0);
  const a = my - b * mx;
  const worst = Math.max(...xs.map((v, i) => Math.abs(ys[i] - (a + b * v)) / ys[i]));
  return { a, b, worst };
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------
interface Row {
  readonly what: string;
  readonly figure: string;
  readonly goal: string;
  readonly met?: boolean;
}

/** (a) The reference platform: the library vs the raw floor. */
function platformVsFloor(platformJs: string, rows: Row[]): void {
  const platformOut = path.join(WORK, 'out-platform');
  const library: Command = { label: 'library', argv: ['node', platformJs], env: { CNPG_SETTINGS_FILE: SETTINGS_FILE, CNPG_EXAMPLE_OUTDIR: platformOut } };
  measure(library);
  const floorJs = writeFloor(path.join(platformOut, 'shared-postgres.k8s.yaml'), 'shared-postgres', path.join(WORK, 'floor-platform.js'));
  const floorOut = path.join(WORK, 'out-floor');
  const floor: Command = { label: 'floor', argv: ['node', floorJs, floorOut] };
  measure(floor);
  sameOutput(platformOut, floorOut, 'shared-postgres.k8s.yaml');
  const a = paired([floor, library], RUNS);
  log('(a) reference platform synth (compiled JavaScript, whole process)');
  log(`    raw floor (the same ${countObjects(path.join(platformOut, 'shared-postgres.k8s.yaml'))} objects as ApiObjects): ${s(a.medians[0])}`);
  log(`    library: ${s(a.medians[1])}   library / floor: ${x(a.ratios[1])}`);
  rows.push({
    what: 'reference platform synth / raw floor',
    figure: `${x(a.ratios[1])} (${s(a.medians[1])} vs ${s(a.medians[0])})`,
    goal: `≤ ${GOALS.platformVsFloor.toFixed(1)}×`,
    met: a.ratios[1] <= GOALS.platformVsFloor,
  });
}

/** (b) require() of the library vs cdk8s-plus-30 (and node alone, for the fixed cost). */
function requireVsPlus(rows: Row[]): void {
  const empty: Command = { label: 'node', argv: ['node', '-e', '0'] };
  const plus: Command = { label: 'cdk8s-plus-30', argv: ['node', '-e', 'require("cdk8s-plus-30")'] };
  const lib: Command = { label: 'library', argv: ['node', '-e', `require(${JSON.stringify(LIB)})`] };
  const b = paired([plus, lib, empty], RUNS);
  log('\n(b) require()');
  log(`    node alone: ${s(b.medians[2])}; require('cdk8s-plus-30'): ${s(b.medians[0])}; require of the library: ${s(b.medians[1])}`);
  log(`    library / cdk8s-plus-30: ${x(b.ratios[1])} (above node alone: ${ms(b.medians[1] - b.medians[2])} vs ${ms(b.medians[0] - b.medians[2])})`);
  rows.push({
    what: 'require: library / cdk8s-plus-30',
    figure: `${x(b.ratios[1])} (${s(b.medians[1])} vs ${s(b.medians[0])})`,
    goal: `≤ ${GOALS.requireVsPlus.toFixed(1)}×`,
    met: b.ratios[1] <= GOALS.requireVsPlus,
  });
}

/** (c) N applications with backup and monitoring, the library and its floor, and the linear fit. */
async function applications(rows: Row[]): Promise<void> {
  const appsJs = await bundle(path.join(__dirname, 'programs', 'apps.ts'), path.join(WORK, 'apps.js'));
  log('\n(c) N applications with backup and monitoring (compiled JavaScript, whole process)');
  const libSeconds: number[] = [];
  const floorSeconds: number[] = [];
  for (const n of APP_COUNTS) {
    const out = path.join(WORK, `out-apps-${n}`);
    const appsLib: Command = { label: `library N=${n}`, argv: ['node', appsJs, String(n), out], env: { CNPG_SETTINGS_FILE: SETTINGS_FILE } };
    measure(appsLib);
    const floorN = writeFloor(path.join(out, 'apps.k8s.yaml'), 'apps', path.join(WORK, `floor-apps-${n}.js`));
    const outFloor = path.join(WORK, `out-floor-apps-${n}`);
    const appsFloor: Command = { label: `floor N=${n}`, argv: ['node', floorN, outFloor] };
    measure(appsFloor);
    sameOutput(out, outFloor, 'apps.k8s.yaml');
    const r = paired([appsFloor, appsLib], APP_RUNS);
    libSeconds.push(r.medians[1]);
    floorSeconds.push(r.medians[0]);
    const objects = countObjects(path.join(out, 'apps.k8s.yaml'));
    log(`    N=${String(n).padStart(3)}: library ${s(r.medians[1])}, floor ${s(r.medians[0])} (${objects} objects), library / floor ${x(r.ratios[1])}`);
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(outFloor, { recursive: true, force: true });
  }
  if (APP_COUNTS.length >= 2) {
    const fit = linearFit(APP_COUNTS, libSeconds);
    const floorFit = linearFit(APP_COUNTS, floorSeconds);
    log(`    linear fit, library: ${s(fit.a)} + ${ms(fit.b)} per application (largest residual ${(fit.worst * 100).toFixed(1)} %)`);
    log(`    linear fit, floor:   ${s(floorFit.a)} + ${ms(floorFit.b)} per application (largest residual ${(floorFit.worst * 100).toFixed(1)} %)`);
    const k = APP_COUNTS.length;
    if (k >= 3) {
      const slope = (i: number, j: number) => (libSeconds[j] - libSeconds[i]) / (APP_COUNTS[j] - APP_COUNTS[i]);
      log(`    library per application between N=${APP_COUNTS[k - 3]} and ${APP_COUNTS[k - 2]}: ${ms(slope(k - 3, k - 2))}; `
        + `between ${APP_COUNTS[k - 2]} and ${APP_COUNTS[k - 1]}: ${ms(slope(k - 2, k - 1))} (equal when linear, growing when quadratic)`);
    }
    rows.push({ what: 'per-application cost (slope of the fit)', figure: `${ms(fit.b)} (floor ${ms(floorFit.b)}); intercept ${s(fit.a)}`, goal: 'linear' });
  }
  const i500 = APP_COUNTS.indexOf(500);
  if (i500 >= 0) {
    rows.push({
      what: '500 applications with backup and monitoring',
      figure: `${s(libSeconds[i500])} (floor ${s(floorSeconds[i500])})`,
      goal: `≤ ${GOALS.apps500Seconds.toFixed(1)} s`,
      met: libSeconds[i500] <= GOALS.apps500Seconds,
    });
  }
}

/** (d) Python and Go vs TypeScript (the compiled platform program), end to end. */
function consumers(platformJs: string, rows: Row[]): void {
  log('\n(d) Python and Go vs TypeScript, reference platform end to end (whole process tree)');
  let skipped: string | undefined;
  if (!CONSUMERS) {
    skipped = '--no-consumers';
  } else {
    try {
      checkPackages();
    } catch (e) {
      skipped = (e as Error).message;
    }
  }
  if (skipped) {
    log(`    skipped: ${skipped}`);
    rows.push({ what: 'Python / TypeScript', figure: 'skipped (see above)', goal: `≤ ${GOALS.pythonVsTypescript.toFixed(1)}×` });
    return;
  }
  preparePython();
  prepareGo();
  const out = (l: string) => ({ CNPG_SETTINGS_FILE: SETTINGS_FILE, CNPG_EXAMPLE_OUTDIR: path.join(WORK, `out-${l}`) });
  const tsRun: Command = { label: 'typescript', argv: ['node', platformJs], env: out('ts') };
  const pyRun: Command = { label: 'python', argv: [path.join(PY_VENV, 'bin', 'python'), 'main.py'], cwd: path.join(REPO_ROOT, 'examples', 'python'), env: out('py') };
  const goRun: Command = { label: 'go', argv: [GO_BIN], cwd: path.join(REPO_ROOT, 'examples', 'go'), env: out('go') };
  // The same languages' floor: an empty cdk8s app (one chart, synthesized), which is what every
  // jsii consumer pays before the library does anything (the jsii runtime, its Node.js process,
  // the cdk8s and constructs assemblies).
  const emptyOut = path.join(WORK, 'out-empty');
  const tsEmpty: Command = {
    label: 'typescript, empty cdk8s app',
    argv: ['node', '-e', `const { App, Chart } = require('cdk8s'); const app = new App({ outdir: ${JSON.stringify(emptyOut)} }); new Chart(app, 'c'); app.synth();`],
  };
  const pyEmpty: Command = {
    label: 'python, empty cdk8s app',
    argv: [path.join(PY_VENV, 'bin', 'python'), '-c', `import cdk8s; app = cdk8s.App(outdir=${JSON.stringify(emptyOut)}); cdk8s.Chart(app, 'c'); app.synth()`],
  };
  const d = paired([tsRun, pyRun, goRun, tsEmpty, pyEmpty], RUNS);
  log(`    TypeScript (compiled JavaScript): ${s(d.medians[0])}; Python: ${s(d.medians[1])} (${x(d.ratios[1])}); Go: ${s(d.medians[2])} (${x(d.ratios[2])})`);
  // Above each language's empty app: what the library itself costs in it.
  const tsAbove = d.cpu[0].map((v, i) => v - d.cpu[3][i]);
  const pyAbove = d.cpu[1].map((v, i) => v - d.cpu[4][i]);
  log(`    an empty cdk8s app: TypeScript ${s(d.medians[3])}, Python ${s(d.medians[4])} (${x(d.ratios[4] / d.ratios[3])} of TypeScript's)`);
  log(`    above the empty app: TypeScript ${s(median(tsAbove))}, Python ${s(median(pyAbove))} (${x(median(pyAbove.map((v, i) => v / tsAbove[i])))})`);
  rows.push({
    what: 'Python / TypeScript',
    figure: `${x(d.ratios[1])} (${s(d.medians[1])} vs ${s(d.medians[0])})`,
    goal: `≤ ${GOALS.pythonVsTypescript.toFixed(1)}×`,
    met: d.ratios[1] <= GOALS.pythonVsTypescript,
  });
  rows.push({ what: 'Go / TypeScript', figure: `${x(d.ratios[2])} (${s(d.medians[2])})`, goal: '-' });
}

/** (e) The packed tarball. */
function tarball(rows: Row[]): void {
  const pack = packedSize();
  log(`\n(e) npm tarball: ${mb(pack.size)} packed, ${mb(pack.unpacked)} unpacked, ${pack.files} files`);
  for (const [k, n, size] of pack.parts.slice(0, 8)) log(`    ${k.padEnd(34)} ${String(n).padStart(4)} files ${mb(size).padStart(9)} unpacked`);
  rows.push({ what: 'npm tarball, packed', figure: mb(pack.size), goal: `≤ ${mb(GOALS.tarballBytes)}`, met: pack.size <= GOALS.tarballBytes });
}

/** (f) The modules require() loads. */
function modules(rows: Row[]): void {
  const mods = modulesLoaded(LIB);
  const plusMods = modulesLoaded('cdk8s-plus-30');
  log(`\n(f) modules loaded by require: library ${mods.total} (${mods.byPackage.map(([k, n]) => `${k} ${n}`).join(', ')}); cdk8s-plus-30 ${plusMods.total}`);
  rows.push({ what: 'modules loaded by require (library)', figure: `${mods.total} (cdk8s-plus-30: ${plusMods.total})`, goal: '-' });
}

/** The import cycles of src/. */
function cycles(rows: Row[]): void {
  const all = importCycles(true);
  const runtime = importCycles(false);
  log(`\nimport cycles in src/ (every import, \`import type\` included): ${all.length}${all.map((c) => `\n    ${c.length} files: ${c.join(', ')}`).join('')}`);
  log(`import cycles in src/ between modules at run time (\`import type\` left out): ${runtime.length}`);
  rows.push({ what: 'import cycles in src/', figure: all.length ? `${all.length} (${all.map((c) => `${c.length} files`).join(', ')})` : '0', goal: '0', met: all.length === GOALS.importCycles });
}

async function main(): Promise<void> {
  if (!fs.existsSync(LIB)) throw new Error('lib/ is missing: run `npx projen compile` (or `npx projen bench`, which compiles first)');
  const newestSource = Math.max(...fs.readdirSync(path.join(REPO_ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile()).map((e) => fs.statSync(path.join(e.parentPath, e.name)).mtimeMs));
  if (fs.statSync(LIB).mtimeMs < newestSource) {
    throw new Error('lib/ is older than src/: run `npx projen compile` (or `npx projen bench`, which compiles first)');
  }
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  const head = spawnSync('git', ['log', '-1', '--format=%h %s'], { cwd: REPO_ROOT, encoding: 'utf-8' }).stdout.trim();
  log(`bench of ${head}`);
  log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  log(`CPU time = user + system of the child process and its descendants (bench/cpu-time.py); ${RUNS} paired rounds after a warm-up, medians\n`);

  const rows: Row[] = [];
  const platformJs = await bundle(path.join(REPO_ROOT, 'examples', 'platform', 'main.ts'), path.join(WORK, 'platform.js'));
  if (ONLY.has('a')) platformVsFloor(platformJs, rows);
  if (ONLY.has('b')) requireVsPlus(rows);
  if (ONLY.has('f')) modules(rows);
  if (ONLY.has('c')) await applications(rows);
  if (ONLY.has('d')) consumers(platformJs, rows);
  if (ONLY.has('e')) tarball(rows);
  cycles(rows);

  const w = [Math.max(...rows.map((r) => r.what.length)), Math.max(...rows.map((r) => r.figure.length)), Math.max(...rows.map((r) => r.goal.length))];
  log(`\n${'figure'.padEnd(w[0])} | ${'measured'.padEnd(w[1])} | ${'goal'.padEnd(w[2])} | met`);
  log(`${'-'.repeat(w[0])}-|-${'-'.repeat(w[1])}-|-${'-'.repeat(w[2])}-|----`);
  for (const r of rows) log(`${r.what.padEnd(w[0])} | ${r.figure.padEnd(w[1])} | ${r.goal.padEnd(w[2])} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'}`);
}

function countObjects(yamlFile: string): number {
  return parseAllDocuments(fs.readFileSync(yamlFile, 'utf-8')).filter((d) => d.contents !== null).length;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : e}\n`);
  process.exit(1);
});
