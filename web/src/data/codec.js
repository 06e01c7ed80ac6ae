// Own data in a link and in a save file. A link carries up to LINK_POINTS
// points: their grid coordinates as integers in JSON, deflated (fflate) and
// written in base64url; a formula's points travel as the formula itself
// while nobody drew over them. A save file keeps the data as JSON. Whatever
// comes in is checked in full before the page uses it.
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { DataError, LINK_POINTS, MAX_CLASSES, pointCount } from './owndata.js';

const VERSION = 1;
const SOURCES = ['draw', 'file', 'formula'];
/** The engine's most samples (lab.limits.samples); a file may hold no more. */
export const MAX_POINTS = 20000;
const MAX_NAME = 240;

function toBase64Url(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The data as plain JSON values (a save file's `data`). */
export function toJSON(data) {
  const { source, name, classes, classNames, points, labels, test, axes, value, recipe } = data;
  return { source, name, classes, classNames, points, labels, test, axes, value, recipe };
}

const damaged = (what) => new DataError('data.damaged', { what });
const isName = (s) => typeof s === 'string' && s.length <= MAX_NAME;

function checkScale(scale, what) {
  if (!scale || !isName(scale.name) || !Number.isFinite(scale.a) || scale.a === 0 || !Number.isFinite(scale.b)) throw damaged(what);
  return { name: scale.name, a: scale.a, b: scale.b };
}

function checkRecipe(recipe) {
  if (recipe === null || recipe === undefined) return null;
  const fine = recipe && typeof recipe.text === 'string' && recipe.text.length <= MAX_NAME
    && [recipe.from, recipe.to, recipe.samples, recipe.noise, recipe.seed, recipe.ratio].every(Number.isFinite);
  if (!fine) throw damaged('recipe');
  const { text, from, to, samples, noise, seed, ratio } = recipe;
  return { text, from, to, samples, noise, seed, ratio };
}

/**
 * Checks data read from a file or a link and returns it as OwnData.
 * @throws {DataError} data.damaged naming the part at fault
 */
export function fromJSON(doc) {
  if (!doc || typeof doc !== 'object') throw damaged('data');
  const { classes } = doc;
  if (!SOURCES.includes(doc.source)) throw damaged('source');
  if (!isName(doc.name)) throw damaged('name');
  if (!(classes === 0 || (Number.isInteger(classes) && classes >= 2 && classes <= MAX_CLASSES))) throw damaged('classes');
  const n = Array.isArray(doc.labels) ? doc.labels.length : -1;
  if (n < 0 || n > MAX_POINTS) throw damaged('labels');
  if (!Array.isArray(doc.points) || doc.points.length !== 2 * n || !doc.points.every(Number.isFinite)) throw damaged('points');
  const fits = classes === 0 ? Number.isFinite : (k) => Number.isInteger(k) && k >= 0 && k < classes;
  if (!doc.labels.every(fits)) throw damaged('labels');
  if (!Array.isArray(doc.test) || doc.test.length !== n || !doc.test.every((v) => v === 0 || v === 1)) throw damaged('test');
  let classNames = null;
  if (doc.classNames !== null && doc.classNames !== undefined) {
    if (classes === 0 || !Array.isArray(doc.classNames) || doc.classNames.length !== classes || !doc.classNames.every(isName)) throw damaged('classNames');
    classNames = [...doc.classNames];
  }
  const axes = doc.axes ? { x: checkScale(doc.axes.x, 'axes.x'), y: checkScale(doc.axes.y, 'axes.y') } : null;
  let value = null;
  if (doc.value) {
    const { name, lo, hi } = doc.value;
    if (classes !== 0 || !isName(name) || !Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) throw damaged('value');
    value = { name, lo, hi };
  }
  return {
    source: doc.source, name: doc.name, classes, classNames,
    points: [...doc.points], labels: [...doc.labels], test: [...doc.test],
    axes, value, recipe: checkRecipe(doc.recipe),
  };
}

/** The link's text for the data, or null when it has more than LINK_POINTS points (save a file instead). */
export function encodeLink(data) {
  const doc = toJSON(data);
  if (data.recipe) {
    doc.points = doc.labels = doc.test = [];
  } else if (pointCount(data) > LINK_POINTS) {
    return null;
  } else {
    doc.points = data.points.map((v) => Math.round(v * 1000));
    doc.labels = data.classes === 0 ? data.labels.map((v) => Math.round(v * 10000)) : data.labels;
  }
  return toBase64Url(deflateSync(strToU8(JSON.stringify({ v: VERSION, ...doc })), { level: 9 }));
}

/**
 * The data a link carries (a formula's points made again from it).
 * @throws {DataError} data.link when the text is not data this page wrote
 */
export async function decodeLink(text) {
  let doc;
  try {
    doc = JSON.parse(strFromU8(inflateSync(fromBase64Url(text))));
  } catch {
    throw new DataError('data.link');
  }
  if (!doc || doc.v !== VERSION) throw new DataError('data.link');
  const recipe = checkRecipe(doc.recipe);
  if (recipe) {
    const { generate } = await import('./formula.js');
    const made = generate(recipe);
    return fromJSON({ ...doc, points: made.points, labels: made.labels, test: made.test });
  }
  if (!Array.isArray(doc.points) || !Array.isArray(doc.labels)) throw new DataError('data.link');
  return fromJSON({
    ...doc,
    points: doc.points.map((v) => v / 1000),
    labels: doc.classes === 0 ? doc.labels.map((v) => v / 10000) : doc.labels,
  });
}
