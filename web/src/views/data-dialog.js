// The Own data dialog: import a CSV, TSV or text file (or pasted text) and
// choose its columns, or make a dataset from a formula. Loaded when first
// opened (the multi-file build keeps it, d3-dsv and jsep out of the start).
// Nothing reaches the page until the data is complete: a refused file or
// formula says why, by line and column or by character, and changes nothing.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import { DataError } from '../data/owndata.js';
import { generate, SAMPLE_RANGE } from '../data/formula.js';
import { buildData, defaultChoice, describe, readTable } from '../data/table.js';

/** Most characters of a file the dialog reads (a 20 000-row table is far smaller). */
const MAX_FILE_MB = 8;
const DELIMITER_NAMES = { ',': 'comma', ';': 'semicolon', '\t': 'tab', ' ': 'space' };

const errorText = (err) => (err instanceof DataError ? t(err.key, err.params) : t('file.unexpected', { message: String(err?.message ?? err) }));

export class DataDialog {
  #dialog;
  #page;
  #table = null;
  #name = '';
  #f = {};

  /** page: { use(data), limit() (most rows), ratio(), seed(), noise() } */
  constructor(host, page) {
    this.#page = page;
    this.#dialog = h('dialog', { class: 'share-dialog data-dialog', 'aria-labelledby': 'data-dialog-title' });
    host.append(this.#dialog);
  }

  get isOpen() {
    return this.#dialog.open;
  }

  /** Opens on 'import' or 'formula'. */
  open(part) {
    this.#build();
    this.#dialog.showModal();
    (part === 'formula' ? this.#f.formula : this.#f.fileButton).focus();
  }

  #build() {
    const f = this.#f;
    f.file = h('input', { type: 'file', id: 'data-file', accept: '.csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain', class: 'visually-hidden', tabindex: '-1' });
    f.file.addEventListener('change', () => this.#readFile());
    f.fileButton = h('button', { type: 'button', class: 'text-button primary', id: 'data-file-button', onclick: () => f.file.click() }, t('data.import'));
    f.paste = h('textarea', { id: 'data-paste', rows: 4, class: 'share-snippet', spellcheck: 'false', placeholder: 'x1,x2,label\n0.5,1.2,A' });
    f.read = h('button', { type: 'button', class: 'text-button', id: 'data-read', onclick: () => this.#read(f.paste.value, '') }, t('data.read'));
    f.summary = h('p', { class: 'share-note', id: 'data-found' });
    f.choice = h('div', { class: 'data-choice', hidden: true });
    f.importError = h('p', { class: 'data-error', role: 'alert', id: 'data-import-error' });
    f.formula = h('input', { type: 'text', id: 'data-fx', value: 'sin(x)', spellcheck: 'false', autocomplete: 'off', class: 'data-formula' });
    f.from = h('input', { type: 'number', id: 'data-from', value: -6, step: 'any' });
    f.to = h('input', { type: 'number', id: 'data-to', value: 6, step: 'any' });
    f.samples = h('input', { type: 'number', id: 'data-samples', value: 500, min: SAMPLE_RANGE.min, max: SAMPLE_RANGE.max, step: 1 });
    f.noise = h('input', { type: 'number', id: 'data-noise', value: this.#page.noise(), min: 0, max: 50, step: 5 });
    f.formulaError = h('p', { class: 'data-error', role: 'alert', id: 'data-formula-error' });
    const field = (label, input) => h('label', { class: 'field' }, h('span', { class: 'field-label', text: label }), input);
    this.#dialog.replaceChildren(
      h('h2', { id: 'data-dialog-title', text: t('data.title') }),
      h('fieldset', { class: 'share-embed' },
        h('legend', { text: t('data.import') }),
        h('p', { class: 'share-note', text: t('data.importHint') }),
        h('div', { class: 'share-copy' }, f.fileButton, f.file),
        h('label', { class: 'field-label', for: 'data-paste', text: t('data.paste') }),
        f.paste,
        h('div', { class: 'share-copy' }, f.read),
        f.summary, f.choice, f.importError),
      h('fieldset', { class: 'share-embed share-files' },
        h('legend', { text: t('data.formulaTitle') }),
        h('p', { class: 'share-note', text: t('data.formulaHint') }),
        field(t('data.formula'), f.formula),
        h('div', { class: 'share-size data-numbers' }, field(t('data.from'), f.from), field(t('data.to'), f.to),
          field(t('data.samples'), f.samples), field(t('data.noise'), f.noise)),
        h('div', { class: 'share-copy' }, h('button', { type: 'button', class: 'text-button primary', id: 'data-make', onclick: () => this.#make() }, t('data.make'))),
        f.formulaError),
      h('form', { method: 'dialog', class: 'share-actions' }, h('button', { type: 'submit', class: 'text-button' }, t('share.close'))),
    );
    f.formula.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); this.#make(); } });
  }

  async #readFile() {
    const [file] = this.#f.file.files;
    this.#f.file.value = '';
    if (!file) return;
    if (file.size > MAX_FILE_MB * 1024 * 1024) {
      this.#refuse(t('data.tooBig', { mb: MAX_FILE_MB }), file.name);
      return;
    }
    this.#read(await file.text(), file.name);
  }

  #refuse(message, name) {
    this.#table = null;
    this.#f.choice.hidden = true;
    this.#f.summary.textContent = '';
    this.#f.importError.textContent = `${name ? t('data.refusedFile', { name }) : t('data.refused')} ${message}`;
  }

  #read(text, name) {
    this.#f.importError.textContent = '';
    try {
      this.#table = readTable(text);
    } catch (err) {
      this.#refuse(errorText(err), name);
      return;
    }
    this.#name = name;
    this.#showChoice(this.#table.header);
  }

  #showChoice(header) {
    const table = this.#table;
    const { names, body } = describe(table, header);
    const choice = defaultChoice({ ...table, ...describe(table, header) });
    const label = (k) => (names[k] ? `${k + 1}: ${names[k]}` : t('data.column', { n: k + 1 }));
    const select = (id, value) => {
      const el = h('select', { id }, names.map((_, k) => h('option', { value: k, text: label(k) })));
      el.value = String(value);
      return el;
    };
    const f = this.#f;
    f.header = h('input', { type: 'checkbox', id: 'data-header', checked: header });
    f.header.addEventListener('change', () => this.#showChoice(f.header.checked));
    f.x = select('data-x', choice.x);
    f.y = select('data-y', choice.y);
    f.label = select('data-label', choice.label);
    f.kind = h('select', { id: 'data-kind' }, ['auto', 'classes', 'values'].map((v) => h('option', { value: v, text: t(`data.kind.${v}`) })));
    f.scaling = h('select', { id: 'data-scaling' }, ['minmax', 'standard'].map((v) => h('option', { value: v, text: t(`data.scaling.${v}`) })));
    const field = (text, input) => h('label', { class: 'field field-select' }, h('span', { class: 'field-label', text }), input);
    f.summary.textContent = t('data.found', {
      rows: body.length, columns: table.columns, delimiter: t(`data.delimiter.${DELIMITER_NAMES[table.delimiter]}`),
    }) + (table.decimalComma ? ` ${t('data.decimalComma')}` : '');
    f.choice.hidden = false;
    f.choice.replaceChildren(
      h('label', { class: 'field field-toggle' }, f.header, t('data.header')),
      h('div', { class: 'data-columns' }, field(t('data.x'), f.x), field(t('data.y'), f.y), field(t('data.label'), f.label),
        field(t('data.kind'), f.kind), field(t('data.scaling'), f.scaling)),
      h('div', { class: 'share-copy' }, h('button', { type: 'button', class: 'text-button primary', id: 'data-use', onclick: () => this.#use() }, t('data.use'))),
    );
  }

  #use() {
    const f = this.#f;
    let data;
    try {
      data = buildData(this.#table, {
        x: Number(f.x.value), y: Number(f.y.value), label: Number(f.label.value), header: f.header.checked,
        scaling: f.scaling.value, kind: f.kind.value, ratio: this.#page.ratio(), seed: this.#page.seed(),
        name: this.#name, limit: this.#page.limit(),
      });
    } catch (err) {
      f.importError.textContent = `${this.#name ? t('data.refusedFile', { name: this.#name }) : t('data.refused')} ${errorText(err)}`;
      return;
    }
    f.importError.textContent = '';
    this.#page.use(data);
    this.#dialog.close();
  }

  #make() {
    const f = this.#f;
    let data;
    try {
      data = generate({
        text: f.formula.value.trim(), from: Number(f.from.value), to: Number(f.to.value), samples: Number(f.samples.value),
        noise: Math.max(0, Math.min(50, Number(f.noise.value) || 0)), seed: this.#page.seed(), ratio: this.#page.ratio(),
      });
    } catch (err) {
      f.formulaError.textContent = `${t('data.refused')} ${errorText(err)}`;
      if (Number.isInteger(err?.params?.at)) {
        f.formula.focus();
        f.formula.setSelectionRange(err.params.at - 1, err.params.at);
      }
      return;
    }
    f.formulaError.textContent = '';
    this.#page.use(data);
    this.#dialog.close();
  }
}
