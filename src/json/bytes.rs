//! Finding the bytes that matter in JSON text sixteen at a time. Most of a response is
//! indentation, keys and short values: a loop that looks at each byte spends its time on
//! bytes that mean nothing to it.
//!
//! Each function gives a mask with bit `k` set when byte `k` of the chunk is one it looks for.
//! On x86-64 they use SSE2, which every x86-64 processor has; elsewhere, a loop over the
//! chunk gives the same masks (a test holds the two equal).

/// How many bytes a mask covers.
pub(crate) const CHUNK: usize = 16;

/// Whether `b` ends a run of plain string content: a quote, a backslash, a control character.
fn ends_string_run(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// Where in `bytes`, from `from` on, the first byte that ends a string's plain run is.
pub(crate) fn string_run_end(bytes: &[u8], from: usize) -> Option<usize> {
    first(bytes, from, string_stop, ends_string_run)
}

/// Where in `bytes`, from `from` on, the first byte that is not JSON whitespace is.
pub(crate) fn whitespace_end(bytes: &[u8], from: usize) -> Option<usize> {
    first(bytes, from, not_whitespace, |b| !crate::json::is_whitespace(b))
}

/// Where in `bytes`, from `from` on, the first byte that `hit` takes is: found sixteen at a
/// time by `mask`, which gives a bit for each byte that `hit` takes.
fn first(
    bytes: &[u8],
    from: usize,
    mask: fn(&[u8; CHUNK]) -> u32,
    hit: fn(u8) -> bool,
) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..)?.first_chunk::<CHUNK>() {
        match mask(chunk) {
            0 => i += CHUNK,
            found => return Some(i + found.trailing_zeros() as usize),
        }
    }
    bytes[i..].iter().position(|&b| hit(b)).map(|k| i + k)
}

/// The bytes that move the structure of JSON text: `"`, `\`, brackets, braces and commas.
pub(crate) fn structural(chunk: &[u8; CHUNK]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of x86-64 itself.
        unsafe { sse2::matching(chunk, b"\"\\[]{},") }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable::structural(chunk)
    }
}

/// The bytes that end the plain run of a string: `"`, `\` and control characters.
fn string_stop(chunk: &[u8; CHUNK]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of x86-64 itself.
        unsafe { sse2::string_stop(chunk) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable::string_stop(chunk)
    }
}

/// The bytes that are not JSON whitespace.
fn not_whitespace(chunk: &[u8; CHUNK]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of x86-64 itself.
        !unsafe { sse2::matching(chunk, b" \n\r\t") } & 0xFFFF
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable::not_whitespace(chunk)
    }
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_setzero_si128,
    };

    use super::CHUNK;

    #[target_feature(enable = "sse2")]
    fn load(chunk: &[u8; CHUNK]) -> __m128i {
        // SAFETY: `chunk` is 16 readable bytes, and this load takes any alignment.
        unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) }
    }

    #[target_feature(enable = "sse2")]
    fn mask(bytes: __m128i) -> u32 {
        _mm_movemask_epi8(bytes) as u32
    }

    /// The bytes equal to one of `set`.
    #[target_feature(enable = "sse2")]
    pub(super) fn matching(chunk: &[u8; CHUNK], set: &[u8]) -> u32 {
        let bytes = load(chunk);
        let hits = set.iter().fold(_mm_setzero_si128(), |hits, &b| {
            _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b as i8)))
        });
        mask(hits)
    }

    #[target_feature(enable = "sse2")]
    pub(super) fn string_stop(chunk: &[u8; CHUNK]) -> u32 {
        let bytes = load(chunk);
        // A control character is one that the unsigned minimum with 0x1F leaves as it is.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(bytes, _mm_set1_epi8(0x1F)), bytes);
        let quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\\' as i8));
        mask(_mm_or_si128(control, _mm_or_si128(quote, backslash)))
    }
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
mod portable {
    use super::CHUNK;

    fn mask(chunk: &[u8; CHUNK], hit: impl Fn(u8) -> bool) -> u32 {
        chunk.iter().enumerate().fold(0, |mask, (k, &b)| mask | u32::from(hit(b)) << k)
    }

    pub(super) fn structural(chunk: &[u8; CHUNK]) -> u32 {
        mask(chunk, |b| b"\"\\[]{},".contains(&b))
    }

    pub(super) fn string_stop(chunk: &[u8; CHUNK]) -> u32 {
        mask(chunk, super::ends_string_run)
    }

    pub(super) fn not_whitespace(chunk: &[u8; CHUNK]) -> u32 {
        mask(chunk, |b| !crate::json::is_whitespace(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every place of a chunk, among neighbours of every kind.
    fn chunks() -> impl Iterator<Item = [u8; CHUNK]> {
        (0..=255u8).flat_map(|b| {
            (0..CHUNK).map(move |at| {
                let mut chunk = *b"a \"\\x,{\n\x01\xff}]9[\t:";
                chunk[at] = b;
                chunk
            })
        })
    }

    #[test]
    fn the_masks_are_those_a_loop_over_the_bytes_gives() {
        for chunk in chunks() {
            assert_eq!(structural(&chunk), portable::structural(&chunk), "{chunk:?}");
            assert_eq!(string_stop(&chunk), portable::string_stop(&chunk), "{chunk:?}");
            assert_eq!(not_whitespace(&chunk), portable::not_whitespace(&chunk), "{chunk:?}");
        }
    }

    #[test]
    fn the_first_byte_is_found_in_a_chunk_and_in_the_tail() {
        let text = b"abcdefghijklmnopqrstuvwxyz \"...";
        let quote = |b: u8| b == b'"';
        assert_eq!(first(text, 0, string_stop, quote), Some(27));
        assert_eq!(first(text, 20, string_stop, quote), Some(27), "in the tail, short of a chunk");
        assert_eq!(first(text, 28, string_stop, quote), None);
        assert_eq!(first(text, text.len(), string_stop, quote), None);
        assert_eq!(first(text, text.len() + 1, string_stop, quote), None);
        let spaces = [b' '; 40];
        assert_eq!(first(&spaces, 3, not_whitespace, |b| b != b' '), None);
    }

    #[test]
    fn bit_k_is_byte_k() {
        let chunk = *b"{\"a\": [1, 2]}  \x1f";
        assert_eq!(structural(&chunk), 0b0001_1001_0100_1011);
        assert_eq!(string_stop(&chunk), 0b1000_0000_0000_1010);
        assert_eq!(not_whitespace(&chunk), 0b1001_1101_1101_1111);
    }
}
