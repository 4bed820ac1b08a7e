// Batched canvas rectangles for the timeline (timeline.ts).
/**
 * Rectangles of one size gathered by group (a fill colour and opacity), then drawn as one path per
 * group: the canvas's cost is in its state changes and fills, not in the rectangles of a path.
 */
export class Rects {
  private readonly at: number[][];
  constructor(groups: number) {
    this.at = Array.from({ length: groups }, () => []);
  }
  add(group: number, x: number, y: number): void {
    this.at[group].push(x, y);
  }
  /** One fill per group that has rectangles, after `style(group)` sets its colour and opacity. */
  fill(g: CanvasRenderingContext2D, w: number, h: number, style: (group: number) => void): void {
    this.at.forEach((xy, j) => {
      if (xy.length === 0) return;
      style(j);
      g.beginPath();
      for (let i = 0; i < xy.length; i += 2) g.rect(xy[i], xy[i + 1], w, h);
      g.fill();
    });
  }
}
