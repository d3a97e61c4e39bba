//! `Table`: a typed, bilingual table printed as aligned text, Markdown, CSV or JSON.
//!
//! Every table the crate prints — weight tables, membership matrices, rankings, statistics —
//! is built as a [`Table`] first, so one result has one set of numbers whatever the format:
//!
//! - [`Table::text`]: a three-line table (rules above and below the header and at the end, no
//!   vertical rules, as papers print them) for a terminal, columns aligned by display width so
//!   Chinese labels (two columns wide each) line up;
//! - [`Table::markdown`]: a pipe table, aligned the same way and with `:` alignment markers;
//! - [`Table::csv`]: RFC 4180 (fields quoted where needed, CRLF not required by readers, LF
//!   written), numbers at full precision ([`Table::csv_for_excel`] adds the byte-order mark
//!   Excel needs to open UTF-8 with Chinese text correctly);
//! - [`Table::json`] (feature `serde`): the title, headers, rows and notes, numbers at full
//!   precision, empty cells as `null`.
//!
//! Labels are never cut short. Numbers are rounded only in the text and Markdown forms, to the
//! decimals given per cell; CSV and JSON keep every digit, so nothing is lost on the way to a
//! spreadsheet or a program.
//!
//! # Examples
//!
//! ```
//! use service_quality::report::{Align, Cell, Column, Table, Text};
//! use service_quality::Language;
//!
//! let mut table = Table::new(
//!     Text::bilingual("Weights", "权重"),
//!     vec![
//!         Column::new(Text::bilingual("Indicator", "指标"), Align::Left),
//!         Column::new(Text::bilingual("Weight", "权重"), Align::Right),
//!     ],
//! )?;
//! table.push_row(vec![Cell::text(Text::bilingual("Attitude", "服务态度")), Cell::number(0.4, 4)])?;
//! table.push_row(vec![Cell::text(Text::new("Speed")), Cell::number(0.6, 4)])?;
//!
//! let markdown = table.markdown(Language::Zh);
//! assert!(markdown.contains("| 服务态度 | 0.4000 |"));
//! assert_eq!(table.csv(Language::En), "Indicator,Weight\nAttitude,0.4\nSpeed,0.6\n");
//! # Ok::<(), service_quality::Error>(())
//! ```

use core::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::error::{ArgumentError, Result};
use crate::Language;

/// A piece of text in English and, optionally, Chinese.
///
/// [`get`](Self::get) picks the Chinese text for [`Language::Zh`] where there is one and falls
/// back to English.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Text {
    en: String,
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    zh: Option<String>,
}

impl Text {
    /// The same text in every language (identifiers, numbers, names).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            en: text.into(),
            zh: None,
        }
    }

    /// English and Chinese text.
    pub fn bilingual(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            zh: Some(zh.into()),
        }
    }

    /// English text and, when given, Chinese text.
    pub fn with_optional_zh(en: impl Into<String>, zh: Option<&str>) -> Self {
        Self {
            en: en.into(),
            zh: zh.map(str::to_owned),
        }
    }

    /// The text in `language`, English where no Chinese text was given.
    pub fn get(&self, language: Language) -> &str {
        language.pick(&self.en, self.zh.as_deref())
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

/// How a column's cells are aligned in the text and Markdown forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Align {
    /// Left-aligned (labels).
    #[default]
    Left,
    /// Right-aligned (numbers).
    Right,
}

/// A column: its header and alignment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Column {
    header: Text,
    align: Align,
}

impl Column {
    /// A column with `header`, aligned as `align`.
    pub fn new(header: impl Into<Text>, align: Align) -> Self {
        Self {
            header: header.into(),
            align,
        }
    }

    /// The header.
    pub fn header(&self) -> &Text {
        &self.header
    }

    /// The alignment.
    pub fn align(&self) -> Align {
        self.align
    }
}

impl From<Text> for Column {
    fn from(header: Text) -> Self {
        Self::new(header, Align::Left)
    }
}

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Cell {
    /// Text (a label, an identifier, a verdict).
    Text(Text),
    /// An integer (a count, a rank).
    Integer(i64),
    /// A number, printed with `decimals` digits after the point in the text and Markdown forms
    /// (CSV and JSON keep every digit). [`Table::push_row`] refuses non-finite values.
    Number {
        /// The value.
        value: f64,
        /// Digits after the decimal point in the text and Markdown forms.
        decimals: u8,
    },
    /// No value (not applicable, or missing): blank in text, Markdown and CSV, `null` in JSON.
    Empty,
}

impl Cell {
    /// A text cell.
    pub fn text(text: impl Into<Text>) -> Self {
        Self::Text(text.into())
    }

