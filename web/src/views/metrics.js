// The numbers beside the plots: epoch counter, losses, accuracies, current learning rate.
import { setText } from '../dom.js';
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

  /**
   * m: { epoch, batch, batchesPerEpoch, showBatch, trainLoss, testLoss, trainAccuracy, testAccuracy, lr };
   * each text is written only when it changes.
   */
  draw(m) {
    const el = this.#el;
    setText(el.epoch, epochText(m.epoch));
    setText(el.batch, m.showBatch ? t('batchOf', { batch: m.batch, total: m.batchesPerEpoch }) : '');
    // The batch line's box holds counts up to three digits; longer ones size it by their text.
    // (A toggle to the state the class already has changes nothing.)
    el.batch.classList.toggle('is-wide', m.showBatch && m.batchesPerEpoch >= 1000);
    const put = (name, text) => {
      setText(el[name], text);
      const value = String(m[name]);
      if (el[name].dataset.value !== value) el[name].dataset.value = value;
    };
    for (const name of ['trainLoss', 'testLoss']) put(name, formatNumber(m[name], 3, true));
    for (const name of ['trainAccuracy', 'testAccuracy']) put(name, percent(m[name]));
    for (const row of el.accuracyRows) {
      if (row.hidden !== (m.trainAccuracy === null)) row.hidden = m.trainAccuracy === null;
    }
    put('lr', formatNumber(m.lr, 6));
  }
}
