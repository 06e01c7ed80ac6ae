// The small form that edits weights and biases on the diagram: one row per
// value, checked before anything is applied. Escape, Cancel or a press
// anywhere else closes it; focus returns to what opened it.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';

const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

export class WeightEditor {
  #stage;
  #apply;
  #open = null;  // { form, origin, outside }

  /** stage: the element the form is placed in; apply(rows): the rows with their new values. */
  constructor(stage, apply) {
    this.#stage = stage;
    this.#apply = apply;
  }

  /**
   * rows: [{ kind, layer, to, from, value, label }]; title: the form's heading (one row: its
   * label); at: { x, y } in the stage's pixels; origin: the element focus returns to.
   */
  open(rows, title, at, origin) {
    this.close();
    const inputs = rows.map((row) => h('input', {
      type: 'number', step: 'any', value: String(Number(row.value.toPrecision(6))), 'aria-label': row.label, inputmode: 'decimal',
    }));
    const error = h('p', { class: 'net-editor-error', role: 'alert' });
    const titleId = `net-editor-title-${Date.now()}`;
    const form = h('form', { class: 'net-editor', role: 'dialog', 'aria-labelledby': titleId, novalidate: true },
      h('p', { class: 'net-editor-title', id: titleId, text: title }),
      h('div', { class: 'net-editor-rows' }, rows.map((row, k) => h('label', { class: 'net-editor-row' },
        h('span', { text: rows.length === 1 ? '' : row.label }), inputs[k]))),
      error,
      h('div', { class: 'net-editor-actions' },
        h('button', { type: 'button', class: 'text-button', onclick: () => this.close(true) }, t('edit.cancel')),
        h('button', { type: 'submit', class: 'text-button primary' }, t('edit.apply'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const values = inputs.map((input) => (input.value.trim() === '' ? NaN : Number(input.value)));
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        error.textContent = t('edit.invalid');
        inputs[bad].setAttribute('aria-invalid', 'true');
        inputs[bad].focus();
        return;
      }
      this.#apply(rows.map((row, k) => ({ ...row, value: values[k] })));
      this.close(true);
    });
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.close(true);
      }
    });
    // A press anywhere else closes the editor, as Escape does.
    const outside = (e) => { if (!form.contains(e.target)) this.close(); };
    this.#open = { form, origin, outside };
    this.#stage.append(form);
    setTimeout(() => { if (this.#open?.form === form) document.addEventListener('pointerdown', outside, true); });
    const w = form.offsetWidth, hgt = form.offsetHeight;
    form.style.left = `${clamp(at.x + 8, 0, Math.max(0, this.#stage.clientWidth - w))}px`;
    form.style.top = `${clamp(at.y + 8, 0, Math.max(0, this.#stage.clientHeight - hgt))}px`;
    inputs[0].focus();
    inputs[0].select();
  }

  close(returnFocus = false) {
    if (!this.#open) return;
    const { form, origin, outside } = this.#open;
    this.#open = null;
    document.removeEventListener('pointerdown', outside, true);
    form.remove();
    if (returnFocus && origin?.isConnected && typeof origin.focus === 'function') origin.focus();
  }
}
