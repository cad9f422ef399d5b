//! Lowercase hexadecimal, the one way bytes (hashes, keys, ids) are written as text.

/// `[0x0a, 0xff]` → `"0aff"`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn lowercase_two_digits_a_byte() {
        assert_eq!(super::hex(&[0x0a, 0xff, 0x00]), "0aff00");
        assert_eq!(super::hex(&[]), "");
    }
}
