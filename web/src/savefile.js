// A trained network in a file, which a link cannot hold: the settings (written
// as the URL writes them), the engine's snapshot (weights, optimizer state,
// schedule, cursor, shuffle order, with its own checksum) and the curves.
// Opening a file checks all of it, the snapshot on a scratch trainer, before
// the page changes: a damaged or foreign file is refused with its reason.
// Own data goes in whole (`data`), whatever its size: the snapshot fits only
// the training data it was taken with.
import { fieldNote } from './errors.js';
import { fromJSON, toJSON } from './data/codec.js';
import { splits, targets } from './data/owndata.js';
import { applyChanges, engineConfig, outputLayer, parseUrl, serialize, usesOwnData } from './state.js';

export const SAVE_FORMAT = 'backprop-lab-network';
export const SAVE_VERSION = 1;
export const MAX_SAVE_MB = 16;
export const CURVES = ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy'];
const MAX_CURVE_POINTS = 4096;

/** Why a file cannot be opened: `key` and `params` of a string in the tables (file.*). */
export class SaveFileError extends Error {
  constructor(key, params = {}) {
    super(`${key} ${JSON.stringify(params)}`);
    this.name = 'SaveFileError';
    this.key = key;
    this.params = params;
  }
}

function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new SaveFileError('file.damaged', { what: 'snapshot' });
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The file's text. state: the page's settings (its language, embed, parentOrigin and hide flags
 * are the page's, not the network's, and stay out); snapshot: trainer.snapshot(); epochOffset: epochs
 * trained before the trainer was last rebuilt; curves: { name: [[x, y], …] }.
 */
export function writeSave({ state, snapshot, epochOffset = 0, curves = {}, engineVersion = '', data = null }) {
  const settings = serialize({ ...state, data: null, lang: null, embed: false, parentOrigin: null, hide: new Set() });
  const kept = Object.fromEntries(CURVES.filter((name) => curves[name]?.length).map((name) => [name, curves[name]]));
  return `${JSON.stringify({
    format: SAVE_FORMAT,
    version: SAVE_VERSION,
    engine: engineVersion,
    settings,
    epochOffset,
    curves: kept,
    ...(data && usesOwnData(state) ? { data: toJSON(data) } : {}),
    snapshot: toBase64(snapshot),
  })}\n`;
}

function readCurves(curves) {
  if (curves === undefined) return {};
  if (!curves || typeof curves !== 'object' || Array.isArray(curves)) throw new SaveFileError('file.damaged', { what: 'curves' });
  const out = {};
  for (const [name, points] of Object.entries(curves)) {
    const fine = CURVES.includes(name) && Array.isArray(points) && points.length <= MAX_CURVE_POINTS
      && points.every((p) => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && (Number.isFinite(p[1]) || p[1] === null));
    if (!fine) throw new SaveFileError('file.damaged', { what: `curves.${name}` });
    out[name] = points.map(([x, y]) => [x, y === null ? NaN : y]);
  }
  return out;
}

/**
 * Reads a file's text and checks it against the engine `lab`: the settings must parse with
 * nothing ignored and the snapshot must restore on a trainer made from them.
 * @returns {{ state, snapshot: Uint8Array, epochOffset: number, curves, data: OwnData | null }}
 * @throws {SaveFileError}
 */
export function readSave(text, lab) {
  if (typeof text !== 'string' || text.length > MAX_SAVE_MB * 1024 * 1024) throw new SaveFileError('file.tooBig', { mb: MAX_SAVE_MB });
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    // The format name comes first in a saved file: a cut-off file still shows it.
    throw new SaveFileError(text.trimStart().startsWith('{') && text.includes(`"${SAVE_FORMAT}"`) ? 'file.truncated' : 'file.notJson');
  }
  if (!doc || typeof doc !== 'object' || doc.format !== SAVE_FORMAT) throw new SaveFileError('file.notOurs');
  if (doc.version !== SAVE_VERSION) throw new SaveFileError('file.version', { version: String(doc.version) });
  for (const field of ['settings', 'snapshot']) {
    if (typeof doc[field] !== 'string' || doc[field] === '') throw new SaveFileError('file.damaged', { what: field });
  }
  const epochOffset = doc.epochOffset ?? 0;
  if (!Number.isFinite(epochOffset) || epochOffset < 0) throw new SaveFileError('file.damaged', { what: 'epochOffset' });
  const curves = readCurves(doc.curves);
  const { state: parsed, ignored } = parseUrl('', `#${doc.settings}`);
  if (ignored.length) throw new SaveFileError('file.settings', { keys: ignored.map((i) => i.key).join(', ') });
  const data = readData(doc.data, parsed);
  // Own data decides the classes (the settings leave them out).
  const state = data?.classes ? applyChanges(parsed, { classes: data.classes }).state : parsed;
  const snapshot = fromBase64(doc.snapshot);
  let scratch = null;
  try {
    scratch = lab.createTrainer(engineConfig(state));
    const train = data && splits(data).train;
    if (train?.size) scratch.setData(train.points, targets(train.labels, data.classes, outputLayer(state)), train.size);
    scratch.restore(snapshot);
  } catch (err) {
    // Said in the page's language from the error's code; the engine's English stays out.
    if (err?.code === 'bad_snapshot') throw new SaveFileError('file.snapshot');
    throw new SaveFileError('file.engine', { where: fieldNote(err?.field) });
  } finally {
    scratch?.delete();
  }
  return { state, snapshot, epochOffset, curves, data };
}

// The own data a file carries, checked in full, and only where its settings use own data of that kind.
function readData(doc, state) {
  const wanted = usesOwnData(state);
  if (doc === undefined && !wanted) return null;
  if (doc === undefined || !wanted) throw new SaveFileError('file.damaged', { what: 'data' });
  let data;
  try {
    data = fromJSON(doc);
  } catch (err) {
    throw new SaveFileError('file.damaged', { what: `data (${err.params?.what ?? 'data'})` });
  }
  if ((data.classes === 0) !== (state.problem === 'regression')) throw new SaveFileError('file.damaged', { what: 'data.classes' });
  return data;
}
