// A line chart of bounded series (see series.js) against epochs: its drawing
// cost stays flat however long training runs.
import { h, sizeCanvas } from '../dom.js';
import { formatNumber, groupDigits, t } from '../i18n/index.js';

const PAD = { right: 6, top: 6, bottom: 16 };

export class ChartView {
  #root;
  #canvas;
  #legend;
  #lines;
  #range;
  #labelKey;
  #titleKey;
  #title;
  #height;
  #width = null;
  #last = null;

  /**
   * lines: [{ key (i18n), color, dash }]; range: 'auto' (0 … max) or [lo, hi];
   * labelKey: the chart's accessible description; titleKey: its visible title.
   */
  constructor(root, { lines, range = 'auto', labelKey, titleKey = null, height = 90, percent = false }) {
    this.#root = root;
    this.#lines = lines;
    this.#range = range;
    this.#labelKey = labelKey;
    this.#titleKey = titleKey;
    this.#height = height;
    this.percent = percent;
    this.#title = titleKey ? h('p', { class: 'chart-title' }) : null;
    this.#canvas = h('canvas', { class: 'chart-canvas', role: 'img' });
    this.#legend = h('div', { class: 'chart-legend' });
    root.append(...[this.#title, this.#canvas, this.#legend].filter(Boolean));
    this.retranslate();
    // The width is read here, after layout, not on every draw (a draw follows DOM writes each frame).
    new ResizeObserver(() => {
      this.#width = root.clientWidth;
      if (this.#last) this.draw(this.#last);
    }).observe(root);
  }

  retranslate() {
    if (this.#title) this.#title.textContent = t(this.#titleKey);
    this.#canvas.setAttribute('aria-label', t(this.#labelKey));
    this.#legend.replaceChildren(...this.#lines.map((line) => h('span', { class: 'chart-key' },
      h('span', { class: `chart-swatch${line.dash ? ' dashed' : ''}`, style: `border-color:${line.color}`, 'aria-hidden': 'true' }),
      t(line.key))));
  }

  /** series: one Series per line, in the order of `lines`. */
  draw(series) {
    this.#last = series;
    const width = Math.max(120, this.#width ?? this.#root.clientWidth);
    const height = this.#height;
    const ctx = sizeCanvas(this.#canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    let xMax = 1;
    let yMax = 0;
    for (const s of series) {
      s.forEach((x, y) => {
        if (x > xMax) xMax = x;
        if (Number.isFinite(y) && y > yMax) yMax = y;
      });
    }
    const [lo, hi] = this.#range === 'auto' ? [0, yMax > 0 ? yMax * 1.08 : 1] : this.#range;
    const label = (v) => (this.percent ? `${Math.round(v * 100)}%` : formatNumber(v, 3));
    ctx.font = '10px system-ui, sans-serif';
    // Room on the left for the widest label (a diverging loss reaches 1e+300).
    const left = Math.max(30, Math.ceil(ctx.measureText(label(hi)).width) + 8);
    const plotW = width - left - PAD.right;
    const plotH = height - PAD.top - PAD.bottom;
    const px = (x) => left + (x / xMax) * plotW;
    const py = (y) => PAD.top + (1 - (Math.min(hi, Math.max(lo, y)) - lo) / (hi - lo)) * plotH;

    ctx.strokeStyle = '#d5d9de';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const f of [0, 0.5, 1]) {
      const y = Math.round(PAD.top + f * plotH) + 0.5;
      ctx.moveTo(left, y);
      ctx.lineTo(width - PAD.right, y);
    }
    ctx.stroke();
    ctx.fillStyle = '#4b5561';
    ctx.textAlign = 'right';
    ctx.fillText(label(hi), left - 4, PAD.top + 8);
    ctx.fillText(label(lo), left - 4, PAD.top + plotH);
    ctx.textAlign = 'left';
    ctx.fillText('0', left, height - 3);
    ctx.textAlign = 'right';
    ctx.fillText(t('chart.epochs', { n: groupDigits(Math.round(xMax)) }), width - PAD.right, height - 3);

    series.forEach((s, k) => {
      const line = this.#lines[k];
      ctx.strokeStyle = line.color;
      ctx.lineWidth = 1.6;
      ctx.setLineDash(line.dash ? [4, 3] : []);
      ctx.beginPath();
      let pen = false;
      s.forEach((x, y) => {
        if (!Number.isFinite(y)) {
          pen = false;
          return;
        }
        if (pen) ctx.lineTo(px(x), py(y));
        else ctx.moveTo(px(x), py(y));
        pen = true;
      });
      ctx.stroke();
    });
    ctx.setLineDash([]);
  }
}
