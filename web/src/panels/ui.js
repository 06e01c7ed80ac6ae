// Small building blocks the panels share: a heading, a row of choice chips,
// a labelled slider, a number read-out, and the colours of the course's plots.
import { h } from '../dom.js';
import { formatNumber, t } from '../i18n/index.js';

// The course draws a function in blue and its derivative in yellow/orange; these are
// Okabe–Ito's blue and orange, told apart by colour-blind eyes, and the derivative is
// also dashed.
export const FUNCTION_COLOR = '#0072b2';
export const DERIVATIVE_COLOR = '#e69f00';
export const VANISH_BAND = 'rgba(213, 94, 0, 0.10)';
/** Okabe–Ito colours (black first), one per optimizer, each with its own marker shape as a second cue. */
export const SERIES_COLORS = ['#1d232a', '#e69f00', '#56b4e9', '#009e73', '#d55e00', '#0072b2'];
export const SERIES_SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star'];

/** The panel's heading: a title and a short introduction, both retranslated by the caller. */
export function panelHead() {
  const title = h('h2', { class: 'panel-title' });
  const intro = h('p', { class: 'panel-intro' });
  return {
    el: h('header', { class: 'panel-head' }, title, intro),
    retranslate: (titleKey, introKey) => {
      title.textContent = t(titleKey);
      intro.textContent = t(introKey);
    },
  };
}

/** A group of toggle buttons, one pressed; onSelect(value). */
export function chips(values, onSelect, className = '') {
  const buttons = values.map((value) => h('button', {
    type: 'button', class: 'chip', dataset: { value }, 'aria-pressed': 'false', onclick: () => onSelect(value),
  }));
  const el = h('div', { class: `chips ${className}`, role: 'group' }, buttons);
  return {
    el,
    buttons,
    select: (value) => {
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.value === String(value)));
    },
    label: (text) => { for (const b of buttons) b.textContent = text(b.dataset.value); },
  };
}

/** A range input with its label and the value beside it; onInput(value). */
export function slider({ id, min, max, step, value, onInput, digits = 2 }) {
  const label = h('span', { class: 'field-label' });
  const input = h('input', { type: 'range', id, min, max, step, value });
  const shown = h('output', { class: 'slider-value', for: id });
  const show = () => { shown.textContent = formatNumber(Number(input.value), digits); };
  input.addEventListener('input', () => {
    show();
    onInput(Number(input.value));
  });
  show();
  return {
    el: h('label', { class: 'field panel-slider' }, h('span', { class: 'slider-head' }, label, shown), input),
    input,
    set: (v) => {
      input.value = String(v);
      show();
    },
    retranslate: (text) => { label.textContent = text; },
  };
}

/** A labelled number whose full precision is kept in data-value (for tests and screen readers). */
export function readout(className = '') {
  const name = h('dt');
  const value = h('output', { class: 'readout-value' });
  return {
    el: h('div', { class: `readout ${className}` }, name, h('dd', {}, value)),
    value,
    set: (x, digits = 4) => {
      value.dataset.value = String(x);
      value.textContent = typeof x === 'number' ? formatNumber(x, digits) : x;
    },
    retranslate: (text) => { name.textContent = text; },
  };
}

/** n evenly spaced numbers from lo to hi. */
export function grid(lo, hi, n) {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + ((hi - lo) * i) / (n - 1);
  return out;
}

/**
 * A panel's Play button and its loop: while playing, step() runs once per animation frame until
 * done() holds or pause() is called; the button's label and aria-pressed follow. rewind() runs
 * before play starts, to go back to the beginning from the end.
 */
export class Player {
  button = h('button', { type: 'button', class: 'text-button primary panel-play', onclick: () => this.toggle() });
  #playing = false;
  #raf = 0;
  #step;
  #done;
  #rewind;

  constructor({ step, done, rewind = () => {} }) {
    this.#step = step;
    this.#done = done;
    this.#rewind = rewind;
    this.retranslate();
  }

  get playing() {
    return this.#playing;
  }

  toggle() {
    if (this.#playing) this.pause();
    else this.play();
  }

  play() {
    if (this.#playing) return;
    this.#rewind();
    if (this.#done()) return;
    this.#set(true);
    const frame = () => {
      if (!this.#playing) return;
      this.#step();
      if (!this.#playing) return;  // step() paused it (an engine error)
      if (this.#done()) this.pause();
      else this.#raf = requestAnimationFrame(frame);
    };
    this.#raf = requestAnimationFrame(frame);
  }

  pause() {
    cancelAnimationFrame(this.#raf);
    this.#set(false);
  }

  retranslate() {
    this.#set(this.#playing);
  }

  #set(playing) {
    this.#playing = playing;
    this.button.textContent = t(playing ? 'pause' : 'play');
    this.button.setAttribute('aria-pressed', String(playing));
  }
}

/**
 * PyTorch code beside the math: a caption, the code as text (never markup) and a Copy button.
 * set(code) replaces the code; retranslate() the caption and button.
 */
export function codeBlock(className = '') {
  const caption = h('figcaption', { class: 'torch-caption' });
  const code = h('code');
  const status = h('span', { class: 'torch-status', role: 'status' });
  const copy = h('button', {
    type: 'button', class: 'text-button torch-copy',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(code.textContent);
        status.textContent = t('share.copied');
      } catch {
        status.textContent = t('share.copyFailed');
      }
    },
  });
  const el = h('figure', { class: `torch ${className}` },
    h('div', { class: 'torch-head' }, caption, status, copy),
    h('pre', { class: 'torch-code' }, code));
  return {
    el,
    code,
    set: (text) => {
      if (code.textContent !== text) {
        code.textContent = text;
        status.textContent = '';
      }
    },
    retranslate: (captionKey = 'torch.caption') => {
      caption.textContent = t(captionKey);
      copy.textContent = t('share.copy');
    },
  };
}
