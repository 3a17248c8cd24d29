import Link from 'next/link';
import { JoinForm } from './join-form';

export default function JoinPage() {
  return (
    <main>
      <h1>Join the newsletter</h1>
      <JoinForm />
      <p>
        <Link href="/">Back to the shop</Link>
      </p>
    </main>
  );
}
