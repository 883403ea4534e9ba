// Calendar descriptions are HTML from Google and Outlook, written by
// whoever sent the invitation: only text formatting and links survive, and
// links open elsewhere.
import DOMPurify from "dompurify";

export function safeHTML(html: string): string {
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS: ["a", "b", "strong", "i", "em", "u", "p", "br", "ul", "ol", "li", "span", "div", "code", "pre", "blockquote"],
    ALLOWED_ATTR: ["href", "title"],
    ALLOWED_URI_REGEXP: /^(?:https?|mailto|tel):/i,
  });
}

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer nofollow");
  }
});

/** textOrHTML shows a plain-text description with its line breaks, and an
 * HTML one sanitized. */
export function description(s: string): string {
  if (/<[a-z][\s\S]*>/i.test(s)) return safeHTML(s);
  const esc = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return esc.replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}" target="_blank" rel="noopener noreferrer nofollow">${u}</a>`).replace(/\n/g, "<br>");
}
