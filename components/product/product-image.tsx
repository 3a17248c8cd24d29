import { preload as preloadImage } from 'react-dom';

type Props = {
  src: string;
  alt: string;
  width: number;
  height: number;
  className?: string;
  /** Above the fold: load it at once. */
  loading?: 'eager' | 'lazy';
  /**
   * The page's main picture (its LCP): hinted in the document head, as next/image's `preload` does, at high priority:
   * async scripts, CSS and other pictures share the first connections with it, and at an image's default (low)
   * priority it waits behind them until layout shows it is on screen. The <img> takes the hinted response; the
   * priority is on the hint only, as a product page's HTML inside its loading.tsx boundary is a few bytes under
   * React's outlining limit (README, "No skeleton swapped in after load").
   */
  preload?: boolean;
};

/**
 * A catalogue picture. The catalogue's images are SVGs, which next/image serves as they are (its optimizer skips
 * SVG), so this renders the same <img> without next/image's client runtime: 5.5 KB gzip of first-load JS on every
 * page that shows a product (scripts/size-budget.mjs). Raster product photos would want next/image back.
 * Server and client components both use it.
 */
export function ProductImage({ src, alt, width, height, className, loading = 'lazy', preload = false }: Props) {
  if (preload) preloadImage(src, { as: 'image', fetchPriority: 'high' });
  return (
    // eslint-disable-next-line @next/next/no-img-element -- the element next/image renders for an SVG (see above)
    <img
      src={src}
      alt={alt}
      width={width}
      height={height}
      decoding="async"
      loading={preload ? 'eager' : loading}
      className={className}
    />
  );
}
