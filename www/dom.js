// The DOM helpers both playground modules (app.js and ftn.js) build their pages with.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** A new element: attributes (class, text, booleans as present/absent) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child != null) node.append(child);
  return node;
}

/** Shows `text` in a status line, marked ok or bad (or neither). */
export function message(node, text, kind = '') {
  node.className = node.className.replace(/\b(ok|bad)\b/g, '').trim();
  if (kind) node.classList.add(kind);
  node.textContent = text;
}
