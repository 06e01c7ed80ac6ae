// Files the page writes and reads: the trained network saved to a file and
// opened again (src/savefile.js checks one in full before anything changes).
import { h } from './dom.js';
import { errorText } from './errors.js';
import { currentLanguage, t } from './i18n/index.js';
import { MAX_SAVE_MB, readSave, SaveFileError, writeSave } from './savefile.js';

/**
 * Offers text as a file to download: null when offered, else why not (a browser or a sandboxed
 * frame that refuses downloads), in the page's language.
 */
export function download(name, text, type) {
  try {
    const url = URL.createObjectURL(new Blob([text], { type }));
    h('a', { href: url, download: name }).click();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    return null;
  } catch (err) {
    return t('file.cannotSave', { message: String(err?.message ?? err) });
  }
}

/** The trained network as a file: settings, the engine's snapshot, own data and the curves; null, or why not. */
export function saveNetwork({ state, lab, controller, ownData }) {
  const text = writeSave({ state, engineVersion: lab.version, ...controller.saved(), data: ownData });
  return download(`backprop-lab-epoch-${controller.trainer.cursor().epoch}.json`, text, 'application/json');
}

/**
 * The network as a PyTorch script that checks the lab's losses and trains 10 more epochs as the lab
 * would, its comments in the page's language; null, or why not.
 */
export function exportPyTorch({ controller }) {
  let script;
  try {
    script = controller.trainer.toPyTorch({ epochs: 10, language: currentLanguage() });
  } catch (err) {
    return errorText(err);  // e.g. no training data, in the page's language
  }
  return download('backprop-lab.py', script, 'text/x-python');
}

/** The weights, the data and the training state as plain JSON (trainer.toJSON()); null, or why not. */
export function exportJSON({ controller }) {
  let text;
  try {
    text = JSON.stringify(controller.trainer);
  } catch (err) {
    return errorText(err);  // e.g. no training data, in the page's language
  }
  return download('backprop-lab-weights.json', text, 'application/json');
}

/**
 * Opens a saved network: null when it opened, else why not (also shown as a notice). page: { lab,
 * controller, notices, show(saved) (the saved settings on the page, with a new network),
 * failed(err) }. The file is checked in full before anything on the page changes.
 */
export async function openNetwork(file, { lab, controller, notices, show, failed }) {
  controller.pause();
  let saved;
  try {
    if (file.size > MAX_SAVE_MB * 1024 * 1024) throw new SaveFileError('file.tooBig', { mb: MAX_SAVE_MB });
    saved = readSave(await file.text(), lab);
  } catch (err) {
    const why = () => (err instanceof SaveFileError ? t(err.key, err.params) : t('file.unexpected', { message: String(err?.message ?? err) }));
    notices.show('file', 'error', () => ({ title: t('file.cannotOpen', { name: file.name }), items: [why()] }));
    return why();
  }
  notices.dismiss('file');
  notices.dismiss('error');
  show(saved);
  try {
    controller.restoreSaved(saved);
  } catch (err) {
    failed(err);  // checked above, so not expected: the settings stay, on a fresh network
    return String(err?.message ?? err);
  }
  return null;
}
