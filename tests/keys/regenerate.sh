#!/usr/bin/env bash
# Re-creates every generated file in tests/keys/ (TEST-ONLY keys, never use them elsewhere).
# Needs: openssl (3.x; made with OpenSSL 3.0.19) and node (>= 20; made with v20.20.2).
# Usage: bash tests/keys/regenerate.sh     (from anywhere)
set -euo pipefail
cd "$(dirname "$0")"

# Remove previous output; keep README.md, regenerate.sh and derive.mjs.
rm -f ./*.pem ./*.der certs.json thumbprints.json
rm -rf jwk

CN="/CN=pkjwt-test"
DAYS=3650

# ---------------------------------------------------------------- RSA 2048 (full set)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.pkcs8.pem
openssl pkey -in rsa2048.pkcs8.pem -traditional -out rsa2048.pkcs1.pem          # BEGIN RSA PRIVATE KEY
openssl pkey -in rsa2048.pkcs8.pem -pubout -out rsa2048.spki.pem                # BEGIN PUBLIC KEY
openssl pkcs8 -topk8 -nocrypt -in rsa2048.pkcs8.pem -outform DER -out rsa2048.pkcs8.der
openssl pkey -in rsa2048.pkcs8.pem -pubout -outform DER -out rsa2048.spki.der
openssl rsa -in rsa2048.pkcs8.pem -RSAPublicKey_out -out rsa2048.pkcs1-pub.pem  # BEGIN RSA PUBLIC KEY
openssl req -new -x509 -key rsa2048.pkcs8.pem -sha256 -subj "$CN" -days "$DAYS" -out rsa2048.cert.pem

# ---------------------------------------------------------------- RSA 3072 / 4096
for bits in 3072 4096; do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits -out rsa$bits.pkcs8.pem
  openssl pkey -in rsa$bits.pkcs8.pem -pubout -out rsa$bits.spki.pem
done

# ---------------------------------------------------------------- RSA 1024 (too small: must be REJECTED)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.pkcs8.pem
openssl pkey -in rsa1024.pkcs8.pem -pubout -out rsa1024.spki.pem

# ---------------------------------------------------------------- RSA 2048, e = 3 (exponent policy test)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_pubexp:3 -out rsa2048-e3.pkcs8.pem
openssl pkey -in rsa2048-e3.pkcs8.pem -pubout -out rsa2048-e3.spki.pem

# ---------------------------------------------------------------- P-256 / P-384 (full set)
for c in 256 384; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-$c -pkeyopt ec_param_enc:named_curve -out p$c.pkcs8.pem
  openssl pkey -in p$c.pkcs8.pem -traditional -out p$c.sec1.pem                 # BEGIN EC PRIVATE KEY
  openssl pkey -in p$c.pkcs8.pem -pubout -out p$c.spki.pem
  openssl pkcs8 -topk8 -nocrypt -in p$c.pkcs8.pem -outform DER -out p$c.pkcs8.der
  openssl pkey -in p$c.pkcs8.pem -pubout -outform DER -out p$c.spki.der
  openssl req -new -x509 -key p$c.pkcs8.pem -sha$c -subj "$CN" -days "$DAYS" -out p$c.cert.pem
done

# ---------------------------------------------------------------- Ed25519
openssl genpkey -algorithm ED25519 -out ed25519.pkcs8.pem
openssl pkey -in ed25519.pkcs8.pem -pubout -out ed25519.spki.pem
openssl pkcs8 -topk8 -nocrypt -in ed25519.pkcs8.pem -outform DER -out ed25519.pkcs8.der
openssl pkey -in ed25519.pkcs8.pem -pubout -outform DER -out ed25519.spki.der
openssl req -new -x509 -key ed25519.pkcs8.pem -subj "$CN" -days "$DAYS" -out ed25519.cert.pem   # no digest option: Ed25519 is pure

# ---------------------------------------------------------------- unsupported curves (must be refused cleanly)
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -pkeyopt ec_param_enc:named_curve -out p521.pkcs8.pem
openssl pkey -in p521.pkcs8.pem -pubout -out p521.spki.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -pkeyopt ec_param_enc:named_curve -out secp256k1.pkcs8.pem
openssl pkey -in secp256k1.pkcs8.pem -pubout -out secp256k1.spki.pem

# ---------------------------------------------------------------- certs.json: x5t / x5t#S256
# x5t      = base64url(SHA-1(certificate DER)), no padding   (RFC 7515 4.1.7)
# x5t#S256 = base64url(SHA-256(certificate DER)), no padding (RFC 7515 4.1.8)
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
x5t() { openssl x509 -in "$1" -outform DER | openssl dgst -"$2" -binary | b64url; }
{
  echo "{"
  sep=""
  for cert in rsa2048.cert.pem p256.cert.pem p384.cert.pem ed25519.cert.pem; do
    printf '%s  "%s": { "x5t": "%s", "x5t#S256": "%s" }' "$sep" "$cert" "$(x5t "$cert" sha1)" "$(x5t "$cert" sha256)"
    sep=$',\n'
  done
  printf '\n}\n'
} > certs.json

# ---------------------------------------------------------------- JWKs and RFC 7638 thumbprints (node:crypto)
node derive.mjs

echo "tests/keys regenerated."
