// Vanishing gradients: the same deep network (same data, seed and starting
// scale) trained with sigmoid and with ReLU hidden layers side by side. After
// every batch the engine's trace gives each layer's ∂L/∂W; the panel plots
// its mean size per epoch on a log scale, so the sigmoid network's first
// layers are seen to stop learning.
import { h } from '../dom.js';
import { errorText } from '../errors.js';
import { t } from '../i18n/index.js';
import { Plot } from './plot.js';
import { chips, panelHead, readout, Player } from './ui.js';

const NETWORKS = [
  { activation: 'sigmoid', color: '#d55e00', shape: 'circle', dash: false },
  { activation: 'relu', color: '#0072b2', shape: 'square', dash: true },
];
const DATASETS = ['circle', 'xor', 'gauss'];
const DEPTHS = ['2', '4', '6'];
const UNITS = 8;
const MAX_EPOCHS = 200;
// Viridis, evenly spread from dark (first layer) to light (output); the last step darkened to read on white.
const LAYER_COLORS = ['#440154', '#443a83', '#31688e', '#21908d', '#35b779', '#8fd744', '#c9b800'];

/** One of the two networks: depth hidden layers of 8 with the activation, a sigmoid output, BCE, SGD. */
export function vanishingConfig(activation, depth, dataset) {
  return {
    seed: 3,
    features: ['x1', 'x2'],
    layers: [...Array.from({ length: depth }, () => ({ units: UNITS, activation })), { units: 1, activation: 'sigmoid' }],
    loss: 'bce',
    optimizer: { name: 'sgd', lr: 0.03 },
    init: 'xavier',
    batchSize: 10,
    dataset: { name: dataset, samples: 400, noise: 0.05, trainRatio: 1 },
  };
}

export class VanishingPanel {
  #lab;
  #head = panelHead();
  #dataset = 'circle';
  #depth = 6;
  #nets = [];
  #epoch = 0;
  #player = new Player({ step: () => this.#advance(), done: () => this.#epoch >= MAX_EPOCHS });
  #buttons;
  #datasetChips;
  #depthChips;
  #epochOut = readout('readout-epoch');
  #columns;
  #profile;
  #labels = {};
  #error = h('p', { class: 'panel-error', role: 'alert', hidden: true });

