// Small helpers shared by the entries: timing, percentiles, RSS, terminal progress.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const started = performance.now();

export function log(message: string): void {
  const s = Math.round((performance.now() - started) / 1000);
  const stamp = `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  // clears a progress line (ticker) left by the step before
  process.stdout.write(`${process.stdout.isTTY ? '\r\x1b[2K' : ''}[bench ${stamp}] ${message}\n`);
}

export function elapsedSeconds(): number {
  return (performance.now() - started) / 1000;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const t0 = performance.now();
  const result = await work();
  return { result, ms: performance.now() - t0 };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// Resident set size of a process in MB, from /proc (Linux); peak = VmHWM.
export function rssMb(pid: number | 'self', field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

// mulberry32, as in replay-machine.ts: the same data on every run
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

// A progress line rewritten in place on a terminal; nothing when the output is a file or pipe.
export function progress(message: string): void {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K  … ${message}`);
}
