// What the page says about an error from the engine: a sentence in the page's
// language for each LabError code (error.<code> in both string tables), with
// the field at fault when the engine names one. The engine's own message is
// English; the page shows it only as a separate, labelled detail.
import { has, t } from './i18n/index.js';

/** " (optimizer.lr)": the field at fault as the config spells it, or '' when the engine named none. */
export function fieldNote(field) {
  return field ? ` (${field})` : '';
}

/** The translated sentence for an error: by its code for a LabError, else the generic one. */
export function errorText(err, params = {}) {
  const code = err?.code;
  if (code && has(`error.${code}`)) return t(`error.${code}`, { where: fieldNote(err.field), message: err.message ?? '', ...params });
  return t('error.generic', { message: err?.message ?? String(err) });
}

/** The engine's own words, labelled as such, or null when there are none worth adding. */
export function errorDetail(err) {
  const message = err?.message;
  return err?.code && message ? t('error.detail', { message }) : null;
}
