//! What `u` and `c` may put on the clipboard: the one URL rule
//! (`image_url::check`) the CLI's `gvmi snippet` follows. A URL from a
//! tampered saved-URLs file holding ESC, CR/LF (a paste that runs
//! `import os` in a shell), OSC 52, a C1 control or U+202E is never copied,
//! nor is a snippet for `javascript:`; the status line says why.

use gvmi::tui::app::Effect;
use gvmi::tui::event::Event;
use gvmi::tui::saved_urls::SavedUrls;
use gvmi_core::snippet::Target;
use ratatui::crossterm::event::KeyCode;

use crate::fixture::*;

/// The URLs an attacker writes into `workbench-urls.v1.json`.
const HOSTILE: [(&str, &str); 6] = [
    ("esc", "https://e.com/a.gvmi\x1b[31m"),
    ("crlf", "https://e.com/a.gvmi\r\nimport os"),
    ("osc52", "https://e.com/\x1b]52;c;aGk=\x07a.gvmi"),
    ("c1", "https://e.com/\u{9b}6na.gvmi"),
    ("bidi", "https://e.com/\u{202e}imvg.a"),
    ("zero-width", "https://e\u{200b}.com/a.gvmi"),
];

/// A workbench whose one hashed row `a.gvmi` has `url`, restored from a
/// saved-URLs file as a real start would.
fn with_url(url: &str) -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("workbench-urls.v1.json");
    let json = serde_json::json!({
        "version": 1,
        "images": { "/images/a.gvmi": url },
    });
    std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();
    let mut app = app(100, 20);
    app.apply(Event::SavedUrls(Ok(SavedUrls::load(&file).unwrap())));
    let id = discover(&mut app, "a.gvmi", 10, 1);
    finish(&mut app, id, 10, 1, 3);
    assert_eq!(app.serving().url_for(first_row(&app)).as_deref(), Some(url));
    app
}

fn said(app: &Bench) -> String {
    status(app).unwrap_or_default()
}

#[test]
fn a_url_with_controls_or_bidi_is_never_copied_nor_put_in_a_snippet() {
    for (what, url) in HOSTILE {
        let mut app = with_url(url);
        let copied = press(&mut app, KeyCode::Char('u'));
        assert!(copied.is_none(), "{what}: u copied {copied:?}");
        assert!(
            said(&app).starts_with("URL not copied: the URL contains a control"),
            "{what}: {}",
            said(&app)
        );
        let copied = press(&mut app, KeyCode::Char('c'));
        assert!(copied.is_none(), "{what}: c copied {copied:?}");
        assert!(
            said(&app).starts_with("No snippet: the URL contains a control"),
            "{what}: {}",
            said(&app)
        );
        // The status line is drawn through `visible`: nothing raw on screen.
        let shown = screen(&app);
        assert!(
            !shown.contains(['\x1b', '\r', '\u{9b}', '\u{202e}']),
            "{what}"
        );
    }
}

#[test]
fn a_scheme_the_cli_refuses_is_refused_here_too() {
    for url in [
        "javascript:alert(1)//a.gvmi",
        "data:,a.gvmi",
        "ftp://e.com/a.gvmi",
    ] {
        let mut app = with_url(url);
        for target in Target::ALL
            .into_iter()
            .filter(|t| t.unsupported_reason().is_none())
        {
            set_target(&mut app, target);
            assert!(
                press(&mut app, KeyCode::Char('u')).is_none(),
                "{url} {target}"
            );
            assert!(said(&app).contains("is not supported"), "{}", said(&app));
            assert!(
                press(&mut app, KeyCode::Char('c')).is_none(),
                "{url} {target}"
            );
            assert!(
                said(&app).starts_with("No snippet: scheme"),
                "{}",
                said(&app)
            );
        }
    }
    // file:// is golem-js's alone, as in `gvmi snippet --target`.
    let mut app = with_url("file:///srv/www/a.gvmi");
    set_target(&mut app, Target::GolemJs);
    assert!(matches!(
        press(&mut app, KeyCode::Char('u')),
        Some(Effect::Copy { .. })
    ));
    assert!(matches!(
        press(&mut app, KeyCode::Char('c')),
        Some(Effect::Copy { .. })
    ));
    set_target(&mut app, Target::Yapapi);
    assert!(press(&mut app, KeyCode::Char('u')).is_none());
    assert!(said(&app).contains("golem-js"), "{}", said(&app));
}

