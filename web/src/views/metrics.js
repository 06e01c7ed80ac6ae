// The numbers beside the plots: epoch counter, losses, accuracies, current learning rate.
import { formatNumber, groupDigits, t } from '../i18n/index.js';

/** 12 → "000,012", as TensorFlow Playground shows its epoch counter. */
export function epochText(epoch) {
  return groupDigits(String(Math.max(0, Math.floor(epoch))).padStart(6, '0'));
}

const percent = (x) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)} %`);

export class MetricsView {
  #el;

  /** el: { epoch, batch, trainLoss, testLoss, trainAccuracy, testAccuracy, accuracyRows, lr } */
  constructor(el) {
    this.#el = el;
  }

  /** The counter alone: m: { epoch, batch, batchesPerEpoch, showBatch }. Written only when it changes. */
  drawCounter(m) {
    const el = this.#el;
    const epoch = epochText(m.epoch);
    const batch = m.showBatch ? t('batchOf', { batch: m.batch, total: m.batchesPerEpoch }) : '';
    if (el.epoch.textContent !== epoch) el.epoch.textContent = epoch;
    if (el.batch.textContent !== batch) el.batch.textContent = batch;
  }

  /** m: { epoch, batch, batchesPerEpoch, showBatch, trainLoss, testLoss, trainAccuracy, testAccuracy, lr } */
  draw(m) {
    const el = this.#el;
    this.drawCounter(m);
    for (const name of ['trainLoss', 'testLoss']) {
      el[name].textContent = formatNumber(m[name], 3, true);
      el[name].dataset.value = String(m[name]);
    }
    for (const name of ['trainAccuracy', 'testAccuracy']) {
      el[name].textContent = percent(m[name]);
      el[name].dataset.value = String(m[name]);
    }
    for (const row of el.accuracyRows) row.hidden = m.trainAccuracy === null;
    el.lr.textContent = formatNumber(m.lr, 6);
    el.lr.dataset.value = String(m.lr);
  }
}
