import type { OutboxMessage } from '@/lib/cdp/ops/contract';
import { previewDocument } from './preview-document';

/**
 * The rendered email as a recipient would see it. A sandboxed iframe (no scripts, no same-origin) keeps the
 * message's HTML and styles away from the console; its own Content-Security-Policy loads images only from the
 * shop's origins (`imageOrigins`), so a remote image or tracking pixel is never fetched; links open in a new tab.
 */
export function MessagePreview({ message, imageOrigins }: { message: OutboxMessage; imageOrigins: string[] }) {
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
      <iframe
        title={`Email preview: ${message.subject}`}
        srcDoc={previewDocument(message.html, imageOrigins)}
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        className="h-[44rem] w-full rounded-lg border border-stone-200 bg-white"
      />
      <details className="h-fit rounded-lg border border-stone-200 bg-white p-4 text-sm">
        <summary className="cursor-pointer font-medium">Plain-text version</summary>
        <pre className="mt-3 font-mono text-xs whitespace-pre-wrap text-stone-700">{message.text}</pre>
      </details>
    </div>
  );
}
