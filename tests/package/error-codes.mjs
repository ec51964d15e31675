// Asserts that the ErrorCode union of pkg/index.d.ts is exactly the set of codes pkjwt can
// produce: the "ERR_…" strings of the Rust core's src/error.rs (Error::code) plus those the
// JavaScript layer pkg/api.js, pkg/verifier.js and pkg/openid.js raise themselves (ERR_INVALID_ARGUMENT, ERR_TOKEN_REQUEST_FAILED).
// Every other ERR_ string literal in src/ (doc tests, unit tests) must also be a declared code.
// The union is read with the TypeScript compiler, not with a regex, so formatting cannot fool it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('../../', import.meta.url).pathname;
const CODE = /["'`](ERR_[A-Z0-9_]+)["'`]/g;
const codesIn = (text) => new Set([...text.matchAll(CODE)].map((match) => match[1]));

const rust = codesIn(readFileSync(join(root, 'src/error.rs'), 'utf8'));
const js = new Set(['pkg/api.js', 'pkg/errors.js', 'pkg/verifier.js', 'pkg/openid.js'].flatMap((file) => [...codesIn(readFileSync(join(root, file), 'utf8'))]));
const produced = new Set([...rust, ...js]);

function rustFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return rustFiles(path);
    return entry.name.endsWith('.rs') ? [path] : [];
  });
}
const mentioned = new Map();
for (const file of rustFiles(join(root, 'src'))) {
  for (const code of codesIn(readFileSync(file, 'utf8'))) {
    if (!mentioned.has(code)) mentioned.set(code, file.slice(root.length));
  }
}

function declaredCodes(file) {
  const program = ts.createProgram([file], { noEmit: true, strict: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const alias = source.statements.find((node) => ts.isTypeAliasDeclaration(node) && node.name.text === 'ErrorCode');
  if (!alias) throw new Error(`${file} declares no type ErrorCode`);
  const type = checker.getTypeAtLocation(alias.name);
  const members = type.isUnion() ? type.types : [type];
  const codes = new Set();
  for (const member of members) {
    if (!member.isStringLiteral()) throw new Error(`ErrorCode has a non-literal member: ${checker.typeToString(member)}`);
    codes.add(member.value);
  }
  // PkjwtError.code must be typed with it.
  const errorClass = source.statements.find((node) => ts.isClassDeclaration(node) && node.name?.text === 'PkjwtError');
  const codeMember = errorClass?.members.find((member) => member.name?.getText(source) === 'code');
  if (!codeMember || checker.typeToString(checker.getTypeAtLocation(codeMember)) !== 'ErrorCode') {
    throw new Error('PkjwtError.code is not declared as ErrorCode');
  }
  return codes;
}

const declared = declaredCodes(join(root, 'pkg/index.d.ts'));

const problems = [];
if (rust.size < 10) problems.push(`found only ${rust.size} codes in src/error.rs: has Error::code changed shape?`);
for (const code of [...produced].sort()) {
  if (!declared.has(code)) problems.push(`${code} is produced (${rust.has(code) ? 'src/error.rs' : 'pkg/api.js or pkg/verifier.js'}) but missing from ErrorCode in pkg/index.d.ts`);
}
for (const code of [...declared].sort()) {
  if (!produced.has(code)) problems.push(`${code} is declared in ErrorCode but neither src/error.rs nor the JS layer produces it`);
}
for (const [code, file] of mentioned) {
  if (!declared.has(code) && !produced.has(code)) problems.push(`${code} appears in ${file} but is not a declared ErrorCode`);
}

if (problems.length > 0) {
  console.error('error-codes: ErrorCode in pkg/index.d.ts does not match the codes pkjwt produces:');
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`error-codes: ErrorCode has the ${declared.size} codes pkjwt produces (${rust.size} from src/error.rs, ${[...js].filter((c) => !rust.has(c)).length} more from the JS layer)`);
