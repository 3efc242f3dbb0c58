//! Progress to JavaScript: a callback `(phase, done, total)` called at most
//! every [`STEP`] bytes and at each phase's start and end.
//!
//! As with the source, the callback lives in a thread-local (the wasm module
//! has one thread), because [`Progress`] must be `Sync`.

use std::cell::{Cell, RefCell};

use docseal::progress::Progress;
use js_sys::Function;
use wasm_bindgen::JsValue;

/// Bytes between two calls.
const STEP: u64 = 8 * 1024 * 1024;

thread_local! {
    static CALLBACK: RefCell<Option<Function>> = const { RefCell::new(None) };
    static STATE: Cell<(u64, u64, u64)> = const { Cell::new((0, 0, 0)) };
    static PHASE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Reports to the installed callback, labelled with the current phase.
#[derive(Clone, Copy, Debug)]
pub struct JsProgress;

impl JsProgress {
    /// Installs the callback (or none) for the next verification.
    pub fn install(cb: Option<Function>) {
        CALLBACK.with(|c| *c.borrow_mut() = cb);
    }

    /// Starts `phase` over `total` bytes.
    pub fn phase(phase: &str, total: u64) {
        PHASE.with(|p| *p.borrow_mut() = phase.to_owned());
        STATE.with(|s| s.set((0, total, 0)));
        call(0, total);
    }
}

fn call(done: u64, total: u64) {
    CALLBACK.with(|c| {
        if let Some(f) = c.borrow().as_ref() {
            let phase = PHASE.with(|p| JsValue::from_str(&p.borrow()));
            // A failing callback must not stop the verification.
            let _ = f.call3(
                &JsValue::NULL,
                &phase,
                &JsValue::from_f64(done as f64),
                &JsValue::from_f64(total as f64),
            );
        }
    });
}

impl Progress for JsProgress {
    fn start(&self, what: &str, bytes: u64, _files: u64) {
        JsProgress::phase(what, bytes);
    }

    fn advance(&self, bytes: u64) {
        let (done, total, last) = STATE.with(|s| s.get());
        let done = done + bytes;
        let last = if done - last >= STEP || done >= total {
            call(done, total);
            done
        } else {
            last
        };
        STATE.with(|s| s.set((done, total, last)));
    }

    fn finish(&self) {
        let (done, total, _) = STATE.with(|s| s.get());
        call(done.max(total), total);
    }
}
