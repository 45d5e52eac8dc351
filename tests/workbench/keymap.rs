//! The README's key table and the workbench's keymap (`tui::keymap`, the
//! table the key handler and the help screen read) name the same keys: a
//! key added, removed or renamed on one side fails here.

use std::collections::BTreeSet;

use gvmi::tui::keymap::{names_in, Context};

fn readme() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    std::fs::read_to_string(path).expect("README.md")
}

/// Every `code` span in `text`.
fn ticked(text: &str) -> BTreeSet<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The first column of the README's workbench key table.
fn table_keys(readme: &str) -> BTreeSet<String> {
    let rows = readme
        .lines()
        .skip_while(|l| *l != "| key | does |")
        .skip(2)
        .take_while(|l| l.starts_with('|'));
    rows.flat_map(|row| ticked(row.split('|').nth(1).unwrap_or_default()))
        .collect()
}

fn keymap_keys(contexts: &[Context]) -> BTreeSet<String> {
    contexts.iter().flat_map(|&c| names_in(c)).collect()
}

#[test]
fn the_readme_key_table_lists_exactly_the_keymaps_keys() {
    let readme = readme();
    let documented = table_keys(&readme);
    assert!(documented.len() > 20, "table not found: {documented:?}");
    use Context::*;
    let bound = keymap_keys(&[Anywhere, Table, Details, DetailsFocused]);
    let undocumented: Vec<_> = bound.difference(&documented).collect();
    let unbound: Vec<_> = documented.difference(&bound).collect();
    assert!(
        undocumented.is_empty() && unbound.is_empty(),
        "bound but not in the README's table: {undocumented:?}; \
         in the table but bound nowhere: {unbound:?}"
    );
}

#[test]
fn the_readme_url_editor_paragraph_lists_exactly_the_editors_keys() {
    let readme = readme();
    let start = readme
        .find("In the URL editor (`e`, `b`):")
        .expect("the paragraph");
    let rest = &readme[start + "In the URL editor (`e`, `b`):".len()..];
    let end = rest.find("an empty URL clears it").expect("its end");
    let documented = ticked(&rest[..end]);
    let bound = keymap_keys(&[Context::Editor]);
    assert_eq!(documented, bound);
}

#[test]
fn the_filters_keys_in_the_readme_are_the_filters() {
    let readme = readme();
    let row = (readme.lines())
        .find(|l| l.starts_with("| `/` |"))
        .expect("the filter's row");
    let said = ticked(row.split('|').nth(2).unwrap_or_default());
    let bound = keymap_keys(&[Context::Filter]);
    assert!(
        !said.is_empty() && said.is_subset(&bound),
        "{said:?} vs {bound:?}"
    );
}