  constructor(root, { lab }) {
    this.root = root;
    this.#lab = lab;
    this.#buttons = {
      play: this.#player.button,
      step: h('button', { type: 'button', class: 'text-button panel-step', onclick: () => { this.#player.pause(); this.#advance(); } }),
      reset: h('button', { type: 'button', class: 'text-button panel-reset', onclick: () => this.#build() }),
    };
    this.#datasetChips = chips(DATASETS, (name) => { this.#dataset = name; this.#build(); });
    this.#depthChips = chips(DEPTHS, (n) => { this.#depth = Number(n); this.#build(); });
    this.#columns = NETWORKS.map((net) => {
      const title = h('h3', { class: 'panel-subtitle' });
      const loss = readout('readout-loss');
      const ratio = readout('readout-ratio');
      const plot = new Plot(h('div', { class: 'vg-plot' }), { height: 250 });
      const el = h('div', { class: 'vg-column', dataset: { activation: net.activation } },
        title, h('dl', { class: 'readouts readouts-inline' }, loss.el, ratio.el), plot.canvas.parentElement);
      return { net, title, loss, ratio, plot, el };
    });
    this.#profile = new Plot(h('div', { class: 'vg-profile' }), { height: 230 });
    this.#labels.depth = h('span', { class: 'field-label' });
    this.#labels.dataset = h('span', { class: 'field-label' });
    this.#labels.profile = h('h3', { class: 'panel-subtitle' });
    this.#labels.note = h('p', { class: 'panel-note' });
    root.append(
      this.#head.el,
      h('div', { class: 'panel-toolbar' },
        this.#buttons.play, this.#buttons.step, this.#buttons.reset,
        h('dl', { class: 'readouts readouts-inline' }, this.#epochOut.el),
        h('div', { class: 'field' }, this.#labels.dataset, this.#datasetChips.el),
        h('div', { class: 'field' }, this.#labels.depth, this.#depthChips.el)),
      this.#error,
      h('div', { class: 'vg-columns' }, this.#columns.map((c) => c.el)),
      h('div', { class: 'vg-bottom' },
        h('div', {}, this.#labels.profile, this.#profile.canvas.parentElement),
        this.#labels.note));
  }

  show() {
    if (this.#nets.length === 0) this.#build();
    else this.#draw();
  }

  /** Hidden: no loop runs. */
  hide() {
    this.#player.pause();
  }

  sync() {}

  retranslate() {
    this.#head.retranslate('vg.title', 'vg.intro');
    this.#buttons.step.textContent = t('panel.stepEpoch');
    this.#buttons.reset.textContent = t('panel.reset');
    this.#epochOut.retranslate(t('epoch'));
    this.#labels.dataset.textContent = t('setting.dataset');
    this.#labels.depth.textContent = t('vg.depth');
    this.#labels.profile.textContent = t('vg.profile');
    this.#labels.note.textContent = t('vg.note');
    this.#datasetChips.label((name) => t(`option.dataset.${name}`));
    this.#depthChips.label((n) => n);
    for (const c of this.#columns) {
      c.title.textContent = t('vg.network', { name: t(`option.activation.${c.net.activation}`), depth: this.#depth });
      c.loss.retranslate(t('output.trainLoss'));
      c.ratio.retranslate(t('vg.ratio'));
    }
    this.#player.retranslate();
    if (this.#nets.length) this.#draw();
  }

  #build() {
    this.#player.pause();
    for (const n of this.#nets) n.trainer.delete();
    this.#nets = NETWORKS.map((net) => {
      const trainer = this.#lab.createTrainer(vanishingConfig(net.activation, this.#depth, this.#dataset));
      const layers = trainer.layerSizes.length - 1;
      return { ...net, trainer, layers, history: Array.from({ length: layers }, () => []), losses: [] };
    });
    this.#epoch = 0;
    this.#error.hidden = true;
    this.#datasetChips.select(this.#dataset);
    this.#depthChips.select(String(this.#depth));
    this.retranslate();
    // The first epoch at once, so the charts show where the gradients start.
    this.#advance();
  }

  /** One epoch of each network, batch by batch, keeping the mean |∂L/∂W| of every layer over its batches. */
  #advance() {
    if (this.#epoch >= MAX_EPOCHS) return;
    try {
      for (const net of this.#nets) {
        const sums = new Float64Array(net.layers);
        const batches = net.trainer.cursor().batchesPerEpoch;
        for (let b = 0; b < batches; b++) {
          net.trainer.trainStep();
          const sizes = net.trainer.gradientSizes();
          for (let l = 0; l < net.layers; l++) sums[l] += sizes[l];
        }
        for (let l = 0; l < net.layers; l++) net.history[l].push(sums[l] / batches);
        net.losses.push(net.trainer.evaluate().trainLoss);
      }
      this.#epoch += 1;
    } catch (err) {
      this.#player.pause();
      this.#error.hidden = false;
      this.#error.textContent = t('panel.engineError', { message: errorText(err) });
    }
    this.#draw();
  }

  #layerName(l, layers) {
    return l === layers - 1 ? t('vg.outputLayer') : t('vg.hiddenLayer', { n: l + 1 });
  }

  #draw() {
    this.#epochOut.set(this.#epoch, 0);
    const [lo, hi] = this.#range();
    const epochs = Float64Array.from({ length: this.#epoch }, (_, e) => e + 1);
    for (const [i, c] of this.#columns.entries()) {
      const net = this.#nets[i];
      const last = (l) => net.history[l][net.history[l].length - 1];
      c.loss.set(net.losses.length ? net.losses[net.losses.length - 1] : NaN);
      c.ratio.set(this.#epoch ? last(0) / last(net.layers - 1) : NaN, 3);
      c.plot.draw({
        label: t('vg.plotLabel', { name: t(`option.activation.${net.activation}`) }),
        x: { min: 0, max: Math.max(10, this.#epoch), title: t('panel.epochAxis') },
        y: { min: lo, max: hi, log: true, title: t('vg.gradAxis') },
        series: net.history.map((values, l) => ({ x: epochs, y: values, color: LAYER_COLORS[l + LAYER_COLORS.length - net.layers], width: l === 0 ? 2.6 : 1.6 })),
        legend: net.history.map((_, l) => ({ text: this.#layerName(l, net.layers), color: LAYER_COLORS[l + LAYER_COLORS.length - net.layers] })),
      });
    }
    const layerAxis = Float64Array.from({ length: this.#nets[0].layers }, (_, l) => l + 1);
    this.#profile.draw({
      label: t('vg.profileLabel'),
      x: {
        min: 0.7, max: layerAxis.length + 0.3, title: t('vg.layerAxis'), ticks: [...layerAxis],
        format: (v) => (v === layerAxis.length ? t('vg.outputShort') : String(v)),
      },
      y: { min: lo, max: hi, log: true, title: t('vg.gradAxis') },
      series: this.#nets.map((net) => ({ x: layerAxis, y: net.history.map((values) => values[values.length - 1]), color: net.color, width: 2.4, dash: net.dash })),
      markers: this.#nets.flatMap((net) => net.history.map((values, l) => ({ x: l + 1, y: values[values.length - 1], color: net.color, shape: net.shape }))),
      legend: this.#nets.map((net) => ({ text: t(`option.activation.${net.activation}`), color: net.color, kind: net.dash ? 'dash' : 'line' })),
    });
  }

  /** One log range for every chart, so the two networks compare at a glance. */
  #range() {
    let lo = Infinity, hi = 0;
    for (const net of this.#nets) {
      for (const values of net.history) {
        for (const v of values) {
          if (v > 0 && v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
    }
    if (!(hi > 0)) return [1e-6, 1];
    return [10 ** Math.floor(Math.log10(lo) - 0.05), 10 ** Math.ceil(Math.log10(hi) + 0.05)];
  }
}

