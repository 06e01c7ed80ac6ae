// Every string the page shows comes from these tables: t(key, params) looks a
// key up in the current language (falling back to English) and fills {name}
// placeholders. Elements in index.html carry data-i18n (text), data-i18n-label
// (aria-label) or data-i18n-title keys and are refreshed by translateTree.
import baseEn from './en.js';
import baseKo from './ko.js';
import panelsEn from './panels.en.js';
import panelsKo from './panels.ko.js';
import stepperEn from './stepper.en.js';
import stepperKo from './stepper.ko.js';

const en = { ...baseEn, ...panelsEn, ...stepperEn };
const ko = { ...baseKo, ...panelsKo, ...stepperKo };

export const LANGUAGES = { en, ko };
let current = 'en';

/** 'ko' when the browser prefers Korean to English, else 'en'. */
export function detectLanguage(preferred = []) {
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (base in LANGUAGES) return base;
  }
  return 'en';
}

export function setLanguage(lang) {
  current = lang in LANGUAGES ? lang : 'en';
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}

/** The page's language now: 'en' or 'ko'. */
export function currentLanguage() {
  return current;
}

export function has(key) {
  return key in LANGUAGES[current] || key in en;
}

export function t(key, params) {
  const text = LANGUAGES[current][key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** A setting's name as its control's label says it, without the value and the colon after it. */
export function settingLabel(name) {
  return t(`setting.${name}`, { value: '' }).replace(/[\s:：%]+$/u, '');
}

/**
 * Numbers as the page shows them: short, locale-independent digits; fixed keeps trailing zeros
 * (0.710 beside 0.722), for numbers read in a column.
 */
export function formatNumber(x, digits = 3, fixed = false) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const plain = fixed ? x.toFixed(digits) : Number(x.toFixed(digits)).toString();
  const text = abs >= 1e5 || abs < 1e-3 ? x.toExponential(2) : plain;
  return text.replace(/-/g, '−');
}

/** 28860 → "28,860": whole numbers with their thousands grouped, as the epoch counter shows them. */
export function groupDigits(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 12 → "₁₂", for indices written in running text (θ₂₁, p₂). */
export function subscript(n) {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[d]);
}

/** −12 → "⁻¹²", for powers of ten written in running text (10⁻⁴). */
export function superscript(n) {
  return String(n).replace(/[-\d]/g, (d) => (d === '-' ? '⁻' : '⁰¹²³⁴⁵⁶⁷⁸⁹'[d]));
}

/** A bound of an allowed range: whole numbers in full (a seed's 2147483647), others as formatNumber. */
export function formatBound(x, digits = 6) {
  return Number.isSafeInteger(x) ? String(x).replace(/-/g, '−') : formatNumber(x, digits);
}

export function translateTree(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
