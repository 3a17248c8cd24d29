// Draws the product images in public/products/<handle>.svg. Run: node scripts/generate-product-images.mjs
// The SVGs are committed; this script only exists so they can be regenerated consistently.
import fs from 'node:fs';
import path from 'node:path';

/** handle → container shape, label colour and the short name printed on the label. */
const images = {
  'gentle-gel-cleanser': { shape: 'pump', color: '#7fb7be', label: 'Gel Cleanser' },
  'oat-milk-cleanser': { shape: 'tube', color: '#d9b48f', label: 'Oat Milk' },
  'clarifying-foam-cleanser': { shape: 'pump', color: '#6a9f7b', label: 'BHA Foam' },
  'melting-cleansing-balm': { shape: 'jar', color: '#e3a587', label: 'Balm' },
  'niacinamide-serum': { shape: 'dropper', color: '#8a9fd1', label: 'Niacinamide' },
  'hyaluronic-serum': { shape: 'dropper', color: '#6fb3d9', label: 'Hyaluronic' },
  'vitamin-c-serum': { shape: 'dropper', color: '#e9a23b', label: 'Vitamin C' },
  'ceramide-serum': { shape: 'dropper', color: '#c58fb0', label: 'Ceramide' },
  'centella-calming-serum': { shape: 'dropper', color: '#7fae8e', label: 'Centella' },
  'barrier-repair-cream': { shape: 'jar', color: '#b98ac9', label: 'Barrier' },
  'oil-free-gel-moisturiser': { shape: 'tube', color: '#63b8a7', label: 'Gel Cream' },
  'rich-night-cream': { shape: 'jar', color: '#5c6aa8', label: 'Night' },
  'daily-mineral-spf': { shape: 'tube', color: '#f0b65a', label: 'SPF 30' },
  'barrier-repair-ritual': {
    shape: 'set',
    color: '#b98ac9',
    label: 'Barrier Ritual',
    parts: ['pump', 'dropper', 'jar'],
  },
  'clear-skin-routine': { shape: 'set', color: '#6a9f7b', label: 'Clear Skin', parts: ['pump', 'dropper', 'tube'] },
  'morning-glow-duo': { shape: 'set', color: '#e9a23b', label: 'Morning Glow', parts: ['dropper', 'tube'] },
};

const GLASS = '#fffdfa';
const INK = '#3b3330';

/** Mixes a hex colour with white: amount 0 = colour, 1 = white. */
function tint(hex, amount) {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c) => Math.round(c + (255 - c) * amount);
  return `#${[(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => mix(c).toString(16).padStart(2, '0')).join('')}`;
}

function labelText(x, y, text, size) {
  return `<text x="${x}" y="${y}" text-anchor="middle" font-family="ui-sans-serif, system-ui, sans-serif" font-size="${size}" font-weight="600" fill="${INK}" letter-spacing="0.5">${text}</text>`;
}

/** Each shape is drawn centred on cx with its base on y=330, at scale s (1 = hero size). */
const shapes = {
  pump: (cx, s, color, label) => `
    <g transform="translate(${cx} 330) scale(${s})">
      <rect x="-12" y="-232" width="24" height="30" rx="4" fill="${INK}"/>
      <rect x="-12" y="-236" width="52" height="12" rx="5" fill="${INK}"/>
      <rect x="-22" y="-206" width="44" height="26" rx="6" fill="${tint(color, 0.2)}"/>
      <rect x="-58" y="-184" width="116" height="184" rx="26" fill="${GLASS}" stroke="${tint(color, 0.5)}" stroke-width="3"/>
      <rect x="-58" y="-130" width="116" height="86" fill="${color}"/>
      ${label ? labelText(0, -96, 'GLOWLAB', 10) + labelText(0, -72, label, 13) : ''}
    </g>`,
  dropper: (cx, s, color, label) => `
    <g transform="translate(${cx} 330) scale(${s})">
      <rect x="-13" y="-226" width="26" height="44" rx="13" fill="${INK}"/>
      <rect x="-24" y="-186" width="48" height="30" rx="5" fill="${tint(color, 0.15)}"/>
      <rect x="-56" y="-158" width="112" height="158" rx="22" fill="${tint(color, 0.55)}" stroke="${tint(color, 0.3)}" stroke-width="3"/>
      <rect x="-56" y="-112" width="112" height="70" fill="${GLASS}" opacity="0.92"/>
      ${label ? labelText(0, -84, 'GLOWLAB', 10) + labelText(0, -60, label, 13) : ''}
    </g>`,
  tube: (cx, s, color, label) => `
    <g transform="translate(${cx} 330) scale(${s})">
      <path d="M-52 -222 H52 L44 -40 H-44 Z" fill="${GLASS}" stroke="${tint(color, 0.45)}" stroke-width="3" stroke-linejoin="round"/>
      <rect x="-54" y="-232" width="108" height="14" rx="3" fill="${tint(color, 0.35)}"/>
      <path d="M-49 -170 H49 L46 -100 H-46 Z" fill="${color}"/>
      <rect x="-34" y="-40" width="68" height="40" rx="8" fill="${INK}"/>
      ${label ? labelText(0, -140, 'GLOWLAB', 10) + labelText(0, -116, label, 13) : ''}
    </g>`,
  jar: (cx, s, color, label) => `
    <g transform="translate(${cx} 330) scale(${s})">
      <rect x="-78" y="-150" width="156" height="42" rx="10" fill="${INK}"/>
      <rect x="-84" y="-112" width="168" height="112" rx="28" fill="${GLASS}" stroke="${tint(color, 0.45)}" stroke-width="3"/>
      <rect x="-84" y="-84" width="168" height="56" fill="${color}"/>
      ${label ? labelText(0, -60, 'GLOWLAB', 10) + labelText(0, -38, label, 13) : ''}
    </g>`,
};

function productSvg({ shape, color, label, parts }) {
  const body =
    shape === 'set'
      ? parts.map((part, i) => shapes[part](200 + (i - (parts.length - 1) / 2) * 112, 0.72, color, '')).join('') +
        `<rect x="110" y="342" width="180" height="30" rx="15" fill="${GLASS}"/>${labelText(200, 362, label, 14)}`
      : shapes[shape](200, 1, color, label);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" role="img">
  <rect width="400" height="400" fill="${tint(color, 0.82)}"/>
  <ellipse cx="200" cy="332" rx="150" ry="14" fill="${tint(color, 0.6)}"/>${body}
</svg>
`;
}

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'public', 'products');
fs.mkdirSync(dir, { recursive: true });
for (const [handle, spec] of Object.entries(images)) {
  fs.writeFileSync(path.join(dir, `${handle}.svg`), productSvg(spec));
}
console.log(`wrote ${Object.keys(images).length} images to ${dir}`);
