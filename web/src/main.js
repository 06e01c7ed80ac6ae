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
import { detectLanguage, formatNumber, has, setLanguage, settingLabel, t, translateTree } from './i18n/index.js';
import {
  applyChanges, CLASSIFICATION_DATASETS, defaultOf, FEATURES, isRelevant, OWN, parseUrl, REGRESSION_DATASETS, serialize, SETTING, usesOwnData,
} from './state.js';
import { decodeLink, encodeLink } from './data/codec.js';
import { DataError, fromSplits, LINK_POINTS, pointCount, redeal, splits } from './data/owndata.js';
import { DrawMode } from './views/draw.js';
import { ChartView } from './views/chart.js';
import { Controls } from './views/controls.js';
import { MetricsView } from './views/metrics.js';
import { NetworkView } from './views/network.js';
import { Notices } from './views/notices.js';
import { OutputView } from './views/output.js';
import { ShareDialog } from './views/share.js';
import { download, exportJSON, exportPyTorch, openNetwork, saveNetwork } from './files.js';
import { FrameMode } from './stepper/frame-mode.js';
import { PageLayout } from './layout.js';
import { EmbedChannel } from './embed-api.js';
import { HealthWatch } from './health.js';

const $ = (id) => document.getElementById(id);
const SEVERITY = { page: 0, view: 1, hot: 2, reset: 3 };
const HOW = ['page', 'view', 'hot', 'reset'];

const app = {
  state: null, lab: null, controller: null, views: null, controls: null, notices: null, share: null, panels: null, frame: null, hash: '', layout: null,
  ownData: null, draw: null, dataDialog: null, health: new HealthWatch(),
};

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
  app.embed?.failed(err);
  const lr = formatNumber(app.state.learningRate, 6);
  // The weights kept can already give an overflowing loss over a whole split: say why it reads ∞.
  const m = app.controller?.metrics();
  const overflow = err?.code === 'diverged' && m && [m.trainLoss, m.testLoss].some((x) => x !== null && !Number.isFinite(x));
  app.notices.show('error', 'error', () => ({
    title: t('error.title'),
    items: [errorText(err, { lr }), overflow ? t('error.divergedLosses') : null, errorDetail(err)].filter(Boolean),
  }));
}

/** Training that stalls with finite numbers: dead ReLU layers, a loss that swings; each with what to try. */
function showHealth(found) {
  if (!found) return;
  const { deadLayers, oscillation } = found;
  if (!deadLayers.length && !oscillation) {
    app.notices.dismiss('health');
    return;
  }
  const lr = formatNumber(app.state.learningRate, 6);
  app.notices.show('health', 'warning', () => ({
    title: t('health.title'),
    items: [
      ...deadLayers.map((layer) => t('health.deadLayer', { layer })),
      oscillation ? t('health.oscillating', { low: formatNumber(oscillation.low, 3), high: formatNumber(oscillation.high, 3), lr }) : null,
    ].filter(Boolean),
  }));
}

