import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { messageTemplates } from '@/lib/cdp/engine/messages/catalog';
import { TEMPLATE_DIR } from '@/lib/cdp/engine/messages/render';
import nextConfig from '../../../next.config';
import { ROOT } from '../support/imports';

// Files read by path at run time reach .next/standalone (and serverless functions) only when next.config.ts lists
// them. A listed folder that moved matches nothing, silently: the build passes and emails fail on the server.
it('lists the folder the email templates are read from, and every template is in it', () => {
  const listed = Object.values(nextConfig.outputFileTracingIncludes ?? {})
    .flat()
    .map((glob) => path.resolve(ROOT, glob.replace(/\/\*\*\/\*$/, '')));
  expect(listed).toContain(TEMPLATE_DIR);
  const files = Object.values(messageTemplates).flatMap((t) => [t.html, t.text]);
  expect(files.filter((file) => !fs.existsSync(path.join(TEMPLATE_DIR, file)))).toEqual([]);
});
