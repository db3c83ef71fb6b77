import * as fs from 'fs';
import { parseArgs } from 'util';
import { ManifestAudit } from './manifest-audit';
import { packageVersion } from './report';
import { CnpgVersion } from '../versions/cnpg-version';

/**
 * `cnpg-constructs audit <paths...> [--settings FILE] [--operator-version X.Y.Z]
 * [--operator-namespace NS] [--format text|json|sarif] [--output FILE] [--strict-substitution]`
 *
 * Exit codes: 0 no errors, 1 errors found, 2 usage or I/O error. The package's `bin` entry
 * (bin/cnpg-constructs) calls `main`.
 */

const USAGE = `Usage: cnpg-constructs audit <file-or-directory>... [options]

Runs the checks of @platform/cnpg-constructs over existing CloudNativePG manifests (multi-document
YAML; directories are read recursively) and reports each problem per object, with its fix.

Options:
  --settings FILE            the Flux cluster-settings ConfigMap: its variables are substituted as
                             Flux does, and CNPG_OPERATOR_VERSION gives the operator release
  --operator-version X.Y.Z   the CloudNativePG release the manifests target (default: from the
                             settings, else ${CnpgVersion.DEFAULT.release})
  --operator-namespace NS    the operator's namespace (default: cnpg-system)
  --reserved-connections N   connections per instance kept out of the poolers' budget (default: 10)
  --strict-substitution      substitute as Flux with StrictPostBuildSubstitutions
  --format text|json|sarif   the report's format (default: text)
  --output FILE              write the report to FILE instead of standard output
  --rules                    list the rules and exit
  -h, --help                 this help
  --version                  the package's version

Exit code: 0 no errors (warnings and notes allowed), 1 errors found, 2 usage or I/O error.
`;

/** Where the CLI writes (standard output and error unless a test gives its own). @internal */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const STDIO: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * Runs the command line; returns the exit code.
 *
 * @internal
 */
export function main(argv: string[], io: CliIo = STDIO): number {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'audit') {
    io.err(`cnpg-constructs: unknown command "${command}" (the command is "audit")\n\n${USAGE}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        'settings': { type: 'string' },
        'operator-version': { type: 'string' },
        'operator-namespace': { type: 'string' },
        'reserved-connections': { type: 'string' },
        'strict-substitution': { type: 'boolean' },
        'format': { type: 'string', default: 'text' },
        'output': { type: 'string', short: 'o' },
        'rules': { type: 'boolean' },
        'help': { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`cnpg-constructs audit: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.rules) {
    for (const r of ManifestAudit.rules()) io.out(`${r.id.padEnd(25)} ${r.severity.padEnd(8)} ${r.description}\n`);
    return 0;
  }
  const format = String(values.format);
  if (!['text', 'json', 'sarif'].includes(format)) {
    io.err(`cnpg-constructs audit: --format ${format} is not one of text, json, sarif\n`);
    return 2;
  }
  if (!positionals.length) {
    io.err(`cnpg-constructs audit: give at least one file or directory\n\n${USAGE}`);
    return 2;
  }
  for (const p of [...positionals, ...(values.settings ? [values.settings] : [])]) {
    if (!fs.existsSync(p)) {
      io.err(`cnpg-constructs audit: ${p}: no such file or directory\n`);
      return 2;
    }
  }
  let reserved: number | undefined;
  if (values['reserved-connections'] !== undefined) {
    // Digits only: Number() reads '' and ' ' as 0, '0x10' as 16, '1e1' as 10.
    if (!/^\d+$/.test(values['reserved-connections'])) {
      io.err(`cnpg-constructs audit: --reserved-connections ${values['reserved-connections']} is not a whole number of zero or more\n`);
      return 2;
    }
    reserved = Number(values['reserved-connections']);
  }
  let audit: ManifestAudit;
  try {
    audit = ManifestAudit.ofPaths(positionals, {
      settingsFile: values.settings,
      operatorVersion: values['operator-version'] ? CnpgVersion.of(values['operator-version']) : undefined,
      operatorNamespace: values['operator-namespace'],
      reservedConnections: reserved,
      strictSubstitution: values['strict-substitution'],
    });
  } catch (e) {
    io.err(`cnpg-constructs audit: ${(e as Error).message}\n`);
    return 2;
  }
  const report = format === 'json' ? audit.toJson() : format === 'sarif' ? audit.toSarif() : audit.toText();
  if (values.output) {
    try {
      fs.writeFileSync(values.output, report);
    } catch (e) {
      io.err(`cnpg-constructs audit: cannot write ${values.output}: ${(e as Error).message}\n`);
      return 2;
    }
    io.err(`cnpg-constructs audit: ${audit.errorCount} errors, ${audit.warningCount} warnings; report written to ${values.output}\n`);
  } else {
    io.out(report);
  }
  return audit.errorCount > 0 ? 1 : 0;
}
