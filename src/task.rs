//! The client's own executor. Each task is polled in a promise reaction of its own, queued when
//! it is woken, so it runs in the async context of what woke it: at first the caller's (the
//! method was called in it), then its own promise's reactions (a fetch's, a timer's, a token
//! another call fetched). wasm-bindgen-futures' `spawn_local` polls every task woken in a turn in
//! one reaction, queued by the first, so in Node every call made in the same turn, and every call
//! woken together (by a token, say), ran in the first one's `AsyncLocalStorage` context: a custom
//! `fetch`, a `rateLimit` function or `getAccessToken` read another request's store, and
//! OpenTelemetry put one request's Glassix calls in another request's trace.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::js;

struct Task {
    future: RefCell<Option<Pin<Box<dyn Future<Output = ()>>>>>,
    /// A reaction to poll it is queued.
    queued: Cell<bool>,
}

thread_local! {
    /// What a queued reaction calls: polls the task `schedule` was given.
    static RUN: Function = Closure::<dyn FnMut(f64)>::new(run).into_js_value().unchecked_into();
    /// The task being polled (its `Rc`'s pointer, not a reference held), for `park`.
    static CURRENT: Cell<usize> = const { Cell::new(0) };
}

/// Runs `future` to its end, from a reaction queued now (in the caller's context).
pub fn spawn(future: impl Future<Output = ()> + 'static) {
    wake(&Rc::new(Task {
        future: RefCell::new(Some(Box::pin(future))),
        queued: Cell::new(false),
    }));
}

fn wake(task: &Rc<Task>) {
    let id = claim(task);
    if id != 0.0 {
        RUN.with(|run| js::schedule(run, id));
    }
}

/// Marks `task` queued and returns the id of the one reaction that may poll it next: a strong
/// reference, which `run` takes back (a number: an `f64` crosses to JS as it is, a `u32` through
/// a glue shim). 0 when a reaction is queued already.
fn claim(task: &Rc<Task>) -> f64 {
    match task.queued.replace(true) {
        false => Rc::into_raw(task.clone()) as usize as f64,
        true => 0.0,
    }
}

fn run(id: f64) {
    // SAFETY: `id` is the reference `wake` handed to its one reaction
    let task = unsafe { Rc::from_raw(id as usize as *const Task) };
    // (still borrowed only if a poll was cut short, by a trap: the task is dead, not the others)
    let Ok(mut future) = task.future.try_borrow_mut() else {
        return;
    };
    let Some(f) = future.as_mut() else { return };
    task.queued.set(false);
    let waker = waker(task.clone());
    let outer = CURRENT.replace(Rc::as_ptr(&task) as usize);
    let ready = f.as_mut().poll(&mut Context::from_waker(&waker)).is_ready();
    CURRENT.set(outer);
    if ready {
        *future = None;
        // a task that has finished stays `queued`: a late wake queues nothing
        task.queued.set(true);
    }
}

/// Parks the task being polled until the function returned is called, by anyone, in any context;
/// the task then goes on in a reaction of a promise made now, so in its own context (workerd
/// resumes a request's work only through a promise made in that request; a client shared by
/// concurrent requests wakes one request's call from another's). Await the future returned
/// right away. While parked, nothing else polls the task (its other wakes are ignored: the
/// reaction polls it anyway), so the future is ready at its second poll. Cheaper than a
/// `JsFuture` on a promise: no closures of the wasm, one reaction (JS heap, about 0.5 KB less a
/// queued call). A task already queued to run (something woke it in this poll) is not parked
/// again: the future is ready at that run and the caller looks again.
pub fn park() -> (Function, Parked) {
    let current = CURRENT.with(Cell::get);
    if current == 0 {
        // not polled by `run`: no task to park (every call's future runs in `spawn`'s task; a
        // test drives the gate through `spawn` too)
        std::process::abort();
    }
    // SAFETY: `run` sets CURRENT to a task it holds for the length of the poll, which is when
    // `park` is called
    let task = unsafe { held(current as *const ()) };
    (RUN.with(|run| js::park(run, claim(&task))), Parked(false))
}

/// What `park` waits on: ready from its second poll.
pub struct Parked(bool);

impl Future for Parked {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context) -> Poll<()> {
        match self.0 {
            true => Poll::Ready(()),
            false => {
                self.0 = true;
                Poll::Pending
            }
        }
    }
}

fn waker(task: Rc<Task>) -> Waker {
    // SAFETY: the vtable's functions treat the pointer as the `Rc` it was made from
    unsafe { Waker::from_raw(raw(task)) }
}

fn raw(task: Rc<Task>) -> RawWaker {
    RawWaker::new(Rc::into_raw(task) as *const (), &VTABLE)
}

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake_owned, wake_by_ref, drop_ref);

/// The `Rc` a waker's pointer stands for, without taking it.
unsafe fn held(p: *const ()) -> ManuallyDrop<Rc<Task>> {
    ManuallyDrop::new(Rc::from_raw(p as *const Task))
}

unsafe fn clone(p: *const ()) -> RawWaker {
    raw(Rc::clone(&held(p)))
}

unsafe fn wake_owned(p: *const ()) {
    wake(&Rc::from_raw(p as *const Task));
}

unsafe fn wake_by_ref(p: *const ()) {
    wake(&held(p));
}

unsafe fn drop_ref(p: *const ()) {
    drop(Rc::from_raw(p as *const Task));
}
