import Link from 'next/link';
import { notFound } from 'next/navigation';
import { MessagePreview } from '@/components/ops/message-preview';
import { PageHeader } from '@/components/ops/page-header';
import { TimeStamp } from '@/components/ops/time-stamp';
import { getOutboxMessage, openConsole } from '@/lib/cdp';
import { storedIdParam } from '@/lib/common/http';
import { env } from '@/lib/env';

export const metadata = { title: 'Message · Ops console' };

export default async function OpsMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const db = await openConsole();
  const id = storedIdParam((await params).id);
  const message = id === null ? undefined : await getOutboxMessage(db, id);
  if (!message) notFound();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/ops/outbox" className="text-stone-600 underline underline-offset-2">
          Outbox
        </Link>
      </p>
      <PageHeader title={message.subject}>
        To {message.to} (
        <Link href={`/ops/people/${encodeURIComponent(message.person_id)}`} className="underline underline-offset-2">
          timeline
        </Link>
        ) · <span className="font-mono">{message.journey_id}</span> · <TimeStamp iso={message.created_at} />
        {message.restore_url ? (
          <>
            {' '}
            ·{' '}
            <a href={message.restore_url} className="underline underline-offset-2">
              restore link
            </a>
          </>
        ) : null}
      </PageHeader>
      <MessagePreview message={message} imageOrigins={[new URL(env().appUrl).origin]} />
    </>
  );
}
