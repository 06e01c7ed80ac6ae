// Class markers: one shape per class, so classes differ by shape as well as colour.
import { CLASS_SHAPES } from '../colors.js';

/** Traces class k's marker of radius r around (x, y) on a canvas path. */
export function traceMarker(ctx, k, x, y, r) {
  switch (CLASS_SHAPES[k % CLASS_SHAPES.length]) {
    case 'square':
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      return;
    case 'triangle':
      ctx.moveTo(x, y - r * 1.15);
      ctx.lineTo(x + r * 1.05, y + r * 0.75);
      ctx.lineTo(x - r * 1.05, y + r * 0.75);
      ctx.closePath();
      return;
    case 'diamond':
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.2, y);
      ctx.lineTo(x, y + r * 1.2);
      ctx.lineTo(x - r * 1.2, y);
      ctx.closePath();
      return;
    case 'cross': {
      const a = r * 0.45, b = r * 1.15;
      ctx.moveTo(x - a, y - b);
      ctx.lineTo(x + a, y - b);
      ctx.lineTo(x + a, y - a);
      ctx.lineTo(x + b, y - a);
      ctx.lineTo(x + b, y + a);
      ctx.lineTo(x + a, y + a);
      ctx.lineTo(x + a, y + b);
      ctx.lineTo(x - a, y + b);
      ctx.lineTo(x - a, y + a);
      ctx.lineTo(x - b, y + a);
      ctx.lineTo(x - b, y - a);
      ctx.lineTo(x - a, y - a);
      ctx.closePath();
      return;
    }
    default:
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

/** The same marker as an SVG path d, centred on (x, y). */
export function markerPath(k, x, y, r) {
  if (CLASS_SHAPES[k % CLASS_SHAPES.length] === 'circle') {
    return `M${x - r} ${y}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`;
  }
  const parts = [];
  const pen = {
    moveTo: (a, b) => parts.push(`M${a.toFixed(2)} ${b.toFixed(2)}`),
    lineTo: (a, b) => parts.push(`L${a.toFixed(2)} ${b.toFixed(2)}`),
    closePath: () => parts.push('Z'),
    rect: (a, b, w, hgt) => parts.push(`M${a.toFixed(2)} ${b.toFixed(2)}h${w.toFixed(2)}v${hgt.toFixed(2)}h${(-w).toFixed(2)}Z`),
  };
  traceMarker(pen, k, x, y, r);
  return parts.join('');
}
