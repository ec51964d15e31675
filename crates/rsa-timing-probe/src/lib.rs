//! The RSA kernel's constant-time exponentiation and inversion, and the constant-time k·G of ES256
//! signing, as a wasm module without imports, for the timing-class benchmark (bench/rsa-timing.mjs).
//! Not part of the npm package.
//!
//! Protocol: JavaScript writes the modulus, then the base, each `len` bytes big-endian, into the
//! buffer at [`input`], calls [`setup`], then for each exponent writes it (`len` bytes) at
//! [`input`] and calls [`pow`]. For k·G: a 32-byte big-endian scalar at [`input`], then [`base_x`].

use pkjwt_rsa_kernel::TimingProbe;
use std::sync::Mutex;

const CAPACITY: usize = 2048;

static INPUT: Mutex<[u8; CAPACITY]> = Mutex::new([0; CAPACITY]);
static PROBE: Mutex<Option<TimingProbe>> = Mutex::new(None);

/// The address of the input buffer in linear memory.
#[unsafe(no_mangle)]
pub extern "C" fn input() -> usize {
    INPUT.lock().map_or(0, |buffer| buffer.as_ptr() as usize)
}

/// Builds the probe from the modulus and base in the input buffer; 1 on success.
#[unsafe(no_mangle)]
pub extern "C" fn setup(len: usize) -> u32 {
    let (Ok(buffer), Ok(mut probe)) = (INPUT.lock(), PROBE.lock()) else {
        return 0;
    };
    let (Some(modulus), Some(base)) = (buffer.get(..len), buffer.get(len..2 * len)) else {
        return 0;
    };
    *probe = TimingProbe::new(modulus, base).ok();
    u32::from(probe.is_some())
}

/// Raises the base to the exponent in the input buffer `rounds` times; returns a checksum.
#[unsafe(no_mangle)]
pub extern "C" fn pow(len: usize, rounds: u32) -> u32 {
    let (Ok(buffer), Ok(probe)) = (INPUT.lock(), PROBE.lock()) else {
        return 0;
    };
    let (Some(exponent), Some(probe)) = (buffer.get(..len), probe.as_ref()) else {
        return 0;
    };
    (0..rounds).fold(0, |acc, _| acc ^ probe.pow(exponent).unwrap_or(0))
}

/// Inverts the value in the input buffer modulo the modulus `rounds` times; returns a checksum.
#[unsafe(no_mangle)]
pub extern "C" fn invert(len: usize, rounds: u32) -> u32 {
    let (Ok(buffer), Ok(probe)) = (INPUT.lock(), PROBE.lock()) else {
        return 0;
    };
    let (Some(value), Some(probe)) = (buffer.get(..len), probe.as_ref()) else {
        return 0;
    };
    (0..rounds).fold(0, |acc, _| acc ^ probe.invert(value).unwrap_or(0))
}

/// Computes x(k·G) on P-256 for the 32-byte scalar in the input buffer `rounds` times; returns a checksum.
#[unsafe(no_mangle)]
pub extern "C" fn base_x(rounds: u32) -> u32 {
    let Ok(buffer) = INPUT.lock() else {
        return 0;
    };
    let Some(k) = buffer.first_chunk::<32>() else {
        return 0;
    };
    (0..rounds).fold(0, |acc, _| {
        let x = pkjwt_ec_kernel::p256_base_x(k).unwrap_or([0; 32]);
        acc ^ u32::from_be_bytes([x[0], x[1], x[2], x[3]])
    })
}