function refreshTexts() {
  applyLanguage();
  const v = app.views;
  app.controls.retranslate();
  app.draw?.retranslate();
  showDataSummary();
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

/** A setting's name and one of its values as the controls show them. */
function settingText(name, value) {
  const label = settingLabel(name);
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

// ---- own data ---------------------------------------------------------------------

const ownKey = (s) => (s.problem === 'regression' ? 'regDataset' : 'dataset');
const fitsState = (data, s) => !!data && (data.classes === 0) === (s.problem === 'regression');

/**
 * Changes brought along when the settings use own data: its classes and its link text; a
 * dataset choice the own data does not fit (none yet, or of the other problem) gives way to the
 * default dataset.
 */
function withOwnData(changes) {
  const { state } = applyChanges(app.state, changes);
  if (!usesOwnData(state)) return changes;
  if (!fitsState(app.ownData, state)) return { ...changes, [ownKey(state)]: defaultOf(SETTING[ownKey(state)], state) };
  const own = app.ownData;
  return { ...changes, ...(own.classes ? { classes: own.classes } : {}), data: encodeLink(own) };
}

/** The learner's new own data, on the page at once (training carries on when the classes stay). */
function useData(data) {
  app.ownData = data;
  if (data.test.includes(0)) app.notices.dismiss('data');  // training points now: the call to add some is answered
  app.controller.setOwnData(data);
  app.controls.setOwnThumbnail(thumbnailOf(data));
  update({ problem: data.classes === 0 ? 'regression' : 'classification', [data.classes === 0 ? 'regDataset' : 'dataset']: OWN });
  app.draw.sync();
  showDataSummary();
}

function thumbnailOf(data) {
  const all = splits(data);
  return { points: data.points, labels: data.labels, classes: data.classes, size: all.train.size + all.test.size };
}

/** The data column's line about the own data: how many points, where from, and what a link holds. */
function showDataSummary() {
  const el = $('data-summary');
  const data = app.ownData;
  const used = data && usesOwnData(app.state);
  el.hidden = !used;
  $('data-export').hidden = !app.controller?.trainer;
  if (!used) return;
  const test = data.test.reduce((a, b) => a + b, 0);
  const n = pointCount(data);
  el.replaceChildren(
    h('strong', { text: t(data.source === 'file' && !data.name ? 'data.source.pasted' : `data.source.${data.source}`, { name: data.name }) }),
    h('br'),
    t('data.rows', { n, train: n - test, test }),
    h('br'),
    h('span', { class: 'data-link-note', text: data.recipe || n <= LINK_POINTS ? t('data.inLink') : t('data.saveToFile', { max: LINK_POINTS }) }),
  );
}

/** The data on screen as a CSV file, with its split (own data in its own units). */
async function exportCsv() {
  const current = app.controller.data();
  if (!current) return;
  const { csvOf } = await import('./data/table.js');
  const { axes, classNames, value, source } = current;
  const name = ['draw', 'file', 'formula'].includes(source) ? 'data' : source;
  download(`backprop-lab-${name}.csv`, csvOf({ ...fromSplits(current, current.classes), axes, classNames, value }), 'text/csv');
}

/** Decodes the link's own data once the engine is there; a link without usable data says so and uses the default. */
async function loadOwnData() {
  if (!usesOwnData(app.state)) return;
  let data = null;
  let reason = 'data.missingInLink';
  let params = { max: LINK_POINTS };
  if (app.state.data) {
    try {
      data = await decodeLink(app.state.data);
    } catch (err) {
      [reason, params] = err instanceof DataError ? [err.key, err.params] : ['data.link', {}];
    }
  }
  if (data && fitsState(data, app.state)) {
    app.ownData = data;
    app.state = applyChanges(app.state, data.classes ? { classes: data.classes } : {}).state;
    app.controls?.setOwnThumbnail(thumbnailOf(data));
  } else {
    app.notices.show('data', 'warning', () => ({ title: t('data.notLoaded'), items: [t(reason, params)] }));
    app.state = applyChanges(app.state, { [ownKey(app.state)]: defaultOf(SETTING[ownKey(app.state)], app.state), data: null }).state;
  }
  writeUrl();
}

/** The one way settings change: state, URL, controls, then the network. */
function update(input) {
  const before = app.state;
  let changes = withOwnData(input);
  // The split slider deals own data again, seeded.
  if ('percTrainData' in changes && app.ownData && usesOwnData(applyChanges(app.state, changes).state)) {
    app.ownData = redeal(app.ownData, changes.percTrainData / 100, app.state.seed);
    app.controller.setOwnData(app.ownData);
    changes = withOwnData(changes);
  }
  const { state, changed } = applyChanges(app.state, changes);
  if (changed.size === 0) return;
  app.state = state;
  if ([...changed].some((name) => SETTING[name].apply === 'reset')) app.notices.dismiss('switched');  // a new network
  announceSwitched(changes, before, state, changed);
  writeUrl();
  if (changed.has('classes')) app.controls.setThumbnails(thumbnails(app.lab, state.classes));
  app.controls.update(state);
  app.frame.apply(state);
  if (changed.has('mode')) app.layout.foldForMode();
  if (changed.has('lang')) refreshTexts();
  const how = HOW[Math.max(...[...changed].map((name) => SEVERITY[SETTING[name].apply]))];
  if (how !== 'page' && how !== 'view') app.notices.dismiss('error');
  app.controller.configure(state, how);
  app.panels.sync(state, changed);
  setPlaying(app.controller.playing);
  if (!usesOwnData(state)) app.draw?.stop();
  showDataSummary();
  app.layout.fit();
}

/**
 * Settings a parent page sends (URL text, web/EMBED.md) as changes for update(), read by the URL's
 * own parser on top of the current settings; what it refuses, and the page's own flags, come back
 * in ignored.
 */
function settingsFromText(text) {
  const { state, ignored } = parseUrl('', `#${serialize(app.state)}&${text}`);
  const changes = {};
  for (const key of new Set(new URLSearchParams(text).keys())) {
    if (['embed', 'parentOrigin'].includes(key)) ignored.push({ key, value: '', reason: 'notAllowed' });
    else if (SETTING[key] && !ignored.some((i) => i.key === key)) changes[key] = state[key];
  }
  return { changes, ignored: ignored.filter((i) => new URLSearchParams(text).has(i.key) || !SETTING[i.key]) };
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
  const output = new OutputView($('output-plot'));
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

/**
 * A device that loses a canvas's drawing context (a GPU reset, memory pressure) blanks it: say
 * so, and draw everything again once the browser restores it.
 */
function watchCanvases() {
  document.addEventListener('contextlost', (e) => {
    if (!(e.target instanceof HTMLCanvasElement)) return;
    app.notices.show('canvas', 'warning', () => ({ title: t('canvas.lost'), items: [t('canvas.lostHint')] }));
  }, true);
  document.addEventListener('contextrestored', (e) => {
    if (!(e.target instanceof HTMLCanvasElement)) return;
    app.notices.dismiss('canvas');
    app.views.network.retranslate();
    app.controller.redrawText();
    app.controller.render();
    app.panels?.retranslate();
  }, true);
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
  $('share').addEventListener('click', () => app.share.open(app.state, shareNote()));
  $('data-draw').addEventListener('click', () => (app.draw.active ? app.draw.stop() : app.draw.start()));
  $('data-import').addEventListener('click', () => openDataDialog('import'));
  $('data-formula').addEventListener('click', () => openDataDialog('formula'));
  $('data-export').addEventListener('click', () => exportCsv());
  window.addEventListener('hashchange', async () => {
    if (location.hash === app.hash) return;
    app.controller.pause();
    loadFromUrl();
    await loadOwnData();
    app.controller.setOwnData(app.ownData);
    showState();
  });
}

/** The Share dialog's word on own data too large for a link. */
function shareNote() {
  const data = app.ownData;
  if (!data || !usesOwnData(app.state) || data.recipe || pointCount(data) <= LINK_POINTS) return null;
  return t('data.shareTooMany', { n: pointCount(data), max: LINK_POINTS });
}

async function openDataDialog(part) {
  if (!app.dataDialog) {
    const { DataDialog } = await import('./views/data-dialog.js');
    app.dataDialog ??= new DataDialog(document.body, {
      use: (data) => { app.draw.stop(); useData(data); },
      limit: () => app.lab.limits.samples,
      ratio: () => app.state.percTrainData / 100,
      seed: () => app.state.seed,
      noise: () => app.state.noise,
    });
  }
  app.controller.pause();
  app.dataDialog.open(part);
}

/** Everything on the page from app.state, with a new network (after a new URL or an opened file). */
function showState() {
  app.controls.update(app.state);
  refreshTexts();
  app.controls.setThumbnails(thumbnails(app.lab, app.state.classes));
  app.frame.apply(app.state);
  app.controller.configure(app.state, 'reset');
  app.panels.sync(app.state);
  setPlaying(app.controller.playing);
  showDataSummary();
  app.layout.foldForMode();
  app.layout.fit();
  app.layout.foldIfShort();
}

/**
 * The message for a failed start: no WebAssembly (or none with SIMD or exception handling), an
 * engine file missing or damaged, a single file whose engine is damaged, or key.
 */
function loadFailureKey(err, key) {
  if (err?.code === 'no_webassembly') return { simd: 'error.no_simd', exceptions: 'error.no_exceptions' }[err.field] ?? 'error.no_webassembly';
  if (err?.code === 'load_failed' && err.field === 'embedded') return 'error.file_damaged';
  if (err?.code === 'load_failed' && err.field === 'compile') return 'error.load_damaged';
  if (err?.code === 'load_failed' && window.origin === 'null') return 'error.load_sandboxed';
  return key;
}

/** Replaces the loading screen with what went wrong (loading: which file; starting: the error). */
function showLoadFailure(err, key) {
  const status = $('status');
  $('loader').hidden = false;
  $('loader').classList.add('is-error');
  status.replaceChildren(
    h('strong', { text: t('load.failed') }),
    h('br'),
    t(loadFailureKey(err, key), { message: err?.message ?? String(err) }),
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
  app.share = new ShareDialog(document.body, {
    save: () => saveNetwork(app),
    pytorch: () => exportPyTorch(app),
    json: () => exportJSON(app),
    open: (file) => openNetwork(file, {
      ...app,
      // The page's own flags stay: its language, embed mode and hidden controls.
      show: (saved) => {
        app.draw.stop();
        if (saved.data) {
          app.ownData = saved.data;
          app.controls.setOwnThumbnail(thumbnailOf(saved.data));
        }
        app.controller.setOwnData(app.ownData);
        const data = saved.data ? encodeLink(saved.data) : null;
        app.state = { ...saved.state, data, lang: app.state.lang, embed: app.state.embed, hide: app.state.hide };
        applyPageFlags();
        writeUrl();
        showState();
      },
      failed: showError,
    }),
    openLink: (hash) => { location.hash = `#${hash}`; },
  });
  app.views = buildViews();
  await loadOwnData();
  app.controller = new Controller(lab, app.views, {
    onNoData: () => app.notices.show('data', 'warning', () => ({ title: t('data.noTraining'), items: [t('data.noTrainingHint')] })),
    onError: showError,
    onPlayingChange: setPlaying,
    onFrame: (ms) => {
      frames += 1;
      if (frames % 30 === 1) $('frame-time').textContent = t('footer.frame', { ms: ms.toFixed(1) });
    },
    onRender: (frame) => {
      app.frame?.render(frame);
      app.embed?.stepped(frame);
    },
    onRecord: (metrics) => {
      app.embed?.recorded(metrics);
      showHealth(app.health.observe(metrics, app.controller?.trainer, app.state.activation));
    },
  });
  app.layout = new PageLayout({
    state: () => app.state,
    panelActive: () => Boolean(app.panels?.active),
    network: app.views.network,
    output: app.views.output,
    render: () => app.controller.render(),
    focusElements: () => app.frame.focusElements(),
  });
  app.frame = new FrameMode({
    controller: app.controller, network: app.views.network, output: app.views.output, update, covered: () => !!app.panels?.active,
    drawn: () => app.layout.fitSheet(),
    roots: { modeSlot: $('mode-slot'), controls: $('frame-controls'), caption: $('frame-caption'), key: $('frame-key'), inspector: $('inspector') },
  });
  app.panels = new Panels({ app: $('app'), nav: $('panel-nav'), host: $('panels'), lesson: $('lesson'), workspace: document.querySelector('.workspace') }, {
    lab,
    update,
    state: () => app.state,
    pausePlayground: () => app.controller.pause(),
    relayout: () => app.layout.fit(),
  });
  app.draw = new DrawMode($('draw-slot'), app.views.output, {
    data: () => (usesOwnData(app.state) ? app.ownData : null),
    start: () => {
      if (usesOwnData(app.state) && app.ownData) return;
      const data = app.controller.data();
      useData(fromSplits(data, data.classes));
    },
    change: (data) => useData(data),
    ratio: () => app.state.percTrainData / 100,
  });
  app.controller.setOwnData(app.ownData);
  if (app.ownData) app.controls.setOwnThumbnail(thumbnailOf(app.ownData));
  app.controls.update(app.state);
  bindButtons();
  bindKeys();
  watchCanvases();
  refreshTexts();
  app.frame.apply(app.state);
  app.controller.configure(app.state, 'reset');
  app.panels.sync(app.state);
  setPlaying(false);
  showDataSummary();
  $('play').disabled = false;
  document.body.classList.add('is-ready');
  app.embed = new EmbedChannel({
    state: () => app.state,
    settingsText: () => Object.fromEntries(new URLSearchParams(serialize(app.state))),
    parse: settingsFromText,
    update,
    controller: app.controller,
    version: lab.version,
  });
  app.embed.ready();
  $('loader').hidden = true;
  app.layout.foldForMode();
  app.layout.fit();
  app.layout.foldIfShort();  // a frame too short for the settings shows the network and the plot first
  // What Play does not need waits until the page is up: the inputs' and the datasets' pictures.
  afterReady(() => {
    app.controller.drawInputMaps();
    app.controls.setThumbnails(thumbnails(lab, app.state.classes));
  });
}

/** Runs work once the browser is idle after the page is up (or soon, where idle callbacks do not exist). */
function afterReady(work) {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 500 });
  else setTimeout(work, 50);
}

main().catch((err) => showLoadFailure(err, 'error.generic'));
