import * as fs from 'fs';
import * as path from 'path';
import type { AuditedObject, AuditFinding, SkippedDocument } from './finding';
import { AuditSeverity } from './finding';
import { AUDIT_RULES } from './rules';
import type { CnpgVersion } from '../versions/cnpg-version';

/**
 * The audit's reports: text (one block per object), JSON (schema in assets/audit/report.schema.json,
 * documented in docs/guides/audit.md) and SARIF 2.1.0.
 */

/** What a report needs of an audit. @internal */
export interface AuditData {
  readonly findings: AuditFinding[];
  readonly objects: AuditedObject[];
  readonly skipped: SkippedDocument[];
  readonly files: string[];
  readonly operatorVersion: CnpgVersion;
  readonly settingsFile?: string;
  readonly refusedObjects: AuditedObject[];
}

/** The JSON report's schema version: bumped only by an incompatible change. @internal */
export const REPORT_SCHEMA_VERSION = 1;
const TOOL = 'cnpg-constructs audit';
const INFO_URI = 'https://github.com/platform/cnpg-constructs/blob/main/docs/guides/audit.md';

/** The package's version (its package.json). @internal */
export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function counts(a: AuditData) {
  const n = (s: AuditSeverity) => a.findings.filter((f) => f.severity === s).length;
  return { errors: n(AuditSeverity.ERROR), warnings: n(AuditSeverity.WARNING), notes: n(AuditSeverity.NOTE) };
}

function objectLabel(kind: string, namespace: string | undefined, name: string): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The field and the value found, as the messages write them before the problem (`path = value `, or the value alone for a whole object). */
function fieldText(f: AuditFinding): string {
  return f.path ? `${f.path}${f.value !== undefined ? ` = ${f.value}` : ''} ` : f.value !== undefined ? `${f.value} ` : '';
}

/** The text report. @internal */
export function auditText(a: AuditData): string {
  const c = counts(a);
  const lines: string[] = [];
  lines.push(`${TOOL}: ${a.objects.length} objects in ${a.files.length} files, CloudNativePG ${a.operatorVersion.release}`
    + `${a.settingsFile ? `, Flux variables from ${a.settingsFile}` : ', no settings (Flux variables left as written)'}`);
  for (const s of a.skipped) lines.push(`  skipped ${s.file}:${s.line}: ${s.reason}`);
  const unchecked = new Map<string, number>();
  for (const o of a.objects) if (!o.schemaChecked) unchecked.set(`${o.apiVersion} ${o.kind}`, (unchecked.get(`${o.apiVersion} ${o.kind}`) ?? 0) + 1);
  if (unchecked.size) lines.push(`  no schema for: ${[...unchecked].map(([k, n]) => `${k} (${n})`).join(', ')}: their other rules still apply`);
  let current = '';
  for (const f of a.findings) {
    const head = `${f.file}:${f.line}${f.kind ? ` ${objectLabel(f.kind, f.namespace, f.name)}` : ''}`;
    const key = `${f.file}\0${f.kind}\0${f.namespace}\0${f.name}`;
    if (key !== current) {
      lines.push('', head);
      current = key;
    }
    lines.push(`  ${f.severity.padEnd(7)} ${f.ruleId}: ${fieldText(f)}${f.problem}.`);
    lines.push(`          Fix: ${f.fix}`);
  }
  const refused = a.refusedObjects;
  lines.push('');
  if (refused.length) {
    lines.push(`${refused.length} of ${a.objects.length} objects are refused by the CRD schemas or the operator's webhook of CloudNativePG ${a.operatorVersion.release}: `
      + refused.map((o) => objectLabel(o.kind, o.namespace, o.name)).join(', '));
  }
  lines.push(`${c.errors} errors, ${c.warnings} warnings, ${c.notes} notes`);
  return lines.join('\n') + '\n';
}

/** The JSON report. @internal */
export function auditJson(a: AuditData): string {
  const c = counts(a);
  const strip = <T extends object>(o: T) => JSON.parse(JSON.stringify(o));
  return JSON.stringify({
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL, version: packageVersion() },
    operatorVersion: a.operatorVersion.release,
    settingsFile: a.settingsFile ?? null,
    summary: { files: a.files.length, objects: a.objects.length, refusedObjects: a.refusedObjects.length, ...c },
    files: a.files,
    objects: a.objects.map(strip),
    skipped: a.skipped.map(strip),
    refusedObjects: a.refusedObjects.map((o) => ({ file: o.file, kind: o.kind, name: o.name, namespace: o.namespace })).map(strip),
    findings: a.findings.map(strip),
  }, null, 2) + '\n';
}

/** The SARIF 2.1.0 report. @internal */
export function auditSarif(a: AuditData): string {
  const rules = AUDIT_RULES.map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: r.description },
    fullDescription: { text: `${r.description} Library check: ${r.libraryCheck}.` },
    defaultConfiguration: { level: r.severity },
    helpUri: `${INFO_URI}#rule-${r.id}`,
  }));
  const results = a.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: AUDIT_RULES.findIndex((r) => r.id === f.ruleId),
    level: f.severity,
    message: { text: `${f.kind ? `${objectLabel(f.kind, f.namespace, f.name)}: ` : ''}${fieldText(f)}${f.problem}. Fix: ${f.fix}` },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: toUri(f.file) },
        region: { startLine: f.line },
      },
      logicalLocations: f.kind ? [{ fullyQualifiedName: `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name}${f.path ? `/${f.path}` : ''}`, kind: 'object' }] : undefined,
    }],
    properties: JSON.parse(JSON.stringify({ kind: f.kind, name: f.name, namespace: f.namespace, path: f.path, value: f.value, fix: f.fix })),
  }));
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL, version: packageVersion(), informationUri: INFO_URI, rules } },
      results,
      properties: { operatorVersion: a.operatorVersion.release, settingsFile: a.settingsFile, refusedObjects: a.refusedObjects.length },
    }],
  }, null, 2) + '\n';
}

/** A relative path as a SARIF URI (forward slashes, percent-encoded). */
function toUri(file: string): string {
  const rel = path.isAbsolute(file) ? path.relative(process.cwd(), file) : file;
  return rel.split(path.sep).map(encodeURIComponent).join('/');
}
