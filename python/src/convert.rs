//! Conversions shared by the bindings: serde values to and from Python objects (through JSON,
//! so that a Python dict reads exactly as the same model file would), names of enums.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A serialisable value as plain Python objects (dicts, lists, str, float, int, None).
pub(crate) fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| argument_error(format!("cannot serialise: {e}"), "Serialise"))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// JSON text of a Python object (dicts, lists, numbers, strings), as `json.dumps` writes it;
/// NaN and infinities are refused (`allow_nan=False`), as they are in a model file.
pub(crate) fn json_text(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = obj.py();
    let kwargs = PyDict::new(py);
    kwargs.set_item("allow_nan", false)?;
    kwargs.set_item("ensure_ascii", false)?;
    py.import("json")?
        .call_method("dumps", (obj,), Some(&kwargs))
        .map_err(|e| argument_error(format!("not a JSON value: {e}"), "NotJson"))?
        .extract()
}

/// An enum (or other value) from its name in model files: `"eigenvector"`, `"saaty1980"`,
/// `"weighted_average"`, ...; `what` names the argument in the message.
pub(crate) fn from_name<T: DeserializeOwned>(
    name: &str,
    what: &str,
    expected: &str,
) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).map_err(|_| {
        argument_error(
            format!("{what}: unknown name {name:?}; expected {expected}"),
            "UnknownName",
        )
    })
}

/// The package's `ArgumentError` for a mistake found by the bindings themselves (an unknown
/// option name, an array of the wrong shape or type), with `kind` naming the mistake.
pub(crate) fn argument_error(message: String, kind: &str) -> PyErr {
    Python::attach(|py| {
        let made = py
            .import("service_quality.errors")
            .and_then(|m| m.getattr("ArgumentError"))
            .and_then(|class| {
                class.call1((message, None::<String>, None::<usize>, None::<u64>, kind))
            });
        match made {
            Ok(value) => PyErr::from_value(value),
            Err(failed) => failed,
        }
    })
}

/// The text of a UTF-8 file; `ArgumentError` naming the path when it cannot be read.
pub(crate) fn read_text(path: &std::path::Path) -> PyResult<String> {
    std::fs::read_to_string(path)
        .map_err(|e| argument_error(format!("cannot read {}: {e}", path.display()), "Io"))
}

/// A language from its name: `"en"` or `"zh"`.
pub(crate) fn language(name: &str) -> PyResult<service_quality::Language> {
    match name {
        "en" => Ok(service_quality::Language::En),
        "zh" => Ok(service_quality::Language::Zh),
        other => Err(argument_error(
            format!("language: unknown {other:?}; expected \"en\" or \"zh\""),
            "UnknownName",
        )),
    }
}
