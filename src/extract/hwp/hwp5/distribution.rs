//! Distribution documents (배포용 문서): each `ViewText/SectionN` stream starts with a
//! `DISTRIBUTE_DOC_DATA` record of 256 bytes, scrambled with MSVC's `rand()` seeded by its
//! first four bytes; unscrambled, it holds the AES-128 key (16 bytes at `4 + (seed & 0xF)`)
//! with which the rest of the stream is encrypted (ECB, no padding). The key comes from the
//! file itself, as other readers (pyhwp, hwp.js) derive it.

use super::records::{split, tag};
use aes::cipher::{generic_array::GenericArray, BlockDecrypt, KeyInit};

/// MSVC's `srand`/`rand`: the generator the scrambling uses.
struct MsvcRand(u32);

impl MsvcRand {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(214_013).wrapping_add(2_531_011);
        (self.0 >> 16) & 0x7FFF
    }
}

/// XORs bytes 4.. of the 256-byte record with the key stream; the same operation scrambles
/// and unscrambles.
pub fn unscramble(payload: &mut [u8; 256]) {
    let seed = u32::from_le_bytes([payload[0], payload[1], payload[2], payload[3]]);
    let mut rand = MsvcRand(seed);
    let mut key = 0u8;
    let mut run = 0u32;
    for (i, byte) in payload.iter_mut().enumerate() {
        if run == 0 {
            key = (rand.next() & 0xFF) as u8;
            run = (rand.next() & 0xF) + 1;
        }
        if i >= 4 {
            *byte ^= key;
        }
        run -= 1;
    }
}

/// The decrypted stream (still compressed if the file is) after the leading record.
pub fn decrypt(stream: &[u8]) -> Result<Vec<u8>, String> {
    let (records, _) = split(
        stream
            .get(..stream.len().min(4 + 256 + 4))
            .unwrap_or(stream),
    );
    let first = records
        .first()
        .filter(|r| r.tag == tag::DISTRIBUTE_DOC_DATA && r.data.len() == 256)
        .ok_or("the distribution document's key record (DISTRIBUTE_DOC_DATA) is missing")?;
    let mut payload = [0u8; 256];
    payload.copy_from_slice(first.data);
    unscramble(&mut payload);
    let offset = 4 + (payload[0] & 0xF) as usize;
    let key = GenericArray::clone_from_slice(&payload[offset..offset + 16]);
    let cipher = aes::Aes128::new(&key);
    let body = &stream[4 + 256..];
    let mut out = body.to_vec();
    // ECB without padding: a trailing partial block (none in real files) is left as is.
    for block in out.chunks_exact_mut(16) {
        cipher.decrypt_block(GenericArray::from_mut_slice(block));
    }
    Ok(out)
}

/// Encrypts `plain` as a distribution section with `seed` and `key` (generated test files).
#[cfg(test)]
pub fn encrypt(plain: &[u8], seed: u32, key: &[u8; 16]) -> Vec<u8> {
    use aes::cipher::BlockEncrypt;
    let mut payload = [0u8; 256];
    payload[..4].copy_from_slice(&seed.to_le_bytes());
    for (i, b) in payload.iter_mut().enumerate().skip(4) {
        *b = (i * 7 % 251) as u8;
    }
    let offset = 4 + (seed & 0xF) as usize;
    payload[offset..offset + 16].copy_from_slice(key);
    unscramble(&mut payload);
    let mut out = super::records::encode(tag::DISTRIBUTE_DOC_DATA, 0, &payload);
    let cipher = aes::Aes128::new(GenericArray::from_slice(key));
    let mut body = plain.to_vec();
    body.resize(plain.len().div_ceil(16) * 16, 0);
    for block in body.chunks_exact_mut(16) {
        cipher.encrypt_block(GenericArray::from_mut_slice(block));
    }
    out.extend(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_recovered_from_the_stream() {
        let plain = b"0123456789abcdef-a-section-stream".to_vec();
        let encrypted = encrypt(&plain, 0x1234_5678, b"sixteen byte key");
        assert_ne!(&encrypted[260..], &plain[..]);
        let decrypted = decrypt(&encrypted).unwrap();
        assert_eq!(&decrypted[..plain.len()], &plain[..]);
    }
}
