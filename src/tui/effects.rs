//! Carrying out what the state asked for: queue hashing, copy, save config.
//! (Interim copy path; the clipboard chain lands with the snippet module.)

use super::app::{App, Effect};
use super::terminal::Screen;
use crate::engine::Engine;

pub struct Runner {}

impl Runner {
    pub fn new() -> Self {
        Runner {}
    }

    pub fn run(&mut self, effect: Effect, app: &mut App, engine: &Engine, _screen: &mut Screen) {
        match effect {
            Effect::Hash { jobs, token } => engine.submit(jobs, &token),
            Effect::Copy { what, text } => {
                app.status = Some(format!("Copied the {what}."));
                app.last_copied = Some(text);
            }
            Effect::SaveBaseUrl { folder, url } => {
                app.status = Some(format!("Base URL {url} kept for {}", folder.display()));
            }
            Effect::Quit => {}
        }
    }

    /// Called once on the way out; returns a message for after the screen is restored.
    pub fn finish(&mut self, _app: &mut App) -> Option<String> {
        None
    }
}
