// A curve that never grows past `capacity` stored points: when full it keeps
// every other point and from then on stores one point in `stride`, so the
// cost of drawing it stays flat however long training runs. The latest point
// is always kept separately so the curve's end is exact.
export class Series {
  constructor(capacity = 512) {
    this.capacity = capacity;
    this.x = new Float64Array(capacity);
    this.y = new Float64Array(capacity);
    this.clear();
  }

  clear() {
    this.length = 0;
    this.stride = 1;
    this.skipped = 0;
    this.lastX = NaN;
    this.lastY = NaN;
  }

  push(x, y) {
    this.lastX = x;
    this.lastY = y;
    if (this.length > 0 && ++this.skipped < this.stride) return;
    this.skipped = 0;
    if (this.length === this.capacity) this.#halve();
    this.x[this.length] = x;
    this.y[this.length] = y;
    this.length += 1;
  }

  /** Drops the points at x and beyond (a step back); the caller then pushes the point at x again. */
  truncate(x) {
    while (this.length > 0 && this.x[this.length - 1] >= x) this.length -= 1;
    this.skipped = this.stride;
    this.lastX = NaN;
  }

  get empty() {
    return Number.isNaN(this.lastX);
  }

  #halve() {
    const half = this.length >> 1;
    for (let i = 0; i < half; i++) {
      this.x[i] = this.x[2 * i];
      this.y[i] = this.y[2 * i];
    }
    this.length = half;
    this.stride *= 2;
  }

  /** Calls visit(x, y) for each stored point, then the latest one if it was not stored. */
  forEach(visit) {
    for (let i = 0; i < this.length; i++) visit(this.x[i], this.y[i]);
    if (this.length === 0 || this.x[this.length - 1] !== this.lastX) {
      if (!this.empty) visit(this.lastX, this.lastY);
    }
  }
}
