// Draw mode on the output plot: a click or tap adds a point of the chosen
// class (or, for regression, of the chosen value), a drag moves a point, the
// eraser (or a right-click, or a long press) deletes, Clear empties. With the
// plot focused the arrows move a crosshair and Enter adds there. Each change
// goes out as new OwnData (data/owndata.js); training can keep running.
import { classColors, diverging } from '../colors.js';
import { h, svg } from '../dom.js';
import { formatNumber, t } from '../i18n/index.js';
import {
  emptyData, fromTarget, MAX_CLASSES, movedPoint, nearestPoint, pointCount, splitForNew, withoutPoints, withPoint,
} from '../data/owndata.js';
import { markerPath } from './markers.js';

const HIT_PX = 11;          // a point within this many pixels is under the pointer
const LONG_PRESS_MS = 550;
const MOVE_PX = 8;          // a press that moves further is a drag, not a tap or a long press
const KEY_STEP = 0.25;      // plane units per arrow press (Shift: 1)

export class DrawMode {
  #bar;
  #output;
  #host;
  #live;
  #cross;
  #classRow;
  #valueField;
  #value;
  #valueText;
  #tools = {};
  #where;
  #hint;
  #page;
  active = false;
  tool = 'add';
  cls = 0;
  target = 0.5;  // regression value to draw (−1 … 1)
  #crosshair = [0, 0];
  #press = null;  // { id, index, x, y, kind: 'drag' | 'tap' | 'erase', timer }
  #pending = 0;

