//! The workbench's arrows point from the view to the state, never back:
//! no module of the state (`tui::app`, its parts, the keymap, the layout)
//! imports `tui::ui`. Read by the repository's import reader
//! (`.ci/import-circles --edges`), the one CI runs for circles.

use crate::support::run::{run, tool};
use crate::support::tools::require_tool;

#[test]
fn the_state_imports_nothing_of_the_view() {
    if !require_tool("python3") {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/import-circles");
    let (code, out, err) = run(tool("python3", [script, "--edges", "gvmi::tui"]));
    assert_eq!(code, 0, "{err}");
    let edges: Vec<(&str, Vec<&str>)> = (out.lines())
        .filter_map(|l| l.split_once(" -> "))
        .map(|(from, to)| (from, to.split(", ").filter(|t| !t.is_empty()).collect()))
        .collect();
    assert!(
        edges.iter().any(|(from, _)| *from == "gvmi::tui::app"),
        "no edges read:\n{out}"
    );
    let is_view = |m: &str| m == "gvmi::tui::ui" || m.starts_with("gvmi::tui::ui::");
    // The loop (`gvmi::tui` itself) draws, so it may name the view.
    let wrong: Vec<String> = (edges.iter())
        .filter(|(from, _)| *from != "gvmi::tui" && !is_view(from))
        .flat_map(|(from, to)| {
            to.iter()
                .filter(|t| is_view(t))
                .map(move |t| format!("{from} -> {t}"))
        })
        .collect();
    assert!(wrong.is_empty(), "state imports the view: {wrong:?}");
}
