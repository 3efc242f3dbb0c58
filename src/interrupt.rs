//! Temporary outputs to remove when the process is stopped by a signal.
//!
//! A temporary file or folder is removed by its owner's `Drop`, but a
//! signal (Ctrl-C's SIGINT, SIGTERM) ends the process without running
//! destructors. So every temporary output is registered here while it
//! exists, and the binary's signal handler calls [`remove_all`] before it
//! exits (with 128 + the signal's number: 130, 143).
//!
//! Invariant: a rename that turns a temporary output into the real one
//! happens while [`hold`] is held, and the path is unregistered in the same
//! section, so the handler either runs before the rename (and removes the
//! temporary output; the destination is untouched) or after it (and finds
//! nothing left to remove): never halfway. [`remove_all`] keeps the
//! registry locked, so no rename can follow it.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Registered paths with their registration number.
static REGISTRY: Mutex<Vec<(u64, PathBuf)>> = Mutex::new(Vec::new());
/// The next registration number.
static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn lock() -> MutexGuard<'static, Vec<(u64, PathBuf)>> {
    REGISTRY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A registered temporary path; dropping it unregisters the path (its
/// owner removes the file itself).
#[derive(Debug)]
pub struct Registration {
    id: u64,
}

/// Registers `path` (a file or a folder) for removal on a signal.
pub fn register(path: &Path) -> Registration {
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    lock().push((id, path.to_path_buf()));
    Registration { id }
}

impl Drop for Registration {
    fn drop(&mut self) {
        lock().retain(|(id, _)| *id != self.id);
    }
}

/// The registry, locked: while a `Held` lives, [`remove_all`] waits.
pub struct Held(MutexGuard<'static, Vec<(u64, PathBuf)>>);

/// Locks the registry for a rename into place (see the module invariant).
pub fn hold() -> Held {
    Held(lock())
}

impl Held {
    /// Unregisters `r` within the held section (dropping it here would
    /// wait for the lock this section holds).
    pub fn release(&mut self, r: Registration) {
        self.0.retain(|(id, _)| *id != r.id);
        std::mem::forget(r);
    }

    /// Registers `path` within the held section.
    pub fn register(&mut self, path: &Path) -> Registration {
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.0.push((id, path.to_path_buf()));
        Registration { id }
    }
}

/// Removes every registered path (files, and folders with their content)
/// and returns how many there were. For the signal handler, which exits
/// right after: the registry stays locked, so nothing is renamed into
/// place after this.
pub fn remove_all() -> usize {
    let held = lock();
    for (_, path) in held.iter() {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => {
                let _ = std::fs::remove_dir_all(path);
            }
            Ok(_) => {
                let _ = std::fs::remove_file(path);
            }
            Err(_) => {}
        }
    }
    let n = held.len();
    std::mem::forget(held);
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_come_and_go() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let r = register(&a);
        assert!(lock().iter().any(|(_, p)| *p == a));
        drop(r);
        assert!(!lock().iter().any(|(_, p)| *p == a));
        let r = register(&a);
        let mut held = hold();
        held.release(r);
        let b = held.register(&dir.path().join("b"));
        drop(held);
        assert!(!lock().iter().any(|(_, p)| *p == a));
        drop(b);
        assert!(!lock().iter().any(|(_, p)| p.starts_with(dir.path())));
    }
}
