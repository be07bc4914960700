//! Admission of attempts: `maxConcurrency`, the `{ requests, perMs }` rate window and the
//! client-wide pause after a 429. Waiting calls are served strictly in arrival order; only the
//! call at the head of the queue ever sleeps on a clock, the others wait to be woken.
//!
//! The rate window is exact for what the server counts, arrivals: an attempt is stamped when it
//! is admitted, which is when its `fetch` is called (nothing is awaited in between), and it holds
//! its place in the window while it is in flight, because until its response comes back it may
//! still reach the server. Once the response's headers are seen, the request has arrived, at
//! the latest then: it holds its place until `perMs` after that moment, and no longer (not after
//! its body is read and decoded, which a busy event loop does one response at a time). A
//! correction that counted from earlier (the response time minus the fastest round trip seen)
//! was measured and dropped: a burst on fresh connections reaches the server tens of ms after
//! its stamps with nothing to show for it, and the next burst, on warm connections, then
//! overshoots the window (the README's Bulk sends section has the figures). [`Limits`] is the
//! arithmetic, pure and tested on the host; [`Gate`] is the queue around it.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::error::Res;
use crate::js::mono;
use crate::task::park;
use crate::wait::{check, sleep, Watch};

/// What stops the head of the queue from starting now.
#[derive(Debug, PartialEq)]
pub enum Block {
    None,
    /// Wait this many ms (pause or rate window).
    For(f64),
    /// All concurrency slots are taken, or the window is full of attempts still in flight;
    /// wait for a release or a response.
    Full,
}

/// The admission arithmetic, on explicit times (ms).
pub struct Limits {
    max_in_flight: u32,
    window: Option<(u32, f64)>,
    in_flight: u32,
    /// `(permit, since, answered)` of the attempts still inside the window: in flight since they
    /// left, or answered at `since`.
    stamps: VecDeque<(u64, f64, bool)>,
    paused_until: f64,
    next_permit: u64,
}

impl Limits {
    pub fn new(max_in_flight: u32, window: Option<(u32, f64)>) -> Limits {
        Limits {
            max_in_flight,
            window,
            in_flight: 0,
            stamps: VecDeque::new(),
            paused_until: 0.0,
            next_permit: 0,
        }
    }

    pub fn block(&mut self, t: f64) -> Block {
        if self.paused_until > t {
            return Block::For(self.paused_until - t);
        }
        if self.in_flight >= self.max_in_flight {
            return Block::Full;
        }
        if let Some((requests, per_ms)) = self.window {
            self.stamps
                .retain(|&(_, at, answered)| !answered || at + per_ms > t);
            // Places are only taken while fewer than `requests` are held, so when the window is
            // full the oldest answer is the one to age out; an attempt in flight holds its place
            // until its response comes back.
            if self.stamps.len() >= requests as usize {
                let oldest = self
                    .stamps
                    .iter()
                    .filter(|s| s.2)
                    .map(|s| s.1)
                    .fold(f64::INFINITY, f64::min);
                return match oldest.is_finite() {
                    true => Block::For(oldest + per_ms - t),
                    false => Block::Full,
                };
            }
        }
        Block::None
    }

    /// Admits one attempt at `t`; returns its permit.
    pub fn take(&mut self, t: f64) -> u64 {
        self.in_flight += 1;
        let id = self.next_permit;
        self.next_permit += 1;
        if self.window.is_some() {
            self.stamps.push_back((id, t, false));
        }
        id
    }

    /// The response of attempt `id` came back (its headers) at `at`: the request arrived by then.
    pub fn landed(&mut self, id: u64, at: f64) {
        if let Some(slot) = self.stamps.iter_mut().find(|s| s.0 == id && !s.2) {
            *slot = (id, at, true);
        }
    }

    /// The attempt `id` is over: its concurrency slot is free, and if no response came back (a
    /// network failure, a timeout) its place ages from now.
    pub fn release(&mut self, id: u64, t: f64) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.landed(id, t);
    }

    /// The attempt `id` was never sent: its place in the window is given back at once.
    pub fn cancel(&mut self, id: u64) {
        // (answered before any window: the next look at the window drops it, as it drops the
        // places that aged out; a second `retain` would cost the wasm its own copy)
        self.release(id, f64::NEG_INFINITY);
    }

    /// Pauses every attempt until `until` (a 429's `Retry-After`).
    pub fn pause_until(&mut self, until: f64) {
        self.paused_until = self.paused_until.max(until);
    }
}

