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

/** Collections a module could keep state in when made at its top level. */
const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array']);

/**
 * What a file keeps in module-level mutable state, which lives as long as the process and is shared
 * by every app, plan and test in it: a top-level `let` or `var`; a top-level `const` holding a
 * collection (`new Map()`, `new Set()`, `new WeakMap()`, `new WeakSet()`, `new Array()`, an array
 * literal) not typed read-only (`ReadonlyMap`, `ReadonlySet`, `readonly T[]`, `Readonly...`) nor
 * `as const` (a WeakMap or WeakSet has no read-only type: always state); a `static` class field not
 * `readonly`. Object literals of constant tables are not judged: their types say how they are read.
 */
function moduleStateOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const at = (node: ts.Node): string => `${relative(REPO, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      const constant = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const declaration of statement.declarationList.declarations) {
        const name = declaration.name.getText(source);
        if (!constant) {
          found.push(`${at(declaration)} ${name}: a top-level ${statement.declarationList.flags & ts.NodeFlags.Let ? 'let' : 'var'}`);
          continue;
        }
        const init = declaration.initializer;
        if (init === undefined || (ts.isAsExpression(init) && init.type.getText(source) === 'const')) continue;
        const readOnly = declaration.type !== undefined && /^(readonly\s|Readonly)/.test(declaration.type.getText(source));
        const made = ts.isNewExpression(init) && ts.isIdentifier(init.expression) && COLLECTIONS.has(init.expression.text) ? `new ${init.expression.text}` : ts.isArrayLiteralExpression(init) ? 'an array literal' : undefined;
        if (made !== undefined && !readOnly) found.push(`${at(declaration)} ${name}: a top-level const holding ${made}, not typed read-only`);
      }
    }
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyDeclaration(node)) {
        const modifiers = ts.getModifiers(node) ?? [];
        const is = (kind: ts.SyntaxKind): boolean => modifiers.some((m) => m.kind === kind);
        if (is(ts.SyntaxKind.StaticKeyword) && !is(ts.SyntaxKind.ReadonlyKeyword)) found.push(`${at(node)} ${node.name.getText(source)}: a static field not readonly`);
      }
      ts.forEachChild(node, visit);
    };
    visit(statement);
  }
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

  it('keeps no module-level mutable state anywhere in src/: caches belong to the object whose lifetime they share', () => {
    // GIVEN every file of src/  THEN none keeps state at its top level
    assert.deepEqual(filesUnder(join(REPO, 'src')).flatMap((f) => moduleStateOf(f)), []);
  });

  it('finds module-level mutable state (the check can fail)', () => {
    // GIVEN a file with each kind of module-level state, and read-only or local ones beside them
    const probe = join(CORE, 'plan', '__probe__.ts');
    const text = [
      'let cache: string | undefined;',
      'var count = 0;',
      'const SEEN = new Map<string, number>();',
      'const DONE = new WeakMap<object, number>();',
      'const TYPED: Set<string> = new Set();',
      "const KEYS = ['a', 'b'];",
      'class C { static made = 0; static readonly LIMIT = 1; }',
      'const FIXED: ReadonlySet<string> = new Set([\'a\']);',
      "const NAMES: readonly string[] = ['a'];",
      "const PAIR = ['a', 'b'] as const;",
      'const LIMIT = 3;',
      'function f(): number { let n = 0; const m = new Map(); return n + m.size; }',
    ].join('\n');
    // WHEN read by the same helper  THEN each kind is found, on its line, and nothing else
    assert.deepEqual(moduleStateOf(probe, text), [
      'src/core/plan/__probe__.ts:1 cache: a top-level let',
      'src/core/plan/__probe__.ts:2 count: a top-level var',
      'src/core/plan/__probe__.ts:3 SEEN: a top-level const holding new Map, not typed read-only',
      'src/core/plan/__probe__.ts:4 DONE: a top-level const holding new WeakMap, not typed read-only',
      'src/core/plan/__probe__.ts:5 TYPED: a top-level const holding new Set, not typed read-only',
      'src/core/plan/__probe__.ts:6 KEYS: a top-level const holding an array literal, not typed read-only',
      'src/core/plan/__probe__.ts:7 made: a static field not readonly',
    ]);
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
