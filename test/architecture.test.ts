import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { REPO } from './synth-helpers';

// The rules of docs/architecture.md, read from the source files with TypeScript's own parser.

const CORE = join(REPO, 'src', 'core');
/** The stages in the order data flows through them; a file may import from its own stage or an earlier one. */
const STAGES = ['model', 'input', 'resolve', 'plan', 'report'] as const;
/** Node modules that reach the disk, the network or other processes. */
const IO_MODULES = new Set(['fs', 'fs/promises', 'http', 'https', 'http2', 'child_process', 'dgram', 'tls', 'worker_threads'].flatMap((m) => [m, `node:${m}`]));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every module a file imports: `import`/`export ... from`, `import type`, `import('...')` types and calls, `require('...')`. */
function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) found.push(node.argument.literal.text);
    if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) found.push(node.arguments[0].text);
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve') found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The stage a file of src/core belongs to; undefined for src/core/index.ts, the facade over every stage. */
function stageOf(file: string): (typeof STAGES)[number] | undefined {
  const top = relative(CORE, file).split('/')[0];
  return (STAGES as readonly string[]).includes(top) ? (top as (typeof STAGES)[number]) : undefined;
}

describe('architecture: src/core in stages', () => {
  const files = filesUnder(CORE);

  it('has every file in a stage folder, except the facade index.ts', () => {
    // GIVEN src/core  THEN each file sits in model/, input/, resolve/, plan/ or report/
    const loose = files.filter((f) => stageOf(f) === undefined).map((f) => relative(CORE, f));
    assert.deepEqual(loose, ['index.ts']);
  });

  it('never imports from a later stage, nor from the constructs, the CLI or rehearse', () => {
    // GIVEN every import of every file in src/core  THEN it stays in the core and goes to the same or an earlier stage
    const wrong: string[] = [];
    for (const file of files) {
      const own = stageOf(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        const where = relative(CORE, target);
        if (where.startsWith('..')) {
          wrong.push(`${relative(REPO, file)} imports ${spec} (outside src/core)`);
          continue;
        }
        const theirs = stageOf(target + '.ts');
        if (own === undefined) continue;
        if (theirs === undefined || STAGES.indexOf(theirs) > STAGES.indexOf(own)) wrong.push(`${relative(REPO, file)} (${own}) imports ${spec} (${theirs ?? 'the facade'})`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('touches the disk, the network and other processes only in input/', () => {
    // GIVEN the Node modules each file imports, and calls of the global fetch  THEN only input/ uses them
    const wrong: string[] = [];
    for (const file of files) {
      if (stageOf(file) === 'input') continue;
      for (const spec of importsOf(file)) if (IO_MODULES.has(spec)) wrong.push(`${relative(REPO, file)} imports ${spec}`);
      if (/\bfetch\(/.test(readFileSync(file, 'utf8'))) wrong.push(`${relative(REPO, file)} calls fetch`);
    }
    assert.deepEqual(wrong, []);
  });

  it('keeps the model free of behaviour imports: model/ imports only model/', () => {
    // GIVEN model/  THEN its relative imports stay inside model/
    const wrong = files
      .filter((f) => stageOf(f) === 'model')
      .flatMap((f) => importsOf(f).filter((s) => s.startsWith('.') && stageOf(resolve(dirname(f), s) + '.ts') !== 'model').map((s) => `${relative(REPO, f)} imports ${s}`));
    assert.deepEqual(wrong, []);
  });

  it('keeps the layers around the core in order: constructs and rehearse build on the core, the CLI on everything', () => {
    // GIVEN every import between the top folders of src/  THEN each goes only where its row allows
    const allowed: Record<string, readonly string[]> = {
      core: ['core'],
      constructs: ['core', 'constructs'],
      rehearse: ['core', 'rehearse'],
      'synth.ts': ['core', 'constructs', 'synth.ts'],
      'index.ts': ['core', 'constructs', 'rehearse', 'synth.ts'],
      cli: ['core', 'constructs', 'rehearse', 'synth.ts', 'cli'],
    };
    const src = join(REPO, 'src');
    const wrong: string[] = [];
    for (const file of filesUnder(src)) {
      const from = relative(src, file).split('/')[0];
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        const to = relative(src, resolve(dirname(file), spec)).split('/')[0];
        const target = to === 'synth' || to === 'index' ? `${to}.ts` : to;
        if (!(allowed[from] ?? []).includes(target)) wrong.push(`${relative(REPO, file)} imports ${spec} (${target})`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('finds what the rules look for (the checks can fail)', () => {
    // GIVEN a file written the way the rules forbid  WHEN read by the same helper  THEN each import is seen
    const probe = join(CORE, 'plan', '__probe__.ts');
    const text = "import { a } from '../report/x';\nimport type { B } from './y';\ntype C = import('../report/z').C;\nconst fs = require('node:fs');\n";
    const seen = importsOf(probe, text);
    assert.deepEqual(seen, ['../report/x', './y', '../report/z', 'node:fs']);
    assert.ok(IO_MODULES.has(seen[3]));
    assert.equal(stageOf(resolve(dirname(probe), '../report/x') + '.ts'), 'report');
  });
});
