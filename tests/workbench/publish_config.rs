//! `p` and `P` with no `[[publish]]` known read config.toml again (on a
//! worker), so one added while the workbench runs is used.

use std::path::PathBuf;

use crate::fixture::*;
use crate::publish::{config_at, jobs, press_reading, publish_to};
use gvmi::tui::app::Effect;
use gvmi::tui::event::{ConfigRead, Event, PublishPress};
use gvmi_core::config::Config;
use ratatui::crossterm::event::KeyCode;

/// A `[[publish]]` added to config.toml while the workbench runs is found
/// by the next `p` or `P`, which reads the file again (on a worker) when
/// it knows no destination, then publishes; a file that cannot be read is
/// said.
#[test]
fn p_reads_config_toml_again_and_publishes_with_a_publish_added_since() {
    let mut app = config_at(120, 40, "/c/gvmi/config.toml");
    let a = discover(&mut app, "a.gvmi", 100, 1);
    discover(&mut app, "b.gvmi", 100, 1);
    finish(&mut app, a, 100, 1, 3);
    app.take_effects();
    assert!(matches!(
        press(&mut app, KeyCode::Char('p')),
        Some(Effect::ReadConfig(PublishPress::One(_)))
    ));
    let mut added = Config::default();
    added.publishes.push(publish_to("/images", "s3://bkt/imgs"));
    let effects = press_reading(&mut app, KeyCode::Char('p'), added.clone());
    let [Effect::Publish(jobs)] = &effects[..] else {
        panic!("{effects:?}");
    };
    assert_eq!(jobs[0].path, PathBuf::from("/images/a.gvmi"));
    assert_eq!(jobs[0].to.spec.to, "s3://bkt/imgs");
    // Known now: the next press publishes without reading the file again.
    assert_eq!(
        jobs_of(press(&mut app, KeyCode::Char('P'))),
        1,
        "b.gvmi, a.gvmi busy"
    );

    let mut app = config_at(120, 40, "/c/gvmi/config.toml");
    discover(&mut app, "a.gvmi", 100, 1);
    discover(&mut app, "b.gvmi", 100, 1);
    let effects = press_reading(&mut app, KeyCode::Char('P'), added);
    let [Effect::Publish(jobs)] = &effects[..] else {
        panic!("{effects:?}");
    };
    assert_eq!(jobs.len(), 2, "P: every row under the folder");

    let mut app = config_at(120, 40, "/c/gvmi/config.toml");
    discover(&mut app, "a.gvmi", 100, 1);
    let Some(Effect::ReadConfig(again)) = press(&mut app, KeyCode::Char('p')) else {
        panic!("reads config.toml again");
    };
    let broken = "/c/gvmi/config.toml:3:1: unknown field `too`".to_string();
    app.apply(Event::ConfigRead(ConfigRead {
        config: Err(broken),
        press: again,
    }));
    assert!(app.take_work().is_empty());
    assert_eq!(
        status(&app).as_deref(),
        Some("config.toml not read: /c/gvmi/config.toml:3:1: unknown field `too`")
    );
}

fn jobs_of(effect: Option<Effect>) -> usize {
    jobs(effect).len()
}
