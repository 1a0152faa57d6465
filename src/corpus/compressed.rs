//! Decompression that keeps everything decoded before a problem, the way `gzip -dc` and
//! `xz -dc` do: every member (gzip), frame (zstd) or stream (bzip2, xz) in turn, then an
//! error that says at which compressed byte the stream went wrong. Bytes after the last
//! member that start no other one are [`TrailingGarbage`]: what came before is complete.
//!
//! The crates' readers return an error from a read that decoded some bytes before failing,
//! and those bytes would be lost; where a decoder counts its output, [`Members`] keeps them.

use std::io::{self, BufRead, BufReader, Read};
use std::marker::PhantomData;

/// Bytes after the last complete gzip member, zstd frame or bzip2/xz stream that start no
/// other one.
#[derive(Debug)]
pub(crate) struct TrailingGarbage {
    /// Offset of the first such byte in the compressed file.
    pub offset: u64,
}

impl std::fmt::Display for TrailingGarbage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "trailing bytes after the last complete compressed block, at compressed byte {}",
            self.offset
        )
    }
}

impl std::error::Error for TrailingGarbage {}

/// Whether an I/O error only says that the stream ended in [`TrailingGarbage`].
pub(crate) fn is_trailing_garbage(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.is::<TrailingGarbage>())
}

/// A buffered reader that counts the bytes consumed from it.
pub(crate) struct Counted<R> {
    inner: BufReader<R>,
    consumed: u64,
}

impl<R: Read> Counted<R> {
    pub(crate) fn new(inner: R) -> Self {
        Counted {
            inner: BufReader::with_capacity(1 << 20, inner),
            consumed: 0,
        }
    }

    /// Whether the stream is at its end; otherwise its next bytes (at least one).
    fn peek(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    /// An error at the current offset, keeping the kind of `e`.
    fn error_here(&self, e: impl std::fmt::Display, kind: io::ErrorKind) -> io::Error {
        io::Error::new(kind, format!("{e} (at compressed byte {})", self.consumed))
    }

    fn garbage(&self) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            TrailingGarbage {
                offset: self.consumed,
            },
        )
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.consumed += n as u64;
        Ok(n)
    }
}

impl<R: Read> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.consumed += n as u64;
        self.inner.consume(n);
    }
}

/// One gzip member, zstd frame or bzip2/xz stream, decoded from a [`Counted`] source.
pub(crate) trait Member<R: Read>: Read + Sized {
    /// The format's name, for messages.
    const NAME: &'static str;
    /// The most bytes asked of one read: a decoder that cannot say how much a failing read
    /// wrote loses at most that much.
    const MAX_READ: usize = usize::MAX;
    /// Whether `head` (one byte or more) may start a member.
    fn starts(head: &[u8]) -> bool;
    fn open(source: Counted<R>) -> io::Result<Self>;
    fn source(&self) -> &Counted<R>;
    /// Bytes decoded so far, when the decoder counts them.
    fn produced(&self) -> Option<u64>;
    /// After the member's end: checks what follows its data, gives the source back.
    fn close(self) -> io::Result<Counted<R>>;
    /// Bytes allowed between members (xz's stream padding is NUL bytes).
    fn padding(_byte: u8) -> bool {
        false
    }
}

/// Whether `head` and `magic` agree on their common length.
fn agrees(head: &[u8], magic: &[u8]) -> bool {
    let n = head.len().min(magic.len());
    head[..n] == magic[..n]
}

/// Every member of a stream in turn.
pub(crate) struct Members<R: Read, M: Member<R>> {
    member: Option<M>,
    /// Between members (and before the first one).
    source: Option<Counted<R>>,
    members: u64,
    /// The error that a read which still decoded some bytes met: returned by the next read.
    pending: Option<io::Error>,
    _reader: PhantomData<fn() -> R>,
}

impl<R: Read, M: Member<R>> Members<R, M> {
    pub(crate) fn new(inner: R) -> Self {
        Members {
            member: None,
            source: Some(Counted::new(inner)),
            members: 0,
            pending: None,
            _reader: PhantomData,
        }
    }

