import { parseAddress } from '../core/model/address';
import { RehearsalError } from './rehearsal-error';

/**
 * What a stand-in records: its creation starting and finishing (ready), its destruction starting
 * and finishing.
 */
export type RehearsalPhase = 'create-start' | 'create-end' | 'destroy-start' | 'destroy-end';

/** Every phase, in the order one resource goes through them. */
export const REHEARSAL_PHASES: readonly RehearsalPhase[] = ['create-start', 'create-end', 'destroy-start', 'destroy-end'];

/** One line of the rehearsal log. */
export interface RehearsalEvent {
  readonly phase: RehearsalPhase;
  /** The original resource's address (`helm_release.cilium`), not the stand-in's. */
  readonly address: string;
  /**
   * The line's position in the log, from 0. Stand-ins append with `>>`, so a line written after
   * another finished always comes later: order checks compare these, never clock readings.
   */
  readonly seq: number;
  /** When it happened, in milliseconds since the Unix epoch (microsecond precision). */
  readonly time: number;
}

/** The environment variable holding the log's path; stand-ins read it, so their JSON never names a folder. */
export const REHEARSAL_LOG_VARIABLE = 'CLUSTER_PROFILES_REHEARSAL_LOG';

/**
 * The shell command that appends one event to the log: `<phase> <address> <nanoseconds>`, the time
 * read with `date +%s%N` (GNU date), which costs one short process instead of a node start.
 */
export function logCommand(phase: RehearsalPhase, address: string): string {
  if (parseAddress(address) === undefined) throw new RehearsalError(`cannot log "${address}": not a Terraform address type.name`);
  return `printf '%s %s %s\\n' ${phase} '${address}' "$(date +%s%N)" >> "$${REHEARSAL_LOG_VARIABLE}"`;
}

/** Parses the log the stand-ins wrote; a malformed line is an error naming it. */
export function parseRehearsalLog(text: string): RehearsalEvent[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, seq) => {
    const [phase, address, nanos, ...rest] = line.split(' ');
    if (!REHEARSAL_PHASES.includes(phase as RehearsalPhase) || address === undefined || parseAddress(address) === undefined || rest.length > 0) {
      throw new RehearsalError(`rehearsal log line ${seq + 1} ${JSON.stringify(line)} is not "<phase> <address> <nanoseconds>"`);
    }
    if (nanos === undefined || !/^\d{10,}$/.test(nanos)) {
      throw new RehearsalError(`rehearsal log line ${seq + 1} ${JSON.stringify(line)} has no time in nanoseconds; the stand-ins read it with "date +%s%N", which needs GNU date (coreutils)`);
    }
    return { phase: phase as RehearsalPhase, address, seq, time: Number(BigInt(nanos) / 1000n) / 1000 };
  });
}
