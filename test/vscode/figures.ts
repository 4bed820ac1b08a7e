// Measured figures (activation, panel refresh) that tests report for the benchmark. Each test
// file is bundled on its own, so the list lives on globalThis where index.ts collects it.
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
}

const KEY = '__ringsideFigures';

export function figures(): Figure[] {
  const g = globalThis as { [KEY]?: Figure[] };
  return (g[KEY] ??= []);
}

/** Records a figure and prints it; a figure is information for the benchmark, not an assertion. */
export function figure(name: string, value: number, unit: string, target: string): void {
  figures().push({ name, value, unit, target });
  console.log(`figure: ${name} ${value.toFixed(1)} ${unit} (target ${target})`);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
