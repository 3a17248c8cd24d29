import { emailPreviewContentSecurityPolicy } from '@/lib/common/security-headers';

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * The srcdoc of the console's email preview: the message's HTML under its own Content-Security-Policy (images
 * only from `imageOrigins`, no scripts, nothing fetched), with links opening in a new tab. The policy goes first
 * in <head> so it governs everything after it; a message without <head> gets one.
 */
export function previewDocument(html: string, imageOrigins: readonly string[]): string {
  const policy = escapeAttribute(emailPreviewContentSecurityPolicy(imageOrigins));
  const head = `<meta http-equiv="Content-Security-Policy" content="${policy}"><base target="_blank">`;
  return /<head(\s[^>]*)?>/i.test(html)
    ? html.replace(/<head(\s[^>]*)?>/i, (tag) => `${tag}${head}`)
    : `<!doctype html><html><head>${head}</head><body>${html}</body></html>`;
}
