// Boots the page: reads the settings from the URL, loads the engine with a
// progress bar, builds the controls and views, and routes every change
// through one place (update), which keeps the URL, the controls and the
// controller in step.
import '../styles.css';
import { loadEngine } from '../../bindings/index.mjs';
import { Controller } from './controller.js';
import { Panels } from './panels/index.js';
import { h, ownsKeys } from './dom.js';
import { errorDetail, errorText } from './errors.js';
import { detectLanguage, formatNumber, has, setLanguage, t, translateTree } from './i18n/index.js';
import {
  applyChanges, CLASSIFICATION_DATASETS, FEATURES, isRelevant, parseUrl, REGRESSION_DATASETS, serialize, SETTING,
} from './state.js';
import { ChartView } from './views/chart.js';
import { Controls } from './views/controls.js';
import { MetricsView } from './views/metrics.js';
import { NetworkView } from './views/network.js';
import { Notices } from './views/notices.js';
import { OutputView } from './views/output.js';
import { ShareDialog } from './views/share.js';
import { MAX_SAVE_MB, readSave, SaveFileError, writeSave } from './savefile.js';
import { FrameMode } from './stepper/frame-mode.js';

const $ = (id) => document.getElementById(id);
const SEVERITY = { page: 0, view: 1, hot: 2, reset: 3 };
const HOW = ['page', 'view', 'hot', 'reset'];

const app = { state: null, lab: null, controller: null, views: null, controls: null, notices: null, share: null, panels: null, frame: null, hash: '', foldOffered: false, foldChosen: false };

function applyLanguage() {
  setLanguage(app.state.lang ?? detectLanguage(navigator.languages || [navigator.language]));
  translateTree(document);
  document.title = t('app.title');
}

/** Embed mode and the `<part>_hide` flags of the page's fixed parts. */
function applyPageFlags() {
  document.documentElement.classList.toggle('embed', app.state.embed);
  for (const el of document.querySelectorAll('[data-part]')) el.hidden = app.state.hide.has(el.dataset.part);
}

function writeUrl() {
  const hash = `#${serialize(app.state)}`;
  app.hash = hash;
  if (location.hash === hash) return;
  try {
    history.replaceState(history.state, '', hash);
  } catch {
    location.hash = hash;  // sandboxed frames may refuse replaceState
  }
}

function showIgnored(ignored) {
  if (!ignored.length) {
    app.notices.dismiss('url');
    return;
  }
  const shorten = (text) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
  app.notices.show('url', 'warning', () => ({
    title: t('notice.ignored'),
    items: ignored.map(({ key, value, reason }) => (value === ''
      ? t('notice.ignoredKey', { key: shorten(key), reason: t(`reason.${reason}`) })
      : t('notice.ignoredItem', { key: shorten(key), value: shorten(value), reason: t(`reason.${reason}`) }))),
  }));
}

/** An engine error in the page's language, by its code (the engine's English as a labelled detail); training has paused. */
function showError(err) {
  const lr = formatNumber(app.state.learningRate, 6);
  app.notices.show('error', 'error', () => ({ title: t('error.title'), items: [errorText(err, { lr }), errorDetail(err)].filter(Boolean) }));
}

function refreshTexts() {
  applyLanguage();
  const v = app.views;
  app.controls.retranslate();
  v.network.retranslate();
  v.output.retranslate();
  v.lossChart.retranslate();
  v.accuracyChart.retranslate();
  app.notices.retranslate();
  app.panels?.retranslate();
  app.frame.retranslate();
  setPlaying(app.controller.playing);
  app.controller.redrawText();
  app.controller.render();
}

function setPlaying(playing) {
  const play = $('play');
  play.classList.toggle('is-playing', playing);
  play.setAttribute('aria-label', t(playing ? 'pause' : 'play'));
  play.setAttribute('aria-pressed', String(playing));
  $('step').title = t(`step.${app.controller?.stepUnit ?? 'epoch'}`);
}

/** Whether any setting is left to fold (the `_hide` flags may have hidden them all). */
function settingsShown() {
  const shown = (id) => [...$(id).children].some((child) => !child.hidden);
  return shown('controls-top') || !$('controls-training').hidden && shown('controls-training')
    || !document.querySelector('.column-data').hidden;
}

/** Embed mode offers a Settings button only in a frame that was too short for the settings. */
function updateSettingsToggle() {
  $('settings-toggle').hidden = !app.state.embed || !app.foldOffered || !settingsShown() || Boolean(app.panels?.active);
}