pub struct Gate {
    limits: RefCell<Limits>,
    /// The waiting calls in order. One that gave up is only marked `gone` and dropped once it
    /// reaches the front (the front is never gone): leaving costs the same however long the
    /// queue, so aborting thousands of queued calls at once is linear, not quadratic.
    queue: RefCell<VecDeque<Rc<Waiter>>>,
}

#[derive(Default)]
struct Waiter {
    gone: Cell<bool>,
    wake: RefCell<Option<Function>>,
}

/// One admitted attempt; frees its concurrency slot when dropped.
pub struct Permit(Rc<Gate>, u64, bool);

impl Permit {
    /// The attempt's response headers arrived at `at`.
    pub fn landed(&self, at: f64) {
        self.0.limits.borrow_mut().landed(self.1, at);
        self.0.wake_head();
    }
}

impl Permit {
    /// Nothing was sent: the place goes back to the window, not into it.
    pub fn cancel(mut self) {
        self.2 = true;
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        match self.2 {
            true => self.0.limits.borrow_mut().cancel(self.1),
            false => self.0.limits.borrow_mut().release(self.1, mono()),
        }
        self.0.wake_head();
    }
}

impl Gate {
    pub fn new(max_in_flight: u32, window: Option<(u32, f64)>) -> Rc<Gate> {
        Rc::new(Gate {
            limits: RefCell::new(Limits::new(max_in_flight, window)),
            queue: RefCell::new(VecDeque::new()),
        })
    }

    fn take(self: &Rc<Self>) -> Permit {
        let id = self.limits.borrow_mut().take(mono());
        Permit(self.clone(), id, false)
    }

    fn wake_head(&self) {
        let wake = self
            .queue
            .borrow()
            .front()
            .and_then(|w| w.wake.borrow_mut().take());
        if let Some(f) = wake {
            let _ = f.call0(&JsValue::UNDEFINED);
        }
    }

    /// `me` leaves the queue (admitted, or gave up): marked gone, and the front cleared of those
    /// that are. Whether the head changed.
    fn leave(&self, me: &Waiter) -> bool {
        me.gone.set(true);
        let mut q = self.queue.borrow_mut();
        let mut left = false;
        while q.front().is_some_and(|w| w.gone.get()) {
            q.pop_front();
            left = true;
        }
        left
    }

    /// Waits until this call may start an attempt. Aborting `watch` while waiting leaves the
    /// queue at once with kind `aborted`. `first`: at the head of the queue, not the end (the
    /// token request, and a call that was at the head and stepped out to refresh its token).
    pub async fn admit(self: &Rc<Self>, watch: Option<&Watch>, first: bool) -> Res<Permit> {
        check(watch)?;
        if (first || self.queue.borrow().is_empty())
            && self.limits.borrow_mut().block(mono()) == Block::None
        {
            return Ok(self.take());
        }
        let me = Rc::new(Waiter::default());
        match first {
            true => self.queue.borrow_mut().push_front(me.clone()),
            false => self.queue.borrow_mut().push_back(me.clone()),
        }
        let result = self.wait_turn(&me, watch).await;
        if result.is_err() && self.leave(&me) {
            self.wake_head();
        }
        result
    }

    async fn wait_turn(self: &Rc<Self>, me: &Rc<Waiter>, watch: Option<&Watch>) -> Res<Permit> {
        loop {
            // (after a `sleep` too: a signal that fired as it ended calls no one any more, its
            // hub's listener being `once`, and a call parked below would wait on it for ever)
            check(watch)?;
            let at_head = self
                .queue
                .borrow()
                .front()
                .is_some_and(|w| Rc::ptr_eq(w, me));
            let block = if at_head {
                self.limits.borrow_mut().block(mono())
            } else {
                Block::Full
            };
            match block {
                Block::None => {
                    // (at the head: leaving pops it, and any gone behind it)
                    self.leave(me);
                    let permit = self.take();
                    // the next in line may be able to start too
                    self.wake_head();
                    return Ok(permit);
                }
                Block::For(ms) => sleep(ms, watch).await?,
                // woken by a release, a response or the caller's signal, and resumed through a
                // promise made here, not by the task's waker: in Cloudflare Workers a client
                // shared by concurrent requests wakes one request's call from another's, and
                // workerd resumes the call in its own request only when it awaits a promise made
                // there (woken by the waker, the call ran in the other request's context and its
                // request never answered: tests/ecosystem, the workerd target's shared client)
                Block::Full => {
                    let (wake, parked) = park();
                    *me.wake.borrow_mut() = Some(wake.clone());
                    if let Some(w) = watch {
                        w.on_abort(&wake);
                    }
                    parked.await;
                    if let Some(w) = watch {
                        w.off(&wake);
                    }
                }
            }
        }
    }

