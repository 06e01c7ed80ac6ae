// Controls generated from the settings table: each setting with a `control`
// gets a labelled field in its group's container (selects, sliders, number
// fields, toggles, the dataset thumbnails, the language switch). Features and
// the network's shape are edited on the network diagram itself. Every field
// carries data-setting=<name> so `<name>_hide=true` can hide it; a field whose
// setting does not apply (β₁ under SGD) is hidden too.
import { classColors, diverging } from '../colors.js';
import { h, sizeCanvas } from '../dom.js';
import { formatBound, formatNumber, has, t } from '../i18n/index.js';
import { isRelevant, parseValue, PLANE, SETTINGS } from '../state.js';
import { traceMarker } from './markers.js';

const DIAGRAM_CONTROLS = new Set(['features', 'networkShape']);
const presetText = (v) => String(v);

export class Controls {
  #roots;
  #onChange;
  #fields = new Map();  // name → { el, update(state), retranslate() }
  #thumbnails = new Map();
  #state = null;

  /** roots: { [group]: element }; onChange(changes) with { name: value }. */
  constructor(roots, onChange) {
    this.#roots = roots;
    this.#onChange = onChange;
    for (const p of SETTINGS) {
      if (!p.control || DIAGRAM_CONTROLS.has(p.name) || !roots[p.group]) continue;
      const field = this.#make(p);
      field.el.dataset.setting = p.name;
      field.retranslate();
      roots[p.group].append(field.el);
      this.#fields.set(p.name, field);
    }
  }

