// The CLI's conventions: --help on every command (exit 0, with an example), usage errors (exit 2,
// ERR_INVALID_ARGUMENT on stderr, no stack trace), --version, no colour without a TTY / with NO_COLOR.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { ANSI, CLI, hasStack, run } from './helpers.mjs';

const COMMANDS = ['keygen', 'jwks', 'thumbprint', 'sign', 'inspect', 'verify', 'token'];

describe('help', { concurrency: true }, () => {
  test('pkjwt --help lists every command, the exit codes and examples', async () => {
    const { code, stdout, stderr } = await run(['--help']);
    assert.equal(code, 0, stderr);
    for (const command of COMMANDS) assert.match(stdout, new RegExp(`^  ${command} `, 'm'));
    assert.match(stdout, /Exit status:/);
    for (const exit of ['0', '1', '2', '3']) assert.match(stdout, new RegExp(`^  ${exit}  `, 'm'));
    assert.match(stdout, /NO_COLOR/);
    assert.match(stdout, /Examples:\n  pkjwt /);
  });

  test('pkjwt without a command prints the help on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await run([]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /Usage: pkjwt COMMAND/);
  });

  for (const command of COMMANDS) {
    test(`pkjwt ${command} --help exits 0 with usage and an example${command === 'sign' ? ' (also -h, pkjwt help sign)' : ''}`, async () => {
      const forms = command === 'sign' ? [[command, '--help'], [command, '-h'], ['help', command]] : [[command, '--help']];
      for (const args of forms) {
        const { code, stdout, stderr } = await run(args);
        assert.equal(code, 0, `${args.join(' ')}: ${stderr}`);
        assert.equal(stderr, '');
        assert.match(stdout, new RegExp(`^Usage: pkjwt ${command} `));
        assert.match(stdout, new RegExp(`Examples:\\n(.*\\n)*  pkjwt ${command} `));
        assert.match(stdout, /--json/);
        assert.doesNotMatch(stdout, ANSI);
      }
    });
  }

  test('--help wins over otherwise invalid flags', async () => {
    const { code, stdout } = await run(['sign', '--nope', '--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: pkjwt sign/);
  });

  test('--version prints the package version', async () => {
    const { code, stdout } = await run(['--version']);
    assert.equal(code, 0);
    const { version } = JSON.parse(fs.readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
    assert.equal(stdout.trim(), version);
  });
});

describe('usage errors: exit 2, ERR_INVALID_ARGUMENT on stderr, no stack trace', { concurrency: true }, () => {
  const cases = [
    ['an unknown command', ['frobnicate']],
    ['an unknown flag', ['sign', '--frobnicate']],
    ['an unknown flag of keygen', ['keygen', '--alg', 'ES256', '--out', 'x.pem', '--size', '2']],
    ['a missing value', ['keygen', '--alg']],
    ['a missing required option', ['sign', '--client-id', 'c', '--aud', 'https://as']],
    ['an unknown alg', ['keygen', '--alg', 'HS256', '--out', 'x.pem']],
    ['--bits for a non-RSA alg', ['keygen', '--alg', 'ES256', '--bits', '2048', '--out', 'x.pem']],
    ['a non-integer lifetime', ['sign', '--key', 'k.pem', '--client-id', 'c', '--aud', 'a', '--lifetime', 'soon']],
    ['an unknown preset', ['sign', '--key', 'k.pem', '--client-id', 'c', '--aud', 'a', '--preset', 'google']],
    ['verify without --aud', ['verify', 'a.b.c', '--jwks', 'x.json']],
    ['inspect without a token', ['inspect']],
    ['a stray positional', ['keygen', 'extra', '--alg', 'ES256', '--out', 'x.pem']],
  ];
  for (const [name, args] of cases) {
    test(name, async () => {
      const { code, stdout, stderr } = await run(args);
      assert.equal(code, 2, `${args.join(' ')} -> ${code}: ${stderr}`);
      assert.equal(stdout, '');
      assert.match(stderr, /^pkjwt: ERR_INVALID_ARGUMENT: /);
      assert.ok(!hasStack(stderr), stderr);
      assert.doesNotMatch(stderr, ANSI);
    });
  }

  test('with --json the error is JSON on stderr', async () => {
    const { code, stdout, stderr } = await run(['sign', '--frobnicate', '--json']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    const { error } = JSON.parse(stderr);
    assert.equal(error.code, 'ERR_INVALID_ARGUMENT');
    assert.match(error.message, /frobnicate/);
  });

  test('an unreadable key file is an I/O error: exit 3, ERR_IO', async () => {
    const { code, stderr } = await run(['sign', '--key', '/nonexistent/key.pem', '--client-id', 'c', '--aud', 'https://as']);
    assert.equal(code, 3);
    assert.match(stderr, /^pkjwt: ERR_IO: cannot read key \/nonexistent\/key.pem: no such file/);
    assert.ok(!hasStack(stderr));
  });

  test('a file that is not a key: exit 2 with the library code', async () => {
    const { code, stderr } = await run(['jwks', new URL('../keys/README.md', import.meta.url).pathname]);
    assert.equal(code, 2);
    assert.match(stderr, /^pkjwt: ERR_JWK_INVALID: key .*README\.md: /);
    assert.ok(!hasStack(stderr));
  });
});

describe('colour', () => {
  test('no ANSI escapes when stdout is not a TTY, nor with NO_COLOR', async () => {
    const token = (await run(['sign', '--key', new URL('../keys/p256.pkcs8.pem', import.meta.url).pathname,
      '--client-id', 'c', '--aud', 'https://as', '--now', '1000'])).stdout.trim();
    for (const env of [{}, { NO_COLOR: '1' }, { FORCE_COLOR: '1' }]) {
      const inspect = await run(['inspect', token], { env });
      assert.equal(inspect.code, 1); // expired long ago
      assert.match(inspect.stdout, /FAIL/);
      assert.doesNotMatch(inspect.stdout + inspect.stderr, ANSI);
      const usage = await run(['nope'], { env });
      assert.doesNotMatch(usage.stderr, ANSI);
    }
  });
});

describe('colour on a terminal (util-linux script gives the CLI a pseudo-TTY)', () => {
  const hasScript = (() => {
    try {
      return execFileSync('script', ['--version'], { encoding: 'utf8' }).includes('util-linux');
    } catch {
      return false;
    }
  })();
  const inTty = (args, env = {}) => {
    const base = { ...process.env, ...env };
    if (!('NO_COLOR' in env)) delete base.NO_COLOR;
    const command = [process.execPath, CLI, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
    try {
      return execFileSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: base, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      return error.stdout ?? '';
    }
  };
  const token = `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from('{"iss":"c"}').toString('base64url')}.AAAA`;

  test('coloured on a TTY; plain with NO_COLOR or --json', { skip: !hasScript && 'no util-linux script' }, () => {
    assert.match(inTty(['inspect', token]), ANSI);
    assert.doesNotMatch(inTty(['inspect', token], { NO_COLOR: '1' }), ANSI);
    assert.doesNotMatch(inTty(['inspect', token, '--json']), ANSI);
  });
});