/**
 * Folds the settings of an embed frame too short for them, the first time it is seen so (at
 * start, or after a resize: a frame that loads hidden has no height yet); never after the
 * learner has used the button, and never for a panel, which has no settings bar.
 */
function foldIfShort() {
  const root = document.documentElement;
  if (!app.state.embed || app.foldChosen || app.panels?.active || root.classList.contains('settings-folded')) return;
  if (window.innerHeight === 0 || !settingsShown() || root.scrollHeight <= window.innerHeight + 1) return;
  app.foldOffered = true;
  setSettingsFolded(true);
}

function setSettingsFolded(folded) {
  document.documentElement.classList.toggle('settings-folded', folded);
  $('settings-toggle').setAttribute('aria-expanded', String(!folded));
  fitToFrame();
}

/**
 * Embed mode fits the frame it is in: the diagram and the plot shrink to the
 * height left below the toolbar (the page scrolls only when even the
 * smallest sizes do not fit).
 */
function fitToFrame() {
  updateSettingsToggle();
  if (app.panels?.active) return;
  const { network, output } = app.views;
  if (!app.state.embed) {
    network.setMaxHeight(null);
    if (output.setMaxSize(null)) app.controller.render();
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
  app.controller.render();
}

/** A setting's name and one of its values as the controls show them. */
function settingText(name, value) {
  const label = t(`setting.${name}`, { value: '' }).replace(/[\s:：%]+$/u, '');
  const shown = name === 'classes' ? t('option.classes', { n: value }) : has(`option.${name}.${value}`) ? t(`option.${name}.${value}`) : String(value);
  return { label, shown };
}

/** Says which settings another change moved (3 classes on the circle: a spiral and softmax CE). */
function announceSwitched(changes, before, state, changed) {
  const moved = [...changed].filter((name) => !(name in changes) && SETTING[name].announce && isRelevant(SETTING[name], state));
  if (!moved.length || 'lesson' in changes) return;
  const [cause, value] = Object.entries(changes)[0];
  app.notices.show('switched', 'warning', () => {
    const { label, shown } = settingText(cause, value);
    return {
      title: t('notice.switched', { setting: label, value: shown }),
      items: moved.map((name) => {
        const from = settingText(name, before[name]);
        return t('notice.switchedItem', { setting: from.label, from: from.shown, to: settingText(name, state[name]).shown });
      }),
    };
  });
}

/** The one way settings change: state, URL, controls, then the network. */
function update(changes) {
  const before = app.state;
  const { state, changed } = applyChanges(app.state, changes);
  if (changed.size === 0) return;
  app.state = state;
  if ([...changed].some((name) => SETTING[name].apply === 'reset')) app.notices.dismiss('switched');  // a new network
  announceSwitched(changes, before, state, changed);
  writeUrl();
  if (changed.has('classes')) app.controls.setThumbnails(thumbnails(app.lab, state.classes));
  app.controls.update(state);
  app.frame.apply(state);
  if (changed.has('lang')) refreshTexts();
  const how = HOW[Math.max(...[...changed].map((name) => SEVERITY[SETTING[name].apply]))];
  if (how !== 'page') {
    if (how !== 'view') app.notices.dismiss('error');
    app.controller.configure(state, how);
  }
  app.panels.sync(state, changed);
  setPlaying(app.controller.playing);
  fitToFrame();
}

/** Replaces the whole state from the URL (at start, and when the user edits the address). */
function loadFromUrl() {
  const { state, ignored } = parseUrl(location.search, location.hash);
  app.state = state;
  app.notices.dismiss('switched');  // said of the state this one replaces
  applyLanguage();
  applyPageFlags();
  showIgnored(ignored);
  writeUrl();
}

/** Small pictures of each dataset, drawn from the engine's own generators. */
function thumbnails(lab, classes) {
  const pictures = {};
  for (const name of [...CLASSIFICATION_DATASETS, ...REGRESSION_DATASETS]) {
    const regression = REGRESSION_DATASETS.includes(name);
    const k = regression ? 0 : ['spiral', 'blobs'].includes(name) ? classes : 2;
    const trainer = lab.createTrainer({
      seed: 7,
      features: ['x1', 'x2'],
      layers: [k > 2 ? { units: k, activation: 'softmax' } : { units: 1, activation: 'linear' }],
      loss: k > 2 ? 'cce' : 'mse',
      dataset: { name, samples: 240, noise: 0, trainRatio: 1, ...(k > 2 ? { classes: k } : {}) },
    });
    const data = trainer.data();
    pictures[name] = { points: data.train.points, labels: data.train.labels, classes: k };
    trainer.delete();
  }
  return pictures;
}

function toggleFeature(name) {
  const on = app.state.features.includes(name);
  const next = FEATURES.filter((f) => (f === name ? !on : app.state.features.includes(f)));
  if (next.length > 0) update({ features: next });
}

function bindKeys() {
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || app.share.isOpen || app.panels.active) return;
    // A focused button keeps Space and Enter (they press it) but has no use for →, which steps
    // from there too; frame mode handles → on its buttons itself.
    const freeArrow = e.target instanceof HTMLButtonElement && app.state.mode !== 'frames';
    if (ownsKeys(e.target) && !(freeArrow && e.key === 'ArrowRight')) return;
    if (e.key === ' ' || e.code === 'Space') {
      e.preventDefault();
      app.controller.toggle();
    } else if (e.key === 'ArrowRight') {
      e.preventDefault();
      app.controller.step();
    }
  });
}