  update(state) {
    this.#state = state;
    for (const [name, field] of this.#fields) {
      const p = SETTINGS.find((q) => q.name === name);
      field.el.hidden = !isRelevant(p, state) || state.hide.has(name);
      field.update(state);
    }
    // A bar whose every field is hidden goes too.
    for (const root of Object.values(this.#roots)) {
      if ('collapsible' in root.dataset) root.hidden = ![...root.children].some((child) => !child.hidden);
    }
  }

  retranslate() {
    for (const field of this.#fields.values()) field.retranslate();
    if (this.#state) this.update(this.#state);
  }

  /**
   * The own data's thumbnail ({ points, labels, classes }), shown among the classification or
   * the regression datasets by its kind; null hides it.
   */
  setOwnThumbnail(data) {
    if (data) this.#thumbnails.set('own', data);
    else this.#thumbnails.delete('own');
    this.setThumbnails({});
    if (this.#state) this.update(this.#state);
  }

  /** Thumbnail data per dataset name: { points, labels, classes }. */
  setThumbnails(thumbnails) {
    for (const [name, data] of Object.entries(thumbnails)) this.#thumbnails.set(name, data);
    for (const root of Object.values(this.#roots)) {
      for (const canvas of root.querySelectorAll('canvas.thumb')) this.#drawThumbnail(canvas);
    }
  }

  #make(p) {
    switch (p.control) {
      case 'select': return this.#select(p);
      case 'slider': return this.#slider(p);
      case 'number': return this.#number(p);
      case 'toggle': return this.#toggle(p);
      case 'datasets': return this.#datasets(p);
      case 'lang': return this.#language(p);
      default: throw new Error(`no control for ${p.control}`);
    }
  }

  #label(p, params) {
    const span = h('span', { class: 'field-label' });
    const hint = `hint.${p.name}`;
    return {
      span,
      retranslate: (el, value) => {
        span.textContent = t(`setting.${p.name}`, params ? { value } : undefined);
        if (has(hint)) el.title = t(hint);
      },
    };
  }

  #optionText(p, value) {
    if (p.name === 'classes') return t('option.classes', { n: value });
    if (p.type === 'number') return presetText(value);
    return t(`option.${p.name}.${value}`);
  }

  #select(p) {
    const label = this.#label(p);
    const select = h('select', { id: `setting-${p.name}` });
    const el = h('label', { class: 'field field-select' }, label.span, select);
    const values = () => {
      if (p.type === 'number') {
        const current = this.#state?.[p.name];
        const list = [...p.presets];
        if (current !== undefined && !list.includes(current)) list.push(current);
        return list.sort((a, b) => a - b);
      }
      if (p.type === 'int') return Array.from({ length: p.max - p.min + 1 }, (_, k) => p.min + k);
      return p.values;
    };
    let shown = '';
    const fill = () => {
      const list = values();
      const key = list.join('|') + document.documentElement.lang;
      if (key === shown) return;
      shown = key;
      select.replaceChildren(...list.map((v) => h('option', { value: String(v), text: this.#optionText(p, v) })));
    };
    select.addEventListener('change', () => {
      const parsed = parseValue(p, select.value);
      if (!parsed.reason) this.#onChange({ [p.name]: parsed.value });
    });
    return {
      el,
      update: (state) => {
        fill();
        select.value = String(state[p.name]);
        const allowed = p.allowed?.(state);
        for (const option of select.options) {
          option.disabled = Array.isArray(allowed) && !allowed.includes(parseValue(p, option.value).value);
        }
      },
      retranslate: () => {
        shown = '';
        label.retranslate(el);
      },
    };
  }

  #slider(p) {
    const label = this.#label(p, true);
    const input = h('input', { type: 'range', min: p.min, max: p.max, step: p.step ?? 1, id: `setting-${p.name}` });
    const el = h('label', { class: 'field field-slider' }, label.span, input);
    input.addEventListener('input', () => label.retranslate(el, input.value));
    input.addEventListener('change', () => {
      const parsed = parseValue(p, input.value);
      if (!parsed.reason) this.#onChange({ [p.name]: parsed.value });
    });
    return {
      el,
      update: (state) => {
        input.value = String(state[p.name]);
        label.retranslate(el, state[p.name]);
      },
      retranslate: () => label.retranslate(el, input.value),
    };
  }

  #number(p) {
    const label = this.#label(p);
    const input = h('input', { type: 'text', inputmode: 'decimal', id: `setting-${p.name}`, autocomplete: 'off', spellcheck: 'false' });
    const message = h('span', { class: 'field-error', role: 'alert' });
    const el = h('label', { class: 'field field-number' }, label.span, input, message);
    let refused = null;  // the allowed range of a refused entry, while its message shows
    const explain = () => {
      message.textContent = refused ? t('invalidNumber', { min: formatBound(refused.min), max: formatBound(refused.max) }) : '';
    };
    const show = () => {
      input.value = presetText(this.#state[p.name]);
      input.removeAttribute('aria-invalid');
      refused = null;
      explain();
    };
    input.addEventListener('change', () => {
      const text = input.value.trim();
      const parsed = parseValue(p, text);
      const allowed = p.allowed?.(this.#state);
      const floor = allowed && !Array.isArray(allowed) ? allowed.min : p.min;
      if (parsed.reason || parsed.value < floor) {
        input.setAttribute('aria-invalid', 'true');
        refused = { min: floor, max: p.max };
        explain();
        return;
      }
      this.#onChange({ [p.name]: parsed.value });
    });
    input.addEventListener('blur', () => { if (input.getAttribute('aria-invalid')) setTimeout(show, 1500); });
    return {
      el,
      update: () => { if (document.activeElement !== input) show(); },
      retranslate: () => {
        label.retranslate(el);
        explain();  // a message on screen follows the language too
      },
    };
  }

  #toggle(p) {
    const label = this.#label(p);
    const input = h('input', { type: 'checkbox', id: `setting-${p.name}` });
    const el = h('label', { class: 'field field-toggle' }, input, label.span);
    input.addEventListener('change', () => this.#onChange({ [p.name]: input.checked }));
    return {
      el,
      update: (state) => { input.checked = !!state[p.name]; },
      retranslate: () => label.retranslate(el),
    };
  }

  #datasets(p) {
    const el = h('fieldset', { class: 'field field-datasets' });
    const legend = h('legend', { class: 'field-label' });
    const options = p.values.map((name) => {
      const input = h('input', { type: 'radio', name: `setting-${p.name}`, value: name, class: 'visually-hidden' });
      const canvas = h('canvas', { class: 'thumb', dataset: { dataset: name }, 'aria-hidden': 'true' });
      const caption = h('span', { class: 'thumb-caption' });
      input.addEventListener('change', () => { if (input.checked) this.#onChange({ [p.name]: name }); });
      return { name, input, caption, el: h('label', { class: 'thumb-option' }, input, canvas, caption) };
    });
    el.append(legend, h('div', { class: 'thumbs' }, options.map((o) => o.el)));
    return {
      el,
      update: (state) => {
        const own = this.#thumbnails.get('own');
        for (const o of options) {
          o.input.checked = state[p.name] === o.name;
          o.el.classList.toggle('is-selected', o.input.checked);
          // Own data shows once there is some, among the datasets of its kind.
          if (o.name === 'own') o.el.hidden = !own || (own.classes === 0) !== (p.name === 'regDataset');
        }
      },
      retranslate: () => {
        legend.textContent = t('data.question');
        for (const o of options) o.caption.textContent = t(`option.${p.name}.${o.name}`);
      },
    };
  }

  #drawThumbnail(canvas) {
    const data = this.#thumbnails.get(canvas.dataset.dataset);
    if (!data) return;
    const size = 52;
    const ctx = sizeCanvas(canvas, size, size);
    ctx.fillStyle = '#f5f6f7';
    ctx.fillRect(0, 0, size, size);
    const { points, labels, classes } = data;
    const colors = classes ? classColors(classes) : null;
    for (let i = 0; i < labels.length; i++) {
      const x = ((points[2 * i] - PLANE.xMin) / (PLANE.xMax - PLANE.xMin)) * size;
      const y = ((PLANE.yMax - points[2 * i + 1]) / (PLANE.yMax - PLANE.yMin)) * size;
      ctx.fillStyle = colors ? colors[labels[i]] : diverging.cssAt(labels[i], -1, 1);
      ctx.beginPath();
      traceMarker(ctx, 0, x, y, 1.4);
      ctx.fill();
    }
  }

  #language(p) {
    const buttons = p.values.map((lang) => h('button', {
      type: 'button', class: 'lang-button', lang, dataset: { lang },
      onclick: () => this.#onChange({ lang }),
    }));
    const el = h('div', { class: 'field field-lang', role: 'group' }, buttons);
    return {
      el,
      update: () => {
        for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.lang === document.documentElement.lang));
      },
      retranslate: () => {
        el.setAttribute('aria-label', t('language'));
        for (const b of buttons) b.textContent = t(`lang.${b.dataset.lang}`);
      },
    };
  }
}
