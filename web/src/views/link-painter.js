// The network's links as curves on one canvas. Rasterising a few hundred wide anti-aliased
// curves is the largest part of a played frame's work on a 6×8 network, so where the browser
// can (OffscreenCanvas, workers from blob: URLs) a worker paints them: the page's main thread only
// sends each link's ends, colour and width. Otherwise, or when the worker fails, they are painted
// here on the page's own thread, the same way.

/** A link whose value is not computed yet: drawn grey and faint. */
export const PENDING = -1;
const PENDING_CSS = 'rgba(138,147,156,0.35)';
const FIELDS = 6;  // per link: x0, y0, x1, y1, colour index (or PENDING), width

/**
 * Sizes ctx's canvas for width × height CSS pixels at ratio, clears it and strokes every link of
 * `links` (FIELDS numbers each). The worker runs it as its own copy.
 */
function strokeLinks(ctx, width, height, ratio, links, colors, pending) {
  const { canvas } = ctx;
  const w = Math.max(1, Math.round(width * ratio)), h = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.globalAlpha = 0.9;
  ctx.lineCap = 'round';
  for (let k = 0; k < links.length; k += 6) {  // FIELDS (the worker has this function alone)
    const x0 = links[k], y0 = links[k + 1], x1 = links[k + 2], y1 = links[k + 3];
    const mid = (x0 + x1) / 2;
    ctx.strokeStyle = links[k + 4] < 0 ? pending : colors[links[k + 4]];
    ctx.lineWidth = links[k + 5];
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.bezierCurveTo(mid, y0, mid, y1, x1, y1);
    ctx.stroke();
  }
}

// The worker's program: { canvas, colors, pending } once, then { width, height, ratio, links };
// of the links that wait while it paints, only the newest are painted. The context is taken once:
// Firefox refuses a second getContext on an OffscreenCanvas once its size has changed.
function workerMain() {
  let ctx = null, colors = null, pending = '', next = null;
  const paintNext = () => {
    const { width, height, ratio, links } = next;
    next = null;
    strokeLinks(ctx, width, height, ratio, links, colors, pending);
  };
  self.onmessage = ({ data }) => {
    if (data.canvas) {
      ctx = data.canvas.getContext('2d');
      ({ colors, pending } = data);
      return;
    }
    const waiting = next !== null;
    next = data;
    if (!waiting) setTimeout(paintNext, 0);
  };
}

let workerUrl = null;
function startWorker() {
  workerUrl ??= URL.createObjectURL(new Blob([`${strokeLinks}\n(${workerMain})();`], { type: 'text/javascript' }));
  return new Worker(workerUrl);
}

export class LinkPainter {
  #canvas;
  #colors;
  #worker = null;
  #last = null;  // the last paint's arguments, painted again if the worker fails

  /** canvas: the links' canvas, in the page; colors: CSS colours by index. */
  constructor(canvas, colors) {
    this.#canvas = canvas;
    this.#colors = colors;
    if (typeof Worker !== 'function' || typeof canvas.transferControlToOffscreen !== 'function') return;
    let transferred = false;
    try {
      const worker = startWorker();
      this.#worker = worker;
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        if (this.#worker === worker) this.#fallBack(true);
      });
      const offscreen = canvas.transferControlToOffscreen();
      transferred = true;
      worker.postMessage({ canvas: offscreen, colors: [...colors], pending: PENDING_CSS }, [offscreen]);
    } catch {
      this.#fallBack(transferred);
    }
  }

  /** Paints layers of links [[{ x0, y0, x1, y1, color, width }]] on width × height CSS pixels at ratio. */
  paint(layers, width, height, ratio) {
    const style = this.#canvas.style;
    if (style.width !== `${width}px` || style.height !== `${height}px`) {
      style.width = `${width}px`;
      style.height = `${height}px`;
    }
    this.#last = [layers, width, height, ratio];
    const flat = new Float64Array(layers.reduce((n, layer) => n + layer.length, 0) * FIELDS);
    let k = 0;
    for (const layer of layers) {
      for (const link of layer) {
        flat[k] = link.x0; flat[k + 1] = link.y0; flat[k + 2] = link.x1; flat[k + 3] = link.y1;
        flat[k + 4] = link.color; flat[k + 5] = link.width;
        k += FIELDS;
      }
    }
    if (this.#worker) {
      this.#worker.postMessage({ width, height, ratio, links: flat }, [flat.buffer]);
      return;
    }
    strokeLinks(this.#canvas.getContext('2d'), width, height, ratio, flat, this.#colors, PENDING_CSS);
  }

  // The worker could not start or failed: the links are painted here from now on. A canvas given
  // to the worker stays its own, so a fresh canvas takes its place.
  #fallBack(transferred) {
    this.#worker?.terminate();
    this.#worker = null;
    if (transferred) {
      const fresh = this.#canvas.cloneNode(false);
      this.#canvas.replaceWith(fresh);
      this.#canvas = fresh;
    }
    if (this.#last) this.paint(...this.#last);
  }
}
