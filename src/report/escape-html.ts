/**
 * Text from the data (class values, column and file names) as HTML text or attribute values: the five
 * characters HTML gives meaning to become references, and control characters are shown as escapes (as the
 * terminal shows them), so that a label `<img src=x onerror=alert(1)>` is shown, never run.
 */
import { escapeText } from '../text/escape-text.js';

const REFERENCES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return escapeText(text).replace(/[&<>"']/g, (c) => REFERENCES[c] as string);
}
