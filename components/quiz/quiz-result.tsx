'use client';

import { Link } from '@/components/layout/link';
import type { Ref } from 'react';
import { AddToCartButton } from '@/components/cart/add-to-cart-button';
import type { Quiz, SkinType } from '@/lib/shop/domain/catalog';
import { formatMoney } from '@/lib/shop/domain/money';
import type { Recommendation } from '@/lib/shop/domain/quiz-scoring';
import { RoutineEmailForm } from './routine-email-form';
import { ProductImage } from '@/components/product/product-image';

type Props = {
  /** The result's id (the routine email form sends it; the server reads the rest from the catalogue). */
  type: SkinType;
  result: Quiz['results'][SkinType];
  recommendations: Recommendation[];
  headingRef: Ref<HTMLHeadingElement>;
  onRestart(): void;
};

export function QuizResult({ type, result, recommendations, headingRef, onRestart }: Props) {
  const routine = recommendations.map(({ variant }) => ({ sku: variant.sku, variantId: variant.id, quantity: 1 }));
  const routineCents = recommendations.reduce((sum, { variant }) => sum + variant.priceCents, 0);
  return (
    <div className="flex flex-col gap-8">
      <div>
        <p className="text-sm font-semibold tracking-widest text-brand uppercase">Your result</p>
        <h2 ref={headingRef} tabIndex={-1} className="mt-2 text-3xl font-semibold tracking-tight focus:outline-none">
          Your skin type: {result.title}
        </h2>
        <p className="mt-3 max-w-2xl text-stone-600">{result.summary}</p>
      </div>

      <section aria-labelledby="routine-heading">
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
          <div>
            <h3 id="routine-heading" className="text-lg font-semibold">
              Your routine
            </h3>
            <p className="mt-1 text-sm text-stone-600">
              {recommendations.length} steps, {formatMoney(routineCents)} in all.
            </p>
          </div>
          <AddToCartButton lines={routine} className="btn-primary w-full sm:w-auto">
            Add the whole routine to cart
          </AddToCartButton>
        </div>
        <ol aria-label="Recommended products" className="mt-4 grid gap-5 sm:grid-cols-2 lg:grid-cols-3">
          {recommendations.map(({ product, variant }, i) => (
            <li key={variant.sku} className="flex flex-col rounded-2xl bg-white p-4">
              <ProductImage
                src={product.image}
                alt=""
                width={300}
                height={300}
                className="aspect-square w-full rounded-xl"
              />
              <p className="mt-3 text-xs font-medium tracking-wider text-stone-500 uppercase">
                Step {i + 1} · {product.category}
              </p>
              <h4 className="mt-1 font-medium">
                <Link href={`/products/${product.handle}?variant=${variant.id}`} className="hover:underline">
                  {product.name}
                </Link>
              </h4>
              <p className="text-sm text-stone-600">
                {variant.name} · {formatMoney(variant.priceCents)}
              </p>
              <div className="mt-4">
                <AddToCartButton
                  lines={[{ sku: variant.sku, variantId: variant.id, quantity: 1 }]}
                  itemName={`${product.name}, ${variant.name}`}
                  className="btn-primary w-full"
                />
              </div>
            </li>
          ))}
        </ol>
      </section>

      <RoutineEmailForm result={type} />

      <div>
        <button type="button" onClick={onRestart} className="btn-secondary">
          Retake the quiz
        </button>
      </div>
    </div>
  );
}
