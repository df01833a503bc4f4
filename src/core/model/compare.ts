/** Code-point order, independent of the machine's locale: the order of every sorted output. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
