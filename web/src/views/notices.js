// Messages above the workspace: settings from the URL that were ignored,
// errors from the engine. A notice is kept as a function that builds its
// text, so it can be rebuilt in the other language.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';

export class Notices {
  #root;
  #items = new Map();  // id → { tone, content: () => { title, items } }

  constructor(root) {
    this.#root = root;
  }

  /** tone: 'warning' | 'error'; content() → { title, items: [text] }. */
  show(id, tone, content) {
    this.#items.set(id, { tone, content });
    this.#render();
  }

  dismiss(id) {
    if (this.#items.delete(id)) this.#render();
  }

  has(id) {
    return this.#items.has(id);
  }

  retranslate() {
    this.#render();
  }

  #render() {
    const notes = [...this.#items].map(([id, { tone, content }]) => {
      const { title, items = [] } = content();
      return h('div', { class: `notice notice-${tone}`, role: tone === 'error' ? 'alert' : 'status', dataset: { notice: id } },
        h('div', { class: 'notice-body' },
          h('p', { class: 'notice-title', text: title }),
          items.length ? h('ul', { class: 'notice-list' }, items.map((text) => h('li', { text }))) : null),
        h('button', { type: 'button', class: 'icon-button notice-close', 'aria-label': t('notice.dismiss'), title: t('notice.dismiss'), onclick: () => this.dismiss(id) }, '×'));
    });
    this.#root.replaceChildren(...notes);
  }
}
