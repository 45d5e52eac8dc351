//! Snapshots of the workbench's main screens, drawn by the real renderer.

use crate::fixture::*;
use gvmi::tui::event::Event;
use gvmi_core::hasher::HashFailure;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn three_images(width: u16, height: u16) -> (Bench, [usize; 3]) {
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
    for (keys, words) in gvmi::tui::ui::help::lines() {
        assert!(text.contains(&keys), "help lacks {keys}:\n{text}");
        assert!(text.contains(words), "help lacks {words}:\n{text}");
    }
    // Ctrl-Z suspends: it has its own line, never beside "quit".
    let lines = gvmi::tui::ui::help::lines();
    let line_of = |key: &str| lines.iter().find(|(k, _)| k.split(' ').any(|k| k == key));
    assert!(line_of("Ctrl-Z").is_some_and(|(k, w)| k == "Ctrl-Z" && w.starts_with("suspend")));
    assert!(line_of("q").is_some_and(|(_, w)| w.starts_with("quit") && !w.contains("Ctrl-Z")));
    // It all fits at 80×24, inside the frame.
    assert!(
        text.lines().nth(23).is_some_and(|l| l.contains('└')),
        "{text}"
    );
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

/// The snippet as `c` copies it, for the selected row.
fn snippet_lines(app: &Bench) -> Vec<String> {
    let row = app.selected_row().unwrap();
    let snippet = app.serving().snippet_for(row).unwrap();
    snippet.lines().map(str::to_string).collect()
}

#[test]
fn details_at_200x50_show_the_whole_snippet_unwrapped() {
    let (mut app, [a, ..]) = three_images(200, 50);
    finish(&mut app, a, 3_576_181, 0, 1);
    app.apply(Event::DiscoveryDone);
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    for line in snippet_lines(&app) {
        assert!(
            text.lines().any(|l| l.ends_with(line.trim_end())),
            "snippet line {line:?} not shown whole:\n{text}"
        );
    }
    insta::assert_snapshot!(text);
}

#[test]
fn details_at_80x24_show_every_snippet_line_cut_never_wrapped() {
    let (mut app, [a, ..]) = three_images(80, 24);
    finish(&mut app, a, 3_576_181, 0, 1);
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    for line in snippet_lines(&app) {
        let shown = text.lines().any(|l| {
            l == line.trim_end()
                || l.strip_suffix('→')
                    .is_some_and(|cut| !cut.is_empty() && line.starts_with(cut))
        });
        assert!(shown, "snippet line {line:?} missing or wrapped:\n{text}");
    }
}

/// The first line of the details pane's text (below its title).
fn pane_top(app: &Bench) -> String {
    let text = screen(app);
    let mut lines = text.lines().skip_while(|l| !l.contains(" Details "));
    lines.next();
    lines.next().unwrap_or_default().to_string()
}

#[test]
fn the_details_pane_scrolls_by_keys_and_wheel() {
    use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
    let (mut app, [a, ..]) = three_images(80, 24);
    finish(&mut app, a, 3_576_181, 0, 1);
    press(&mut app, KeyCode::Enter);
    assert!(pane_top(&app).starts_with("Snippet (yapapi)"));
    assert!(!screen(&app).contains("Modified 2026"), "below the fold");
    key(&mut app, KeyEvent::new(KeyCode::Down, KeyModifiers::SHIFT));
    assert!(pane_top(&app).starts_with("⚠ placeholder URL"));
    // Tab gives the pane the focus: End scrolls to its last line.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::End);
    let text = screen(&app);
    assert!(text.contains("Modified 2026-11-18 11:06 UTC"), "{text}");
    assert!(text.contains(&format!("of {}", app.view().details_offset().0 + 14)));
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.view().details_offset().0, 0);
    // Sideways, code only: the cut URL line shows its end.
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    let text = screen(&app);
    assert!(
        text.lines()
            .any(|l| l.starts_with('←') && l.ends_with("9a0d.gvmi\",")),
        "{text}"
    );
    assert!(
        text.contains("Snippet (yapapi)"),
        "text lines do not scroll"
    );
    press(&mut app, KeyCode::Home);
    // The wheel over the pane scrolls it, not the table.
    let area = gvmi::tui::layout::details_area(&app.shape()).unwrap();
    let selected = app.view().selected();
    input(
        &mut app,
        ratatui::crossterm::event::Event::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: area.x + 2,
            row: area.y + 3,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(app.view().details_offset().0, 3);
    assert_eq!(app.view().selected(), selected);
    // Esc closes the pane; another row starts at the top.
    press(&mut app, KeyCode::Esc);
    assert!(!app.view().show_details() && !app.quitting());
}

#[test]
fn long_field_values_wrap_under_their_column() {
    let mut app = app(80, 40);
    let name = format!("{}.gvmi", "very-long-image-name-".repeat(5));
    let id = discover(&mut app, &name, 10, 0);
    finish(&mut app, id, 10, 0, 1);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::End);
    let text = screen(&app);
    let path_line = text
        .lines()
        .position(|l| l.starts_with("Path     /images/"))
        .unwrap();
    let next = text.lines().nth(path_line + 1).unwrap();
    assert!(
        next.starts_with("         ") && next.trim_start().starts_with("very-long"),
        "continuation under the value's column:\n{text}"
    );
}