    /// A number cell printed with `decimals` digits after the point.
    pub fn number(value: f64, decimals: u8) -> Self {
        Self::Number { value, decimals }
    }

    /// An integer cell (counts and ranks; values beyond `i64` saturate, which no count reaches).
    pub fn count(value: usize) -> Self {
        Self::Integer(i64::try_from(value).unwrap_or(i64::MAX))
    }

    /// The cell as printed in text and Markdown.
    fn rounded(&self, language: Language) -> String {
        match self {
            Self::Text(text) => text.get(language).to_owned(),
            Self::Integer(value) => value.to_string(),
            Self::Number { value, decimals } => format!("{value:.*}", usize::from(*decimals)),
            Self::Empty => String::new(),
        }
    }

    /// The cell with every digit (CSV).
    fn exact(&self, language: Language) -> String {
        match self {
            Self::Number { value, .. } => value.to_string(),
            other => other.rounded(language),
        }
    }
}

/// The most digits after the point a [`Cell::Number`] may ask for (beyond it `f64` has no
/// more digits to show).
const MAX_DECIMALS: u8 = 17;

/// A typed, bilingual table: a title, columns, rows of [`Cell`]s and notes below it.
///
/// The formats: [`text`](Self::text), [`markdown`](Self::markdown), [`csv`](Self::csv) and
/// [`json`](Self::json) (feature `serde`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Table {
    title: Text,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    notes: Vec<Text>,
}

impl Table {
    /// An empty table with `title` and `columns`.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::Empty`] when there are no columns.
    pub fn new(title: impl Into<Text>, columns: Vec<Column>) -> Result<Self> {
        if columns.is_empty() {
            return Err(ArgumentError::Empty {
                what: "table columns",
            }
            .into());
        }
        Ok(Self {
            title: title.into(),
            columns,
            rows: Vec::new(),
            notes: Vec::new(),
        })
    }

    /// Appends a row.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::LengthMismatch`] when the row does not have one cell per column;
    /// - [`ArgumentError::TableCell`] for a number that is not finite or asks for more than 17
    ///   decimals (the table is left unchanged).
    pub fn push_row(&mut self, row: Vec<Cell>) -> Result<()> {
        if row.len() != self.columns.len() {
            return Err(ArgumentError::LengthMismatch {
                what: "table row",
                expected: self.columns.len(),
                found: row.len(),
            }
            .into());
        }
        for (column, cell) in row.iter().enumerate() {
            if let Cell::Number { value, decimals } = *cell {
                if !value.is_finite() || decimals > MAX_DECIMALS {
                    return Err(ArgumentError::TableCell {
                        row: self.rows.len(),
                        column: self.columns[column].header.get(Language::En).to_owned(),
                        value,
                        decimals,
                    }
                    .into());
                }
            }
        }
        self.rows.push(row);
        Ok(())
    }

    /// Adds a note printed below the table (a source, a convention, a legend).
    pub fn push_note(&mut self, note: impl Into<Text>) {
        self.notes.push(note.into());
    }

