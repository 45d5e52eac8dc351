//! Filling a template: `{{name}}` placeholders replaced, in one pass, by
//! values already escaped for the template's language.

use super::escape::{comment_text, js_str, python_str, yaml_str};
use super::resources::float_literal;
use super::target::Lang;
use super::{Form, SnippetError, SnippetInput, Target, Templates};
use crate::units::human_bytes;

/// The snippet for `target`, or why there is none.
pub fn render(
    target: Target,
    input: &SnippetInput,
    templates: &Templates,
) -> Result<String, SnippetError> {
    render_form(target, Form::Paste, input, templates)
}

/// The snippet (`Form::Paste`) or whole program (`Form::Full`) for `target`.
pub fn render_form(
    target: Target,
    form: Form,
    input: &SnippetInput,
    templates: &Templates,
) -> Result<String, SnippetError> {
    if let Some(reason) = target.unsupported_reason() {
        return Err(SnippetError::Unsupported { target, reason });
    }
    let Some(template) = templates.source_form(target, form) else {
        return Err(SnippetError::NoFullProgram { target });
    };
    if let Some(problem) = input.resources.problem() {
        return Err(SnippetError::Resources(problem));
    }
    let url = input.url_or_placeholder();
    // The one URL rule, whoever asks (CLI or workbench): escaping protects
    // the code targets, but a URL no provider can use (`javascript:`, a
    // control character) is never put in a snippet at all.
    crate::image_url::check(&url, &input.file_name, target.accepts_file_urls())
        .map_err(SnippetError::Url)?;
    substitute(template, |name| value(name, target.lang(), input, &url)).map_err(|name| {
        SnippetError::UnknownPlaceholder {
            target,
            name: name.to_string(),
        }
    })
}

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 7] = [
    "image_hash",
    "image_url",
    "min_mem_gib",
    "min_storage_gib",
    "min_cpu_threads",
    "capabilities",
    "about",
];

fn value(name: &str, lang: Lang, input: &SnippetInput, url: &str) -> Option<String> {
    let r = &input.resources;
    Some(match name {
        "image_hash" => literal(lang, &input.hash.to_hex()),
        "image_url" => literal(lang, url),
        "min_mem_gib" => float_literal(r.min_mem_gib),
        "min_storage_gib" => float_literal(r.min_storage_gib),
        "min_cpu_threads" => r.min_cpu_threads.to_string(),
        "capabilities" => {
            let items: Vec<_> = r
                .unique_capabilities()
                .iter()
                .map(|c| literal(lang, c.name()))
                .collect();
            format!("[{}]", items.join(", "))
        }
        "about" => comment_text(&about(input)),
        _ => return None,
    })
}

fn literal(lang: Lang, s: &str) -> String {
    match lang {
        Lang::Python => python_str(s),
        Lang::JavaScript => js_str(s),
        Lang::Yaml => yaml_str(s),
        Lang::Text => s.to_string(),
    }
}

/// `alpine.gvmi, 3.4 MiB, SHA3-224 computed by gvmi`: which image, and
/// where its hash came from, so a pasted snippet can be traced back.
fn about(input: &SnippetInput) -> String {
    let size = input
        .size
        .map(|n| format!(", {}", human_bytes(n)))
        .unwrap_or_default();
    format!(
        "Golem VM image {}{size}, SHA3-224 {}",
        input.file_name, input.hash_source
    )
}

/// Replaces each `{{name}}` (name: lowercase letters and `_`) with
/// `lookup(name)`. Other braces are left alone, so templates may contain
/// code like `{{` in JS objects. Values are not scanned again, so a value
/// that contains `{{...}}` stays literal. Fails with the first unknown name.
pub fn substitute(template: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, &str> {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        let is_placeholder = name_len > 0 && after[name_len..].starts_with("}}");
        if !is_placeholder {
            out.push_str(&rest[..start + 2]);
            rest = after;
            continue;
        }
        let name = &after[..name_len];
        out.push_str(&rest[..start]);
        out.push_str(&lookup(name).ok_or(name)?);
        rest = &after[name_len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(name: &str) -> Option<String> {
        (name == "x").then(|| "{{x}}".to_string())
    }

    #[test]
    fn substitutes_once_and_leaves_other_braces() {
        assert_eq!(substitute("a {{x}} b", look), Ok("a {{x}} b".into()));
        assert_eq!(substitute("{{ {{X}} {{", look), Ok("{{ {{X}} {{".into()));
        assert_eq!(substitute("{{x}}{{x}}", look), Ok("{{x}}{{x}}".into()));
    }

    #[test]
    fn unknown_placeholder_is_named() {
        assert_eq!(substitute("a {{nope}}", look), Err("nope"));
    }
}
