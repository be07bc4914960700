//! Admission of attempts: `maxConcurrency`, the `{ requests, perMs }` rate limit and the
//! client-wide pause after a 429. Waiting calls are served strictly in arrival order; only the
//! call at the head of the queue ever sleeps on a clock, the others wait to be woken.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::JsValue;

use crate::error::Res;
use crate::js::now;
use crate::wait::{abort_failure, check, deferred, race, sleep, Watch};

pub struct Gate {
    max_in_flight: u32,
    window: Option<(u32, f64)>,
    in_flight: Cell<u32>,
    /// The rate window's slots: one per recent attempt, keyed by permit, holding when it
    /// completed (`INFINITY` while in flight). A slot is free again `per_ms` after completion:
    /// the server counts arrivals, and an arrival always precedes its completion, so the server
    /// never sees more than `requests` in any window, however late a burst leaves the event loop.
    slots: RefCell<VecDeque<(u64, f64)>>,
    next_permit: Cell<u64>,
    paused_until: Cell<f64>,
    queue: RefCell<VecDeque<Waiter>>,
    next_id: Cell<u64>,
}

struct Waiter {
    id: u64,
    wake: Option<Function>,
}

/// What stops the head of the queue from starting now.
#[derive(Debug, PartialEq)]
enum Block {
    None,
    /// Wait this many ms (pause or rate window).
    For(f64),
    /// All concurrency slots are taken; wait for a release.
    Full,
}

/// One admitted attempt; releases its concurrency slot, and starts its rate slot's cool-down,
/// when dropped.
pub struct Permit(Rc<Gate>, u64);

impl Drop for Permit {
    fn drop(&mut self) {
        let g = &self.0;
        g.in_flight.set(g.in_flight.get().saturating_sub(1));
        if let Some(slot) = g.slots.borrow_mut().iter_mut().find(|(id, _)| *id == self.1) {
            slot.1 = now();
        }
        g.wake_head();
    }
}

impl Gate {
    pub fn new(max_in_flight: u32, window: Option<(u32, f64)>) -> Gate {
        Gate {
            max_in_flight,
            window,
            in_flight: Cell::new(0),
            slots: RefCell::new(VecDeque::new()),
            next_permit: Cell::new(0),
            paused_until: Cell::new(0.0),
            queue: RefCell::new(VecDeque::new()),
            next_id: Cell::new(0),
        }
    }

    fn block(&self, t: f64) -> Block {
        let pause = self.paused_until.get() - t;
        if pause > 0.0 {
            return Block::For(pause);
        }
        if self.in_flight.get() >= self.max_in_flight {
            return Block::Full;
        }
        if let Some((requests, per_ms)) = self.window {
            let mut slots = self.slots.borrow_mut();
            slots.retain(|&(_, done)| done + per_ms > t);
            if slots.len() >= requests as usize {
                let first_free = slots.iter().map(|&(_, done)| done + per_ms).fold(f64::INFINITY, f64::min);
                return if first_free.is_finite() { Block::For(first_free - t) } else { Block::Full };
            }
        }
        Block::None
    }

    fn take(self: &Rc<Self>) -> Permit {
        self.in_flight.set(self.in_flight.get() + 1);
        let id = self.next_permit.get();
        self.next_permit.set(id + 1);
        if self.window.is_some() {
            self.slots.borrow_mut().push_back((id, f64::INFINITY));
        }
        Permit(self.clone(), id)
    }

    fn wake_head(&self) {
        let wake = self.queue.borrow_mut().front_mut().and_then(|w| w.wake.take());
        if let Some(f) = wake {
            let _ = f.call0(&JsValue::UNDEFINED);
        }
    }

    fn leave(&self, id: u64) {
        let was_head = {
            let mut q = self.queue.borrow_mut();
            let head = q.front().is_some_and(|w| w.id == id);
            q.retain(|w| w.id != id);
            head
        };
        if was_head {
            self.wake_head();
        }
    }

    /// Waits until this call may start an attempt. Aborting `watch` while waiting leaves the
    /// queue at once with kind `aborted`.
    pub async fn admit(self: &Rc<Self>, watch: Option<&Watch>) -> Res<Permit> {
        check(watch)?;
        let t = now();
        if self.queue.borrow().is_empty() && self.block(t) == Block::None {
            return Ok(self.take());
        }
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.queue.borrow_mut().push_back(Waiter { id, wake: None });
        let result = self.wait_turn(id, watch).await;
        if result.is_err() {
            self.leave(id);
        }
        result
    }

    async fn wait_turn(self: &Rc<Self>, id: u64, watch: Option<&Watch>) -> Res<Permit> {
        loop {
            let at_head = self.queue.borrow().front().is_some_and(|w| w.id == id);
            let t = now();
            let block = if at_head { self.block(t) } else { Block::Full };
            match block {
                Block::None => {
                    self.queue.borrow_mut().pop_front();
                    let permit = self.take();
                    // the next in line may be able to start too
                    self.wake_head();
                    return Ok(permit);
                }
                Block::For(ms) => sleep(ms, watch).await?,
                Block::Full => {
                    let (p, wake) = deferred();
                    if let Some(w) = self.queue.borrow_mut().iter_mut().find(|w| w.id == id) {
                        w.wake = Some(wake);
                    }
                    if race(p, watch).await.is_err() {
                        return Err(abort_failure(watch));
                    }
                }
            }
        }
    }

    /// Pauses every attempt of this client for `ms` (a 429's `Retry-After`).
    pub fn pause_for(&self, ms: f64) {
        let until = now() + ms;
        if until > self.paused_until.get() {
            self.paused_until.set(until);
        }
    }
}