    /// The title.
    pub fn title(&self) -> &Text {
        &self.title
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The rows, one cell per column each.
    pub fn rows(&self) -> &[Vec<Cell>] {
        &self.rows
    }

    /// The notes.
    pub fn notes(&self) -> &[Text] {
        &self.notes
    }

    /// The table in `format` and `language` (dispatches to [`text`](Self::text),
    /// [`markdown`](Self::markdown), [`csv`](Self::csv) or [`json`](Self::json)).
    pub fn render(&self, format: TableFormat, language: Language) -> String {
        match format {
            TableFormat::Text => self.text(language),
            TableFormat::Markdown => self.markdown(language),
            TableFormat::Csv => self.csv(language),
            #[cfg(feature = "serde")]
            TableFormat::Json => self.json(language),
        }
    }

    /// Headers and rounded cells as printed, and each column's display width.
    fn printed(&self, language: Language) -> (Vec<String>, Vec<Vec<String>>, Vec<usize>) {
        let headers: Vec<String> = self
            .columns
            .iter()
            .map(|c| c.header.get(language).to_owned())
            .collect();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| one_line(&cell.rounded(language)))
                    .collect()
            })
            .collect();
        let widths = (0..headers.len())
            .map(|c| {
                rows.iter()
                    .map(|row| row[c].width())
                    .chain([headers[c].width()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        (headers, rows, widths)
    }

    /// A three-line table for a terminal: title, a rule, the header, a rule, the rows, a rule,
    /// then the notes; columns aligned by display width (CJK characters count two).
    pub fn text(&self, language: Language) -> String {
        let (headers, rows, widths) = self.printed(language);
        let total = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
        let rule = "-".repeat(total);
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.title.get(language));
        let _ = writeln!(out, "{rule}");
        self.aligned_line(&mut out, &headers, &widths, "", "  ", "");
        let _ = writeln!(out, "{rule}");
        for row in &rows {
            self.aligned_line(&mut out, row, &widths, "", "  ", "");
        }
        let _ = writeln!(out, "{rule}");
        for note in &self.notes {
            let _ = writeln!(out, "{}", note.get(language));
        }
        out
    }

    /// A Markdown pipe table under the title in bold, notes below it; cells padded to align
    /// in a monospace editor, `|` escaped.
    pub fn markdown(&self, language: Language) -> String {
        let (headers, rows, widths) = self.printed(language);
        let escape = |cells: &[String]| -> Vec<String> {
            cells.iter().map(|c| c.replace('|', "\\|")).collect()
        };
        let headers = escape(&headers);
        let rows: Vec<Vec<String>> = rows.iter().map(|r| escape(r)).collect();
        let widths: Vec<usize> = (0..widths.len())
            .map(|c| {
                rows.iter()
                    .map(|r| r[c].width())
                    .chain([headers[c].width(), 3])
                    .max()
                    .unwrap_or(3)
            })
            .collect();
        let mut out = String::new();
        let _ = writeln!(out, "**{}**\n", self.title.get(language));
        self.aligned_line(&mut out, &headers, &widths, "| ", " | ", " |");
        let markers: Vec<String> = self
            .columns
            .iter()
            .zip(&widths)
            .map(|(column, &width)| match column.align {
                Align::Left => format!(":{}", "-".repeat(width - 1)),
                Align::Right => format!("{}:", "-".repeat(width - 1)),
            })
            .collect();
        let _ = writeln!(out, "| {} |", markers.join(" | "));
        for row in &rows {
            self.aligned_line(&mut out, row, &widths, "| ", " | ", " |");
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for note in &self.notes {
                let _ = writeln!(out, "{}", note.get(language));
            }
        }
        out
    }

    /// The header and the rows as CSV (RFC 4180 quoting, LF line ends, numbers with every
    /// digit, no title or notes).
    pub fn csv(&self, language: Language) -> String {
        let mut out = String::new();
        let header: Vec<String> = self
            .columns
            .iter()
            .map(|c| csv_field(c.header.get(language)))
            .collect();
        let _ = writeln!(out, "{}", header.join(","));
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| csv_field(&c.exact(language))).collect();
            let _ = writeln!(out, "{}", cells.join(","));
        }
        out
    }

    /// [`csv`](Self::csv) behind a UTF-8 byte-order mark, which Excel needs to read Chinese
    /// text in a UTF-8 CSV file correctly.
    pub fn csv_for_excel(&self, language: Language) -> String {
        format!("\u{feff}{}", self.csv(language))
    }

    /// The table as JSON: `{"title", "columns", "rows", "notes"}`, headers and texts in
    /// `language`, numbers with every digit, empty cells `null`.
    #[cfg(feature = "serde")]
    pub fn json(&self, language: Language) -> String {
        use serde_json::{json, Value};
        let cell = |c: &Cell| -> Value {
            match c {
                Cell::Text(text) => Value::from(text.get(language)),
                Cell::Integer(value) => Value::from(*value),
                Cell::Number { value, .. } => Value::from(*value),
                Cell::Empty => Value::Null,
            }
        };
        let value = json!({
            "title": self.title.get(language),
            "columns": self.columns.iter().map(|c| c.header.get(language)).collect::<Vec<_>>(),
            "rows": self.rows.iter().map(|r| r.iter().map(cell).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "notes": self.notes.iter().map(|n| n.get(language)).collect::<Vec<_>>(),
        });
        let mut out = value.to_string();
        out.push('\n');
        out
    }

    /// Writes one line of cells padded to `widths`, each aligned as its column.
    fn aligned_line(
        &self,
        out: &mut String,
        cells: &[String],
        widths: &[usize],
        open: &str,
        separator: &str,
        close: &str,
    ) {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .zip(&self.columns)
            .map(|((cell, &width), column)| {
                let pad = " ".repeat(width.saturating_sub(cell.width()));
                match column.align {
                    Align::Left => format!("{cell}{pad}"),
                    Align::Right => format!("{pad}{cell}"),
                }
            })
            .collect();
        let line = format!("{open}{}{close}", padded.join(separator));
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The formats a [`Table`] prints in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum TableFormat {
    /// A three-line table for a terminal ([`Table::text`]).
    #[default]
    Text,
    /// A Markdown pipe table ([`Table::markdown`]).
    Markdown,
    /// CSV ([`Table::csv`]).
    Csv,
    /// JSON ([`Table::json`]).
    #[cfg(feature = "serde")]
    Json,
}

impl core::str::FromStr for TableFormat {
    type Err = crate::Error;

    /// Parses `text`, `markdown` (or `md`), `csv` or `json`.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "text" => Ok(Self::Text),
            "markdown" | "md" => Ok(Self::Markdown),
            "csv" => Ok(Self::Csv),
            #[cfg(feature = "serde")]
            "json" => Ok(Self::Json),
            other => Err(ArgumentError::UnknownName {
                what: "table format (text, markdown, csv, json)",
                name: other.to_owned(),
            }
            .into()),
        }
    }
}

