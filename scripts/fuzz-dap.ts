/**
 * Long runs of the DAP fuzzer (npm run fuzz:dap): many sequences against the
 * built adapter, one summary line, and each failure with the requests that led to it.
 *
 *   npm run fuzz:dap -- --sequences 20000 --seed 7 [--first N] [--parallel 2] [--requests 25] [--in-process]
 */
import * as path from 'path';
import { fuzz, inProcess, summaryLine } from './dapFuzzer';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) {
    process.stderr.write(`--${name} needs a whole number\n`);
    process.exit(2);
  }
  return v;
}

async function main(): Promise<void> {
  const summary = await fuzz({
    // --in-process: sessions in this process (many times faster to start); else one adapter process per sequence.
    adapter: process.argv.includes('--in-process') ? inProcess : path.join(__dirname, 'debugAdapter.js'),
    seed: arg('seed', Date.now() % 100_000),
    sequences: arg('sequences', 20_000),
    first: arg('first', 0),
    parallel: arg('parallel', 2),
    requestsPerSequence: arg('requests', 25),
    progress: (s) => process.stderr.write(`${summaryLine(s)}\n`),
  });
  for (const f of summary.failures.slice(0, 20)) {
    process.stdout.write(`sequence ${f.sequence}: ${f.what}\n${f.trail.map((t) => `    ${t}`).join('\n')}\n`);
  }
  if (summary.slowest) process.stdout.write(`slowest: ${summary.slowest.request}\n`);
  process.stdout.write(summaryLine(summary) + '\n');
  process.exitCode = summary.failures.length ? 1 : 0;
}

void main();
