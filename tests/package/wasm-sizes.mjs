// Size breakdown of a .wasm: bytes per section and the largest function bodies, named from the
// module's "name" section (present in an un-stripped build: wasm-pack's output before
// scripts/build-wasm.sh runs wasm-opt, or `wasm-opt -Oz -g` to keep names after optimising).
// A tool for whoever shrinks the module; not part of the test run.
//
// Usage: node tests/package/wasm-sizes.mjs path/to/module.wasm [top=20] [--crates] [--map=linker.map]
//   --crates also sums function bytes by the crate (first path segment) of each demangled name.
//   --map attributes the data section (tables, constants, strings) to named symbols and crates, from
//   the map wasm-ld writes for the un-optimised module, e.g.
//     cargo rustc --release --target wasm32-unknown-unknown --lib --crate-type cdylib -- -C link-arg=--Map=/tmp/pkjwt.map
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((arg) => !arg.startsWith('--') && !/^\d+$/.test(arg));
const mapFile = args.find((arg) => arg.startsWith('--map='))?.slice('--map='.length);
const top = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 20);
if (!file) {
  console.error('usage: node tests/package/wasm-sizes.mjs module.wasm [top] [--crates]');
  process.exit(2);
}
const bytes = readFileSync(file);

let pos = 8;
function u32() {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7;
  }
}
function name() {
  const length = u32();
  const text = bytes.toString('utf8', pos, pos + length);
  pos += length;
  return text;
}

const SECTIONS = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'];
const sections = [];
let importedFunctions = 0;
const bodies = [];
const names = new Map();
let dataRange;
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = u32();
  const start = pos;
  const end = pos + size;
  let label = SECTIONS[id] ?? `id ${id}`;
  if (id === 0) {
    const customName = name();
    label = `custom "${customName}"`;
    if (customName === 'name') {
      while (pos < end) {
        const sub = bytes[pos++];
        const subSize = u32();
        const subEnd = pos + subSize;
        if (sub === 1) {
          for (let count = u32(); count > 0; count--) {
            const index = u32();
            names.set(index, name());
          }
        }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    for (let count = u32(); count > 0; count--) {
      name();
      name();
      const kind = bytes[pos++];
      if (kind === 0) { importedFunctions++; u32(); }
      else if (kind === 1) { pos++; const flags = u32(); u32(); if (flags & 1) u32(); }
      else if (kind === 2) { const flags = u32(); u32(); if (flags & 1) u32(); }
      else if (kind === 3) { pos += 2; }
      else if (kind === 4) { pos++; u32(); }
    }
  } else if (id === 11) {
    dataRange = [start, end];
  } else if (id === 10) {
    for (let count = u32(), index = 0; index < count; index++) {
      const bodySize = u32();
      bodies.push({ index: importedFunctions + index, size: bodySize });
      pos += bodySize;
    }
  }
  sections.push({ label, size: end - start });
  pos = end;
}

function demangle(symbol) {
  // wasm-ld writes demangled names with the legacy hash (::h0123...) and crate disambiguators.
  const legacy = /^_ZN((?:\d+[^\d][^]*?)*)E$/.exec(symbol);
  if (!legacy) return symbol.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '');
  const parts = [];
  let rest = legacy[1];
  while (rest.length > 0) {
    const match = /^(\d+)/.exec(rest);
    if (!match) break;
    const length = Number(match[1]);
    parts.push(rest.slice(match[1].length, match[1].length + length));
    rest = rest.slice(match[1].length + length);
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1) ?? '')) parts.pop();
  return parts.join('::')
    .replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ').replace(/\$u27\$/g, "'")
    .replace(/\$RF\$/g, '&').replace(/\$BP\$/g, '*').replace(/\$C\$/g, ',').replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}')
    .replace(/\$u5b\$/g, '[').replace(/\$u5d\$/g, ']').replace(/\$u3b\$/g, ';').replace(/\.\./g, '::');
}

// Percentages are of the module without its name section, i.e. of what ships after stripping.
const nameSection = sections.find((section) => section.label === 'custom "name"')?.size ?? 0;
const total = bytes.length - nameSection;
const pct = (n) => `${((n / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${bytes.length} bytes${nameSection ? ` (${total} without the name section; percentages are of that)` : ''}, `
  + `${bodies.length} functions (+${importedFunctions} imported), ${names.size} named`);
