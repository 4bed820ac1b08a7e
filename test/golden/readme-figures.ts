/**
 * Holds the numbers of the samples' READMEs to what the samples print and measure, so a README
 * cannot go stale when a sample changes. The rules (samples/README.md "For sample authors"):
 *
 * - A figure from a run is marked right after the number:  **173**<!-- fig: #GP traps emulated -->
 *   The name is an entry of the sample's expected.json `assert` section (its regex extracts the
 *   number from the output), or `json:PATH`, a field of `ringside run --json` (`json:cycles`,
 *   `json:vms.0.tlb.misses`, `json:byCause.#PF`), optionally prefixed by another sample's folder
 *   (`hypervisor-ept/json:vms.0.cycles`), and by `@RUN` for another run of the same program
 *   (`@vtx-2006/NAME`, `forkwait@vtx-2006/json:cycles`: a key of the expected.json `runs` section,
 *   whose `args` the CLI gets; an assert name keeps its `match`). Terms may be combined left to right with ` + `, ` - `,
 *   ` * `, ` / ` (spaces required) and literal numbers. The figure must equal the value rounded to
 *   the decimals it shows; `fig~:` accepts rounding to its trailing zeros ("about 101,000").
 * - A fenced block with the language `text` quotes the output: each run of lines between `...`
 *   lines must appear verbatim, in order, in the output of the README's sample (or of the sample
 *   named after `text`, as in ```text hello).
 * - Every fenced block names its language (```sh for commands), and a number that looks like a
 *   measurement (bold, written with a thousands comma, alone in a table cell but the first, or
 *   followed within two words by what the machine counts: "259 TLB misses", "30 exits") must be
 *   marked: with `fig`, or `<!-- fixed -->` when it is a constant of the program, not a result.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';

export interface Problem { file: string; line: number; message: string }

export interface Run { output: string; json: Record<string, unknown> }

/** A sample's run: its default one, or `runName`, an entry of its expected.json `runs`. */
export type Runner = (sample: string, runName?: string) => Run;

/** The CLI arguments of a sample's run `runName` (expected.json `runs[runName].args`); [] for the default run. */
export function runArgs(root: string, sample: string, runName?: string): string[] {
  if (runName === undefined) return [];
  const f = path.join(root, 'samples', sample, 'expected.json');
  const runs = fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as { runs?: Record<string, { args?: string[] }> }).runs : undefined;
  const r = runs?.[runName];
  if (!r) throw new Error(`no run '${runName}' in samples/${sample}/expected.json "runs"`);
  return r.args ?? [];
}

