//! JSON Schemas generated from the content types (schemars, draft-07 so taplo / Even Better TOML
//! can use them). The same schemas drive the structural check behind `lint`'s diagnostics.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use super::model::{Blueprint, ContentFile};
use crate::sim::scenario::ScenarioFile;

fn schema_for<T: JsonSchema>() -> Value {
    SchemaSettings::draft07()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// The schema of a content file (cards, questions, misconceptions).
pub fn content_file() -> Value {
    schema_for::<ContentFile>()
}

/// The schema of an exam blueprint (assets/exams/*.toml).
pub fn blueprint() -> Value {
    schema_for::<Blueprint>()
}

/// The schema of a simulator scenario (quizzes/scenarios/*.toml).
pub fn scenario() -> Value {
    schema_for::<ScenarioFile>()
}

/// One schema accepting any shikaku file: what `shikaku schema` prints. The three root schemas
/// become definitions of their own, beside the definitions they share.
pub fn combined() -> Value {
    let mut definitions = serde_json::Map::new();
    let mut any_of = Vec::new();
    for (name, mut root) in [
        ("ContentFile", content_file()),
        ("Blueprint", blueprint()),
        ("ScenarioFile", scenario()),
    ] {
        let obj = root.as_object_mut().expect("a root schema is an object");
        obj.remove("$schema");
        if let Some(Value::Object(defs)) = obj.remove("definitions") {
            for (key, def) in defs {
                debug_assert!(
                    definitions.get(&key).is_none_or(|old| *old == def),
                    "schema definition `{key}` differs between file kinds"
                );
                definitions.insert(key, def);
            }
        }
        definitions.insert(name.to_string(), root);
        any_of.push(json!({ "$ref": format!("#/definitions/{name}") }));
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "shikaku",
        "description": "shikaku のカード・問題・誤解・試験ブループリント・シミュレータのシナリオ",
        "anyOf": any_of,
        "definitions": definitions,
    })
}
