import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ModelClass, builtinModel, checkBuiltin, fieldsLookedUp, isUnlistedField } from '../src/core/resolve/kubernetes-schemas';

const PACKAGE = dirname(require.resolve('kubernetes-models/package.json'));

/** Every model module of kubernetes-models: `apps/v1/Deployment`, `v1/Container`, ... */
function modelModules(): string[] {
  const out: string[] = [];
  const versionDirs = (dir: string): string[] => readdirSync(join(PACKAGE, dir)).filter((v) => /^v\d/.test(v) && statSync(join(PACKAGE, dir, v)).isDirectory()).map((v) => `${dir}/${v}`);
  const groups = readdirSync(PACKAGE).filter((g) => !g.startsWith('_') && statSync(join(PACKAGE, g)).isDirectory());
  for (const dir of [...groups.filter((g) => g !== 'v1').flatMap(versionDirs), 'v1']) {
    for (const file of readdirSync(join(PACKAGE, dir))) {
      if (file.endsWith('.d.ts') && file !== 'index.d.ts') out.push(`${dir}/${file.slice(0, -'.d.ts'.length)}`);
    }
  }
  return out.sort();
}

/** The properties the type declaration of a model lists: `"name"?: type;` lines of `interface IName`. */
function declaredFields(module: string, name: string): string[] {
  const text = readFileSync(join(PACKAGE, `${module}.d.ts`), 'utf8');
  const body = new RegExp(`export interface I${name} \\{([\\s\\S]*?)\\n\\}`).exec(text);
  return body === null ? [] : [...body[1].matchAll(/^ {4}"([^"]+)"\??:/gm)].map((m) => m[1]);
}

describe('kubernetes-models as the schema of built-in kinds', () => {
  it('looks up every field its type declarations list, apart from the fields known to be left out', () => {
    // GIVEN every model of the package (top-level kinds and their parts)
    const modules = modelModules();
    assert.ok(modules.length > 800, `expected the whole schema set, found ${modules.length} models`);
    // WHEN each validator runs on an empty object
    const gaps: string[] = [];
    let compared = 0;
    for (const module of modules) {
      const name = module.slice(module.lastIndexOf('/') + 1);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const model = (require(`kubernetes-models/${module}`) as Record<string, ModelClass | undefined>)[name];
      if (typeof model?.prototype?.validate !== 'function') continue;
      const looked = fieldsLookedUp(model);
      for (const field of declaredFields(module, name)) {
        if (!looked.has(field) && !isUnlistedField(field)) gaps.push(`${module}.${field}`);
      }
      compared++;
    }
    // THEN no declared field would be reported as unknown
    assert.ok(compared > 800, `expected to compare every model, compared ${compared}`);
    assert.deepEqual(gaps, []);
  });

  it('knows top-level kinds only, not their parts', () => {
    // GIVEN a kind and a part of the core group
    // WHEN looked up THEN only the kind is a built-in kind
    assert.equal(builtinModel('apps/v1', 'Deployment')?.kind, 'Deployment');
    assert.equal(builtinModel('v1', 'Container'), undefined);
    assert.equal(builtinModel('example.com/v1', 'Widget'), undefined);
    assert.equal(builtinModel('../../etc', 'Passwd'), undefined);
  });

  it('does not judge the keys of string maps or of free-form values', () => {
    // GIVEN annotations with any keys, and a ControllerRevision's free-form data
    const revision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r', annotations: { 'any.key/here': 'x' } }, revision: 1, data: { whatever: { nested: true } } };
    // WHEN checked THEN nothing is found
    assert.deepEqual(checkBuiltin(revision, 'apps/v1', 'ControllerRevision'), []);
  });
});
