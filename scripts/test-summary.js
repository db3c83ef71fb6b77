#!/usr/bin/env node
// Prints one plain line, "N passed, N failed", from every JUnit XML report under the given
// directories (jest-junit writes them). Exits non-zero when a test failed or no report exists.
// The failed tests are listed above that line (at most 50), so that the tail of a CI log names them.
const fs = require('fs');
const path = require('path');

function reports(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return reports(p);
    return e.name.endsWith('.xml') ? [p] : [];
  });
}

const files = process.argv.slice(2).flatMap(reports);
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const attr = (tag, name) => {
  const m = tag.match(new RegExp(`\\b${name}="([^"]*)"`));
  return m ? m[1].replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : '';
};
for (const file of files) {
  const xml = fs.readFileSync(file, 'utf-8');
  for (const m of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[2] ?? '';
    if (/<(failure|error)\b/.test(body)) {
      failed++;
      const tag = m[0].slice(0, m[0].indexOf('>') + 1);
      const message = (body.match(/<(?:failure|error)\b[^>]*>([^]*?)<\/(?:failure|error)>/)?.[1] ?? '')
        .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
        .split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
      failures.push(`FAILED ${path.relative(process.cwd(), file)}: ${attr(tag, 'classname') || attr(tag, 'name')}${message ? ` (${message.slice(0, 200)})` : ''}`);
    } else if (/<skipped\b/.test(body)) skipped++;
    else passed++;
  }
  // A suite that failed to load has no test cases but a failure count on the suite.
  for (const m of xml.matchAll(/<testsuite\b[^>]*\btests="0"[^>]*\b(?:failures|errors)="([1-9]\d*)"/g)) {
    failed += Number(m[1]);
    failures.push(`FAILED ${path.relative(process.cwd(), file)}: the suite ${attr(m[0], 'name')} did not load`);
  }
}
if (!files.length) {
  console.log('0 passed, 1 failed (no test report found)');
  process.exit(1);
}
for (const line of failures.slice(0, 50)) console.log(line);
if (failures.length > 50) console.log(`... and ${failures.length - 50} more failures`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
