import { TERRAFORM_IDENTIFIER, addressOf } from '../core/model/address';
import { shown } from '../core/model/errors';
import { compare } from '../core/plan/plan';
import { isMap } from '../core/input/yaml';
import { RehearsalError } from './rehearsal-error';

/** One resource of a synthesized stack, with every resource it waits for. */
export interface StackResource {
  /** `type.name`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /**
   * Addresses of the stack's resources this one waits for: its `depends_on` and every resource its
   * attributes reference in `${...}`, sorted, without itself.
   */
  readonly dependsOn: readonly string[];
}

/** `type.name` at the start of a reference, not preceded by another identifier part or a dot. */
const REFERENCE = /(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/** Top-level blocks whose references a rehearsal could not follow; a stack holding one is refused. */
const UNSUPPORTED_BLOCKS = ['data', 'module', 'locals'] as const;

/**
 * Reads the resources of a synthesized stack (the parsed `cdk.tf.json`) and the dependencies between
 * them: `depends_on` entries, which are bare addresses (`"helm_release.a"`; Terraform refuses a
 * template such as `"${helm_release.a}"` there, and so does this), and every reference to a
 * resource inside the `${...}` interpolations and `%{...}` directives of its attributes. Escaped
 * sequences (`$${`, `%%{`) are literal text, not references. Providers, variables and outputs are
 * ignored: they order nothing. Sorted by address.
 */
export function readStackGraph(stack: unknown): StackResource[] {
  if (!isMap(stack)) throw new RehearsalError(`the synthesized stack must be a JSON object (a cdk.tf.json), found ${shown(stack)}`);
  for (const block of UNSUPPORTED_BLOCKS) {
    const value = stack[block];
    if (isMap(value) && Object.keys(value).length > 0) {
      throw new RehearsalError(`the stack has a top-level "${block}" block (${Object.keys(value).sort().join(', ')}); a rehearsal stands in for resources only and cannot follow dependencies through ${block} blocks`);
    }
  }
  const byType = stack.resource;
  if (!isMap(byType) || Object.keys(byType).length === 0) throw new RehearsalError('the stack has no resources to rehearse (no top-level "resource" block)');

  const bodies = new Map<string, { type: string; name: string; body: unknown }>();
  for (const [type, byName] of Object.entries(byType)) {
    // `__` is kept out of types so stand-in names stay reversible (stand-ins.ts).
    if (!TERRAFORM_IDENTIFIER.test(type) || type.includes('__')) {
      throw new RehearsalError(`resource type "${type}" is not a Terraform resource type (letters, digits, '_' and '-', starting with a letter or '_', without "__")`);
    }
    if (!isMap(byName)) throw new RehearsalError(`resource.${type} must map resource names to resources, found ${shown(byName)}`);
    for (const [name, body] of Object.entries(byName)) {
      if (!TERRAFORM_IDENTIFIER.test(name)) throw new RehearsalError(`resource name "${addressOf(type, name)}" is not a Terraform name (letters, digits, '_' and '-', starting with a letter or '_')`);
      bodies.set(addressOf(type, name), { type, name, body });
    }
  }

  const out: StackResource[] = [];
  for (const [address, { type, name, body }] of bodies) {
    const deps = new Set<string>();
    for (const part of Array.isArray(body) ? body : [body]) {
      if (!isMap(part)) throw new RehearsalError(`resource ${address} must be an object, found ${shown(part)}`);
      for (const dep of explicitDependencies(address, part.depends_on, bodies)) deps.add(dep);
      const { depends_on: _ignored, ...attributes } = part;
      visitStrings(attributes, (text) => {
        for (const expression of templateExpressions(text)) {
          for (const match of expression.matchAll(REFERENCE)) {
            const target = addressOf(match[1], match[2]);
            if (bodies.has(target)) deps.add(target);
          }
        }
      });
    }
    deps.delete(address);
    out.push({ address, type, name, dependsOn: [...deps].sort(compare) });
  }
  return out.sort((a, b) => compare(a.address, b.address));
}

function explicitDependencies(address: string, dependsOn: unknown, bodies: ReadonlyMap<string, unknown>): string[] {
  if (dependsOn === undefined) return [];
  if (!Array.isArray(dependsOn)) throw new RehearsalError(`resource ${address}: depends_on must be a list of resource addresses, found ${shown(dependsOn)}`);
  return dependsOn.map((entry, i) => {
    const target = typeof entry === 'string' ? entry.trim() : undefined;
    const template = target?.startsWith('${') && target.endsWith('}') ? target.slice(2, -1).trim() : undefined;
    if (template !== undefined) {
      throw new RehearsalError(`resource ${address}: depends_on[${i}] ${shown(entry)} is a template, which Terraform refuses in depends_on ("A single static variable reference is required"); expected the bare address ${shown(template)}`);
    }
    if (target === undefined || !bodies.has(target)) {
      throw new RehearsalError(`resource ${address}: depends_on[${i}] ${shown(entry)} names no resource of the stack; expected "type.name" of one of its resources`);
    }
    return target;
  });
}

/**
 * The expressions inside a Terraform JSON string's `${...}` interpolations and `%{...}` directives.
 * Braces nest and quoted strings inside an expression may hold templates of their own; escaped
 * `$${` and `%%{` are literal text.
 */
export function templateExpressions(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      i += 3;
    } else if (text.startsWith('${', i) || text.startsWith('%{', i)) {
      const end = endOfExpression(text, i + 2);
      out.push(text.slice(i + 2, end - 1));
      i = end;
    } else {
      i += 1;
    }
  }
  return out;
}

/** The index just after the `}` closing an expression that starts at `from`. */
function endOfExpression(text: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = endOfQuoted(text, i + 1);
      continue;
    }
    if (c === '{') depth += 1;
    if (c === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  return text.length + 1;
}

/** The index just after the `"` closing a quoted string inside an expression. */
function endOfQuoted(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else if (text.startsWith('$${', i) || text.startsWith('%%{', i)) i += 3;
    else if (text.startsWith('${', i) || text.startsWith('%{', i)) i = endOfExpression(text, i + 2);
    else i += 1;
  }
  return text.length;
}

/** Calls `visit` on every string of a JSON value, map keys included (Terraform reads both as templates). */
function visitStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((v) => visitStrings(v, visit));
  else if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) {
      visit(k);
      visitStrings(v, visit);
    }
  }
}