#[test]
fn a_good_url_is_copied_as_it_is_and_its_snippet_carries_it() {
    let url = "https://cdn.example.com/img/a.gvmi";
    let mut app = with_url(url);
    match press(&mut app, KeyCode::Char('u')) {
        Some(Effect::Copy { text, .. }) => assert_eq!(text, url),
        other => panic!("expected a copy, got {other:?}"),
    }
    match press(&mut app, KeyCode::Char('c')) {
        Some(Effect::Copy { text, .. }) => assert!(text.contains(url), "{text}"),
        other => panic!("expected a copy, got {other:?}"),
    }
}

/// `u` and `c` warn as `gvmi snippet` does of a URL providers cannot
/// reach (loopback, private), in the same words: the copy's warning, which
/// the status line shows before where the copy went.
#[test]
fn a_loopback_or_private_url_is_copied_with_the_cli_warning() {
    use gvmi_core::image_url::UrlWarning;
    let cases = [
        (
            "http://127.0.0.1:8080/a.gvmi",
            UrlWarning::Loopback([127, 0, 0, 1].into()),
        ),
        (
            "https://192.168.1.5/a.gvmi",
            UrlWarning::PrivateAddress([192, 168, 1, 5].into()),
        ),
    ];
    for (url, expected) in cases {
        let expected = expected.to_string();
        let mut app = with_url(url);
        for key in ['u', 'c'] {
            match press(&mut app, KeyCode::Char(key)) {
                Some(Effect::Copy { warning, .. }) => assert!(
                    warning.as_deref().is_some_and(|w| w.contains(&expected)),
                    "{key} on {url}: {warning:?}"
                ),
                other => panic!("{key} on {url}: expected a copy, got {other:?}"),
            }
        }
    }
    // A public URL comes with no warning.
    let mut app = with_url("https://cdn.example.com/a.gvmi");
    match press(&mut app, KeyCode::Char('u')) {
        Some(Effect::Copy { warning, .. }) => assert_eq!(warning, None),
        other => panic!("expected a copy, got {other:?}"),
    }
}

/// `e` and `b` refuse what `gvmi snippet` refuses (`javascript:`, a
/// control character): the editor stays open with the text, the status
/// says why, and nothing is set or kept.
#[test]
fn e_and_b_refuse_a_url_the_cli_refuses() {
    let mut app = app(100, 20);
    let id = discover(&mut app, "a.gvmi", 10, 1);
    finish(&mut app, id, 10, 1, 3);
    for key in ['e', 'b'] {
        press(&mut app, KeyCode::Char(key));
        ctrl(&mut app, 'u');
        typed(&mut app, "javascript:alert(1)//");
        let effect = press(&mut app, KeyCode::Enter);
        assert!(effect.is_none(), "{key}: {effect:?}");
        assert_eq!(
            said(&app),
            "Not set: scheme \"javascript\" is not supported: use http or https",
            "{key}"
        );
        assert!(
            matches!(app.mode(), gvmi::tui::app::Mode::Edit { editor, .. }
                if editor.text() == "javascript:alert(1)//"),
            "{key}: the editor stays open with the text"
        );
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.serving().url_for(first_row(&app)), None, "{key}");
    }
    // A good URL is set as before.
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, "https://cdn.example.com/a.gvmi");
    assert!(
        press(&mut app, KeyCode::Enter).is_some(),
        "kept for next time"
    );
    assert_eq!(
        app.serving().url_for(first_row(&app)).as_deref(),
        Some("https://cdn.example.com/a.gvmi")
    );
}
