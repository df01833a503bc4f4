#!/usr/bin/env node
// Prints the compiled test files (one per line) that load cdktf or a @cdktf provider binding,
// directly or through the modules they require: the tests whose result can depend on which cdktf
// implementation is installed. Used by .ci/test-cdktn.sh.
//
// Usage: node .ci/cdktf-test-files.js DIR   (DIR holds the compiled *.test.js files)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const REQUIRE = /require\("([^"]+)"\)/g;
const verdicts = new Map();

/** Whether a compiled module loads cdktf, following its relative requires. */
function loadsCdktf(file) {
  if (verdicts.has(file)) return verdicts.get(file);
  verdicts.set(file, false); // a require cycle adds nothing new
  let found = false;
  for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(REQUIRE)) {
    if (spec === 'cdktf' || spec.startsWith('cdktf/') || spec.startsWith('@cdktf/')) found = true;
    else if (spec.startsWith('.')) {
      const base = path.resolve(path.dirname(file), spec);
      const target = [base, `${base}.js`, path.join(base, 'index.js')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (target !== undefined && loadsCdktf(target)) found = true;
    }
    if (found) break;
  }
  verdicts.set(file, found);
  return found;
}

const dir = process.argv[2];
if (dir === undefined || !fs.existsSync(dir)) {
  console.error(`usage: node .ci/cdktf-test-files.js DIR (found ${JSON.stringify(dir)})`);
  process.exit(2);
}
const tests = fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(dir, f));
for (const test of tests) if (loadsCdktf(test)) console.log(test);
