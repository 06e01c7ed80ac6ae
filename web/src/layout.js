// How the playground fits its window: the settings' fold (embed frames too
// short for them, and frame mode, which needs the screen for the diagram and
// the chain rule), the diagram's and the plot's sizes in an embed frame or in
// frame mode, and frame mode's sheet on a phone, which never covers the
// neuron the numbers are about.
const $ = (id) => document.getElementById(id);
const PHONE = '(max-width: 760px)';
/** On a phone, the sheet keeps at least this much of the screen for the chain rule's formulas. */
const SHEET_MIN = 210;
const SHEET_MAX = 0.62;

export class PageLayout {
  #page;
  #offered = false;  // the Settings button was offered (an embed frame was too short, or frame mode)
  #chosen = false;   // the learner used the button: the fold is theirs from now on
  #sheetQueued = 0;

  /**
   * page: { state(), panelActive(), network, output, render(), focusElements() (frame mode: the
   * focused neuron and its numbers, which the sheet must not cover) }.
   */
  constructor(page) {
    this.#page = page;
    $('settings-toggle').addEventListener('click', () => {
      this.#chosen = true;
      this.#setFolded(!document.documentElement.classList.contains('settings-folded'));
    });
    window.addEventListener('resize', () => {
      this.fit();
      this.foldIfShort();
    });
    window.addEventListener('scroll', () => this.fitSheet({ now: false }), { passive: true });
    // In frame mode the diagram fits below the step bar and the caption, whose heights change
    // with the step's text and the window: fit again when they do.
    let heights = '';
    new ResizeObserver(() => {
      const now = ['frame-caption', 'controls-top'].map((id) => $(id).offsetHeight).join();
      if (now === heights) return;
      heights = now;
      if (this.#frames) this.fit();
    }).observe($('frame-caption'));
  }

  get #frames() {
    return this.#page.state().mode === 'frames';
  }

  /** Whether any setting is left to fold (the `_hide` flags may have hidden them all). */
  #settingsShown() {
    const shown = (id) => [...$(id).children].some((child) => !child.hidden);
    return shown('controls-top') || !$('controls-training').hidden && shown('controls-training')
      || !document.querySelector('.column-data').hidden;
  }

  #updateToggle() {
    const state = this.#page.state();
    $('settings-toggle').hidden = !(state.embed || this.#frames) || !this.#offered || !this.#settingsShown() || this.#page.panelActive();
  }

  /**
   * Folds the settings of an embed frame too short for them, the first time it is seen so (at
   * start, or after a resize: a frame that loads hidden has no height yet); never after the
   * learner has used the button, and never for a panel, which has no settings bar.
   */
  foldIfShort() {
    const root = document.documentElement;
    if (!this.#page.state().embed || this.#chosen || this.#page.panelActive() || root.classList.contains('settings-folded')) return;
    if (window.innerHeight === 0 || !this.#settingsShown() || root.scrollHeight <= window.innerHeight + 1) return;
    this.#offered = true;
    this.#setFolded(true);
  }

  /** Frame mode folds the settings away (the diagram, the steps and the chain rule need the screen); train mode unfolds them. */
  foldForMode() {
    if (this.#frames) {
      this.#offered = true;
      if (!this.#chosen) this.#setFolded(true);
    } else if (!this.#page.state().embed) {
      this.#offered = false;
      this.#chosen = false;
      this.#setFolded(false);
    } else {
      this.fit();
    }
  }

  #setFolded(folded) {
    document.documentElement.classList.toggle('settings-folded', folded);
    $('settings-toggle').setAttribute('aria-expanded', String(!folded));
    this.fit();
  }

  /**
   * Sizes the diagram and the plot to the window: in frame mode the diagram fits below the step
   * bar and the caption (on a phone, above the sheet); in an embed frame the diagram and the plot
   * shrink to the height left below the toolbar (the page scrolls only when even the smallest
   * sizes do not fit).
   */
  fit() {
    this.#updateToggle();
    if (this.#page.panelActive()) return;
    const { network, output } = this.#page;
    const state = this.#page.state();
    if (this.#frames) {
      const phone = window.matchMedia(PHONE).matches;
      const top = $('network').getBoundingClientRect().top + window.scrollY;
      network.setMaxHeight(Math.max(160, window.innerHeight - top - (phone ? SHEET_MIN + 12 : 12)));
      output.setMaxSize(null);
      this.#page.render();
      this.fitSheet();
      return;
    }
    if (!state.embed) {
      network.setMaxHeight(null);
      output.setMaxSize(null);
      return;
    }
    const workspace = document.querySelector('.workspace');
    const available = window.innerHeight - workspace.getBoundingClientRect().top - window.scrollY - 12;
    network.setMaxHeight(available);
    const column = document.querySelector('.column-output');
    const plot = document.querySelector('.plot-frame');
    const besides = column.offsetHeight - plot.offsetHeight;
    const size = available - besides - 20;
    output.setMaxSize(size);
    // Whatever still spills over (wrapped rows, margins) comes off the plot too.
    const overflow = document.documentElement.scrollHeight - window.innerHeight;
    if (overflow > 0) output.setMaxSize(size - overflow);
    this.#page.render();
  }

  /**
   * Frame mode on a phone: the inspector is a sheet at the bottom of the screen whose top stays
   * below the focused neuron and its numbers (at least SHEET_MIN tall, at most SHEET_MAX of the
   * screen). Called after every step (at once) and on scroll (once a frame).
   */
  fitSheet({ now = true } = {}) {
    if (now) {
      this.#placeSheet();
      return;
    }
    if (this.#sheetQueued) return;
    this.#sheetQueued = requestAnimationFrame(() => {
      this.#sheetQueued = 0;
      this.#placeSheet();
    });
  }

  #placeSheet() {
    const root = document.documentElement;
    if (!this.#frames || !window.matchMedia(PHONE).matches) {
      root.style.removeProperty('--sheet-max');
      return;
    }
    const bottomOf = (els) => {
      let bottom = 0;
      for (const el of els) {
        const box = el.getBoundingClientRect();
        if (box.height > 0 && box.top < window.innerHeight) bottom = Math.max(bottom, box.bottom);
      }
      return bottom;
    };
    // Below the whole diagram where there is room for the formulas, else below the focused neuron.
    let room = window.innerHeight - bottomOf([$('network')]) - 8;
    if (room < SHEET_MIN) room = window.innerHeight - bottomOf(this.#page.focusElements()) - 8;
    const max = Math.round(Math.max(SHEET_MIN, Math.min(window.innerHeight * SHEET_MAX, room)));
    root.style.setProperty('--sheet-max', `${max}px`);
  }

}
