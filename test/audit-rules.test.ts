import * as fs from 'fs';
import * as path from 'path';
import { AuditSeverity } from '../src/audit/finding';
import { AUDIT_RULES, auditRule } from '../src/audit/rules';

/** The rules table of docs/guides/audit.md: `| <a id="rule-ID"></a>`ID` | severity | what | the library's check |`. */
function documentedRules(): Array<{ id: string; severity: string; what: string; libraryCheck: string }> {
  const text = fs.readFileSync(path.resolve(__dirname, '..', 'docs', 'guides', 'audit.md'), 'utf-8');
  return text.split('\n').map((l) => /^\| <a id="rule-([a-z-]+)"><\/a>`\1` \| (\w+) \| (.*) \|(.*)\|$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: m[1], severity: m[2], what: m[3], libraryCheck: m[4].trim() }));
}

describe('the audit rules (src/audit/rules.ts) as the guide documents them (docs/guides/audit.md)', () => {
  const documented = documentedRules();

  test('the guide lists every rule once, with the same severity', () => {
    expect(documented.length).toBe(20);
    const byId = (rules: ReadonlyArray<{ id: string; severity: string }>) => rules.map((r) => `${r.id} ${r.severity}`).sort();
    expect(byId(AUDIT_RULES)).toStrictEqual(byId(documented));
  });

  test('the severities are the three of AuditSeverity', () => {
    expect(new Set(AUDIT_RULES.map((r) => r.severity))).toStrictEqual(new Set([AuditSeverity.ERROR, AuditSeverity.WARNING, AuditSeverity.NOTE]));
  });

  test('each rule says what it checks in a sentence, and which library check it shares (or "-", where the guide names none)', () => {
    for (const rule of AUDIT_RULES) {
      expect(rule.description).toMatch(/^[A-Z].{15,}\.$/);
      const doc = documented.find((d) => d.id === rule.id)!;
      expect(rule.libraryCheck === '-').toBe(doc.libraryCheck === '');
      expect(rule.libraryCheck).not.toBe('');
    }
  });

  test('auditRule: the rule of an id; an unknown id is a bug of the audit, said with the id', () => {
    expect(auditRule('pooler-tls')).toBe(AUDIT_RULES.find((r) => r.id === 'pooler-tls'));
    expect(auditRule('pooler-tls').severity).toBe(AuditSeverity.ERROR);
    expect(() => auditRule('pooler-tsl')).toThrow(new Error('no audit rule pooler-tsl'));
  });
});