/** Runs a sample through the built CLI once (per run) and caches it. */
export function cliRunner(root: string): Runner {
  const cache = new Map<string, Run>();
  return (sample, runName) => {
    const key = `${sample}@${runName ?? ''}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const dir = path.join(root, 'samples', sample);
    const main = fs.readdirSync(dir).find((f) => f === `${sample}.rasm` || f === 'main.rasm') ?? fs.readdirSync(dir).find((f) => f.endsWith('.rasm'));
    if (!main) throw new Error(`no .rasm in samples/${sample}`);
    const args = runArgs(root, sample, runName);
    const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'run', path.join(dir, main), '--json', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    const run = { output: String(json.output ?? ''), json };
    cache.set(key, run);
    return run;
  };
}

/** `SAMPLE`, `SAMPLE@RUN` or `@RUN` (the current sample's run RUN) -> the sample and the run. */
function sampleRef(ref: string, current: string | undefined): { sample: string | undefined; runName: string | undefined } {
  const at = ref.indexOf('@');
  if (at < 0) return { sample: ref, runName: undefined };
  return { sample: at === 0 ? current : ref.slice(0, at), runName: ref.slice(at + 1) };
}

const MARK = /(-?\d[\d,]*(?:\.\d+)?)(\*\*|`|%)?\s?<!--\s*fig(~?):\s*(.+?)\s*-->/g;
const COUNTED = /(?<![\w.,-])(?<!\b(?:ring|lecture|vector|interrupt|exit|reason|bit|slot|entry|pid|level|world|phase|part|VM|process)\s)(\d(?:[\d,]*\d)?(?:\.\d+)?)(?:\s+[A-Za-z/#-]+){0,2}?\s+(?:misses|hits|exits|steps|cycles|instructions|crossings|faults|traps|irets|messages|switches|flushes|reads|walks|preemptions|interrupts|transitions|system calls)\b/g;
// The same counts in Korean: a counted noun then the number ("page fault 3번", "TLB miss 59회",
// "시스템 콜 60번"), the number then the noun ("3번의 트랩"), or the number with its unit ("5,944 사이클").
// Not 1, as the English rule's plural nouns never count one ("명령어마다 1사이클" is the cost table).
const KO_NOUN = '(?:misses|miss|hits|hit|exits|exit|faults|fault|traps|trap|irets|iret|flushes|flush|walks|walk|crossings|crossing|transitions|transition|switches|switch|preemptions|interrupts|interrupt|messages|message|시스템 콜|시스템 호출|트랩|인터럽트|폴트|미스|전환|전이|선점|메시지|플러시|명령어|스텝|사이클)';
const KO_COUNTED = new RegExp([
  `(?<=${KO_NOUN}(?:[은는이가을를도의]|이나)?\\s+)(\\d(?:[\\d,]*\\d)?)\\s?(?:번|회|개)(?!째)`,
  `(?<![\\w.,-])(\\d(?:[\\d,]*\\d)?)\\s?(?:번|회|개)(?:의|씩)?\\s+(?:\\S+\\s+)?(?=${KO_NOUN})`,
  `(?<![\\w.,-])(\\d(?:[\\d,]*\\d)?(?:\\.\\d+)?)\\s?(?=사이클|스텝)`,
].join('|'), 'g');
const FIXED = /(-?\d[\d,]*(?:\.\d+)?)(\*\*|`|%)?\s?<!--\s*fixed\b[^>]*-->/g;

/** Checks one README; `sample` is its folder under samples/ (undefined for samples/README.md). */
export function checkReadme(root: string, file: string, sample: string | undefined, run: Runner, lint = true): Problem[] {
  const rel = path.relative(root, file);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const problems: Problem[] = [];
  const say = (line: number, message: string) => problems.push({ file: rel, line, message });
  let fence: { start: number; lang: string; body: string[] } | undefined;
  lines.forEach((text, i) => {
    const n = i + 1;
    const f = /^\s*```(.*)$/.exec(text);
    if (f) {
      if (!fence) {
        fence = { start: n, lang: f[1].trim(), body: [] };
        if (!fence.lang) say(n, 'a fenced block without a language: ```text if it quotes the output (then it is checked), ```sh for a command');
      } else {
        if (fence.lang.split(/\s+/)[0] === 'text') {
          const ref = sampleRef(fence.lang.split(/\s+/)[1] ?? sample ?? '', sample);
          checkQuote(root, fence.start, ref.sample || undefined, ref.runName, fence.body, run, say);
        }
        fence = undefined;
      }
      return;
    }
    if (fence) { fence.body.push(text); return; }
    text = withoutExampleMarks(text);
    for (const m of text.matchAll(MARK)) {
      const shown = m[1];
      try {
        const value = evaluate(root, m[4], sample, run);
        if (!agrees(shown, value, m[3] === '~')) say(n, `'${m[4]}': the README says ${shown}, the run gives ${fmt(value, shown)}`);
      } catch (e) {
        say(n, `'${m[4]}': ${(e as Error).message}`);
      }
    }
    const bare = text.replace(MARK, '').replace(FIXED, '').replace(/`[^`]*`/g, '').replace(/<!--.*?-->/g, '').replace(/\]\([^)]*\)/g, ']');
    for (const u of lint ? unmarked(bare, text.trimStart().startsWith('|')) : []) {
      say(n, `the figure ${u} is not marked: add <!-- fig: NAME --> (an expected.json assert entry or json:PATH), or <!-- fixed --> if it is not a result of the run`);
    }
  });
  if (fence) say(fence.start, 'the fenced block is not closed');
  return problems;
}

/**
 * A marker shown as an example in a code span is not a figure. Code spans are paired left to right,
 * so a figure between two code spans ("`iret` 3<!-- fig: x --> `cr3`") is still one.
 */
function withoutExampleMarks(text: string): string {
  return text.replace(/`[^`]*`/g, (span) => (span.includes('<!--') ? '``' : span));
}

/** Numbers that look like measurements but carry no mark. */
function unmarked(text: string, tableRow: boolean): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\*\*(-?\d[\d,]*(?:\.\d+)?)\*\*/g)) out.push(`**${m[1]}**`);
  for (const m of text.replace(/\*\*(-?\d[\d,]*(?:\.\d+)?)\*\*/g, '').matchAll(/(?<![\w.])\d{1,3}(?:,\d{3})+(?![\w])/g)) out.push(m[0]);
  // A count of something the machine or the kernel counts: "259 TLB misses", "30 exits".
  for (const m of text.replace(/\*\*(-?\d[\d,]*(?:\.\d+)?)\*\*/g, '').matchAll(COUNTED)) if (!out.includes(m[1])) out.push(m[1]);
  for (const m of text.replace(/\*\*(-?\d[\d,]*(?:\.\d+)?)\*\*/g, '').matchAll(KO_COUNTED)) { const n = m[1] ?? m[2] ?? m[3]; if (n !== '1' && !out.includes(n)) out.push(n); }
  if (tableRow) {
    // The first cell names the row (an ordinal, a label), it is not a figure.
    for (const cell of text.split('|').slice(2, -1)) {
      const c = cell.trim();
      if (/^-?\d[\d,]*(?:\.\d+)?$/.test(c) && !out.includes(c)) out.push(c);
    }
  }
  return out;
}

