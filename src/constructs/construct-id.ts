import { Construct } from 'constructs';

/**
 * The construct id of a child named after user input (a layer, a namespace, a chart). Ids are not
 * addresses (resources override their logical ids), only construct paths, so they may differ from
 * the name where the name cannot be an id:
 * - `constructs` keeps children in a plain object, so a name it inherits (`constructor`,
 *   `toString`, `__proto__`) reads as a child already there; such names get a `~` suffix, which no
 *   layer, namespace or Terraform name contains;
 * - two resources of different types may share a name in one scope (a layer's labels and annotations
 *   on one namespace); the second is told apart by its type.
 */
export function childId(scope: Construct, name: string, type?: string): string {
  const id = name in Object.prototype ? `${name}~` : name;
  return type !== undefined && scope.node.tryFindChild(id) !== undefined ? `${type}.${id}` : id;
}