    /// Whether a 429's pause is running.
    pub fn paused(&self) -> bool {
        self.limits.borrow().paused_until > mono()
    }

    /// Pauses every attempt of this client for `ms` (a 429's `Retry-After`).
    pub fn pause_for(&self, ms: f64) {
        self.limits.borrow_mut().pause_until(mono() + ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Admits `n` attempts at `t`; with `Some(rtt)`, each is answered `rtt` later.
    fn admit(l: &mut Limits, t: f64, n: usize, rtt: Option<f64>) -> Vec<u64> {
        let ids: Vec<u64> = (0..n)
            .map(|_| {
                assert_eq!(l.block(t), Block::None);
                l.take(t)
            })
            .collect();
        if let Some(rtt) = rtt {
            for id in &ids {
                l.landed(*id, t + rtt);
            }
        }
        ids
    }

    #[test]
    fn the_window_admits_requests_then_waits_for_the_oldest_answer_to_age() {
        let mut l = Limits::new(u32::MAX, Some((3, 1000.0)));
        admit(&mut l, 0.0, 2, Some(0.0));
        admit(&mut l, 400.0, 1, Some(0.0));
        assert_eq!(
            l.block(500.0),
            Block::For(500.0),
            "three in the window: the one answered at 0 ages out at 1000"
        );
        assert_eq!(
            l.block(1000.0),
            Block::None,
            "an answer exactly perMs old no longer counts"
        );
        admit(&mut l, 1000.0, 2, Some(0.0));
        assert_eq!(l.block(1000.0), Block::For(400.0));
    }

    #[test]
    fn an_attempt_counts_from_its_response_headers() {
        let mut l = Limits::new(u32::MAX, Some((2, 1000.0)));
        admit(&mut l, 0.0, 2, Some(50.0));
        assert_eq!(
            l.block(1000.0),
            Block::For(50.0),
            "answered at 50: it may have arrived as late as 50"
        );
        assert_eq!(l.block(1050.0), Block::None);
    }

    #[test]
    fn an_attempt_in_flight_never_ages_out() {
        let mut l = Limits::new(u32::MAX, Some((1, 1000.0)));
        let slow = admit(&mut l, 0.0, 1, None);
        assert_eq!(
            l.block(5000.0),
            Block::Full,
            "no response yet: it may still reach the server"
        );
        l.landed(slow[0], 6000.0);
        assert_eq!(l.block(6000.0), Block::For(1000.0));
        // a failed attempt (no response) ages from its end
        let mut l = Limits::new(u32::MAX, Some((1, 1000.0)));
        let ids = admit(&mut l, 0.0, 1, None);
        l.release(ids[0], 300.0);
        assert_eq!(l.block(300.0), Block::For(1000.0));
        // a second answer for the same attempt changes nothing
        l.landed(ids[0], 900.0);
        assert_eq!(l.block(300.0), Block::For(1000.0));
    }

    #[test]
    fn a_cancelled_attempt_gives_its_place_back() {
        let mut l = Limits::new(1, Some((1, 1000.0)));
        let id = l.take(0.0);
        assert_eq!(l.block(10.0), Block::Full);
        l.cancel(id);
        assert_eq!(
            l.block(10.0),
            Block::None,
            "neither the slot nor the window place is held"
        );
    }

    #[test]
    fn concurrency_and_pause() {
        let mut l = Limits::new(2, None);
        let a = l.take(0.0);
        l.take(0.0);
        assert_eq!(l.block(0.0), Block::Full);
        l.release(a, 0.0);
        assert_eq!(l.block(0.0), Block::None);
        l.pause_until(500.0);
        assert_eq!(l.block(100.0), Block::For(400.0));
        l.pause_until(200.0); // an earlier pause never shortens a later one
        assert_eq!(l.block(300.0), Block::For(200.0));
        assert_eq!(l.block(500.0), Block::None);
    }
}
