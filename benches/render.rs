//! Cost of drawing one workbench frame with 10,000 images listed: only the
//! visible rows should be built, so this must stay far below a frame budget.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use criterion::{criterion_group, criterion_main, Criterion};
use gvmi::tui::app::{App, JobIds, Msg, Settings};
use gvmi::tui::event::Event;
use gvmi_core::cancel::CancelToken;
use gvmi_core::digest::Sha3Digest;
use gvmi_core::discover::Found;
use gvmi_core::event::JobEvent;
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::Hashed;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

fn app_with(rows: usize, width: u16, height: u16) -> App {
    let mut app = App::new(
        JobIds::default(),
        CancelToken::new(),
        (width, height),
        Settings::default(),
        false,
    );
    for i in 0..rows {
        let stamp = FileStamp {
            size: 1_000_000 + i as u64,
            mtime: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000 + i as u64)),
            id: None,
            ctime: None,
        };
        let found = Found::Image {
            path: PathBuf::from(format!("/images/set-{}/image-{i:05}.gvmi", i % 17)),
            root: PathBuf::from("/images"),
            stamp,
        };
        app.update(Msg::Event(Event::Discovered { id: i, found }));
        if i % 3 != 0 {
            let mut digest = [0u8; 28];
            digest[..8].copy_from_slice(&(i as u64).to_le_bytes());
            let result = Ok(Hashed {
                digest: Sha3Digest(digest),
                stamp,
            });
            app.update(Msg::Event(Event::Job(JobEvent::Finished { id: i, result })));
        }
    }
    app
}

fn render_frames(c: &mut Criterion) {
    for (label, width, height, details) in [
        ("10k rows, 200x50", 200, 50, false),
        ("10k rows, 200x50, details", 200, 50, true),
        ("10k rows, 80x24", 80, 24, false),
    ] {
        let mut app = app_with(10_000, width, height);
        let key = |code| Msg::Input(TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        if details {
            app.update(key(KeyCode::Enter));
        }
        for _ in 0..5_000 {
            app.update(key(KeyCode::Down));
        }
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        c.bench_function(label, |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| gvmi::tui::ui::render(&app, frame))
                    .unwrap();
            })
        });
    }
}

criterion_group!(benches, render_frames);
criterion_main!(benches);
