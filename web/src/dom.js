// Small DOM helpers. Text always goes in through textContent, never as HTML,
// so nothing that comes from the URL can become markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

/** Canvas pixels per CSS pixel: the device's, at most 3. */
export function pixelRatio() {
  return Math.min(3, window.devicePixelRatio || 1);
}

/** A canvas whose backing store follows the device pixel ratio; returns its 2D context. */
export function sizeCanvas(canvas, width, height) {
  const ratio = pixelRatio();
  const w = Math.max(1, Math.round(width * ratio));
  const hgt = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w || canvas.height !== hgt) {
    canvas.width = w;
    canvas.height = hgt;
    // Only on a change: rewriting the same style each frame would still cost a layout.
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** Whether a key press belongs to the focused control rather than to the page's shortcuts. */
export function ownsKeys(el) {
  if (!el || el === document.body) return false;
  return el.matches('input, select, textarea, button, a[href], [contenteditable], [role="button"], [role="checkbox"], [role="slider"], dialog *');
}

/**
 * Sets an element's text only when it changed, editing its text node in place: a new text node
 * (textContent =) costs a style recalculation and a layout-tree rebuild; editing the old one only
 * marks the text for layout. For numbers rewritten every frame.
 */
export function setText(el, text) {
  const node = el.firstChild;
  if (node && node === el.lastChild && node.nodeType === Node.TEXT_NODE) {
    if (node.data !== text) node.data = text;
  } else if (el.textContent !== text) {
    el.textContent = text;
  }
}
