/** How bad a finding of `ManifestAudit` is. */
export enum AuditSeverity {
  /**
   * The API server or the operator refuses the object, or runs it differently than written, or
   * the library refuses the same thing at synth: the audit fails (exit code 1).
   */
  ERROR = 'error',
  /** Works today, but is deprecated, unsafe or fragile: the library writes it differently. */
  WARNING = 'warning',
  /** Information: what the audit could not check, and why. */
  NOTE = 'note',
}

/**
 * One thing wrong with one object of the audited manifests, in the words (problem and fix) of the
 * library's own synth-time errors.
 */
export interface AuditFinding {
  /** How bad it is. */
  readonly severity: AuditSeverity;
  /** The rule that found it (see `ManifestAudit.rules()`), e.g. `crd-schema`. */
  readonly ruleId: string;
  /** The object's kind, e.g. `Cluster` (empty for a finding about a file). */
  readonly kind: string;
  /** The object's name (after Flux substitution). */
  readonly name: string;
  /**
   * The object's namespace.
   *
   * @default - none (cluster-scoped, or not set in the manifest)
   */
  readonly namespace?: string;
  /** The file, as given or found under a given directory. */
  readonly file: string;
  /** The line in the file (1-based) of the field, or of the object when the field is absent. */
  readonly line: number;
  /** The field's path in the object, e.g. `spec.postgresql.parameters.ssl` (empty for the whole object). */
  readonly path: string;
  /**
   * The value found, rendered as text.
   *
   * @default - none (the field is missing)
   */
  readonly value?: string;
  /** What is wrong. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A rule of the audit. */
export interface AuditRuleInfo {
  /** The rule's id, e.g. `crd-schema`. */
  readonly id: string;
  /** Its severity. */
  readonly severity: AuditSeverity;
  /** What it checks, one sentence. */
  readonly description: string;
  /** Where the library applies the same check at synth. */
  readonly libraryCheck: string;
}

/** An object the audit read. */
export interface AuditedObject {
  /** The file. */
  readonly file: string;
  /** The line where the object starts. */
  readonly line: number;
  /** Its apiVersion. */
  readonly apiVersion: string;
  /** Its kind. */
  readonly kind: string;
  /** Its name (after Flux substitution). */
  readonly name: string;
  /**
   * Its namespace.
   *
   * @default - none
   */
  readonly namespace?: string;
  /** Whether the library has the schema of its kind (otherwise only the kind's other rules apply). */
  readonly schemaChecked: boolean;
}

/** A YAML document the audit skipped, and why. */
export interface SkippedDocument {
  /** The file. */
  readonly file: string;
  /** The line where the document starts. */
  readonly line: number;
  /** Why it was skipped, e.g. "a kustomize Kustomization (kustomize.config.k8s.io), not an object of the cluster". */
  readonly reason: string;
}
