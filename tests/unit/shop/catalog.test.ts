import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findVariant,
  findVariantBySku,
  getCollectionByHandle,
  getProductByHandle,
  getQuiz,
  listCollections,
  listFeaturedProducts,
  listProducts,
  productsInCollection,
  skinTypes,
} from '@/lib/shop/domain/catalog';
import { collections as collectionData } from '@/lib/shop/domain/catalog/collections';
import { quiz as quizData } from '@/lib/shop/domain/catalog/quiz';
import { collectionSchema, productSchema, quizSchema } from '@/lib/shop/domain/catalog/schema';

const products = listProducts();

describe('catalog', () => {
  it('loads at least 12 valid products with 1–3 variants each', () => {
    expect(products.length).toBeGreaterThanOrEqual(12);
    for (const p of products) {
      expect(productSchema.safeParse(p).success, p.handle).toBe(true);
      expect(p.variants.length).toBeGreaterThanOrEqual(1);
      expect(p.variants.length).toBeLessThanOrEqual(3);
    }
  });

  it('has collections and a quiz that match their schemas', () => {
    expect(collectionSchema.array().safeParse(collectionData).error).toBeUndefined();
    expect(quizSchema.safeParse(quizData).error).toBeUndefined();
  });

  it('has unique product ids, handles, variant ids and SKUs', () => {
    const variants = products.flatMap((p) => p.variants);
    const unique = (xs: string[]) => new Set(xs).size === xs.length;
    expect(unique(products.map((p) => p.id))).toBe(true);
    expect(unique(products.map((p) => p.handle))).toBe(true);
    expect(unique(variants.map((v) => v.id))).toBe(true);
    expect(unique(variants.map((v) => v.sku))).toBe(true);
  });

  it('ships an image in public/ for every product', () => {
    for (const p of products) {
      expect(fs.existsSync(path.join(process.cwd(), 'public', p.image)), p.image).toBe(true);
    }
  });

  it('has bundles whose parts are real single products', () => {
    const bundles = products.filter((p) => p.bundleOf);
    expect(bundles.map((b) => b.handle)).toContain('barrier-repair-ritual');
    for (const b of bundles) {
      for (const sku of b.bundleOf!) {
        const part = findVariantBySku(sku);
        expect(part, `${b.handle} → ${sku}`).toBeDefined();
        expect(part!.product.bundleOf).toBeUndefined();
      }
    }
  });

  it('looks products and variants up by handle, SKU and variant id', () => {
    const p = getProductByHandle('gentle-gel-cleanser')!;
    expect(p.name).toBe('Gentle Gel Cleanser');
    expect(findVariantBySku('GL-CLN-GEL-300')?.variant.name).toBe('300 ml');
    expect(findVariant(p, 'var_gentle_gel_cleanser_300').sku).toBe('GL-CLN-GEL-300');
    expect(findVariant(p, 'nonsense')).toBe(p.variants[0]);
    expect(getProductByHandle('nope')).toBeUndefined();
    expect(findVariantBySku('GL-NOPE')).toBeUndefined();
  });

  it('has the four storefront collections, each listing existing products', () => {
    for (const handle of ['cleansers', 'serums', 'moisturisers', 'bundles']) {
      expect(getCollectionByHandle(handle), handle).toBeDefined();
    }
    const ids = new Set(products.map((p) => p.id));
    for (const c of listCollections()) {
      for (const id of c.productIds) expect(ids.has(id), `${c.handle} → ${id}`).toBe(true);
      expect(productsInCollection(c)).toHaveLength(c.productIds.length);
    }
    expect(listFeaturedProducts().length).toBeGreaterThan(0);
  });

  it('maps every quiz result to existing SKUs and every skin type is reachable', () => {
    const quiz = getQuiz();
    expect(quiz.questions.length).toBeGreaterThanOrEqual(3);
    expect(quiz.questions.length).toBeLessThanOrEqual(5);
    for (const type of skinTypes) {
      const result = quiz.results[type];
      for (const sku of result.recommendedSkus) expect(findVariantBySku(sku), `${type} → ${sku}`).toBeDefined();
      const scored = quiz.questions.some((q) => q.options.some((o) => (o.scores[type] ?? 0) > 0));
      expect(scored, type).toBe(true);
    }
  });
});
