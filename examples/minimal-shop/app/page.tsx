import Link from 'next/link';
import { AddToCartButton } from './add-to-cart-button';
import { PRODUCT } from './product';

export default function HomePage() {
  return (
    <main>
      <h1>Minimal shop</h1>
      <h2>{PRODUCT.name}</h2>
      <p>
        {PRODUCT.price.toFixed(2)} {PRODUCT.currency}
      </p>
      <AddToCartButton />
      <p>
        <Link href="/join">Join the newsletter</Link>
      </p>
    </main>
  );
}