/// Names, URLs and messages from outside reach the screen escaped: no
/// control, bidi override or zero-width character is drawn raw.
#[test]
fn unsafe_characters_in_names_and_urls_are_shown_escaped() {
    let mut app = app(200, 40);
    let id = discover(
        &mut app,
        "evil\u{202e}lmth.\u{200b}x\u{1b}]0;t\u{7}.gvmi",
        10,
        0,
    );
    finish(&mut app, id, 10, 0, 1);
    // A URL `e` would refuse, from a tampered saved-URLs file.
    let path = first_row(&app).path().to_path_buf();
    let url = "https://cdn.example.com/\u{202e}a.gvmi";
    let mut saved = gvmi::tui::saved_urls::SavedUrls::default();
    saved.apply(&gvmi::tui::saved_urls::UrlChange::Image(
        path,
        Some(url.into()),
    ));
    app.apply(Event::SavedUrls(Ok(saved)));
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    for bad in ['\u{202e}', '\u{200b}', '\u{1b}', '\u{7}'] {
        assert!(!text.contains(bad), "{bad:?} drawn raw:\n{text}");
    }
    assert!(
        text.contains("evil\\u{202e}lmth.\\u{200b}x\\e]0;t\\x07.gvmi"),
        "{text}"
    );
    assert!(
        text.contains("https://cdn.example.com/\\u{202e}a.gvmi"),
        "{text}"
    );
    // What the user types into the filter is shown the same way.
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Char('\u{202e}'));
    let text = screen(&app);
    assert!(!text.contains('\u{202e}'), "{text}");
    assert!(text.contains("filter: \\u{202e}"), "{text}");
}

/// Two folder arguments, each holding `app.gvmi` and `tools/app.gvmi`.
fn two_roots(width: u16, height: u16) -> Bench {
    use gvmi_core::discover::Found;
    let mut app = app(width, height);
    for (n, root) in ["/srv/alpha", "/srv/beta"].into_iter().enumerate() {
        for (m, rel) in ["app.gvmi", "tools/app.gvmi"].into_iter().enumerate() {
            let root = std::path::PathBuf::from(root);
            let id = 100 + n * 10 + m;
            let found = Found::Image {
                path: root.join(rel),
                root,
                stamp: stamp(10, 1),
            };
            app.apply(Event::Discovered { id, found });
            finish(&mut app, id, 10, 1, (n * 10 + m) as u8);
        }
    }
    app.apply(Event::DiscoveryDone);
    app
}

/// Two folder arguments holding images of the same name: the Folder
/// column names each row's root, so the rows can be told apart.
#[test]
fn two_roots_with_same_named_images_are_told_apart() {
    let text = screen(&two_roots(120, 9));
    for folder in ["alpha ", "alpha/tools", "beta ", "beta/tools"] {
        assert!(
            text.lines()
                .any(|l| l.contains("app.gvmi") && l.contains(folder)),
            "no row in {folder:?}:\n{text}"
        );
    }
    insta::assert_snapshot!(text);
}

/// The same at 80×24, where one root alone has no Folder column: with
/// several roots it stays, narrower, and each row still names its root.
#[test]
fn two_roots_at_80_columns_keep_a_folder_column() {
    let text = screen(&two_roots(80, 24));
    assert!(text.contains("Folder"), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("app.gvmi")).collect();
    assert_eq!(rows.len(), 4, "{text}");
    for root in ["alpha", "beta"] {
        assert_eq!(
            rows.iter().filter(|l| l.contains(root)).count(),
            2,
            "{root}:\n{text}"
        );
    }
    insta::assert_snapshot!(text);
}

