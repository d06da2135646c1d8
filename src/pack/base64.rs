//! Standard base64 (RFC 4648, with padding) for the compiled section of a pack: a few lines
//! here rather than a crate in the page (measured in docs/packs.md).

#[cfg(feature = "authoring")]
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn sextet(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// Decodes padded base64; `Err` is the 0-based position of the first bad character.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, usize> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return Err(bytes.len());
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (q, chunk) in bytes.chunks(4).enumerate() {
        let last = (q + 1) * 4 == bytes.len();
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return Err(q * 4 + 4 - pad);
        }
        let mut n = 0u32;
        for (i, &c) in chunk[..4 - pad].iter().enumerate() {
            n |= sextet(c).ok_or(q * 4 + i)? << (18 - 6 * i);
        }
        let got = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&got[..3 - pad]);
    }
    Ok(out)
}

/// Encodes with padding.
#[cfg(feature = "authoring")]
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        for (raw, enc) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"\xff\xfe\x00", "//4A"),
        ] {
            assert_eq!(decode(enc).unwrap(), raw, "{enc}");
        }
        assert_eq!(decode("Zm9v!A=="), Err(4));
        assert_eq!(decode("Zm9"), Err(3));
        assert_eq!(decode("Zg==Zg=="), Err(2));
    }

    #[cfg(feature = "authoring")]
    #[test]
    fn round_trip() {
        let bytes: Vec<u8> = (0..=255u8).chain([0, 1, 2]).collect();
        for n in 0..bytes.len() {
            assert_eq!(decode(&encode(&bytes[..n])).unwrap(), &bytes[..n]);
        }
    }
}
