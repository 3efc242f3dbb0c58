//! The bundle as a [`Source`]: a JavaScript `File`/`Blob` read slice by
//! slice with `FileReaderSync`, which exists only inside a Web Worker.
//!
//! A 1 GiB bundle is never read whole: each read takes one `Blob.slice`,
//! at least [`BLOCK`] long, and keeps the last two blocks, so the zip
//! reader's small header reads and its streaming reads cost one
//! JavaScript call per block rather than per read.
//!
//! `Source` must be `Send + Sync`, and JavaScript objects are neither. The
//! wasm module runs on one thread, so the blob lives in a thread-local and
//! [`BlobSource`] is an empty handle to it; [`BlobSource::install`] replaces
//! the blob for each verification.

use std::cell::RefCell;
use std::io;

use docseal::container::Source;
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;

/// Bytes fetched per JavaScript call: 16 MiB verified a 1 GiB bundle
/// faster than 4 or 1 (docs/PERFORMANCE.md); two per worker are kept.
const BLOCK: usize = 16 * 1024 * 1024;

#[wasm_bindgen]
extern "C" {
    /// The DOM `Blob` (a `File` is one).
    #[wasm_bindgen(typescript_type = "Blob")]
    pub type Blob;
    #[wasm_bindgen(method, getter)]
    fn size(this: &Blob) -> f64;
    #[wasm_bindgen(method)]
    fn slice(this: &Blob, start: f64, end: f64) -> Blob;

    type FileReaderSync;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<FileReaderSync, JsValue>;
    #[wasm_bindgen(method, js_name = readAsArrayBuffer, catch)]
    fn read_as_array_buffer(this: &FileReaderSync, blob: &Blob) -> Result<ArrayBuffer, JsValue>;
}

struct Open {
    blob: Blob,
    reader: FileReaderSync,
    len: u64,
    /// The last blocks read: (offset, bytes), most recent first.
    cache: Vec<(u64, Vec<u8>)>,
}

thread_local! {
    static OPEN: RefCell<Option<Open>> = const { RefCell::new(None) };
}

/// A handle to the blob installed by [`BlobSource::install`].
#[derive(Clone, Copy, Debug)]
pub struct BlobSource;

impl BlobSource {
    /// Makes `blob` the source every [`BlobSource`] reads.
    pub fn install(blob: Blob) -> Result<BlobSource, String> {
        let reader = FileReaderSync::new().map_err(|_| {
            "this browser cannot read files synchronously here (FileReaderSync needs a Web Worker)"
                .to_owned()
        })?;
        let len = blob.size().max(0.0) as u64;
        OPEN.with(|o| {
            *o.borrow_mut() = Some(Open {
                blob,
                reader,
                len,
                cache: Vec::new(),
            })
        });
        Ok(BlobSource)
    }

    /// Drops the installed blob and its cached blocks.
    pub fn release() {
        OPEN.with(|o| *o.borrow_mut() = None);
    }
}

fn unavailable() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "no file is open")
}

impl Open {
    fn read_at(&mut self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        if offset >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let hit = self
            .cache
            .iter()
            .position(|(at, b)| offset >= *at && offset < *at + b.len() as u64);
        let i = match hit {
            Some(i) => i,
            None => {
                let want = buf.len().max(BLOCK) as u64;
                let end = (offset + want).min(self.len);
                let piece = self.blob.slice(offset as f64, end as f64);
                let ab = self.reader.read_as_array_buffer(&piece).map_err(|e| {
                    let what = e
                        .as_string()
                        .unwrap_or_else(|| "the browser refused".into());
                    io::Error::other(format!("cannot read the file: {what}"))
                })?;
                let bytes = Uint8Array::new(&ab).to_vec();
                self.cache.insert(0, (offset, bytes));
                self.cache.truncate(2);
                0
            }
        };
        let Some((at, block)) = self.cache.get(i) else {
            return Ok(0);
        };
        let from = usize::try_from(offset - at).unwrap_or(usize::MAX);
        let Some(rest) = block.get(from..) else {
            return Ok(0);
        };
        let n = rest.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        Ok(n)
    }
}

impl Source for BlobSource {
    fn len(&self) -> io::Result<u64> {
        OPEN.with(|o| o.borrow().as_ref().map(|o| o.len).ok_or_else(unavailable))
    }

    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        OPEN.with(|o| match o.borrow_mut().as_mut() {
            Some(open) => open.read_at(buf, offset),
            None => Err(unavailable()),
        })
    }
}
