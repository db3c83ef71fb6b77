// Runs the README's start programs as a reader would: each in a fresh, empty directory, with the
// README's shell blocks and files in order, in one bash script. The only change to what the README
// says is where the library comes from: the packages `npx projen package-all` built (the npm
// tarball from dist/js, the wheel from dist/python, the Go module from dist/go), instead of the
// registries it is not published to from a working copy. Everything else (cdk8s, jsii, TypeScript,
// ts-node, jsii-pacmak, Go modules) comes from npm, PyPI and the Go module proxy.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkPackages, REPO_ROOT } from './consumers';
import { StartStep } from '../../util/readme-examples';

const DIST = path.join(REPO_ROOT, 'dist');
const GO_MODULE = 'github.com/platform/cnpg-constructs-go/cnpgconstructs';

/** What is replaced in a language's shell blocks: each pattern must match exactly once. */
export interface PackageSource { readonly pattern: RegExp; readonly replacement: string }

/** Where each language's package comes from in the test: the built packages in dist/. */
export function packageSources(): Record<string, PackageSource> {
  const { wheel } = checkPackages();
  const tarball = fs.readdirSync(path.join(DIST, 'js')).find((f) => f.endsWith('.jsii.tgz') && !f.startsWith('cdk8s'));
  if (!tarball) throw new Error("no npm tarball in dist/js: build it with 'npx projen package-all'");
  return {
    typescript: { pattern: /(?<=npm install )@platform\/cnpg-constructs(?=\s)/g, replacement: path.join(DIST, 'js', tarball) },
    python: { pattern: /(?<=pip install )platform-cnpg-constructs(?=\s)/g, replacement: wheel },
    go: {
      pattern: new RegExp(`^go get ${GO_MODULE.replace(/[./]/g, '\\$&')}$`, 'gm'),
      // A local module has no version to resolve: point the requirement at dist/go.
      replacement: `go mod edit -replace ${GO_MODULE}=${path.join(DIST, 'go', 'cnpgconstructs')}\ngo get ${GO_MODULE}@v0.0.0`,
    },
  };
}

/** The bash script of a start program, with the package source substituted. */
export function startScript(steps: StartStep[], source: PackageSource): string {
  let substitutions = 0;
  const lines = ['set -euo pipefail', 'set -x'];
  for (const step of steps) {
    if (step.kind === 'shell') {
      lines.push(step.code.replace(source.pattern, () => {
        substitutions++;
        return source.replacement;
      }));
    } else {
      const marker = 'CNPG_START_EOF';
      if (step.content.includes(marker)) throw new Error(`${step.name} contains ${marker}`);
      lines.push(`cat > ${step.name} <<'${marker}'`, step.content.replace(/\n$/, ''), marker);
    }
  }
  if (substitutions !== 1) {
    throw new Error(`the README's install commands must name the package once, as ${source.pattern} (found ${substitutions})`);
  }
  return `${lines.join('\n')}\n`;
}

export interface StartRun {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
  /** The directory the program ran in (the README's `cd` included). */
  readonly project: string;
}

/** Runs a start program's script in `dir` (empty), with the user's environment. */
export function runStart(script: string, dir: string, timeoutMs: number): StartRun {
  fs.writeFileSync(path.join(dir, 'start.sh'), script);
  // As a user's shell has it: no silencing of jsii's Node.js warnings that projen's tasks set.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JSII_SILENCE_')));
  const start = Date.now();
  const r = spawnSync('bash', ['start.sh'], { cwd: dir, env, encoding: 'utf-8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const seconds = (Date.now() - start) / 1000;
  const cd = /^mkdir (\S+) && cd \1/m.exec(script)?.[1];
  return {
    status: r.status,
    output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`,
    seconds,
    project: cd ? path.join(dir, cd) : dir,
  };
}