function buildViews() {
  const controller = () => app.controller;
  const network = new NetworkView($('network'), {
    toggleFeature,
    setShape: (shape) => update({ networkShape: shape }),
    edit: (changes) => controller().edit(changes),
    preview: (neuron) => controller().preview(neuron),
    resized: () => controller()?.render(),
  });
  const output = new OutputView($('output-plot'), () => controller()?.render());
  const lossChart = new ChartView($('loss-chart'), {
    lines: [{ key: 'chart.train', color: '#4b5561' }, { key: 'chart.test', color: '#1d232a', dash: true }],
    labelKey: 'chart.label',
    titleKey: 'chart.lossTitle',
    height: 84,
  });
  const accuracyChart = new ChartView($('accuracy-chart'), {
    lines: [{ key: 'chart.train', color: '#4b5561' }, { key: 'chart.test', color: '#1d232a', dash: true }],
    labelKey: 'chart.accLabel',
    titleKey: 'chart.accTitle',
    range: [0, 1],
    height: 64,
    percent: true,
  });
  const metrics = new MetricsView({
    epoch: $('epoch'),
    batch: $('batch'),
    trainLoss: $('train-loss'),
    testLoss: $('test-loss'),
    trainAccuracy: $('train-accuracy'),
    testAccuracy: $('test-accuracy'),
    accuracyRows: document.querySelectorAll('.accuracy-row'),
    lr: $('lr'),
  });
  return { network, output, lossChart, accuracyChart, metrics };
}

/** The skip link goes to Play (a panel's own, over a panel) without touching the URL's hash. */
function skipToPlay(e) {
  e.preventDefault();
  const panel = document.querySelector('.panel:not([hidden])');
  const target = app.panels?.active ? panel?.querySelector('.panel-play') ?? panel?.querySelector('button, input, a[href]') : $('play');
  target?.focus();
}

function bindButtons() {
  $('skip-play').addEventListener('click', skipToPlay);
  $('play').addEventListener('click', () => app.controller.toggle());
  $('step').addEventListener('click', () => app.controller.step());
  $('reset').addEventListener('click', () => {
    app.notices.dismiss('error');
    app.controller.reset();
  });
  $('regenerate').addEventListener('click', () => update({ seed: Math.floor(Math.random() * 100000) }));
  $('share').addEventListener('click', () => app.share.open(app.state));
  $('settings-toggle').addEventListener('click', () => {
    app.foldChosen = true;
    setSettingsFolded(!document.documentElement.classList.contains('settings-folded'));
  });
  window.addEventListener('hashchange', () => {
    if (location.hash === app.hash) return;
    app.controller.pause();
    loadFromUrl();
    showState();
  });
  window.addEventListener('resize', () => {
    fitToFrame();
    foldIfShort();
  });
}

/** Everything on the page from app.state, with a new network (after a new URL or an opened file). */
function showState() {
  app.controls.update(app.state);
  refreshTexts();
  app.controls.setThumbnails(thumbnails(app.lab, app.state.classes));
  app.controller.configure(app.state, 'reset');
  app.panels.sync(app.state);
  app.frame.apply(app.state);
  fitToFrame();
  foldIfShort();
}

