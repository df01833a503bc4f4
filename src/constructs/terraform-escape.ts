/**
 * Terraform reads every string of a JSON configuration, map keys included, as a template: `${...}`
 * and `%{...}` would be evaluated. User values must reach Helm and the cluster unchanged, so both
 * sequences are escaped (`$${`, `%%{`), which Terraform turns back into the literal text.
 */
export function escapeTemplate(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** Escapes every string and map key inside a JSON-like value. */
export function escapeDeep(value: unknown): unknown {
  if (typeof value === 'string') return escapeTemplate(value);
  if (Array.isArray(value)) return value.map(escapeDeep);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTemplate(k), escapeDeep(v)]));
  }
  return value;
}

/** Escapes the keys and values of a string map. */
export function escapeMap(record: Readonly<Record<string, string>>): Record<string, string> {
  return escapeDeep(record) as Record<string, string>;
}