function checkQuote(root: string, start: number, sample: string | undefined, runName: string | undefined, body: string[], run: Runner, say: (line: number, m: string) => void): void {
  if (!sample) { say(start, '```text outside a sample folder: name the sample, ```text hello'); return; }
  if (!fs.existsSync(path.join(root, 'samples', sample))) { say(start, `no sample '${sample}'`); return; }
  let output: string;
  try { runArgs(root, sample, runName); output = run(sample, runName).output; } catch (e) { say(start, (e as Error).message); return; }
  const outLines = output.split('\n');
  let from = 0;
  let chunk: { line: number; text: string }[] = [];
  const flush = () => {
    if (chunk.length === 0) return;
    // Whole lines only: the quote starts and ends at line boundaries of the output.
    const want = `\n${chunk.map((c) => c.text).join('\n')}\n`;
    const at = `\n${output}\n`.indexOf(want, from);
    if (at >= 0) { from = at + want.length - 1; chunk = []; return; }
    // Report the first line that is not in the output, with the output line most like it.
    const bad = chunk.find((c) => !outLines.includes(c.text)) ?? chunk[0];
    const near = closest(bad.text, outLines);
    const missing = (bad.text.match(/\d[\d,]*(?:\.\d+)?/g) ?? []).filter((x) => !new RegExp(`(?<![\\d,.])${x.replace(/[.]/g, '\\.')}(?![\\d,]|\\.\\d)`).test(near));
    const nums = missing.length ? ` (${missing.join(', ')} not in the run's line)` : '';
    say(bad.line, outLines.includes(bad.text)
      ? `the quoted lines are in the output of ${sample}, but not together or not in this order`
      : `not in the output of ${sample}${nums}:\n      README: ${bad.text}\n      run:    ${near}`);
    chunk = [];
  };
  body.forEach((text, i) => {
    if (text.trim() === '...') flush();
    else chunk.push({ line: start + 1 + i, text });
  });
  flush();
}

