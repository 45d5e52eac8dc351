//! What stays on screen and for how long: a status message (and the
//! reminder of the last copy) gives the key hints back after its time,
//! counted in the loop's ticks; the details pane shows new content from
//! its top.

use std::time::{Duration, Instant};

use crate::fixture::*;
use gvmi::tui::event::Event;
use gvmi::tui::notes::lasts;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const HINTS: &str = "c snippet · y hash · u url";

fn one_hashed_image(width: u16, height: u16) -> Bench {
    let mut app = app(width, height);
    let id = discover(&mut app, "alpine-3.19-6c1f2b9a0d.gvmi", 3_576_181, 0);
    finish(&mut app, id, 3_576_181, 0, 1);
    app.apply(Event::DiscoveryDone);
    app
}

#[test]
fn a_status_message_expires_and_the_key_hints_come_back() {
    let mut app = one_hashed_image(100, 12);
    assert!(screen(&app).contains(HINTS));
    let t0 = Instant::now();
    let message = "Saved the base URL to /home/me/.config/gvmi/config.toml";
    app.apply(Event::Status(message.into()));
    app.apply(Event::Tick(t0));
    app.apply(Event::Tick(
        t0 + lasts(message) - Duration::from_millis(100),
    ));
    assert!(
        screen(&app).contains("Saved the base URL"),
        "{}",
        screen(&app)
    );
    // A new message starts its own time.
    let later = t0 + Duration::from_secs(3);
    app.apply(Event::Status("Publishing 1 image…".into()));
    app.apply(Event::Tick(later));
    app.apply(Event::Tick(t0 + lasts(message)));
    assert!(screen(&app).contains("Publishing 1 image…"));
    app.apply(Event::Tick(later + lasts("Publishing 1 image…")));
    assert_eq!(app.notes().status(), None);
    assert!(screen(&app).contains(HINTS), "{}", screen(&app));
}

#[test]
fn after_a_copy_the_key_hints_come_back() {
    let mut app = one_hashed_image(100, 12);
    press(&mut app, KeyCode::Char('c'));
    let copied = "copied: X11 clipboard";
    app.apply(Event::Status(copied.into()));
    let t0 = Instant::now();
    app.apply(Event::Tick(t0));
    assert!(screen(&app).contains(copied));
    // A key takes the message away; the reminder of the copy shows…
    let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
    input(&mut app, ratatui::crossterm::event::Event::Key(down));
    app.apply(Event::Tick(t0 + Duration::from_secs(1)));
    assert!(screen(&app).contains("last copied:"), "{}", screen(&app));
    assert!(!screen(&app).contains(HINTS));
    // …for a while, then the key hints are back.
    let shown = app.notes().last_copied().unwrap().to_string();
    app.apply(Event::Tick(t0 + Duration::from_secs(1) + lasts(&shown)));
    let text = screen(&app);
    assert!(
        text.contains(HINTS) && !text.contains("last copied"),
        "{text}"
    );
}

#[test]
fn long_messages_stay_longer_but_never_forever() {
    assert_eq!(lasts("ok"), Duration::from_secs(4));
    assert!(lasts(&"x".repeat(240)) > lasts(&"x".repeat(60)));
    assert_eq!(lasts(&"x".repeat(100_000)), Duration::from_secs(15));
}

#[test]
fn a_new_target_shows_its_snippet_from_the_top() {
    let mut app = one_hashed_image(80, 24);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::End);
    assert!(app.view().details_offset().0 > 0);
    // `t` (the table's key; the focus goes back to it first).
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('t'));
    assert_eq!(app.view().details_offset(), (0, 0));
    assert!(
        screen(&app).contains("Snippet (golem-core)"),
        "{}",
        screen(&app)
    );
    // Scrolled by Shift-↓, the same holds.
    key(&mut app, KeyEvent::new(KeyCode::Down, KeyModifiers::SHIFT));
    assert_eq!(app.view().details_offset().0, 1);
    press(&mut app, KeyCode::Char('t'));
    assert_eq!(app.view().details_offset(), (0, 0));
}
