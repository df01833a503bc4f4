/** The machine a benchmark ran on, so that its absolute figures can be read in context. */
import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** What a reader needs to weigh absolute numbers. */
export interface Machine {
  readonly cpuModel: string;
  /** Logical CPUs available. */
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly node: string;
  readonly terraform?: string;
  readonly platform: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  readonly loadAtStart: readonly number[];
}

/** Describes this machine. */
export function describeMachine(terraform: string | undefined): Machine {
  const gib = (bytes: number): number => Math.round((bytes / 2 ** 30) * 10) / 10;
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    memoryGiB: gib(totalmem()),
    freeMemoryGiB: gib(freemem()),
    node: process.version,
    terraform,
    platform: `${process.platform} ${process.arch}`,
    loadAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
