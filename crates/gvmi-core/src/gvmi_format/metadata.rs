//! The JSON trailer: Docker's container config (PascalCase keys), which
//! ya-runtime-vm reads to know what to run in the VM.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::defect::Defect;

/// The parts of the container config that decide what the VM runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContainerConfig {
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub env: Vec<String>,
    pub working_dir: Option<String>,
    /// Mount points the provider backs with a volume (`Volumes` keys).
    pub volumes: Vec<String>,
    pub(crate) user: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub image: Option<String>,
    pub(crate) hostname: Option<String>,
    /// Old (Python gvmkit-build 0.2.x) images describe their builder here.
    pub gvmkit: Option<BTreeMap<String, Value>>,
}

/// Parses the JSON bytes; returns the config when it is an object, plus any defects.
pub(crate) fn parse(json: &[u8]) -> (Option<ContainerConfig>, Vec<Defect>) {
    let value: Value = match serde_json::from_slice(json) {
        Ok(v) => v,
        Err(e) => {
            return (
                None,
                vec![Defect::JsonInvalid {
                    error: e.to_string(),
                }],
            )
        }
    };
    let Value::Object(map) = value else {
        return (
            None,
            vec![Defect::JsonNotObject {
                kind: kind_of(&value),
            }],
        );
    };
    let mut defects = Vec::new();
    let mut check = |field, expected, ok: bool| {
        if !ok {
            defects.push(Defect::FieldType { field, expected });
        }
    };
    let strings_or_null = "a list of strings or null";
    let string_or_null = "a string or null";
    let object_or_null = "an object or null";
    let entrypoint = strings(&map, "Entrypoint");
    check("Entrypoint", strings_or_null, entrypoint.is_ok());
    let cmd = strings(&map, "Cmd");
    check("Cmd", strings_or_null, cmd.is_ok());
    let env = strings(&map, "Env");
    check("Env", strings_or_null, env.is_ok());
    let working_dir = string(&map, "WorkingDir");
    check("WorkingDir", string_or_null, working_dir.is_ok());
    let user = string(&map, "User");
    check("User", string_or_null, user.is_ok());
    let image = string(&map, "Image");
    check("Image", string_or_null, image.is_ok());
    let hostname = string(&map, "Hostname");
    check("Hostname", string_or_null, hostname.is_ok());
    let volumes = object(&map, "Volumes");
    check("Volumes", object_or_null, volumes.is_ok());
    let labels = object(&map, "Labels");
    let label_strings = labels.as_ref().map_or(true, |l| {
        l.as_ref().is_none_or(|l| l.values().all(|v| v.is_string()))
    });
    check(
        "Labels",
        "an object of strings or null",
        labels.is_ok() && label_strings,
    );
    let gvmkit = object(&map, "GVMKIT");
    check("GVMKIT", object_or_null, gvmkit.is_ok());
    let config = ContainerConfig {
        entrypoint: entrypoint.unwrap_or_default(),
        cmd: cmd.unwrap_or_default(),
        env: env.unwrap_or_default().unwrap_or_default(),
        working_dir: working_dir.unwrap_or_default(),
        volumes: volumes
            .unwrap_or_default()
            .map(|v| v.keys().cloned().collect())
            .unwrap_or_default(),
        user: user.unwrap_or_default(),
        labels: labels
            .unwrap_or_default()
            .map(|l| {
                l.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
        image: image.unwrap_or_default(),
        hostname: hostname.unwrap_or_default(),
        gvmkit: gvmkit
            .unwrap_or_default()
            .map(|g| g.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
    };
    (Some(config), defects)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Absent and null are the same to Docker and ya-runtime-vm: `Ok(None)`.
/// A bare string counts as a one-element list, as Docker's StrSlice reads it.
fn strings(map: &Map<String, Value>, key: &str) -> Result<Option<Vec<String>>, ()> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(vec![s.clone()])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string).ok_or(()))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(()),
    }
}

fn string(map: &Map<String, Value>, key: &str) -> Result<Option<String>, ()> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(()),
    }
}

fn object<'a>(
    map: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a Map<String, Value>>, ()> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(()),
    }
}
