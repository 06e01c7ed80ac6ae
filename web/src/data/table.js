// Tables of the learner's own data: a CSV, TSV or text file (or pasted text)
// read with d3-dsv, and the data written back as CSV. readTable finds the
// delimiter, a header row and decimal commas; buildData turns the chosen
// columns into OwnData, scaled into the plane, or names the line and column
// of the first thing it cannot use.
import { csvFormatRows, dsvFormat } from 'd3-dsv';
import { dealSplit, DataError, fromPlane, fromTarget, MAX_CLASSES, onGrid, onValueGrid, SPAN, Z_SCALE } from './owndata.js';

/** Delimiters tried in order: the first that splits every line alike into two or more fields wins. */
const DELIMITERS = ['\t', ';', ',', ' '];
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const COMMA_NUMBER = /^[+-]?(\d+(,\d*)?|,\d+)(e[+-]?\d+)?$/i;

/** A cell as a number, or null; decimal commas count where the delimiter is not a comma. */
export function parseNumber(cell, decimalComma) {
  const text = cell.trim();
  if (NUMBER.test(text)) return Number(text);
  if (decimalComma && COMMA_NUMBER.test(text)) return Number(text.replace(',', '.'));
  return null;
}

const breaks = (cell) => (cell.match(/\r\n|\r|\n/g) ?? []).length;

/** The rows of text split at `delimiter`, each with the line it starts on; blank lines left out. */
function rowsOf(text, delimiter) {
  const rows = [];
  let line = 1;
  for (const raw of dsvFormat(delimiter).parseRows(text)) {
    const start = line;
    line += 1 + raw.reduce((n, cell) => n + breaks(cell), 0);
    if (raw.length === 1 && raw[0].trim() === '') continue;
    // Runs of spaces are one delimiter.
    const cells = (delimiter === ' ' ? raw.filter((c) => c !== '') : raw).map((c) => c.trim());
    rows.push({ cells, line: start });
  }
  return rows;
}

