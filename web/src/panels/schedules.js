// Learning-rate schedules: the rate of each epoch under the chosen schedule
// (lab.scheduleRates, the engine's own scheduler), and a real trainer with the
// playground's settings training epoch by epoch, its current rate (from
// trainer.cursor().lr) marked on the curve. ReduceLROnPlateau's curve is built
// from the trainer's own epoch losses, so it is seen to cut the rate when the
// loss stalls. The schedule and its parameters are the playground's settings.
import { h } from '../dom.js';
import { errorText } from '../errors.js';
import { formatBound, formatNumber, t } from '../i18n/index.js';
import { applyChanges, engineConfig, isRelevant, parseValue, SETTING } from '../state.js';
import { Plot } from './plot.js';
import { scheduleCode } from './torch.js';
import { chips, codeBlock, DERIVATIVE_COLOR, FUNCTION_COLOR, panelHead, readout, Player } from './ui.js';

const SCHEDULES = ['constant', 'step', 'exponential', 'cosine', 'plateau'];
const PARAMETERS = ['learningRate', 'stepSize', 'gamma', 'tMax', 'factor', 'patience'];
const PLATEAU_EPOCHS = 100;
const CUT_COLOR = '#d55e00';
// For the plateau thumbnail: a loss that falls until epoch 30 and then stops improving.
const STALLED_LOSS = Array.from({ length: PLATEAU_EPOCHS }, (_, e) => 0.1 + 0.6 * 0.9 ** Math.min(e, 30));

/** Epochs worth plotting for a schedule: long enough to show its whole shape. */
function horizon(state) {
  switch (state.schedule) {
    case 'step': return Math.min(500, Math.max(30, state.stepSize * 5));
    case 'exponential': return Math.min(500, Math.max(20, Math.ceil(Math.log(0.01) / Math.log(Math.min(state.gamma, 0.999)))));
    case 'cosine': return Math.min(500, state.tMax * 2);
    case 'plateau': return PLATEAU_EPOCHS;
    default: return 50;
  }
}

/** The schedule part of the engine config for a state, as createTrainer and scheduleRates take it. */
const scheduleOf = (state) => engineConfig(state).schedule;

