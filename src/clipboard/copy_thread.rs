//! The copy chain on its own thread, for a program whose UI thread must not
//! wait: copies run one after another in the order asked (the last one asked
//! is the one left on the clipboard), each answered through its own reply.
//! The thread owns the [`Copier`], so the display's clipboard is opened,
//! held and handed over there.

use std::sync::mpsc::{self, Sender};
use std::time::Duration;

use super::chain::{Copier, Keep, Report};

type Reply = Box<dyn FnOnce(Report) + Send>;

enum Job {
    Copy(String, Reply),
    /// Hand over what the display holds, answer with the words, and end.
    Finish(Sender<Option<String>>),
}

pub struct CopyThread {
    jobs: Sender<Job>,
}

impl Default for CopyThread {
    fn default() -> Self {
        Self::spawn()
    }
}

impl CopyThread {
    pub fn spawn() -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("clipboard".into())
            .spawn(move || {
                // Built here: opening the display's clipboard is I/O.
                let mut copier = Copier::new();
                for job in queue {
                    match job {
                        Job::Copy(text, reply) => reply(
                            gvmi_core::caught::catch(|| copier.copy(&text, Keep::WhileRunning))
                                .unwrap_or_else(|panic| Report::broken(panic.message())),
                        ),
                        Job::Finish(answer) => {
                            let words = gvmi_core::caught::catch(|| copier.hand_over())
                                .unwrap_or_else(|panic| {
                                    Some(format!(
                                        "the clipboard was not handed over: {}",
                                        panic.message()
                                    ))
                                });
                            let _ = answer.send(words);
                            return;
                        }
                    }
                }
            });
        // Without a thread, every copy is answered at once with why (below).
        if spawned.is_err() {
            let (jobs, _) = mpsc::channel();
            return CopyThread { jobs };
        }
        CopyThread { jobs }
    }

    /// Runs the chain for `text`; `reply` gets the report, on the copying
    /// thread (or at once, if that thread is gone).
    pub fn copy(&self, text: String, reply: impl FnOnce(Report) + Send + 'static) {
        if let Err(mpsc::SendError(Job::Copy(_, reply))) =
            self.jobs.send(Job::Copy(text, Box::new(reply)))
        {
            reply(Report::broken("the clipboard thread is not running"));
        }
    }

    /// On quit: the display's copy is handed to a detached helper so it
    /// outlives gvmi. Waits at most `wait` (after any copies still queued);
    /// the words for the user, if there is anything to say.
    pub fn finish(self, wait: Duration) -> Option<String> {
        let (answer, words) = mpsc::channel();
        self.jobs.send(Job::Finish(answer)).ok()?;
        match words.recv_timeout(wait) {
            Ok(words) => words,
            Err(mpsc::RecvTimeoutError::Timeout) => Some(format!(
                "the clipboard may not keep the last copy (handing it over took over {} s)",
                wait.as_secs()
            )),
            Err(mpsc::RecvTimeoutError::Disconnected) => None,
        }
    }
}
