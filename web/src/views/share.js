// The Share dialog: the link to the current state, an <iframe> snippet for
// course material with embed mode and the controls a lesson hides, and the
// trained network itself saved to a file and opened again, or exported as a PyTorch script
// or as JSON.
import { h } from '../dom.js';
import { currentLanguage, has, settingLabel, t } from '../i18n/index.js';
import { HIDEABLE, serialize } from '../state.js';

const escapeAttribute = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function hideLabel(name) {
  return has(`part.${name}`) ? t(`part.${name}`) : settingLabel(name);
}

async function copy(text, field, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = t('share.copied');
  } catch {
    field.focus();
    field.select();
    status.textContent = document.execCommand?.('copy') ? t('share.copied') : t('share.copyFailed');
  }
}

export class ShareDialog {
  #dialog;
  #state = null;
  #fields = {};
  #files;

  /**
   * files: { save() → null or why the file could not be offered, open(file) → Promise<string|null> (null: opened; else why not, to show),
   * pytorch() and json() → null or why not (the network as a PyTorch script, as JSON),
   * openLink(hash) (a link's settings, e.g. a TensorFlow Playground link's, on this page) }.
   */
  constructor(host, files) {
    this.#files = files;
    this.#dialog = h('dialog', { class: 'share-dialog', 'aria-labelledby': 'share-title' });
    host.append(this.#dialog);
  }

  /** Opens the dialog for state (the page's current settings); note: a word on what the link leaves out, or null. */
  open(state, note = null) {
    this.#state = state;
    this.#build();
    if (note) this.#fields.link.parentElement.after(h('p', { class: 'share-note data-link-note', id: 'share-data-note', text: note }));
    this.#refresh();
    this.#dialog.showModal();
    this.#fields.link.select();
  }

  get isOpen() {
    return this.#dialog.open;
  }

  #base() {
    return location.href.replace(/#.*$/, '');
  }

  #build() {
    const f = this.#fields;
    f.link = h('input', { type: 'text', readonly: true, class: 'share-link', id: 'share-link', 'aria-label': t('share.link') });
    f.linkStatus = h('span', { class: 'share-status', role: 'status' });
    f.embed = h('input', { type: 'checkbox', checked: true, id: 'share-embed' });
    f.width = h('input', { type: 'number', min: 200, max: 4000, value: 900, id: 'share-width' });
    f.height = h('input', { type: 'number', min: 200, max: 4000, value: 640, id: 'share-height' });
    f.snippet = h('textarea', { readonly: true, rows: 4, class: 'share-snippet', id: 'share-snippet', 'aria-label': t('share.snippet') });
    f.snippetStatus = h('span', { class: 'share-status', role: 'status' });
    f.hide = HIDEABLE.map((name) => {
      const box = h('input', { type: 'checkbox', value: name, checked: this.#state.hide.has(name) });
      box.addEventListener('change', () => this.#refresh());
      return h('label', { class: 'share-hide-item' }, box, hideLabel(name));
    });
    for (const el of [f.embed, f.width, f.height]) el.addEventListener('input', () => this.#refresh());
    this.#dialog.replaceChildren(
      h('h2', { id: 'share-title', text: t('share.title') }),
      h('div', { class: 'share-row' },
        h('label', { for: 'share-link', class: 'field-label', text: t('share.link') }),
        h('div', { class: 'share-copy' }, f.link,
          h('button', { type: 'button', class: 'text-button', onclick: () => copy(f.link.value, f.link, f.linkStatus) }, t('share.copy'))),
        f.linkStatus),
      h('fieldset', { class: 'share-embed' },
        h('legend', { text: t('share.embed') }),
        h('label', { class: 'field field-toggle' }, f.embed, t('share.embedMode')),
        h('div', { class: 'share-size' },
          h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('share.width') }), f.width),
          h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('share.height') }), f.height)),
        h('details', { class: 'share-hide' },
          h('summary', { text: t('share.hide') }),
          h('div', { class: 'share-hide-grid' }, f.hide)),
        h('label', { for: 'share-snippet', class: 'field-label', text: t('share.snippet') }),
        f.snippet,
        h('div', { class: 'share-copy' },
          h('button', { type: 'button', class: 'text-button', onclick: () => copy(f.snippet.value, f.snippet, f.snippetStatus) }, t('share.copy')),
          f.snippetStatus)),
      this.#fileSection(),
      this.#exportSection(),
      this.#linkSection(),
      h('form', { method: 'dialog', class: 'share-actions' },
        h('button', { type: 'submit', class: 'text-button primary' }, t('share.close'))),
    );
  }

  #fileSection() {
    const status = h('p', { class: 'share-status share-file-status', role: 'status' });
    const input = h('input', { type: 'file', accept: '.json,application/json', class: 'visually-hidden', id: 'open-network', tabindex: '-1', 'aria-label': t('share.open') });
    input.addEventListener('change', async () => {
      const [file] = input.files;
      input.value = '';
      if (!file) return;
      status.textContent = '';
      const problem = await this.#files.open(file);
      if (problem === null) this.#dialog.close();
      else status.textContent = problem;
    });
    return h('fieldset', { class: 'share-embed share-files' },
      h('legend', { text: t('share.files') }),
      h('p', { class: 'share-note', text: t('share.filesHint') }),
      h('div', { class: 'share-copy' },
        h('button', { type: 'button', class: 'text-button', id: 'save-network', onclick: () => { status.textContent = this.#files.save() ?? ''; } }, t('share.save')),
        h('button', { type: 'button', class: 'text-button', id: 'open-network-button', onclick: () => input.click() }, t('share.open')),
        input),
      status);
  }

  // The network for elsewhere: a PyTorch script that goes on training as the lab would, and plain JSON.
  #exportSection() {
    const status = h('p', { class: 'share-status share-file-status', id: 'export-status', role: 'status' });
    const offer = (write) => { status.textContent = write() ?? ''; };
    return h('fieldset', { class: 'share-embed share-files' },
      h('legend', { text: t('share.export') }),
      h('p', { class: 'share-note', text: t('share.exportHint') }),
      h('div', { class: 'share-copy' },
        h('button', { type: 'button', class: 'text-button', id: 'export-pytorch', onclick: () => offer(this.#files.pytorch) }, t('share.pytorch')),
        h('button', { type: 'button', class: 'text-button', id: 'export-json', onclick: () => offer(this.#files.json) }, t('share.json'))),
      status);
  }

  // A TensorFlow Playground link (or one of this lab's) pasted whole: its settings open here.
  #linkSection() {
    const field = h('input', { type: 'url', class: 'share-link', id: 'open-link', 'aria-label': t('share.linkOpen'), placeholder: 'https://playground.tensorflow.org/#activation=tanh&…' });
    const status = h('p', { class: 'share-status share-file-status', role: 'status' });
    const open = (e) => {
      e.preventDefault();
      const text = field.value.trim();
      const at = text.indexOf('#');
      const hash = at < 0 ? '' : text.slice(at + 1);
      if (!hash.includes('=')) {
        status.textContent = t('share.linkNone');
        return;
      }
      status.textContent = '';
      this.#dialog.close();
      this.#files.openLink(hash);
    };
    return h('form', { class: 'share-embed share-files', onsubmit: open },
      h('fieldset', { class: 'share-plain' },
        h('legend', { text: t('share.linkTitle') }),
        h('p', { class: 'share-note', text: t('share.linkHint') }),
        h('div', { class: 'share-copy' }, field,
          h('button', { type: 'submit', class: 'text-button', id: 'open-link-button' }, t('share.linkOpen'))),
        status));
  }

  #refresh() {
    const f = this.#fields;
    f.link.value = `${this.#base()}#${serialize(this.#state)}`;
    const hide = new Set(f.hide.map((label) => label.firstChild).filter((box) => box.checked).map((box) => box.value));
    // The frame opens in the page's language, whichever the reader's browser prefers.
    const embedded = { ...this.#state, lang: this.#state.lang ?? currentLanguage(), embed: f.embed.checked, hide };
    const src = `${this.#base()}#${serialize(embedded)}`;
    const size = (input, fallback) => {
      const v = Math.round(Number(input.value));
      return Number.isFinite(v) && v >= 200 && v <= 4000 ? v : fallback;
    };
    f.snippet.value = `<iframe src="${escapeAttribute(src)}" width="${size(f.width, 900)}" height="${size(f.height, 640)}" `
      + `style="border:0;max-width:100%" title="${escapeAttribute(t('share.iframeTitle'))}" loading="lazy"></iframe>`;
  }
}
