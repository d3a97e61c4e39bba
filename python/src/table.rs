//! The crate's one table type (`report::Table`): a title, headers, rows and notes in English
//! and Chinese, rendered as aligned text, Markdown, CSV or JSON, or read as a pandas
//! DataFrame. Every `table()` method of the other areas returns one.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use service_quality::report::{Table, TableFormat};
use service_quality::Error;

use crate::errors::OrRaise;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTable>()?;
    m.add("TABLE_FORMATS", FORMAT_NAMES.to_vec())?;
    Ok(())
}

/// The formats a table renders in, by name.
const FORMAT_NAMES: [&str; 4] = ["text", "markdown", "csv", "json"];

/// A table as papers print it: title, columns, rows and notes, in English (`"en"`) or Chinese
/// (`"zh"`; English where a text has no Chinese).
///
/// `render(format, language)` prints it as `"text"` (a three-line table aligned by display
/// width, CJK characters counting two), `"markdown"` (a pipe table), `"csv"` (RFC 4180, every
/// digit) or `"json"` (`{"title", "columns", "rows", "notes"}`, every digit, empty cells
/// `null`); numbers are rounded only in the text and Markdown forms. `to_frame(language)` gives
/// the rows as a pandas DataFrame (full precision, empty cells None), `to_dict(language)` the
/// JSON form as a dict. `str(table)` is the English text form.
#[pyclass(name = "Table", module = "service_quality", frozen)]
pub(crate) struct PyTable {
    inner: Table,
}

/// A table built by the crate, or its error as the package's exception.
pub(crate) fn table(made: Result<Table, Error>) -> PyResult<PyTable> {
    Ok(PyTable { inner: made.py()? })
}

/// Several tables built by the crate.
pub(crate) fn tables(made: Result<Vec<Table>, Error>) -> PyResult<Vec<PyTable>> {
    Ok(made
        .py()?
        .into_iter()
        .map(|inner| PyTable { inner })
        .collect())
}

#[pymethods]
impl PyTable {
    /// The table in `format` (one of `TABLE_FORMATS`; `"md"` for Markdown too) and `language`.
    #[pyo3(signature = (format="text", language="en"))]
    fn render(&self, format: &str, language: &str) -> PyResult<String> {
        let format: TableFormat = format.parse().py()?;
        Ok(self
            .inner
            .render(format, crate::convert::language(language)?))
    }

    /// The three-line text form (rounded numbers).
    #[pyo3(signature = (language="en"))]
    fn text(&self, language: &str) -> PyResult<String> {
        Ok(self.inner.text(crate::convert::language(language)?))
    }

    /// The Markdown pipe table (rounded numbers).
    #[pyo3(signature = (language="en"))]
    fn markdown(&self, language: &str) -> PyResult<String> {
        Ok(self.inner.markdown(crate::convert::language(language)?))
    }

    /// The header and rows as CSV (every digit, no title or notes).
    #[pyo3(signature = (language="en"))]
    fn csv(&self, language: &str) -> PyResult<String> {
        Ok(self.inner.csv(crate::convert::language(language)?))
    }

    /// `csv` behind the UTF-8 byte-order mark Excel needs for Chinese text.
    #[pyo3(signature = (language="en"))]
    fn csv_for_excel(&self, language: &str) -> PyResult<String> {
        Ok(self
            .inner
            .csv_for_excel(crate::convert::language(language)?))
    }

    /// The JSON form: `{"title", "columns", "rows", "notes"}` (every digit, empty cells null).
    #[pyo3(signature = (language="en"))]
    fn json(&self, language: &str) -> PyResult<String> {
        Ok(self.inner.json(crate::convert::language(language)?))
    }

    /// The JSON form as a dict.
    #[pyo3(signature = (language="en"))]
    fn to_dict<'py>(&self, py: Python<'py>, language: &str) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (self.json(language)?,))
    }

    /// The rows as a pandas DataFrame with the headers as columns (numbers at full precision,
    /// empty cells None); the title and notes are in the frame's `attrs`.
    #[pyo3(signature = (language="en"))]
    fn to_frame<'py>(&self, py: Python<'py>, language: &str) -> PyResult<Bound<'py, PyAny>> {
        let d = self.to_dict(py, language)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("columns", d.get_item("columns")?)?;
        let frame = py
            .import("pandas")?
            .getattr("DataFrame")?
            .call((d.get_item("rows")?,), Some(&kwargs))?;
        let attrs = frame.getattr("attrs")?;
        attrs.set_item("title", d.get_item("title")?)?;
        attrs.set_item("notes", d.get_item("notes")?)?;
        Ok(frame)
    }

    /// The title.
    #[pyo3(signature = (language="en"))]
    fn title(&self, language: &str) -> PyResult<String> {
        Ok(self
            .inner
            .title()
            .get(crate::convert::language(language)?)
            .to_owned())
    }

    /// The column headers.
    #[pyo3(signature = (language="en"))]
    fn columns(&self, language: &str) -> PyResult<Vec<String>> {
        let l = crate::convert::language(language)?;
        Ok(self
            .inner
            .columns()
            .iter()
            .map(|c| c.header().get(l).to_owned())
            .collect())
    }

    /// The notes printed under the table.
    #[pyo3(signature = (language="en"))]
    fn notes(&self, language: &str) -> PyResult<Vec<String>> {
        let l = crate::convert::language(language)?;
        Ok(self
            .inner
            .notes()
            .iter()
            .map(|n| n.get(l).to_owned())
            .collect())
    }

    fn __len__(&self) -> usize {
        self.inner.rows().len()
    }

    fn __str__(&self) -> String {
        self.inner.text(service_quality::Language::En)
    }

    fn __repr__(&self) -> String {
        format!(
            "Table(title={:?}, rows={}, columns={})",
            self.inner.title().get(service_quality::Language::En),
            self.inner.rows().len(),
            self.inner.columns().len()
        )
    }
}
