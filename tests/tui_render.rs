//! Snapshots of the workbench's main screens, drawn by the real renderer.

mod tui_fixture;

use gvmi::event::Event;
use gvmi::hasher::HashFailure;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_fixture::*;

fn press(app: &mut gvmi::tui::app::App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn three_images(width: u16, height: u16) -> (gvmi::tui::app::App, [usize; 3]) {
    let mut app = app(width, height);
    let a = discover(&mut app, "alpine-3.19-6c1f2b9a0d.gvmi", 3_576_181, 0);
    let b = discover(&mut app, "tools/ubuntu-poc.gvmi", 3_846_504, 5);
    let c = discover(&mut app, "self-test.gvmi", 4_741, 9);
    (app, [a, b, c])
}

#[test]
fn scanning_shows_per_row_progress_and_the_overall_gauge() {
    let (mut app, [a, b, _]) = three_images(100, 12);
    progress(&mut app, a, 3_576_181, 1_500_000);
    finish(&mut app, b, 3_846_504, 5, 2);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn done_shows_hashes_and_a_summary() {
    let (mut app, [a, b, c]) = three_images(100, 10);
    finish(&mut app, a, 3_576_181, 0, 1);
    finish(&mut app, b, 3_846_504, 5, 2);
    finish(&mut app, c, 4_741, 9, 3);
    app.apply(Event::DiscoveryDone);
    let text = screen(&app);
    assert!(text.contains("✓ 3 hashed"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn errors_are_rows_with_their_reason() {
    let (mut app, [a, b, c]) = three_images(100, 10);
    problem(&mut app, "pipe.gvmi", "not a regular file (FIFO)");
    fail(&mut app, a, HashFailure::Io("Permission denied".into()));
    fail(&mut app, b, HashFailure::Changed);
    finish(&mut app, c, 4_741, 9, 3);
    app.apply(Event::DiscoveryDone);
    let text = screen(&app);
    assert!(text.contains("not a regular file (FIFO)") && text.contains("Permission denied"));
    insta::assert_snapshot!(text);
}

#[test]
fn details_pane_below_on_80_columns() {
    let (mut app, [a, ..]) = three_images(80, 24);
    finish(&mut app, a, 3_576_181, 0, 1);
    app.apply(Event::DiscoveryDone);
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn details_pane_beside_on_wide_terminals() {
    let (mut app, [a, ..]) = three_images(160, 16);
    finish(&mut app, a, 3_576_181, 0, 1);
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn help_overlay_lists_every_key() {
    let (mut app, _) = three_images(80, 24);
    press(&mut app, KeyCode::Char('?'));
    let text = screen(&app);
    for (key, _) in gvmi::tui::ui::help::KEYS {
        assert!(text.contains(key), "help lacks {key}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn narrow_terminal_drops_columns_instead_of_breaking() {
    let (mut app, [a, ..]) = three_images(56, 8);
    finish(&mut app, a, 3_576_181, 0, 1);
    let text = screen(&app);
    assert!(!text.contains("Folder") && !text.contains("Modified"));
    assert!(text.contains("Name") && text.contains("SHA3-224"));
    insta::assert_snapshot!(text);
}

#[test]
fn empty_folder_says_so() {
    let mut app = app(80, 6);
    app.apply(Event::DiscoveryDone);
    let text = screen(&app);
    assert!(text.contains("No .gvmi images here"));
    insta::assert_snapshot!(text);
}
