// The Ring Transitions page's own state and elements, shared by the timeline's controls
// (view.ts), the list (list.ts) and the message handling (main.ts). The transitions themselves
// are in data.ts.

export const S = {
  byCause: {} as Record<string, number>,
  program: '',
  /** Kinds filtered out. */
  hidden: new Set<number>(),
  /** Indices passing the filters. */
  visible: [] as number[],
  /** Until the user zooms or pans, the view follows the data (see `follow`). */
  following: true,
  selected: -1,
};

/** The page skeleton, built once per session (main.ts build); undefined until then. */
export const ui = {
  canvas: undefined as unknown as HTMLCanvasElement,
  tooltip: undefined as unknown as HTMLElement,
  /** The time axis's two ends, under the canvas. */
  axis: undefined as unknown as HTMLElement,
  range: undefined as unknown as HTMLElement,
  legendSlot: undefined as unknown as HTMLElement,
  list: undefined as unknown as HTMLElement,
  spacer: undefined as unknown as HTMLElement,
  rows: undefined as unknown as HTMLElement,
  counters: undefined as unknown as HTMLElement,
  summary: undefined as unknown as HTMLElement,
  /** Says how many of a long run's oldest transitions the page does not hold. */
  earlier: undefined as unknown as HTMLElement,
  axisPick: undefined as unknown as HTMLSelectElement,
  axisLabel: undefined as unknown as HTMLElement,
};
