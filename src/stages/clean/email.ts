/**
 * @fileoverview E-mail/MIME messages to text with postal-mime: headers parsed (subject, from,
 * date into meta), quoted-printable/base64 bodies and charsets decoded, the text part (or the
 * HTML part converted) kept as the body.
 */
import PostalMime from 'postal-mime';

/** Does the text start like an RFC 5322 message (a few `Name: value` header lines)? */
export function looksLikeEmail(text: string): boolean {
  const head = text.slice(0, 2048).split(/\r?\n/u);
  let headers = 0;
  for (const line of head) {
    if (line === '') break;
    if (/^[A-Za-z][A-Za-z0-9-]*:\s/u.test(line)) headers++;
    else if (!/^\s/u.test(line)) return false;
  }
  return headers >= 2 && /^(from|subject|date|to|mime-version|content-type|message-id):/imu.test(text.slice(0, 2048));
}

export interface EmailResult { text: string; html?: string; meta: Record<string, string> }

export async function parseEmail(raw: string): Promise<EmailResult> {
  const email = await PostalMime.parse(raw);
  const meta: Record<string, string> = {};
  if (email.subject) meta.email_subject = email.subject;
  if (email.from?.address) meta.email_from = email.from.address;
  if (email.date) meta.email_date = email.date;
  return { text: email.text ?? '', html: email.text ? undefined : email.html, meta };
}
