// The course panels beside the playground: a tab bar, one view per panel
// (built the first time it is shown, and running loops only while shown),
// and the lesson card. `panel=<name>` and `lesson=<id>` in the URL choose
// them; every change goes through the page's update(changes).
import './panels.css';
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import { LessonCard, LessonIndex } from '../lessons/card.js';
import { PANELS } from '../state.js';
import { ActivationsPanel } from './activations.js';
import { ChainPanel } from './chain.js';
import { LossesPanel } from './losses.js';
import { OptimizersPanel } from './optimizers.js';
import { SchedulesPanel } from './schedules.js';
import { VanishingPanel } from './vanishing.js';

const VIEWS = {
  chain: ChainPanel,
  activations: ActivationsPanel,
  vanishing: VanishingPanel,
  losses: LossesPanel,
  optimizers: OptimizersPanel,
  schedules: SchedulesPanel,
  lessons: LessonIndex,
};

export class Panels {
  #app;
  #host;
  #workspace;
  #context;
  #tabs;
  #views = new Map();
  #shown = null;
  #card;
  #state = null;

  /**
   * el: { app, nav, host, lesson, workspace }: the page root, the tab bar, the panels' container (a
   * <main>), the lesson card's slot, the playground's <main>: one of the two is hidden.
   * context: { lab, update(changes), state(), pausePlayground() }.
   */
  constructor(el, context) {
    this.#app = el.app;
    this.#host = el.host;
    this.#workspace = el.workspace;
    this.#context = context;
    this.#tabs = PANELS.map((name) => h('button', {
      type: 'button', class: 'panel-tab', dataset: { panel: name },
      onclick: () => context.update({ panel: name, lesson: null }),
    }));
    el.nav.append(h('div', { class: 'panel-tabs' }, this.#tabs));
    this.#card = new LessonCard(el.lesson, context);
  }

  /** Whether a panel covers the playground. */
  get active() {
    return !!this.#state && this.#state.panel !== 'playground';
  }

  /** Shows what the state asks for; changed: the settings that changed (all of them at start). */
  sync(state, changed = null) {
    this.#state = state;
    const name = state.panel;
    this.#app.classList.toggle('is-panel', name !== 'playground');
    if (this.#workspace) this.#workspace.hidden = name !== 'playground';
    for (const tab of this.#tabs) {
      const current = tab.dataset.panel === name;
      tab.classList.toggle('is-current', current);
      if (current) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    if (this.#shown && this.#shown !== name) {
      this.#views.get(this.#shown)?.hide();
      this.#views.get(this.#shown).root.hidden = true;
    }
    this.#card.sync(state);
    if (name === 'playground') {
      this.#host.hidden = true;
      this.#shown = null;
      return;
    }
    this.#context.pausePlayground();
    this.#host.hidden = false;
    const view = this.#view(name);
    view.root.hidden = false;
    if (this.#shown !== name) {
      this.#shown = name;
      view.show(state);
    } else {
      view.sync(state, changed);
    }
  }

  retranslate() {
    for (const tab of this.#tabs) tab.textContent = t(`panel.${tab.dataset.panel}`);
    this.#card.retranslate();
    for (const view of this.#views.values()) view.retranslate();
  }

  #view(name) {
    if (!this.#views.has(name)) {
      const root = h('section', { class: `panel panel-${name}`, dataset: { panel: name } });
      this.#host.append(root);
      const view = new VIEWS[name](root, this.#context);
      view.retranslate();
      this.#views.set(name, view);
    }
    return this.#views.get(name);
  }
}