console.log('\nsections:');
for (const section of [...sections].sort((a, b) => b.size - a.size)) {
  console.log(`  ${String(section.size).padStart(9)} ${pct(section.size)}  ${section.label}`);
}
if (dataRange) {
  // Printable runs of 6+ bytes in the data section: error messages, names, and panic locations
  // (source paths of std and the crates in the cargo registry).
  let strings = 0;
  let paths = 0;
  let run = 0;
  let runStart = 0;
  for (let index = dataRange[0]; index <= dataRange[1]; index++) {
    const byte = index < dataRange[1] ? bytes[index] : 0;
    if (byte >= 0x20 && byte < 0x7f) {
      if (run === 0) runStart = index;
      run++;
      continue;
    }
    if (run >= 6) {
      strings += run;
      const text = bytes.toString('latin1', runStart, index);
      for (const match of text.matchAll(/(?:\/rustc\/|\/\.cargo\/registry\/|src\/)[^\s]*?\.rs/g)) paths += match[0].length;
    }
    run = 0;
  }
  const dataSize = dataRange[1] - dataRange[0];
  console.log(`\ndata section: ${dataSize} bytes; ${strings} in printable strings of 6+ bytes `
    + `(${paths} of them source paths of panic locations), ${dataSize - strings} other (tables, constants, short strings)`);
}

const codeBytes = bodies.reduce((sum, body) => sum + body.size, 0);
console.log(`\ntop ${top} function bodies (of ${codeBytes} code bytes):`);
for (const body of [...bodies].sort((a, b) => b.size - a.size).slice(0, top)) {
  const label = names.has(body.index) ? demangle(names.get(body.index)) : `func[${body.index}]`;
  console.log(`  ${String(body.size).padStart(9)} ${pct(body.size)}  ${label.length > 150 ? `${label.slice(0, 147)}...` : label}`);
}

if (args.includes('--crates') && names.size > 0) {
  const byCrate = new Map();
  for (const body of bodies) {
    const label = demangle(names.get(body.index) ?? '?');
    const crate = !label.includes('::') && / shim$|^[a-z][A-Za-z0-9]*_[A-Za-z0-9_]+$|^[a-z]+[A-Z][A-Za-z0-9]*$/.test(label)
      ? '(wasm-bindgen exports and shims, with Rust inlined into them)'
      : /^<?(?:&(?:mut )?)?([A-Za-z_][A-Za-z0-9_]*)/.exec(label)?.[1] ?? '?';
    byCrate.set(crate, (byCrate.get(crate) ?? 0) + body.size);
  }
  console.log('\nfunction bytes by crate of the (first) path in the name (generics are attributed to the caller or the impl type):');
  for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`  ${String(size).padStart(9)} ${pct(size)}  ${crate}`);
  }
}

if (mapFile) {
  // wasm-ld map lines: Addr Off Size Out In Symbol; a data symbol is a 4-column line after "DATA".
  const lines = readFileSync(mapFile, 'utf8').split('\n');
  const symbols = [];
  let inData = false;
  for (const line of lines) {
    const columns = line.trim().split(/\s+/);
    if (columns.length === 4 && columns[3] === 'DATA') { inData = true; continue; }
    if (!inData || columns.length !== 4 || !/^[0-9a-f]+$/.test(columns[0]) || columns[3].includes(':(')) continue;
    if (columns[3].startsWith('.')) {
      if (!columns[3].startsWith('.L')) continue;
    }
    symbols.push({ name: columns[3], size: parseInt(columns[2], 16) });
  }
  const crateOf = (symbol) => {
    if (symbol.startsWith('.L')) return '(anonymous constants: strings, panic locations, small tables)';
    const v0 = /C[sa]?[0-9A-Za-z]*_(\d+)([A-Za-z_][A-Za-z0-9_]*)/.exec(symbol);
    if (symbol.startsWith('_R') && v0) return v0[2].slice(0, Number(v0[1]));
    const legacy = /^_ZN(\d+)/.exec(symbol);
    if (legacy) return symbol.slice(legacy[0].length, legacy[0].length + Number(legacy[1]));
    return '?';
  };
  const dataTotal = symbols.reduce((sum, symbol) => sum + symbol.size, 0);
  console.log(`\ndata symbols from ${mapFile} (${dataTotal} bytes, zero-filled statics included; wasm-opt drops their zero runs):`);
  for (const symbol of [...symbols].sort((a, b) => b.size - a.size).slice(0, top)) {
    console.log(`  ${String(symbol.size).padStart(9)}  ${symbol.name.length > 120 ? `${symbol.name.slice(0, 117)}...` : symbol.name}`);
  }
  const byCrate = new Map();
  for (const symbol of symbols) byCrate.set(crateOf(symbol.name), (byCrate.get(crateOf(symbol.name)) ?? 0) + symbol.size);
  console.log('\ndata bytes by crate:');
  for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${String(size).padStart(9)}  ${crate}`);
  }
}