/// A hashed row's snippet says where its hash came from in `gvmi snippet`'s
/// words; an error row's details and `c` say it can never have one (not
/// "once the hash is known"), and why.
#[test]
fn snippets_say_where_the_hash_came_from_or_why_there_is_none() {
    let (mut app, [a, ..]) = three_images(100, 30);
    problem(&mut app, "pipe.gvmi", "not a regular file (FIFO)");
    finish(&mut app, a, 3_576_181, 0, 1);
    app.apply(Event::DiscoveryDone);
    let about = "# Golem VM image alpine-3.19-6c1f2b9a0d.gvmi, 3.4 MiB, \
                 SHA3-224 computed by gvmi";
    assert!(
        snippet_lines(&app).iter().any(|l| l == about),
        "{:?}",
        snippet_lines(&app)
    );
    for _ in 0..app.rows().len() {
        if app.selected_row().is_some_and(|r| r.name() == "pipe.gvmi") {
            break;
        }
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    let why = "this file cannot be hashed: not a regular file (FIFO)";
    assert!(
        text.contains(why) && !text.contains("once the hash"),
        "{text}"
    );
    press(&mut app, KeyCode::Char('c'));
    assert!(
        screen(&app).contains(&format!("No snippet: {why}")),
        "{}",
        screen(&app)
    );
}

/// Counts of one are singular: `1 image`, `✗ 1 error`.
#[test]
fn counts_of_one_are_singular() {
    let mut app = app(80, 8);
    let a = discover(&mut app, "a.gvmi", 10, 0);
    finish(&mut app, a, 10, 0, 1);
    app.apply(Event::DiscoveryDone);
    assert!(screen(&app).contains(" 1 image · "), "{}", screen(&app));
    let b = discover(&mut app, "b.gvmi", 10, 0);
    fail(&mut app, b, HashFailure::Io("Permission denied".into()));
    let text = screen(&app);
    assert!(
        text.contains(" 2 images · ") && text.contains("✗ 1 error\n"),
        "{text}"
    );
}

/// Where an OSC 52 copy went, its reason and the snippet's warning, at
/// 80 columns: every word shown, each line under the message's own start.
#[test]
fn a_long_status_wraps_under_its_start_and_keeps_every_word() {
    let (mut app, [a, ..]) = three_images(80, 24);
    finish(&mut app, a, 3_576_181, 0, 1);
    let message = format!(
        "⚠ placeholder URL: set one with e or b · yapapi snippet {} \
         (no DISPLAY or WAYLAND_DISPLAY set)",
        gvmi::clipboard::OSC52_SENT
    );
    assert!(message.chars().count() > 160, "needs three lines");
    app.apply(Event::Status(message.clone()));
    let text = screen(&app);
    let start = text.find(" ⚠ placeholder").expect(&text);
    let lines: Vec<&str> = text[start..].lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with(' ') && !l.starts_with("  ")),
        "{text}"
    );
    let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
    assert_eq!(
        words,
        message.split_whitespace().collect::<Vec<_>>(),
        "{text}"
    );
}

/// Three hashed images, the first with a URL of its own, at `width`.
fn with_a_url(width: u16) -> (Bench, String) {
    let (mut app, [a, b, c]) = three_images(width, 8);
    finish(&mut app, a, 3_576_181, 0, 1);
    finish(&mut app, b, 3_846_504, 5, 2);
    finish(&mut app, c, 4_741, 9, 3);
    app.apply(Event::DiscoveryDone);
    let alpine = row_id(&app, "alpine-3.19-6c1f2b9a0d.gvmi");
    set_url(
        &mut app,
        alpine,
        Some("https://cdn.example.com/alpine.gvmi"),
    );
    let text = screen(&app);
    (app, text)
}

/// The table lines that show a row (not the title, header or footer).
fn table_rows(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("✓ done")).collect()
}

#[test]
fn the_table_at_80_120_and_200_columns_marks_urls_and_gives_the_hash_room() {
    // README: all 56 digits from 137 columns (no Σ≡ column, folders of
    // at most 6 characters).
    for width in [80u16, 120, 136, 137, 200] {
        let (app, text) = with_a_url(width);
        // The Folder column is as wide as its widest entry (`tools`, under
        // its title), not a share of the screen.
        let header = text.lines().nth(1).unwrap();
        assert!(
            width < 96 || header.contains("Folder Size "),
            "{width}:\n{text}"
        );
        let rows = table_rows(&text);
        assert_eq!(rows.len(), 3, "{text}");
        // Only the row with a URL is marked, in the URL column.
        let url_at = text
            .lines()
            .nth(1)
            .unwrap()
            .find("URL")
            .expect("a URL column");
        let marked: Vec<bool> = (rows.iter())
            .map(|r| {
                r.chars()
                    .skip(text.lines().nth(1).unwrap()[..url_at].chars().count())
                    .take(3)
                    .any(|c| c == '↗')
            })
            .collect();
        assert_eq!(marked, [true, false, false], "{width}:\n{text}");
        // Whole hashes when the width allows (200), cut with … otherwise.
        for row in app.rows().iter() {
            let hex = row.state.digest().unwrap().to_hex();
            assert_eq!(text.contains(&hex), width >= 137, "{width}:\n{text}");
        }
        // Name keeps room for the names (27 characters) at every width.
        assert!(
            text.contains("alpine-3.19-6c1f2b9a0d.gvmi"),
            "{width}:\n{text}"
        );
        if [80, 120, 200].contains(&width) {
            insta::assert_snapshot!(format!("table_{width}_columns"), text);
        }
    }
}

/// A deep folder gets at most a sixth of the screen, cut with `…`; the
/// Name column keeps the rest.
#[test]
fn a_deep_folder_is_cut_at_a_sixth_of_the_screen() {
    let mut app = app(120, 10);
    let id = discover(
        &mut app,
        "a/very/long/nested/folder/of/images/x.gvmi",
        10,
        1,
    );
    finish(&mut app, id, 10, 1, 1);
    let text = screen(&app);
    let row = text.lines().find(|l| l.contains("x.gvmi")).unwrap();
    let folder = row.split_whitespace().nth(3).unwrap();
    assert_eq!(folder.chars().count(), 20, "{text}");
    assert!(
        folder.starts_with("a/very/long/") && folder.ends_with('…'),
        "{text}"
    );
}