  /**
   * host: the element the tool bar goes in; output: the OutputView; page: { data() → OwnData or
   * null, start() → OwnData to draw on, change(data), ratio() (the training share) }.
   */
  constructor(host, output, page) {
    this.#host = host;
    this.#output = output;
    this.#page = page;
    this.#live = h('span', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.#cross = svg('svg', { class: 'draw-cross', 'aria-hidden': 'true', width: 0, height: 0 });
    this.#classRow = h('div', { class: 'draw-classes', role: 'radiogroup' });
    this.#value = h('input', { type: 'range', min: -1, max: 1, step: 0.05, value: this.target, id: 'draw-value' });
    this.#valueText = h('output', { class: 'draw-value-text', for: 'draw-value' });
    this.#value.addEventListener('input', () => {
      this.target = Number(this.#value.value);
      this.#showValue();
    });
    this.#valueField = h('label', { class: 'draw-value' }, h('span', { class: 'draw-value-label' }), this.#value, this.#valueText);
    for (const tool of ['add', 'erase']) {
      this.#tools[tool] = h('button', { type: 'button', class: 'text-button draw-tool', dataset: { tool }, 'aria-pressed': 'false', onclick: () => this.#setTool(tool) });
    }
    this.#where = h('select', { id: 'draw-split', class: 'draw-split' },
      ['auto', 'train', 'test'].map((v) => h('option', { value: v })));
    this.#hint = h('p', { class: 'draw-hint' });
    this.#bar = h('div', { class: 'draw-bar', id: 'draw-bar', hidden: true, role: 'toolbar' },
      this.#classRow, this.#valueField,
      h('div', { class: 'draw-tools' }, this.#tools.add, this.#tools.erase,
        h('label', { class: 'draw-split-field' }, h('span', { class: 'draw-split-label' }), this.#where),
        h('button', { type: 'button', class: 'text-button', id: 'draw-clear', onclick: () => this.#clear() }),
        h('button', { type: 'button', class: 'text-button primary', id: 'draw-done', onclick: () => this.stop() })),
      this.#hint, this.#live);
    host.prepend(this.#bar);
    const frame = output.frame;
    frame.append(this.#cross);
    frame.addEventListener('pointerdown', (e) => this.#down(e));
    frame.addEventListener('pointermove', (e) => this.#move(e));
    frame.addEventListener('pointerup', (e) => this.#up(e));
    frame.addEventListener('pointercancel', () => this.#cancel());
    frame.addEventListener('contextmenu', (e) => this.#context(e));
    frame.addEventListener('keydown', (e) => this.#key(e));
    frame.addEventListener('focus', () => this.#drawCross());
    frame.addEventListener('blur', () => this.#drawCross());
    this.retranslate();
  }

  /** Starts Draw mode on the data to draw on (the page's own data, or the points on screen). */
  start() {
    if (this.active) return;
    this.#page.start();
    this.active = true;
    this.#output.drawing = true;
    const frame = this.#output.frame;
    frame.classList.add('is-drawing');
    frame.tabIndex = 0;
    frame.setAttribute('role', 'application');
    frame.setAttribute('aria-roledescription', t('draw.area'));
    this.#bar.hidden = false;
    this.sync();
    this.#setTool('add');
    this.#drawCross();
  }

  stop() {
    if (!this.active) return;
    this.active = false;
    this.#cancel();
    this.#output.drawing = false;
    const frame = this.#output.frame;
    frame.classList.remove('is-drawing');
    frame.removeAttribute('tabindex');
    frame.removeAttribute('role');
    frame.removeAttribute('aria-roledescription');
    frame.setAttribute('aria-label', t('output.plot'));
    this.#bar.hidden = true;
    this.#drawCross();
  }

  /** The class buttons, value slider and texts after the data changed. */
  sync() {
    if (!this.active) return;
    const data = this.#data();
    const classes = data.classes;
    this.#valueField.hidden = classes !== 0;
    this.#classRow.hidden = classes === 0;
    if (classes > 0) {
      this.cls = Math.min(this.cls, classes - 1);
      const colors = classColors(classes);
      const buttons = Array.from({ length: classes }, (_, k) => {
        const icon = svg('svg', { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true' });
        icon.append(svg('path', { d: markerPath(classes > 2 ? k : 0, 7, 7, 5.2), fill: colors[k], stroke: '#1d232a', 'stroke-width': 0.7 }));
        const name = data.classNames?.[k] ?? t('legend.class', { n: k });
        return h('button', {
          type: 'button', role: 'radio', class: 'draw-class', dataset: { cls: k }, 'aria-checked': String(k === this.cls),
          style: `--class-color:${colors[k]}`, onclick: () => { this.cls = k; this.sync(); },
        }, icon, name);
      });
      if (classes < MAX_CLASSES) {
        buttons.push(h('button', {
          type: 'button', class: 'draw-class draw-add-class', id: 'draw-add-class', title: t('draw.addClass'),
          'aria-label': t('draw.addClass'), onclick: () => this.#addClass(),
        }, '+'));
      }
      this.#classRow.replaceChildren(...buttons);
      this.#classRow.setAttribute('aria-label', t('draw.classes'));
    }
    this.#showValue();
    this.#output.frame.setAttribute('aria-label', t('draw.label', { n: pointCount(data) }));
  }

  retranslate() {
    this.#tools.add.textContent = t('draw.add');
    this.#tools.erase.textContent = t('draw.erase');
    this.#bar.querySelector('.draw-split-label').textContent = t('draw.split');
    for (const option of this.#where.options) option.textContent = t(`draw.split.${option.value}`);
    this.#bar.querySelector('#draw-clear').textContent = t('draw.clear');
    this.#bar.querySelector('#draw-done').textContent = t('draw.done');
    this.#bar.setAttribute('aria-label', t('draw.bar'));
    this.#valueField.querySelector('.draw-value-label').textContent = t('draw.value');
    this.#hint.textContent = t('draw.hint');
    if (this.active) {
      this.#output.frame.setAttribute('aria-roledescription', t('draw.area'));
      this.sync();
    }
  }

  #data() {
    return this.#page.data() ?? emptyData(2);
  }

  #showValue() {
    const data = this.#page.data();
    const shown = data ? fromTarget(data, this.target) : this.target;
    this.#valueText.textContent = formatNumber(shown);
    this.#value.style.setProperty('--value-color', diverging.cssAt(this.target, -1, 1));
  }

  #setTool(tool) {
    this.tool = tool;
    for (const [name, button] of Object.entries(this.#tools)) button.setAttribute('aria-pressed', String(name === tool));
    this.#output.frame.classList.toggle('is-erasing', tool === 'erase');
  }

  #change(data, message) {
    this.#page.change(data);
    this.sync();
    if (message) this.#live.textContent = message;
  }

  #addAt(x, y) {
    const data = this.#data();
    const label = data.classes === 0 ? this.target : this.cls;
    const test = splitForNew(data, this.#where.value, this.#page.ratio());
    this.#change(withPoint(data, x, y, label, test), t('draw.added', {
      what: data.classes === 0 ? formatNumber(fromTarget(data, this.target)) : data.classNames?.[this.cls] ?? t('legend.class', { n: this.cls }),
      split: t(test ? 'draw.split.test' : 'draw.split.train'),
    }));
  }

  #eraseNear(x, y, radius) {
    const data = this.#data();
    const i = nearestPoint(data, x, y, radius);
    if (i < 0) return false;
    this.#change(withoutPoints(data, [i]), t('draw.erased', { n: pointCount(data) - 1 }));
    return true;
  }

  #clear() {
    const data = this.#data();
    this.#change({ ...withoutPoints(data, data.labels.map((_, i) => i)), source: 'draw', name: '' }, t('draw.cleared'));
  }

  #addClass() {
    const data = this.#data();
    if (data.classes === 0 || data.classes >= MAX_CLASSES) return;
    const classNames = data.classNames ? [...data.classNames, t('legend.class', { n: data.classes })] : null;
    this.cls = data.classes;
    this.#change({ ...data, classes: data.classes + 1, classNames });
  }

  #radius() {
    return HIT_PX * this.#output.unitsPerPixel;
  }

  #down(e) {
    if (!this.active || (e.pointerType === 'mouse' && e.button !== 0)) return;
    const at = this.#output.planeAt(e.clientX, e.clientY);
    if (!at) return;
    e.preventDefault();
    try {
      this.#output.frame.setPointerCapture(e.pointerId);
    } catch {
      // a pointer the browser no longer tracks: the frame's own events still arrive
    }
    const [x, y] = at;
    this.#crosshair = at;
    const press = { id: e.pointerId, startX: e.clientX, startY: e.clientY, index: -1, kind: 'tap', timer: 0 };
    if (this.tool === 'erase') {
      press.kind = 'erase';
      this.#eraseNear(x, y, this.#radius());
    } else {
      press.index = nearestPoint(this.#data(), x, y, this.#radius());
      if (press.index >= 0) press.kind = 'drag';
      else if (e.pointerType === 'mouse') {
        this.#addAt(x, y);
        press.kind = 'added';
      }
      // A long press (touch, pen) deletes what is under it.
      if (e.pointerType !== 'mouse') press.timer = setTimeout(() => this.#longPress(x, y), LONG_PRESS_MS);
    }
    this.#press = press;
  }

  #longPress(x, y) {
    const press = this.#press;
    if (!press) return;
    press.kind = 'done';
    this.#eraseNear(x, y, this.#radius() * 1.5);
  }

  #move(e) {
    const press = this.#press;
    if (!press || press.id !== e.pointerId) return;
    const far = Math.hypot(e.clientX - press.startX, e.clientY - press.startY) > MOVE_PX;
    if (far && press.timer) {
      clearTimeout(press.timer);
      press.timer = 0;
    }
    const at = this.#output.planeAt(e.clientX, e.clientY);
    if (!at) return;
    if (press.kind === 'erase') this.#eraseNear(at[0], at[1], this.#radius());
    else if (press.kind === 'drag' && far) {
      press.moved = at;
      // One change per animation frame, however fast the pointer moves.
      if (!this.#pending) this.#pending = requestAnimationFrame(() => this.#flushMove());
    }
  }

  #flushMove() {
    this.#pending = 0;
    const press = this.#press;
    if (!press?.moved || press.index < 0) return;
    this.#change(movedPoint(this.#data(), press.index, press.moved[0], press.moved[1]));
  }

  #up(e) {
    const press = this.#press;
    if (!press || press.id !== e.pointerId) return;
    clearTimeout(press.timer);
    if (this.#pending) {
      cancelAnimationFrame(this.#pending);
      this.#flushMove();
    }
    this.#press = null;
    const far = Math.hypot(e.clientX - press.startX, e.clientY - press.startY) > MOVE_PX;
    if (press.kind === 'tap' && !far) {
      const at = this.#output.planeAt(press.startX, press.startY);
      if (at) this.#addAt(at[0], at[1]);
    } else if (press.kind === 'drag' && press.moved) {
      this.#live.textContent = t('draw.moved');
    }
  }

  #cancel() {
    if (this.#press) clearTimeout(this.#press.timer);
    if (this.#pending) cancelAnimationFrame(this.#pending);
    this.#pending = 0;
    this.#press = null;
  }

  #context(e) {
    if (!this.active) return;
    e.preventDefault();
    const at = this.#output.planeAt(e.clientX, e.clientY);
    if (at) this.#eraseNear(at[0], at[1], this.#radius() * 1.5);
  }

  #key(e) {
    if (!this.active || e.altKey || e.ctrlKey || e.metaKey) return;
    const step = e.shiftKey ? 1 : KEY_STEP;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    let handled = true;
    const [x, y] = this.#crosshair;
    if (moves[e.key]) {
      const [dx, dy] = moves[e.key];
      this.#crosshair = [Math.max(-6, Math.min(6, x + dx)), Math.max(-6, Math.min(6, y + dy))];
      this.#live.textContent = t('draw.at', { x: formatNumber(this.#crosshair[0]), y: formatNumber(this.#crosshair[1]) });
    } else if (e.key === 'Enter' || e.key === ' ') {
      if (this.tool === 'erase') this.#eraseNear(x, y, 0.5);
      else this.#addAt(x, y);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      if (!this.#eraseNear(x, y, 0.5)) this.#live.textContent = t('draw.nothing');
    } else if (e.key === 'Escape') {
      this.stop();
    } else {
      handled = false;
    }
    if (!handled) return;
    e.preventDefault();
    e.stopPropagation();  // the page's own keys (Space plays, → steps) stay out
    this.#drawCross();
  }

  // The keyboard's crosshair, shown while the plot has the focus.
  #drawCross() {
    const frame = this.#output.frame;
    const shown = this.active && document.activeElement === frame;
    this.#cross.replaceChildren();
    if (!shown) {
      this.#cross.setAttribute('width', 0);  // an empty svg still takes 300 × 150 px
      this.#cross.setAttribute('height', 0);
      return;
    }
    const [px, py] = this.#output.pixelOf(...this.#crosshair);
    this.#cross.setAttribute('width', frame.clientWidth);
    this.#cross.setAttribute('height', frame.clientHeight);
    this.#cross.append(
      svg('line', { x1: px - 9, x2: px + 9, y1: py, y2: py, class: 'draw-cross-line' }),
      svg('line', { x1: px, x2: px, y1: py - 9, y2: py + 9, class: 'draw-cross-line' }),
      svg('circle', { cx: px, cy: py, r: 4, class: 'draw-cross-ring' }),
    );
  }
}