/// Line breaks inside a cell become spaces in the line-oriented forms.
fn one_line(cell: &str) -> String {
    if cell.contains(['\n', '\r']) {
        cell.replace("\r\n", " ").replace(['\n', '\r'], " ")
    } else {
        cell.to_owned()
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut table = Table::new(
            Text::bilingual("Ranking", "排名"),
            vec![
                Column::new(Text::bilingual("Merchant", "商家"), Align::Left),
                Column::new(Text::bilingual("Score", "得分"), Align::Right),
            ],
        )
        .unwrap();
        table
            .push_row(vec![
                Cell::text(Text::bilingual("Shop A", "甲店")),
                Cell::number(87.125, 2),
            ])
            .unwrap();
        table
            .push_row(vec![Cell::text("shop, \"b\""), Cell::number(9.5, 1)])
            .unwrap();
        table.push_note(Text::bilingual("Scores on 0..100.", "得分区间 0..100。"));
        table
    }

    #[test]
    fn text_aligns_by_display_width() {
        let text = sample().text(Language::Zh);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "排名");
        // 商家 and 甲店 are four columns wide, `shop, "b"` nine: the first column is nine wide,
        // the second five, two spaces between.
        assert_eq!(lines[2], format!("商家{}得分", " ".repeat(8)));
        assert_eq!(lines[4], format!("甲店{}87.12", " ".repeat(7)));
        assert_eq!(lines[5], format!("shop, \"b\"{}9.5", " ".repeat(4)));
        assert_eq!(lines[1], "-".repeat(16));
        assert_eq!(lines[7], "得分区间 0..100。");
    }

    #[test]
    fn markdown_has_alignment_markers_and_escapes_pipes() {
        let mut table = sample();
        table
            .push_row(vec![Cell::text("a|b"), Cell::Empty])
            .unwrap();
        let md = table.markdown(Language::En);
        assert!(md.starts_with("**Ranking**\n\n"));
        assert!(md.contains("| :-------- | ----: |"), "{md}");
        assert!(md.contains("| a\\|b      |       |"), "{md}");
        assert!(md.contains("| Shop A    | 87.12 |"), "{md}");
    }

    #[test]
    fn csv_quotes_and_keeps_every_digit() {
        let csv = sample().csv(Language::En);
        assert_eq!(
            csv,
            "Merchant,Score\nShop A,87.125\n\"shop, \"\"b\"\"\",9.5\n"
        );
        assert!(sample()
            .csv_for_excel(Language::Zh)
            .starts_with("\u{feff}商家,得分\n"));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn json_keeps_numbers_and_nulls() {
        let mut table = sample();
        table.push_row(vec![Cell::count(3), Cell::Empty]).unwrap();
        let value: serde_json::Value = serde_json::from_str(&table.json(Language::Zh)).unwrap();
        assert_eq!(value["title"], "排名");
        assert_eq!(value["columns"][1], "得分");
        assert_eq!(value["rows"][0][1], 87.125);
        assert_eq!(value["rows"][2][0], 3);
        assert!(value["rows"][2][1].is_null());
        assert_eq!("json".parse::<TableFormat>().unwrap(), TableFormat::Json);
    }

    #[test]
    fn bad_rows_are_refused_and_leave_the_table_unchanged() {
        let mut table = sample();
        assert!(table.push_row(vec![Cell::Empty]).is_err());
        let err = table
            .push_row(vec![Cell::Empty, Cell::number(f64::NAN, 2)])
            .unwrap_err();
        assert!(err.to_string().contains("Score"), "{err}");
        assert!(table
            .push_row(vec![Cell::Empty, Cell::number(1.0, 18)])
            .is_err());
        assert_eq!(table.rows().len(), 2);
        assert!(Table::new("empty", vec![]).is_err());
        assert!("xml".parse::<TableFormat>().is_err());
    }

    #[test]
    fn line_breaks_do_not_break_lines() {
        let mut table = Table::new("t", vec![Column::new("c", Align::Left)]).unwrap();
        table.push_row(vec![Cell::text("a\r\nb\nc")]).unwrap();
        assert_eq!(table.text(Language::En).lines().nth(4), Some("a b c"));
        assert_eq!(table.csv(Language::En), "c\n\"a\r\nb\nc\"\n");
    }
}
