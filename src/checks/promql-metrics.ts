/**
 * The metric names a PromQL expression selects, from its tokens: identifiers that are vector
 * selectors, i.e. not a function or aggregation (followed by `(`), not a keyword, not a label
 * name or value inside `{...}`, and not in a `by`/`without`/`on`/`ignoring`/`group_left`/
 * `group_right` label list. Strings, numbers, durations and comments are skipped. Selectors
 * written `{__name__="..."}` are reported as such (their name is a label value).
 *
 * A small lexer instead of a parser dependency in the package: test/audit.test.ts checks that it
 * finds exactly the metrics Prometheus' own grammar (@prometheus-io/lezer-promql) finds, on every
 * expression of the library's alerts and dashboards and of the reference rules.
 */

const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
/** The other keywords (the label-list ones are skipped with their list first). */
const KEYWORDS = new Set(['bool', 'offset', 'and', 'or', 'unless', 'atan2', 'inf', 'nan']);

interface Token {
  readonly kind: 'ident' | 'punct';
  readonly text: string;
}

/**
 * The names and punctuation of an expression. Strings, numbers, durations and comments are
 * skipped: none is a name, and in valid PromQL none comes right after a name, where the next token
 * decides (a function's `(`, an aggregation's `by`).
 */
function tokens(expr: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < expr.length && expr[i] !== '\n') i++;
    } else if (c === '[') {
      // A range or subquery ([5m], [1h:5m], [1h:]): durations only, and `:` is no name there.
      while (i < expr.length && expr[i] !== ']') i++;
      i++;
    } else if (c === '"' || c === '\'' || c === '`') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) j += expr[j] === '\\' && c !== '`' ? 2 : 1;
      i = j + 1;
    } else if (/[0-9.]/.test(c)) {
      // A number or duration (5m, 0x1f, 1.5e3; an exponent's sign starts another number).
      i++;
      while (i < expr.length && /[0-9a-zA-Z._]/.test(expr[i])) i++;
    } else if (/[a-zA-Z_:]/.test(c)) {
      let j = i + 1;
      while (j < expr.length && /[a-zA-Z0-9_:]/.test(expr[j])) j++;
      out.push({ kind: 'ident', text: expr.slice(i, j) });
      i = j;
    } else {
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;
}

/**
 * The metric names an expression selects, and whether it selects by a `__name__` matcher.
 *
 * @internal
 */
export function promqlMetricNames(expr: string): { metrics: string[]; nameMatchers: boolean } {
  const t = tokens(expr);
  const metrics = new Set<string>();
  let nameMatchers = false;
  let braces = 0;
  for (let i = 0; i < t.length; i++) {
    const tok = t[i];
    if (tok.kind === 'punct' && tok.text === '{') {
      braces++;
      continue;
    }
    if (tok.kind === 'punct' && tok.text === '}') {
      braces = Math.max(0, braces - 1);
      continue;
    }
    if (braces > 0) {
      if (tok.kind === 'ident' && tok.text === '__name__') nameMatchers = true;
      continue;
    }
    if (tok.kind !== 'ident') continue;
    const lower = tok.text.toLowerCase();
    const next = t[i + 1];
    if (LABEL_LISTS.has(lower)) {
      // Skip the parenthesised label list that follows, if any.
      if (next?.kind === 'punct' && next.text === '(') {
        let depth = 0;
        let j = i + 1;
        for (; j < t.length; j++) {
          if (t[j].kind === 'punct' && t[j].text === '(') depth++;
          if (t[j].kind === 'punct' && t[j].text === ')' && --depth === 0) break;
        }
        i = j;
      }
      continue;
    }
    if (KEYWORDS.has(lower)) continue;
    if (next?.kind === 'punct' && next.text === '(') continue; // a function or an aggregation
    // An aggregation with its grouping before the parenthesis: `sum by (x) (...)`.
    if (next?.kind === 'ident' && ['by', 'without'].includes(next.text.toLowerCase())) continue;
    metrics.add(tok.text);
  }
  return { metrics: [...metrics], nameMatchers };
}