    /// Starts the next member: `Ok(false)` at the end of the stream.
    fn next_member(&mut self) -> io::Result<bool> {
        let Some(mut source) = self.source.take() else {
            return Ok(false);
        };
        loop {
            let next = source.peek()?;
            let pad = next.iter().take_while(|&&b| M::padding(b)).count();
            if pad == 0 {
                break;
            }
            source.consume(pad);
        }
        let next = source.peek()?;
        if next.is_empty() {
            return Ok(false);
        }
        if !M::starts(next) {
            if self.members == 0 {
                let e = format!("not a {} stream (bad magic number)", M::NAME);
                return Err(source.error_here(e, io::ErrorKind::InvalidData));
            }
            return Err(source.garbage());
        }
        self.members += 1;
        self.member = Some(M::open(source)?);
        Ok(true)
    }

    /// Reads from the current member; at its end, closes it.
    fn read_member(&mut self, member: &mut M, out: &mut [u8]) -> io::Result<Option<usize>> {
        let before = member.produced();
        match member.read(out) {
            Ok(0) if !out.is_empty() => Ok(None),
            Ok(n) => Ok(Some(n)),
            Err(e) => {
                let error = member.source().error_here(&e, e.kind());
                // The bytes decoded before the failure are in `out`: keep them.
                let kept = match (before, member.produced()) {
                    (Some(before), Some(after)) => (after - before) as usize,
                    _ => 0,
                };
                if kept == 0 {
                    return Err(error);
                }
                self.pending = Some(error);
                Ok(Some(kept.min(out.len())))
            }
        }
    }
}

impl<R: Read, M: Member<R>> Read for Members<R, M> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if let Some(error) = self.pending.take() {
            return Err(error);
        }
        let len = out.len().min(M::MAX_READ);
        let out = &mut out[..len];
        loop {
            if let Some(mut member) = self.member.take() {
                match self.read_member(&mut member, out) {
                    Ok(Some(n)) => {
                        if self.pending.is_none() {
                            self.member = Some(member);
                        }
                        return Ok(n);
                    }
                    Ok(None) => self.source = Some(member.close()?),
                    Err(e) => return Err(e),
                }
            }
            if !self.next_member()? {
                return Ok(0);
            }
        }
    }
}

/// A gzip member: its header is skipped here (RFC 1952), the deflate data decoded by
/// flate2's `DeflateDecoder` (which counts its output), the trailer checked.
pub(crate) struct Gzip<R: Read> {
    deflate: flate2::bufread::DeflateDecoder<Counted<R>>,
    crc: flate2::Crc,
}

impl<R: Read> Read for Gzip<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.deflate.read(out)?;
        self.crc.update(&out[..n]);
        Ok(n)
    }
}

/// Passes over a zero-terminated header field.
fn skip_c_string(source: &mut impl BufRead) -> io::Result<()> {
    let mut field = Vec::new();
    source.read_until(0, &mut field)?;
    match field.last() {
        Some(0) => Ok(()),
        _ => Err(io::ErrorKind::UnexpectedEof.into()),
    }
}

