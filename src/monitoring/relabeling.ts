import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';

/** What a relabeling does (Prometheus `relabel_config.action`). */
export enum RelabelAction {
  /** Set `targetLabel` to `replacement` (with the regex's groups) when the regex matches. */
  REPLACE = 'replace',
  /** Keep only the targets or series whose source labels match. */
  KEEP = 'keep',
  /** Drop the targets or series whose source labels match. */
  DROP = 'drop',
  /** Copy the labels whose names match the regex to names from `replacement`. */
  LABELMAP = 'labelmap',
  /** Drop the labels whose names match the regex. */
  LABELDROP = 'labeldrop',
  /** Keep only the labels whose names match the regex. */
  LABELKEEP = 'labelkeep',
  /** Set `targetLabel` to a hash of the source labels modulo `modulus` (sharding). */
  HASHMOD = 'hashmod',
}

/**
 * A Prometheus relabeling of the instances' PodMonitor: of the scrape targets (`relabelings`,
 * before the scrape) or of the series (`metricRelabelings`, after it). The `cluster` label the
 * alert presets and dashboards select on is the library's and cannot be a target.
 */
export interface Relabeling {
  /**
   * The action.
   *
   * @default RelabelAction.REPLACE
   */
  readonly action?: RelabelAction;
  /**
   * The labels whose values are joined (with `separator`) and matched against `regex`.
   *
   * @default - none
   */
  readonly sourceLabels?: string[];
  /**
   * The separator of the joined source label values.
   *
   * @default ';'
   */
  readonly separator?: string;
  /**
   * The label written by REPLACE and HASHMOD.
   *
   * @default - none
   */
  readonly targetLabel?: string;
  /**
   * The regular expression (RE2, anchored at both ends).
   *
   * @default '(.*)'
   */
  readonly regex?: string;
  /**
   * The value written by REPLACE (`$1` is the regex's first group).
   *
   * @default '$1'
   */
  readonly replacement?: string;
  /**
   * The modulus of HASHMOD.
   *
   * @default - none
   */
  readonly modulus?: number;
}

/** Prometheus' label name grammar. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Validates relabelings and renders them for a PodMonitor endpoint.
 * @internal
 */
export function renderRelabelings(scope: IConstruct, field: string, relabelings: Relabeling[] | undefined,
  reservedLabels: string[]): any[] | undefined {
  if (!relabelings?.length) return undefined;
  return relabelings.map((r, i) => {
    const at = `${field}[${i}]`;
    const action = r.action ?? RelabelAction.REPLACE;
    if (!Object.values(RelabelAction).includes(action)) {
      throw invalidInput(scope, `${at}.action`, action, 'is not a relabel action', 'use a RelabelAction');
    }
    (r.sourceLabels ?? []).forEach((l, j) => {
      if (typeof l !== 'string' || !LABEL_NAME.test(l)) {
        throw invalidInput(scope, `${at}.sourceLabels[${j}]`, l, 'is not a Prometheus label name', 'use letters, digits and "_", e.g. "__meta_kubernetes_pod_node_name"');
      }
    });
    if (r.targetLabel !== undefined && (typeof r.targetLabel !== 'string' || !/^[a-zA-Z_$][a-zA-Z0-9_${}]*$/.test(r.targetLabel))) {
      throw invalidInput(scope, `${at}.targetLabel`, r.targetLabel, 'is not a Prometheus label name', 'use letters, digits and "_"');
    }
    if (r.targetLabel !== undefined && reservedLabels.includes(r.targetLabel)) {
      throw invalidInput(scope, `${at}.targetLabel`, r.targetLabel, 'is the label the alert presets and dashboards select on, which the library sets', 'write another label');
    }
    if ((action === RelabelAction.REPLACE || action === RelabelAction.HASHMOD) && r.targetLabel === undefined) {
      throw invalidInput(scope, `${at}.targetLabel`, undefined, `is required by ${action}`, 'name the label to write');
    }
    if (action === RelabelAction.HASHMOD && (r.modulus === undefined || !Number.isInteger(r.modulus) || r.modulus < 1)) {
      throw invalidInput(scope, `${at}.modulus`, r.modulus, 'is required by hashmod (a whole number of at least 1)', 'give e.g. 4');
    }
    if (action === RelabelAction.LABELDROP && reservedLabels.some((l) => safeRegex(r.regex ?? '(.*)').test(l))) {
      throw invalidInput(scope, `${at}.regex`, r.regex ?? '(.*)', `drops the label ${reservedLabels.join('/')} the alert presets and dashboards select on`, 'narrow the regex');
    }
    if (r.regex !== undefined) {
      try {
        new RegExp(r.regex);
      } catch {
        throw invalidInput(scope, `${at}.regex`, r.regex, 'is not a regular expression', 'write an RE2 expression, e.g. "pg_stat_.*"');
      }
    }
    if (action === RelabelAction.LABELKEEP && reservedLabels.some((l) => !safeRegex(r.regex ?? '(.*)').test(l))) {
      throw invalidInput(scope, `${at}.regex`, r.regex, `drops the label ${reservedLabels.join('/')} the alert presets and dashboards select on (labelkeep keeps only the labels it matches)`,
        `let it match them too, e.g. "(${r.regex})|${reservedLabels.join('|')}"`);
    }
    return {
      action,
      sourceLabels: r.sourceLabels,
      separator: r.separator,
      targetLabel: r.targetLabel,
      regex: r.regex,
      replacement: r.replacement,
      modulus: r.modulus,
    };
  });
}

function safeRegex(re: string): RegExp {
  try {
    return new RegExp(`^(?:${re})$`);
  } catch {
    return /^$/;
  }
}