function widthOf(rows) {
  const counts = new Map();
  for (const r of rows) counts.set(r.cells.length, (counts.get(r.cells.length) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0][0];
}

/**
 * Reads delimited text. Returns { delimiter, decimalComma, header (a guess), columns, names,
 * numeric (per column, over the rows after a header), rows: [{ cells, line }] }.
 * @throws {DataError} data.empty, data.oneColumn
 */
export function readTable(input) {
  const text = String(input).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new DataError('data.empty');
  let chosen = null;
  let widest = null;
  for (const delimiter of DELIMITERS) {
    const rows = rowsOf(text, delimiter);
    const width = widthOf(rows);
    if (width >= 2 && rows.every((r) => r.cells.length === width)) {
      chosen = { delimiter, rows, width };
      break;
    }
    if (width >= 2 && (!widest || width > widest.width)) widest = { delimiter, rows, width };
  }
  chosen ??= widest;  // uneven lines: buildData names the first one that does not fit
  if (!chosen) throw new DataError('data.oneColumn', { line: rowsOf(text, ',')[0].line });
  const { delimiter, rows, width } = chosen;
  const decimalComma = delimiter !== ',' && rows.some((r) => r.cells.some((c) => !NUMBER.test(c) && COMMA_NUMBER.test(c)));
  const isNumber = (r, k) => r.cells[k] !== undefined && parseNumber(r.cells[k], decimalComma) !== null;
  // A first line is a header when a column it names as text holds numbers below it.
  const header = rows.length > 1 && rows[0].cells.some((c, k) => !isNumber(rows[0], k) && rows.slice(1).some((r) => isNumber(r, k)));
  const table = { delimiter, decimalComma, header, columns: width, rows };
  return { ...table, ...describe(table, header) };
}

/** Column names and which columns hold only numbers, with or without a header row. */
export function describe(table, header) {
  const body = header ? table.rows.slice(1) : table.rows;
  const names = Array.from({ length: table.columns }, (_, k) => (header ? table.rows[0].cells[k] ?? '' : ''));
  const numeric = names.map((_, k) => body.length > 0 && body.every((r) => r.cells[k] === undefined || r.cells[k] === '' || parseNumber(r.cells[k], table.decimalComma) !== null));
  return { names, numeric, body };
}

/** The columns to start from: the first two numeric ones as inputs, the last other one as the label. */
export function defaultChoice(table) {
  // A row number (1, 2, 3, … or 0, 1, 2, …) is no input.
  const counts = (k) => table.body.every((r, i) => Number(r.cells[k]) === i + 1) || table.body.every((r, i) => Number(r.cells[k]) === i);
  const numeric = table.numeric.map((n, k) => (n && !counts(k) ? k : -1)).filter((k) => k >= 0);
  const x = numeric[0] ?? 0;
  const y = numeric[1] ?? (x === 0 ? 1 : 0);
  let label = table.columns - 1;
  while (label >= 0 && (label === x || label === y)) label -= 1;
  return { x, y, label: Math.max(0, label) };
}

function scaleOf(values, scaling, name) {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  if (scaling === 'standard') {
    const mean = sum / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    return { name, a: Z_SCALE / sd, b: (-Z_SCALE * mean) / sd, flat: !(sd > 0) };
  }
  const a = (2 * SPAN) / (max - min);
  return { name, a, b: -SPAN - a * min, flat: !(max > min) };
}

/**
 * OwnData from a table. choice: { x, y, label (column indices), header, scaling: 'minmax' |
 * 'standard', kind: 'auto' | 'classes' | 'values', ratio, seed, name, limit (most rows) }.
 * Inputs: min–max puts a column's range on −5 … 5, standardising puts mean ± sd at ± 2; then
 * onto the 0.001 grid. Labels: text, or at most five distinct whole numbers, are classes (text
 * in order of first appearance, numbers in increasing order); other numbers are regression
 * values, scaled min–max onto −1 … 1.
 * @throws {DataError} naming the line and column at fault
 */
export function buildData(table, choice) {
  const { names, body } = describe(table, choice.header);
  const column = (k) => ({ column: names[k] ? `${k + 1} (“${names[k]}”)` : String(k + 1) });
  if (body.length === 0) throw new DataError('data.empty');
  if (body.length > choice.limit) throw new DataError('data.tooManyRows', { line: body[choice.limit].line, max: choice.limit });
  if (body.length < 2) throw new DataError('data.fewRows');
  const wanted = [choice.x, choice.y, choice.label];
  if (new Set(wanted).size < 3) throw new DataError('data.sameColumn');
  const cell = (r, k) => {
    if (r.cells.length !== table.columns) throw new DataError('data.columns', { line: r.line, count: r.cells.length, expected: table.columns });
    const text = r.cells[k];
    if (text === '') throw new DataError('data.missing', { line: r.line, ...column(k) });
    return text;
  };
  const number = (r, k) => {
    const v = parseNumber(cell(r, k), table.decimalComma);
    if (v === null) throw new DataError('data.notNumber', { line: r.line, ...column(k), text: cell(r, k).slice(0, 40) });
    return v;
  };
  const xs = body.map((r) => number(r, choice.x));
  const ys = body.map((r) => number(r, choice.y));
  const texts = body.map((r) => cell(r, choice.label));
  const numbers = texts.map((s) => parseNumber(s, table.decimalComma));
  let kind = choice.kind;
  if (kind === 'auto') {
    const whole = numbers.every((v) => v !== null && Number.isInteger(v));
    kind = numbers.some((v) => v === null) || (whole && new Set(numbers).size <= MAX_CLASSES) ? 'classes' : 'values';
  }
  const axes = {};
  for (const [axis, values, k] of [['x', xs, choice.x], ['y', ys, choice.y]]) {
    const { flat, ...scale } = scaleOf(values, choice.scaling, names[k]);
    if (flat) throw new DataError('data.constant', column(k));
    axes[axis] = scale;
  }
  const points = [];
  xs.forEach((x, i) => points.push(onGrid(axes.x.a * x + axes.x.b), onGrid(axes.y.a * ys[i] + axes.y.b)));
  const base = { source: 'file', name: choice.name ?? '', points, test: dealSplit(body.length, choice.ratio, choice.seed), axes, recipe: null };
  if (kind === 'values') {
    const values = body.map((r, i) => {
      if (numbers[i] === null) throw new DataError('data.notNumber', { line: r.line, ...column(choice.label), text: texts[i].slice(0, 40) });
      return numbers[i];
    });
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    if (!(hi > lo)) throw new DataError('data.constant', column(choice.label));
    const labels = values.map((v) => onValueGrid(-1 + (2 * (v - lo)) / (hi - lo)));
    return { ...base, classes: 0, classNames: null, labels, value: { name: names[choice.label], lo, hi } };
  }
  // Classes: numbers in increasing order, text in order of first appearance.
  const numeric = numbers.every((v) => v !== null);
  const keys = numeric ? numbers : texts;
  const order = [...new Set(keys)];
  if (numeric) order.sort((a, b) => a - b);
  if (order.length > MAX_CLASSES) {
    const seen = new Set();
    const i = keys.findIndex((k) => { seen.add(k); return seen.size > MAX_CLASSES; });
    throw new DataError('data.tooManyClasses', { line: body[i].line, ...column(choice.label), text: texts[i].slice(0, 40), max: MAX_CLASSES });
  }
  if (order.length < 2) throw new DataError('data.oneClass');
  const index = new Map(order.map((k, n) => [k, n]));
  const classNames = order.map((k) => (numeric ? texts[keys.indexOf(k)] : k).slice(0, 60));
  return { ...base, classes: order.length, classNames, labels: keys.map((k) => index.get(k)), value: null };
}

const significant = (v) => Number(v.toPrecision(6));

/** The data as CSV: the two inputs in their own units, the label (class name or value) and the split. */
export function csvOf(data) {
  const head = [data.axes?.x.name || 'x1', data.axes?.y.name || 'x2', data.value?.name || 'label', 'split'];
  const rows = [head];
  for (let i = 0; i < data.labels.length; i++) {
    const label = data.classes === 0 ? significant(fromTarget(data, data.labels[i])) : data.classNames?.[data.labels[i]] ?? data.labels[i];
    rows.push([
      significant(fromPlane(data, 'x', data.points[2 * i])),
      significant(fromPlane(data, 'y', data.points[2 * i + 1])),
      label,
      data.test[i] ? 'test' : 'train',
    ]);
  }
  return `${csvFormatRows(rows.map((r) => r.map(String)))}\n`;
}
