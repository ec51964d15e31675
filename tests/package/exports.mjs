// Asserts the runtime exports of the package (by name, through its "exports" map, on Node) match
// what pkg/index.d.ts declares: the same value exports, and every declared member of the Key and
// ReplayCache classes present on the wasm-bindgen prototypes. Also asserts that `require('pkjwt')`
// works (Node >= 20.19 require(esm): node.js has no top-level await) and yields the same module,
// which is why attw runs with the esm-only profile (see scripts/test-package.sh).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const dts = fileURLToPath(new URL('../../pkg/index.d.ts', import.meta.url));
const program = ts.createProgram([dts], { noEmit: true, strict: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] });
const checker = program.getTypeChecker();
const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(dts));
const declared = checker.getExportsOfModule(moduleSymbol);
const valueExports = declared.filter((symbol) => symbol.flags & ts.SymbolFlags.Value).map((symbol) => symbol.name).sort();

const problems = [];
const pkjwt = await import('pkjwt');
const runtimeExports = Object.keys(pkjwt).sort();
for (const name of valueExports) if (!(name in pkjwt)) problems.push(`index.d.ts declares ${name}, but import('pkjwt') has no such export`);
for (const name of runtimeExports) if (!valueExports.includes(name)) problems.push(`import('pkjwt') exports ${name}, which index.d.ts does not declare`);

for (const className of ['Key', 'ReplayCache']) {
  const symbol = declared.find((candidate) => candidate.name === className);
  const runtime = pkjwt[className];
  if (!symbol || typeof runtime !== 'function') continue;
  const instanceType = checker.getDeclaredTypeOfSymbol(symbol);
  for (const member of checker.getPropertiesOfType(instanceType)) {
    if (!(member.name in runtime.prototype)) problems.push(`index.d.ts declares ${className}.${member.name}, missing from the runtime ${className}.prototype`);
  }
}

const require = createRequire(import.meta.url);
try {
  const required = require('pkjwt');
  if (required.createClientAssertion !== pkjwt.createClientAssertion) problems.push("require('pkjwt') gave another module instance than import('pkjwt')");
} catch (error) {
  problems.push(`require('pkjwt') failed on Node ${process.versions.node}: ${error.code ?? ''} ${error.message}`);
}

if (problems.length > 0) {
  console.error('exports: the runtime package and pkg/index.d.ts disagree:');
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`exports: ${valueExports.length} value exports match index.d.ts (${valueExports.join(', ')}); require('pkjwt') works on Node ${process.versions.node}`);
