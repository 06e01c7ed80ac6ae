// The lesson card (the current lesson's text with previous / next links,
// above the playground or the panel it opens) and the lesson list. A lesson
// link is a plain URL: `#lesson=<id>` plus the language, embed mode and hide
// flags in use, so it opens the same way in a tab, a new window or an iframe.
import { h } from '../dom.js';
import { currentLanguage, t } from '../i18n/index.js';
import { LESSONS } from './catalog.js';

/** The URL hash that opens lesson id, keeping the language, embed mode and hide flags. */
function lessonHash(id, state) {
  const parts = [`lesson=${id}`];
  if (state.lang) parts.push(`lang=${state.lang}`);
  if (state.embed) parts.push('embed=true');
  for (const name of state.hide) parts.push(`${name}_hide=true`);
  return `#${parts.join('&')}`;
}

const paragraphs = (text) => text.split('\n').filter(Boolean).map((line) => h('p', { text: line }));

/** A frame this short shows the lesson's title and links only, until the text is asked for. */
const SHORT_FRAME = 640;

export class LessonCard {
  #slot;
  #context;
  #state = null;
  #collapsed = null;  // null: decided by the frame (collapsed in a short embed)

  constructor(slot, context) {
    this.#slot = slot;
    this.#context = context;
  }

  sync(state) {
    this.#state = state;
    this.#render();
  }

  retranslate() {
    this.#render();
  }

  #render() {
    const state = this.#state;
    const index = state ? LESSONS.findIndex((l) => l.id === state.lesson) : -1;
    this.#slot.hidden = index < 0;
    if (index < 0) {
      this.#slot.replaceChildren();
      return;
    }
    const lesson = LESSONS[index];
    const collapsed = this.#collapsed ?? (state.embed && window.innerHeight < SHORT_FRAME);
    const previous = LESSONS[index - 1];
    const next = LESSONS[index + 1];
    const link = (target, rel, text) => h('a', { class: `lesson-link lesson-${rel}`, href: lessonHash(target.id, state), rel }, text);
    // A section named by its title: a region landmark, so the card is found among the page's landmarks.
    this.#slot.replaceChildren(h('section', { class: `lesson-card${collapsed ? ' is-collapsed' : ''}`, dataset: { lesson: lesson.id }, 'aria-labelledby': 'lesson-title' },
      h('div', { class: 'lesson-head' },
        h('p', { class: 'lesson-count', text: t('lesson.count', { n: index + 1, total: LESSONS.length }) }),
        h('button', {
          type: 'button', class: 'text-button lesson-toggle', 'aria-expanded': String(!collapsed), 'aria-controls': 'lesson-text',
          text: t(collapsed ? 'lesson.show' : 'lesson.hide'),
          onclick: () => {
            this.#collapsed = !collapsed;
            this.#render();
            this.#context.relayout?.();
          },
        }),
        h('button', {
          type: 'button', class: 'icon-button lesson-close', 'aria-label': t('lesson.close'), title: t('lesson.close'),
          onclick: () => this.#context.update({ lesson: null }),
        }, '×')),
      h('h2', { id: 'lesson-title', class: 'lesson-title', text: t(`lesson.${lesson.id}.title`) }),
      h('div', { id: 'lesson-text', class: 'lesson-text', hidden: collapsed },
        h('div', { class: 'lesson-body' }, paragraphs(t(`lesson.${lesson.id}.body`))),
        h('div', { class: 'lesson-try' },
          h('strong', { text: t('lesson.try') }),
          h('ul', {}, t(`lesson.${lesson.id}.try`).split('\n').map((line) => h('li', { text: line }))))),
      h('nav', { class: 'lesson-nav', 'aria-label': t('lesson.nav') },
        previous ? link(previous, 'prev', `← ${t(`lesson.${previous.id}.title`)}`) : h('span'),
        h('a', { class: 'lesson-link lesson-all', href: allLessonsHash(state) }, t('lesson.all')),
        next ? link(next, 'next', `${t(`lesson.${next.id}.title`)} →`) : h('span'))));
  }
}

function allLessonsHash(state) {
  const parts = ['panel=lessons'];
  if (state.lang) parts.push(`lang=${state.lang}`);
  if (state.embed) parts.push('embed=true');
  return `#${parts.join('&')}`;
}

/** The lesson list, shown as the `lessons` panel. */
export class LessonIndex {
  #context;

  constructor(root, context) {
    this.root = root;
    this.#context = context;
  }

  show() {
    this.#render();
  }

  hide() {}

  sync() {
    this.#render();
  }

  retranslate() {
    this.#render();
  }

  #render() {
    const state = this.#context.state();
    if (!state) return;
    const page = `${location.href.split('#')[0]}`;
    this.root.replaceChildren(
      h('header', { class: 'panel-head' },
        h('h2', { class: 'panel-title', text: t('lessons.title') }),
        h('p', { class: 'panel-intro', text: t('lessons.intro') })),
      h('ol', { class: 'lesson-list' }, LESSONS.map((lesson, i) => {
        const hash = lessonHash(lesson.id, state);
        return h('li', { class: 'lesson-item', dataset: { lesson: lesson.id } },
          h('span', { class: 'lesson-number', 'aria-hidden': 'true', text: String(i + 1) }),
          h('div', { class: 'lesson-item-text' },
            h('a', { class: 'lesson-item-title', href: hash, text: t(`lesson.${lesson.id}.title`) }),
            h('p', { text: t(`lesson.${lesson.id}.summary`) }),
            h('details', { class: 'lesson-embed' },
              h('summary', { text: t('lessons.embed') }),
              h('code', { text: `<iframe src="${page}#lesson=${lesson.id}&embed=true&lang=${state.lang ?? currentLanguage()}" width="900" height="640" title="${t(`lesson.${lesson.id}.title`).replace(/"/g, '&quot;')}"></iframe>` }))));
      })));
  }
}
