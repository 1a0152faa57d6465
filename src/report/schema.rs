//! The output contract: the JSON Schema of every JSON and JSON Lines output, generated from
//! the types that are serialised, and the version every output carries.
//!
//! The schemas are committed under `schemas/` (all of them: `crate::bench::schemas`); `tests/contract.rs` fails when they differ
//! from the generated ones (regenerate with `STORYCLUST_BLESS=1 cargo test --test contract`).

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};
use std::borrow::Cow;

/// The version of the output schemas: raised whenever a field is renamed, removed or
/// changes its meaning (adding a field keeps it).
pub const SCHEMA_VERSION: u32 = 2;

/// The `schema_version` field: always [`SCHEMA_VERSION`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SchemaVersion;

impl Serialize for SchemaVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(SCHEMA_VERSION)
    }
}

impl JsonSchema for SchemaVersion {
    fn schema_name() -> Cow<'static, str> {
        "SchemaVersion".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The version of this output's schema.",
            "type": "integer",
            "const": SCHEMA_VERSION,
        })
    }
}

// Timestamps are written as RFC 3339 strings in UTC (see its `Display`).
impl JsonSchema for crate::corpus::Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date and time in UTC, RFC 3339: `2015-07-21T02:51:32Z`.",
            "type": "string",
            "pattern": "^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
        })
    }
}

/// The schemas of the report's outputs, by file stem: `schemas/{name}.schema.json`
/// describes the output (for JSON Lines, each line). `bench::schemas` adds `bench --json`'s.
pub fn schemas() -> Vec<(&'static str, Schema)> {
    use super::{DedupSummary, ErrorRecord, GroupsLine, StoryLine, StoryReport};
    vec![
        ("cluster", schemars::schema_for!(StoryReport<'static>)),
        ("cluster-line", schemars::schema_for!(StoryLine<'static>)),
        ("dedup", schemars::schema_for!(DedupSummary)),
        (
            "dedup-groups-line",
            schemars::schema_for!(GroupsLine<'static>),
        ),
        ("stats", schemars::schema_for!(super::CorpusStats)),
        ("eval", schemars::schema_for!(super::EvalReport)),
        ("errors-line", schemars::schema_for!(ErrorRecord<'static>)),
        (
            "synth-line",
            schemars::schema_for!(crate::synth::SynthArticle),
        ),
    ]
}

/// A schema as it is committed: pretty JSON and a final newline.
pub fn schema_text(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a schema is plain JSON");
    text.push('\n');
    text
}
