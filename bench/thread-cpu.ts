/**
 * CPU time used by each thread of a process, from Linux's /proc/<pid>/task/<tid>/stat (utime +
 * stime, in clock ticks of 10 ms): what a server's request thread, its trail's writer thread and
 * its other threads (garbage collector, libuv) spend per request, which on a shared, noisy machine
 * varies much less than requests per second do. Undefined where /proc is not there.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MICROS = 10_000;

/** Microseconds of CPU per thread id. */
export type ThreadCpu = Map<number, number>;

export function threadCpu(pid: number): ThreadCpu | undefined {
  try {
    const usage: ThreadCpu = new Map();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) in parentheses: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      usage.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * TICK_MICROS);
    }
    return usage;
  } catch {
    return undefined;
  }
}

/** CPU between two readings: the process's main thread, its busiest other thread, and the rest. */
export interface CpuSplit {
  main: number;
  busiest: number;
  rest: number;
}

export function cpuBetween(pid: number, before: ThreadCpu, after: ThreadCpu): CpuSplit {
  let main = 0;
  const others: number[] = [];
  for (const [tid, micros] of after) {
    const used = micros - (before.get(tid) ?? 0);
    if (tid === pid) main = used;
    else others.push(used);
  }
  others.sort((a, b) => b - a);
  const busiest = others[0] ?? 0;
  return { main, busiest, rest: others.reduce((sum, used) => sum + used, 0) - busiest };
}