/** Downloads the trained network: settings, the engine's snapshot and the curves. */
function saveNetwork() {
  const text = writeSave({ state: app.state, engineVersion: app.lab.version, ...app.controller.saved() });
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const epoch = app.controller.trainer.cursor().epoch;
  h('a', { href: url, download: `backprop-lab-epoch-${epoch}.json` }).click();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/**
 * Opens a saved network; null when it opened, else why not (also shown as a notice). The file
 * is checked in full before anything on the page changes.
 */
async function openNetwork(file) {
  app.controller.pause();
  let saved;
  try {
    if (file.size > MAX_SAVE_MB * 1024 * 1024) throw new SaveFileError('file.tooBig', { mb: MAX_SAVE_MB });
    saved = readSave(await file.text(), app.lab);
  } catch (err) {
    const why = () => (err instanceof SaveFileError ? t(err.key, err.params) : t('file.unexpected', { message: String(err?.message ?? err) }));
    app.notices.show('file', 'error', () => ({ title: t('file.cannotOpen', { name: file.name }), items: [why()] }));
    return why();
  }
  app.notices.dismiss('file');
  app.notices.dismiss('error');
  // The page's own flags stay: its language, embed mode and hidden controls.
  app.state = { ...saved.state, lang: app.state.lang, embed: app.state.embed, hide: app.state.hide };
  applyPageFlags();
  writeUrl();
  showState();
  try {
    app.controller.restoreSaved(saved);
  } catch (err) {
    showError(err);  // checked above, so not expected: the settings stay, on a fresh network
    return String(err?.message ?? err);
  }
  return null;
}

/** Replaces the loading screen with what went wrong (loading: which file; starting: the error). */
function showLoadFailure(err, key) {
  const status = $('status');
  $('loader').hidden = false;
  $('loader').classList.add('is-error');
  status.replaceChildren(
    h('strong', { text: t('load.failed') }),
    h('br'),
    t(err?.code !== 'no_webassembly' ? key : err.field === 'simd' ? 'error.no_simd' : 'error.no_webassembly',
      { message: err?.message ?? String(err) }),
  );
}

let frames = 0;

async function main() {
  app.notices = new Notices($('notices'));
  loadFromUrl();
  $('status').textContent = t('load.engine');
  let lab;
  try {
    lab = await loadEngine({
      onProgress: ({ loaded, total }) => {
        if (!total) return;
        const percent = Math.min(100, Math.round((100 * loaded) / total));
        $('status').textContent = t('load.percent', { percent });
        $('load-progress').style.width = `${percent}%`;
      },
    });
  } catch (err) {
    showLoadFailure(err, 'error.load_failed');
    return;
  }
  app.lab = lab;
  $('status').textContent = t('load.starting');
  $('version').textContent = lab.version;
  app.controls = new Controls({
    header: $('controls-header'),
    top: $('controls-top'),
    training: $('controls-training'),
    data: $('controls-data'),
    output: $('controls-output'),
  }, update);
  app.share = new ShareDialog(document.body, { save: saveNetwork, open: openNetwork });
  app.views = buildViews();
  app.controller = new Controller(lab, app.views, {
    onError: showError,
    onPlayingChange: setPlaying,
    onFrame: (ms) => {
      frames += 1;
      if (frames % 30 === 1) $('frame-time').textContent = t('footer.frame', { ms: ms.toFixed(1) });
    },
    onRender: (trainer) => app.frame?.render(trainer),
    onBuild: (trainer) => app.frame?.rebuilt(trainer),
  });
  app.frame = new FrameMode({
    controller: app.controller, network: app.views.network, output: app.views.output, update, covered: () => !!app.panels?.active,
    roots: { modeSlot: $('mode-slot'), controls: $('frame-controls'), caption: $('frame-caption'), key: $('frame-key'), inspector: $('inspector') },
  });
  app.panels = new Panels({ app: $('app'), nav: $('panel-nav'), host: $('panels'), lesson: $('lesson'), workspace: document.querySelector('.workspace') }, {
    lab,
    update,
    state: () => app.state,
    pausePlayground: () => app.controller.pause(),
    relayout: () => fitToFrame(),
  });
  app.controls.update(app.state);
  app.controls.setThumbnails(thumbnails(lab, app.state.classes));
  bindButtons();
  bindKeys();
  refreshTexts();
  app.controller.configure(app.state, 'reset');
  app.panels.sync(app.state);
  app.frame.apply(app.state);
  $('play').disabled = false;
  document.body.classList.add('is-ready');
  $('loader').hidden = true;
  fitToFrame();
  foldIfShort();  // a frame too short for the settings shows the network and the plot first
}

main().catch((err) => showLoadFailure(err, 'error.generic'));