export class SchedulesPanel {
  #lab;
  #update;
  #state = null;
  #head = panelHead();
  #chips;
  #fields = new Map();
  #trainer = null;
  #losses = [];
  #epoch = 0;
  #epochs = 0;
  #player = new Player({ step: () => this.#advance(), done: () => !this.#trainer || this.#epoch >= this.#epochs, rewind: () => { if (this.#trainer && this.#epoch >= this.#epochs) this.#build(); } });
  #key = '';
  #buttons;
  #out = {
    epoch: readout('readout-epoch'), lr: readout('readout-lr'), planned: readout('readout-planned'),
    loss: readout('readout-loss'), bad: readout('readout-bad'),
  };
  #lrPlot;
  #lossPlot;
  #labels = {};
  #error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  #minis;
  #minisTitle = h('h3', { class: 'panel-subtitle' });
  #code = codeBlock('sched-torch');

  constructor(root, { lab, update }) {
    this.root = root;
    this.#lab = lab;
    this.#update = update;
    this.#chips = chips(SCHEDULES, (name) => update({ schedule: name }));
    for (const name of PARAMETERS) this.#fields.set(name, this.#field(name));
    this.#buttons = {
      play: this.#player.button,
      step: h('button', { type: 'button', class: 'text-button panel-step', onclick: () => { this.#player.pause(); this.#advance(); } }),
      reset: h('button', { type: 'button', class: 'text-button panel-reset', onclick: () => this.#build() }),
    };
    this.#lrPlot = new Plot(h('div'), { height: 260 });
    this.#lossPlot = new Plot(h('div'), { height: 200 });
    this.#minis = SCHEDULES.map((name) => {
      const box = h('button', { type: 'button', class: 'small-plot', dataset: { schedule: name }, onclick: () => update({ schedule: name }) });
      const caption = h('span', { class: 'small-caption' });
      box.append(caption);
      return { name, box, caption, plot: new Plot(box, { height: 100 }) };
    });
    for (const key of ['params', 'training', 'note', 'trainNote']) this.#labels[key] = h(key === 'params' || key === 'training' ? 'h3' : 'p', { class: key.endsWith('ote') ? 'panel-note' : 'panel-subtitle' });
    root.append(
      this.#head.el,
      this.#chips.el,
      h('div', { class: 'panel-main' },
        h('div', { class: 'panel-figure' }, this.#lrPlot.canvas.parentElement, this.#lossPlot.canvas.parentElement),
        h('div', { class: 'panel-side' },
          this.#labels.params,
          h('div', { class: 'param-fields' }, [...this.#fields.values()].map((f) => f.el)),
          this.#labels.note,
          this.#labels.training,
          this.#labels.trainNote,
          h('div', { class: 'button-row' }, this.#buttons.play, this.#buttons.step, this.#buttons.reset),
          this.#error,
          h('dl', { class: 'readouts readouts-grid' }, Object.values(this.#out).map((r) => r.el)))),
      this.#code.el,
      this.#minisTitle,
      h('div', { class: 'small-multiples' }, this.#minis.map((m) => m.box)));
  }

  show(state) {
    this.sync(state);
  }

  hide() {
    this.#player.pause();
  }

  /** A change of the schedule, its parameters or the network starts the trainer again. */
  sync(state) {
    this.#state = state;
    this.#chips.select(state.schedule);
    for (const [name, field] of this.#fields) field.update(state);
    const key = JSON.stringify(engineConfig(state));
    if (key !== this.#key) {
      this.#key = key;
      this.#build();
    }
    this.#drawMinis();  // they follow the settings only, not the training
    const config = engineConfig(state);
    this.#code.set(scheduleCode(config.optimizer, config.schedule, horizon(state)));
  }

  retranslate() {
    this.#head.retranslate('sched.title', 'sched.intro');
    this.#chips.label((name) => t(`option.schedule.${name}`));
    for (const field of this.#fields.values()) field.retranslate();
    this.#labels.params.textContent = t('sched.params');
    this.#minisTitle.textContent = t('sched.all');
    for (const m of this.#minis) m.caption.textContent = t(`option.schedule.${m.name}`);
    this.#labels.training.textContent = t('sched.training');
    this.#labels.trainNote.textContent = t('sched.trainNote');
    this.#buttons.step.textContent = t('panel.stepEpoch');
    this.#buttons.reset.textContent = t('panel.reset');
    this.#out.epoch.retranslate(t('epoch'));
    this.#out.lr.retranslate(t('sched.trainerLr'));
    this.#out.planned.retranslate(t('sched.plannedLr'));
    this.#out.loss.retranslate(t('output.trainLoss'));
    this.#out.bad.retranslate(t('sched.badEpochs'));
    this.#player.retranslate();
    this.#code.retranslate();
    if (this.#state) {
      this.#drawMinis();
      const config = engineConfig(this.#state);
      this.#code.set(scheduleCode(config.optimizer, config.schedule, horizon(this.#state)));
    }
    if (this.#trainer) this.#draw();
  }

  /** A number field for one of the playground's settings, checked by the settings table. */
  #field(name) {
    const p = SETTING[name];
    const label = h('span', { class: 'field-label' });
    const input = h('input', { type: 'text', inputmode: 'decimal', id: `sched-${name}`, autocomplete: 'off', spellcheck: 'false' });
    const message = h('span', { class: 'field-error', role: 'alert' });
    const el = h('label', { class: 'field field-number', dataset: { setting: name } }, label, input, message);
    input.addEventListener('change', () => {
      const parsed = parseValue(p, input.value.trim());
      if (parsed.reason) {
        input.setAttribute('aria-invalid', 'true');
        message.textContent = t('invalidNumber', { min: formatBound(p.min), max: formatBound(p.max) });
        return;
      }
      input.removeAttribute('aria-invalid');
      message.textContent = '';
      this.#update({ [name]: parsed.value });
    });
    return {
      el,
      update: (state) => {
        el.hidden = !isRelevant(p, state);
        if (document.activeElement !== input) input.value = String(state[name]);
      },
      retranslate: () => { label.textContent = t(`setting.${name}`); },
    };
  }

  #build() {
    this.#player.pause();
    this.#trainer?.delete();
    this.#trainer = null;
    this.#losses = [];
    this.#epoch = 0;
    this.#epochs = horizon(this.#state);
    this.#error.hidden = true;
    try {
      this.#trainer = this.#lab.createTrainer(engineConfig(this.#state));
    } catch (err) {
      this.#showError(err);
      return;
    }
    this.#draw();
  }

  #showError(err) {
    this.#player.pause();
    this.#error.hidden = false;
    this.#error.textContent = t('panel.engineError', { message: errorText(err) });
  }

  #advance() {
    if (!this.#trainer || this.#epoch >= this.#epochs) return;
    try {
      const result = this.#trainer.trainEpoch();
      // The loss the schedule watches: plateau on the test loss reads the test split's.
      const test = this.#watchesTest() ? this.#trainer.evaluate().testLoss : null;
      this.#losses.push(test ?? result.loss);
      this.#epoch = result.epoch;
    } catch (err) {
      this.#showError(err);
    }
    this.#draw();
  }

  /**
   * The rate of every epoch: for plateau, from the losses the trainer has seen so far (later
   * epochs keep the last rate until their losses exist); for the others, the whole plan.
   */
  #plan() {
    const state = this.#state;
    const schedule = scheduleOf(state);
    if (schedule.name !== 'plateau') return { ...this.#lab.scheduleRates(schedule, state.learningRate, this.#epochs), known: this.#epochs };
    if (this.#losses.length === 0) return { lr: Float64Array.of(state.learningRate), known: 0 };
    return { ...this.#lab.scheduleRates(schedule, state.learningRate, this.#losses.length, this.#losses), known: this.#losses.length };
  }

  #watchesTest() {
    return this.#state.schedule === 'plateau' && this.#state.plateauMetric === 'test';
  }

  #draw() {
    if (!this.#trainer) return;
    const state = this.#state;
    const plan = this.#plan();
    const cursor = this.#trainer.cursor();
    const epochs = Float64Array.from({ length: plan.lr.length }, (_, e) => e);
    const planned = plan.lr[Math.min(this.#epoch, plan.lr.length - 1)];
    this.#out.epoch.set(this.#epoch, 0);
    this.#out.lr.set(cursor.lr, 6);
    this.#out.planned.set(planned, 6);
    this.#out.loss.set(this.#losses.length ? this.#losses[this.#losses.length - 1] : NaN, 4);
    const plateau = state.schedule === 'plateau';
    this.#out.bad.el.hidden = !plateau;
    if (plateau) this.#out.bad.set(plan.badEpochs?.length ? `${plan.badEpochs[plan.badEpochs.length - 1]} / ${state.patience}` : `0 / ${state.patience}`);
    this.#labels.note.textContent = t(`sched.note.${state.schedule}`);
    // Epochs at whose start the rate fell: where plateau reacted, or a step came.
    const cuts = [];
    for (let e = 1; e < plan.lr.length; e++) if (plan.lr[e] < plan.lr[e - 1] * (1 - 1e-12) && (plateau || state.schedule === 'step')) cuts.push(e);
    const series = [{ x: epochs, y: plan.lr, color: FUNCTION_COLOR, width: 2.5, step: true }];
    if (plateau) {
      const last = plan.lr[plan.lr.length - 1];
      series.push({ x: Float64Array.of(plan.lr.length - 1, this.#epochs), y: Float64Array.of(last, last), color: FUNCTION_COLOR, width: 1.5, dash: true });
    }
    const top = Math.max(...plan.lr, cursor.lr) * 1.15;
    this.#lrPlot.draw({
      label: t('sched.lrLabel', { name: t(`option.schedule.${state.schedule}`) }),
      // A little room left of epoch 0, so the marker there stays off the tick labels.
      x: { min: -this.#epochs * 0.015, max: this.#epochs, title: t('panel.epochAxis') },
      y: { min: 0, max: top || 1, title: t('sched.lrAxis') },
      vlines: [...cuts.map((e) => ({ x: e, color: CUT_COLOR, dash: true })), { x: this.#epoch, color: '#8a939c' }],
      series,
      markers: [{ x: this.#epoch, y: cursor.lr, color: DERIVATIVE_COLOR, shape: 'diamond', size: 7, text: `lr = ${formatNumber(cursor.lr, 5)}` }],
      legend: [
        { text: t('sched.planLine'), color: FUNCTION_COLOR },
        { text: t('sched.marker'), color: DERIVATIVE_COLOR, kind: 'marker', shape: 'diamond' },
        ...(cuts.length ? [{ text: t('sched.cut'), color: CUT_COLOR, kind: 'dash' }] : []),
      ],
    });
    const lossEpochs = Float64Array.from(this.#losses, (_, e) => e + 1);
    // A range that fits the losses closely, so a stall is visible.
    const [lossLo, lossHi] = this.#losses.length ? [Math.min(...this.#losses), Math.max(...this.#losses)] : [0, 1];
    const margin = Math.max(lossHi - lossLo, lossHi * 0.02) * 0.1;
    this.#lossPlot.draw({
      label: t(this.#watchesTest() ? 'sched.lossLabelTest' : 'sched.lossLabel'),
      x: { min: 0, max: this.#epochs, title: t('panel.epochAxis') },
      y: { min: Math.max(0, lossLo - margin), max: lossHi + margin, title: t(this.#watchesTest() ? 'output.testLoss' : 'output.trainLoss') },
      vlines: cuts.map((e) => ({ x: e, color: CUT_COLOR, dash: true })),
      series: [{ x: lossEpochs, y: Float64Array.from(this.#losses), color: '#1d232a', width: 2 }],
      hlines: plateau && plan.best?.length ? [{ y: plan.best[plan.best.length - 1], color: '#009e73', dash: true }] : [],
      legend: [
        { text: t(this.#watchesTest() ? 'sched.lossLineTest' : 'sched.lossLine'), color: '#1d232a' },
        ...(plateau && plan.best?.length ? [{ text: t('sched.bestLine'), color: '#009e73', kind: 'dash' }] : []),
      ],
    });
  }

  /** Every schedule with the current parameters (plateau on a loss that stalls), to compare and pick. */
  #drawMinis() {
    for (const m of this.#minis) {
      const state = applyChanges(this.#state, { schedule: m.name }).state;
      const epochs = horizon(state);
      const losses = m.name === 'plateau' ? STALLED_LOSS : undefined;
      const { lr } = this.#lab.scheduleRates(scheduleOf(state), state.learningRate, epochs, losses);
      const current = m.name === this.#state.schedule;
      m.box.classList.toggle('is-current', current);
      m.box.setAttribute('aria-pressed', String(current));
      m.plot.draw({
        label: t('sched.lrLabel', { name: t(`option.schedule.${m.name}`) }),
        x: { min: 0, max: epochs },
        y: { min: 0, max: state.learningRate * 1.15 },
        series: [{ x: Float64Array.from(lr, (_, e) => e), y: lr, color: FUNCTION_COLOR, width: 2, step: true }],
      });
    }
  }
}