fn skip_gzip_header<R: Read>(source: &mut Counted<R>) -> io::Result<()> {
    let mut fixed = [0u8; 10];
    source.read_exact(&mut fixed)?;
    let flags = fixed[3];
    if fixed[..3] != [0x1F, 0x8B, 8] || flags & 0xE0 != 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "bad gzip member header",
        ));
    }
    if flags & 0x04 != 0 {
        let mut len = [0u8; 2];
        source.read_exact(&mut len)?;
        let len = u64::from(u16::from_le_bytes(len));
        if io::copy(&mut source.by_ref().take(len), &mut io::sink())? != len {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
    // The file name and the comment.
    for flag in [0x08, 0x10] {
        if flags & flag != 0 {
            skip_c_string(source)?;
        }
    }
    if flags & 0x02 != 0 {
        source.read_exact(&mut [0u8; 2])?;
    }
    Ok(())
}

impl<R: Read> Member<R> for Gzip<R> {
    const NAME: &'static str = "gzip";

    fn starts(head: &[u8]) -> bool {
        agrees(head, &[0x1F, 0x8B])
    }

    fn open(mut source: Counted<R>) -> io::Result<Self> {
        if let Err(e) = skip_gzip_header(&mut source) {
            let e = format!("truncated or bad gzip member header: {e}");
            return Err(source.error_here(e, io::ErrorKind::InvalidData));
        }
        Ok(Gzip {
            deflate: flate2::bufread::DeflateDecoder::new(source),
            crc: flate2::Crc::new(),
        })
    }

    fn source(&self) -> &Counted<R> {
        self.deflate.get_ref()
    }

    fn produced(&self) -> Option<u64> {
        Some(self.deflate.total_out())
    }

    fn close(self) -> io::Result<Counted<R>> {
        let mut source = self.deflate.into_inner();
        let mut trailer = [0u8; 8];
        if let Err(e) = source.read_exact(&mut trailer) {
            let e = format!("truncated gzip member trailer: {e}");
            return Err(source.error_here(e, io::ErrorKind::UnexpectedEof));
        }
        let crc = u32::from_le_bytes(trailer[..4].try_into().expect("4 bytes"));
        let size = u32::from_le_bytes(trailer[4..].try_into().expect("4 bytes"));
        if crc != self.crc.sum() || size != self.crc.amount() {
            let e = "gzip member checksum or length does not match its data";
            return Err(source.error_here(e, io::ErrorKind::InvalidData));
        }
        Ok(source)
    }
}

type ZstdFrame<R> = zstd::stream::read::Decoder<'static, Counted<R>>;

/// A zstd frame (skippable frames are passed over by libzstd). libzstd decodes a block at a
/// time and only fails at a block's start, so reads smaller than a block lose nothing.
pub(crate) struct Zstd<R: Read>(ZstdFrame<R>);

impl<R: Read> Read for Zstd<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.0.read(out)
    }
}

impl<R: Read> Member<R> for Zstd<R> {
    const NAME: &'static str = "zstd";
    const MAX_READ: usize = 4096;

    fn starts(head: &[u8]) -> bool {
        agrees(head, &[0x28, 0xB5, 0x2F, 0xFD])
            || (head[0] & 0xF0 == 0x50 && agrees(&head[1..], &[0x2A, 0x4D, 0x18]))
    }

    fn open(source: Counted<R>) -> io::Result<Self> {
        Ok(Zstd(ZstdFrame::with_buffer(source)?.single_frame()))
    }

    fn source(&self) -> &Counted<R> {
        self.0.get_ref()
    }

    fn produced(&self) -> Option<u64> {
        None
    }

    fn close(self) -> io::Result<Counted<R>> {
        Ok(self.0.finish())
    }
}

/// One bzip2 stream.
pub(crate) struct Bzip2<R: Read>(bzip2::bufread::BzDecoder<Counted<R>>);

impl<R: Read> Read for Bzip2<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.0.read(out)
    }
}

impl<R: Read> Member<R> for Bzip2<R> {
    const NAME: &'static str = "bzip2";

    fn starts(head: &[u8]) -> bool {
        agrees(head, b"BZh") && head.get(3).is_none_or(|b| (b'1'..=b'9').contains(b))
    }

    fn open(source: Counted<R>) -> io::Result<Self> {
        Ok(Bzip2(bzip2::bufread::BzDecoder::new(source)))
    }

    fn source(&self) -> &Counted<R> {
        self.0.get_ref()
    }

    fn produced(&self) -> Option<u64> {
        Some(self.0.total_out())
    }

    fn close(self) -> io::Result<Counted<R>> {
        Ok(self.0.into_inner())
    }
}

/// One xz stream.
pub(crate) struct Xz<R: Read>(liblzma::bufread::XzDecoder<Counted<R>>);

impl<R: Read> Read for Xz<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.0.read(out)
    }
}

impl<R: Read> Member<R> for Xz<R> {
    const NAME: &'static str = "xz";

    fn starts(head: &[u8]) -> bool {
        agrees(head, &[0xFD, b'7', b'z', b'X', b'Z', 0x00])
    }

    fn open(source: Counted<R>) -> io::Result<Self> {
        Ok(Xz(liblzma::bufread::XzDecoder::new(source)))
    }

    fn source(&self) -> &Counted<R> {
        self.0.get_ref()
    }

    fn produced(&self) -> Option<u64> {
        Some(self.0.total_out())
    }

    fn close(self) -> io::Result<Counted<R>> {
        Ok(self.0.into_inner())
    }

    fn padding(byte: u8) -> bool {
        byte == 0
    }
}
