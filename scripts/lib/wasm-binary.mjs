// Reading and rewriting the custom sections of a .wasm, for the build's small binary edits
// (scripts/wasm-rename-functions.mjs, scripts/wasm-drop-feature.mjs).
// Format: the WebAssembly core specification, "Binary Format" (LEB128, sections, custom sections).

const text = new TextDecoder('utf-8', { fatal: true });

/** The unsigned LEB128 in `buf` at `at`: [value, next offset]. */
export function readUleb(buf, at) {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = buf[at++];
    if (byte === undefined) throw new Error('truncated LEB128');
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, at];
  }
}

/** `value` as an unsigned LEB128. */
export function uleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

/** The concatenation of `parts`, prefixed with its length. */
export function vector(parts) {
  const body = Buffer.concat(parts);
  return Buffer.concat([uleb(body.length), body]);
}

/** The UTF-8 string of `buf` from `start` to `end`, refusing invalid UTF-8. */
export function utf8At(buf, start, end) {
  return text.decode(buf.subarray(start, end));
}

/**
 * `bytes` (a whole module) with each custom section passed through `rewrite(name, payload)`,
 * where `payload` is the section's content after its name; `rewrite` returns the new payload, or
 * null to keep the section as it is. Every other section is copied unchanged.
 */
export function rewriteCustomSections(bytes, rewrite) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a .wasm');
  const sections = [bytes.subarray(0, 8)];
  let at = 8;
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at++];
    let size;
    [size, at] = readUleb(bytes, at);
    const end = at + size;
    let replaced = null;
    if (id === 0) {
      const [length, nameAt] = readUleb(bytes, at);
      const payload = rewrite(utf8At(bytes, nameAt, nameAt + length), bytes.subarray(nameAt + length, end));
      if (payload) replaced = Buffer.concat([bytes.subarray(at, nameAt + length), payload]);
    }
    sections.push(replaced ? Buffer.concat([Buffer.from([0]), vector([replaced])]) : bytes.subarray(start, end));
    at = end;
  }
  return Buffer.concat(sections);
}
