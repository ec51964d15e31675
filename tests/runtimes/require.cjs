// Node consumer, CommonJS: Node >= 20.19 can require() the package's ESM entry (it has no
// top-level await). The required and the imported package must be the same instance (one wasm).
const pkjwt = require('pkjwt');

const results = [];
function check(name, fn) {
  try {
    fn();
    results.push({ name, ok: true, error: null });
  } catch (error) {
    results.push({ name, ok: false, error: `${error?.name}: ${error?.message}` });
  }
}

check('require("pkjwt") signs and verifies', () => {
  const key = pkjwt.generateKey('ES256');
  const token = pkjwt.createClientAssertion({ clientId: 'c', audience: 'https://as.example.com', key });
  const { payload } = pkjwt.verifyClientAssertion(token, { audience: 'https://as.example.com', keys: pkjwt.toJwks([key]) });
  if (payload.iss !== 'c') throw new Error(`iss ${payload.iss}`);
});

check('require.resolve("pkjwt") is node.js', () => {
  const resolved = require.resolve('pkjwt');
  if (!/[\\/]node_modules[\\/]pkjwt[\\/]node\.js$/.test(resolved)) throw new Error(`resolved to ${resolved}`);
});

import('pkjwt').then((esm) => {
  check('require and import give the same instance (Key classes are identical)', () => {
    if (esm.Key !== pkjwt.Key) throw new Error('two copies of the package (two wasm instances)');
    const key = esm.generateKey('EdDSA');
    const token = pkjwt.createClientAssertion({ clientId: 'c', audience: 'https://as.example.com', key });
    esm.verifyClientAssertion(token, { audience: 'https://as.example.com', keys: key });
  });
  console.log(`@@pkjwt-results ${JSON.stringify({ runtime: `node ${process.versions.node} (require)`, results })}`);
});