/** The output line sharing the most words with `line`. */
function closest(line: string, lines: string[]): string {
  const words = new Set(line.split(/\s+/));
  let best = '';
  let score = -1;
  for (const l of lines) {
    const s = l.split(/\s+/).filter((w) => words.has(w)).length;
    if (s > score) { score = s; best = l; }
  }
  return best;
}

function evaluate(root: string, expr: string, sample: string | undefined, run: Runner): number {
  const parts = expr.split(/\s([+\-*/])\s/);
  let value = term(root, parts[0], sample, undefined, run);
  for (let i = 1; i < parts.length; i += 2) {
    const v = term(root, parts[i + 1], sample, undefined, run);
    value = parts[i] === '+' ? value + v : parts[i] === '-' ? value - v : parts[i] === '*' ? value * v : value / v;
  }
  return value;
}

function term(root: string, t: string, sample: string | undefined, runName: string | undefined, run: Runner): number {
  const s = t.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  const slash = s.indexOf('/');
  if (slash > 0 && !s.startsWith('json:')) {
    const ref = sampleRef(s.slice(0, slash), sample);
    if (ref.sample && fs.existsSync(path.join(root, 'samples', ref.sample, 'expected.json'))) return term(root, s.slice(slash + 1), ref.sample, ref.runName, run);
  }
  if (!sample) throw new Error('name the sample: SAMPLE/NAME or SAMPLE/json:PATH');
  runArgs(root, sample, runName);                      // the run must be one expected.json names
  const got = run(sample, runName);
  if (s.startsWith('json:')) {
    let v: unknown = got.json;
    for (const key of s.slice(5).split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    if (typeof v !== 'number') throw new Error(`${s} is not a number in ${sample}'s --json (${JSON.stringify(v)})`);
    return v;
  }
  const expected = JSON.parse(fs.readFileSync(path.join(root, 'samples', sample, 'expected.json'), 'utf8')) as
    { assert?: Record<string, { match: string }>; runs?: Record<string, { assert?: Record<string, { match: string }> }> };
  const own = runName !== undefined ? expected.runs?.[runName]?.assert?.[s] : undefined;
  const check = own || expected.assert?.[s] ? { ...expected.assert?.[s], ...own } as { match: string } : undefined;   // a run's entry may keep the default run's match
  if (!check) throw new Error(`no entry '${s}' in samples/${sample}/expected.json "assert"`);
  const m = new RegExp(check.match, 'm').exec(got.output);
  if (!m || m[1] === undefined) throw new Error(`/${check.match}/ does not match the output of ${sample}`);
  return Number(m[1].replace(/,/g, ''));
}

function decimals(shown: string): number {
  const dot = shown.indexOf('.');
  return dot < 0 ? 0 : shown.length - dot - 1;
}

function agrees(shown: string, value: number, about: boolean): boolean {
  const want = Number(shown.replace(/,/g, ''));
  if (about) {
    const digits = shown.replace(/,/g, '').replace(/\..*$/, '');
    const zeros = digits.length - digits.replace(/0+$/, '').length;
    const unit = decimals(shown) > 0 ? 10 ** -decimals(shown) : 10 ** zeros;
    return Math.abs(value - want) <= unit / 2;
  }
  const d = decimals(shown);
  return Number(value.toFixed(d)) === want;
}

function fmt(value: number, shown: string): string {
  const d = decimals(shown);
  const s = Number.isInteger(value) ? String(value) : value.toFixed(Math.max(d, 2));
  return shown.includes(',') ? Number(s).toLocaleString('en-US', { maximumFractionDigits: Math.max(d, 2) }) : s;
}

/**
 * The figure names a README marks (outside code spans and fences), for holding a translation to
 * the same figures as the original.
 */
export function figureNames(file: string): Set<string> {
  const names = new Set<string>();
  let inFence = false;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) { inFence = !inFence; continue; }
    if (inFence) continue;
    for (const m of withoutExampleMarks(line).matchAll(MARK)) names.add(m[4]);
  }
  return names;
}
