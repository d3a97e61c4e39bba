//! The columns of a record batch as the tally reads them: strings (plain or dictionary),
//! integer and label grades, and the lookups from ids and labels to positions.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    ArrowPrimitiveType, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, PrimitiveArray};
use arrow_schema::DataType;

use crate::error::{ArrowError, Result};
use crate::evaluation::Evaluator;

/// Runs `$body` with `$a` bound to the typed array of whichever integer type `$ints` holds.
macro_rules! each_int {
    ($ints:expr, $a:ident => $body:expr) => {
        match $ints {
            Ints::I8($a) => $body,
            Ints::I16($a) => $body,
            Ints::I32($a) => $body,
            Ints::I64($a) => $body,
            Ints::U8($a) => $body,
            Ints::U16($a) => $body,
            Ints::U32($a) => $body,
            Ints::U64($a) => $body,
        }
    };
}

/// Lookups from leaf ids and grade labels to positions.
pub(super) struct Lookups {
    pub(super) leaves: HashMap<String, usize>,
    pub(super) leaf_ids: Vec<String>,
    pub(super) grades: HashMap<String, usize>,
    pub(super) m: usize,
}

impl Lookups {
    pub(super) fn new(evaluator: &Evaluator) -> Self {
        let leaf_ids: Vec<String> = evaluator
            .tree()
            .leaves()
            .map(|l| l.id().to_owned())
            .collect();
        let mut grades = HashMap::new();
        for (j, grade) in evaluator.grades().grades().iter().enumerate() {
            grades.insert(grade.label().to_owned(), j);
            if let Some(zh) = grade.label_zh() {
                grades.insert(zh.to_owned(), j);
            }
        }
        Self {
            leaves: leaf_ids
                .iter()
                .cloned()
                .enumerate()
                .map(|(l, id)| (id, l))
                .collect(),
            leaf_ids,
            grades,
            m: evaluator.grades().len(),
        }
    }

    /// The leaf of indicator `id`; `guess` (the leaf after the previous row's, as a
    /// respondent's answers usually come in the tree's order) is tried first.
    #[inline]
    pub(super) fn leaf(&self, id: &str, guess: usize, column: &str, row: u64) -> Result<usize> {
        if self.leaf_ids.get(guess).is_some_and(|g| g == id) {
            return Ok(guess);
        }
        self.leaves.get(id).copied().ok_or_else(|| {
            value_error(
                column,
                row,
                id,
                format!(
                    "not an indicator of the model ({})",
                    self.leaf_ids.join(", ")
                ),
            )
        })
    }
}

/// Reads one string column of a record batch, whatever Arrow string type Parquet gave it.
pub(super) enum Strings<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    /// Dictionary-encoded strings: the keys and the values (any of the above).
    Dict(&'a arrow_array::PrimitiveArray<Int32Type>, Box<Strings<'a>>),
}

/// Whether two dictionaries hold the same strings in the same order: their offsets and bytes
/// compared as whole buffers (a sliced or otherwise differently laid out array may compare
/// unequal, which only costs resolving its keys again).
fn same_strings(a: &ArrayRef, b: &ArrayRef) -> bool {
    match (a.as_string_opt::<i32>(), b.as_string_opt::<i32>()) {
        (Some(a), Some(b)) => {
            a.null_count() == 0
                && b.null_count() == 0
                && a.value_offsets() == b.value_offsets()
                && a.value_data() == b.value_data()
        }
        _ => a.len() == b.len() && a.to_data() == b.to_data(),
    }
}

/// A dictionary key not resolved yet in a [`Memo`].
pub(super) const UNSET: u32 = u32::MAX;

/// What each key of a dictionary column resolved to: a dictionary's values are looked up
/// once, not once per row, and the memo is kept from batch to batch while the batches have the
/// same dictionary (the batches of one column chunk do).
#[derive(Default)]
pub(super) struct Memo {
    pub(super) values: Option<ArrayRef>,
    pub(super) at: Vec<u32>,
}

impl Memo {
    /// Ready for `array` (the column `strings` reads): kept when its dictionary is the one
    /// memoised, else started afresh.
    pub(super) fn refresh(&mut self, array: &ArrayRef, strings: &Strings<'_>) {
        let values = match array.data_type() {
            DataType::Dictionary(..) => Some(array.as_dictionary::<Int32Type>().values()),
            _ => None,
        };
        // the same dictionary: the very array (batches of one column chunk, when the reader
        // shares it), or equal contents (a reader that copies it into every batch); compared
        // as whole buffers, a few hundred kilobytes at most, far less than resolving every key
        let same = match (&self.values, values) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || same_strings(a, b),
            _ => false,
        };
        if same {
            self.values = values.cloned();
        } else {
            self.values = values.cloned();
            self.at.clear();
            if let Strings::Dict(_, values) = strings {
                self.at.resize(values.len(), UNSET);
            }
        }
    }

    /// After a new dictionary: the keys whose string `known` already maps (merchants seen in
    /// earlier dictionaries) resolved at once, in one pass over the dictionary; the others are
    /// left to [`get`](Self::get) (new merchants are added in the order of their rows).
    pub(super) fn prefill(&mut self, strings: &Strings<'_>, known: impl Fn(&str) -> Option<u32>) {
        if let Strings::Dict(_, values) = strings {
            for (k, slot) in self.at.iter_mut().enumerate() {
                if *slot == UNSET {
                    if let Some(at) = values.get(k).and_then(&known) {
                        *slot = at;
                    }
                }
            }
        }
    }

    /// The index row `i` of `strings` stands for: memoised by dictionary key, else `resolve`d
    /// from the row's string (`None`: a null).
    #[inline]
    pub(super) fn get(
        &mut self,
        strings: &Strings<'_>,
        i: usize,
        resolve: impl FnOnce(Option<&str>) -> Result<usize>,
    ) -> Result<usize> {
        let key = strings.key(i);
        if let Some(&at) = key.and_then(|k| self.at.get(k)) {
            if at != UNSET {
                return Ok(at as usize);
            }
        }
        let at = resolve(strings.get(i))?;
        if let Some(slot) = key.and_then(|k| self.at.get_mut(k)) {
            *slot = u32::try_from(at).unwrap_or(UNSET);
        }
        Ok(at)
    }
}

impl<'a> Strings<'a> {
    pub(super) fn of(array: &'a ArrayRef, column: &str) -> Result<Self> {
        match array.data_type() {
            DataType::Utf8 => Ok(Self::Utf8(array.as_string::<i32>())),
            DataType::LargeUtf8 => Ok(Self::Large(array.as_string::<i64>())),
            DataType::Utf8View => Ok(Self::View(array.as_string_view())),
            DataType::Dictionary(key, _) if **key == DataType::Int32 => {
                let dict = array.as_dictionary::<Int32Type>();
                Ok(Self::Dict(
                    dict.keys(),
                    Box::new(Self::of(dict.values(), column)?),
                ))
            }
            other => Err(ArrowError::ColumnType {
                column: column.to_owned(),
                expected: "strings",
                found: other.to_string(),
            }
            .into()),
        }
    }

    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Self::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Self::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Self::View(a) => a.is_valid(i).then(|| a.value(i)),
            Self::Dict(keys, values) => {
                let key = keys.is_valid(i).then(|| keys.value(i))?;
                values.get(usize::try_from(key).ok()?)
            }
        }
    }

    /// Row `i`'s dictionary key (`None` for other columns and nulls).
    #[inline]
    pub(super) fn key(&self, i: usize) -> Option<usize> {
        match self {
            Self::Dict(keys, _) => keys
                .is_valid(i)
                .then(|| usize::try_from(keys.value(i)).ok())
                .flatten(),
            _ => None,
        }
    }

    pub(super) fn len(&self) -> usize {
        match self {
            Self::Utf8(a) => a.len(),
            Self::Large(a) => a.len(),
            Self::View(a) => a.len(),
            Self::Dict(keys, _) => keys.len(),
        }
    }
}

/// A grade column: integer indices (any integer type, read in place) or string labels.
pub(super) enum Grades<'a> {
    Index(Ints<'a>),
    Label(Strings<'a>),
}

/// An integer column of any Arrow integer type, read in place.
pub(super) enum Ints<'a> {
    I8(&'a arrow_array::Int8Array),
    I16(&'a arrow_array::Int16Array),
    I32(&'a arrow_array::Int32Array),
    I64(&'a arrow_array::Int64Array),
    U8(&'a arrow_array::UInt8Array),
    U16(&'a arrow_array::UInt16Array),
    U32(&'a arrow_array::UInt32Array),
    U64(&'a arrow_array::UInt64Array),
}

impl Ints<'_> {
    /// Row `i`'s value, `None` when null.
    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<i128> {
        each_int!(self, a => a.is_valid(i).then(|| i128::from(a.value(i))))
    }
}

impl<'a> Grades<'a> {
    pub(super) fn of(array: &'a ArrayRef, column: &str) -> Result<Self> {
        Ok(match array.data_type() {
            DataType::Int8 => Self::Index(Ints::I8(array.as_primitive::<Int8Type>())),
            DataType::Int16 => Self::Index(Ints::I16(array.as_primitive::<Int16Type>())),
            DataType::Int32 => Self::Index(Ints::I32(array.as_primitive::<Int32Type>())),
            DataType::Int64 => Self::Index(Ints::I64(array.as_primitive::<Int64Type>())),
            DataType::UInt8 => Self::Index(Ints::U8(array.as_primitive::<UInt8Type>())),
            DataType::UInt16 => Self::Index(Ints::U16(array.as_primitive::<UInt16Type>())),
            DataType::UInt32 => Self::Index(Ints::U32(array.as_primitive::<UInt32Type>())),
            DataType::UInt64 => Self::Index(Ints::U64(array.as_primitive::<UInt64Type>())),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                Self::Label(Strings::of(array, column)?)
            }
            other => {
                return Err(ArrowError::ColumnType {
                    column: column.to_owned(),
                    expected: "integer grade indices or string grade labels",
                    found: other.to_string(),
                }
                .into())
            }
        })
    }

    /// The grade index of row `i`, `None` for a missing answer.
    #[inline]
    pub(super) fn get(
        &self,
        i: usize,
        lookups: &Lookups,
        column: &str,
        row: u64,
    ) -> Result<Option<usize>> {
        match self {
            Self::Index(values) => match values.get(i) {
                None => Ok(None),
                Some(v) => match usize::try_from(v) {
                    Ok(j) if j < lookups.m => Ok(Some(j)),
                    _ => Err(value_error(
                        column,
                        row,
                        &v.to_string(),
                        format!("not a grade index within 0..{}", lookups.m),
                    )),
                },
            },
            Self::Label(labels) => match labels.get(i) {
                None => Ok(None),
                Some(label) => lookups.grades.get(label).copied().map(Some).ok_or_else(|| {
                    value_error(
                        column,
                        row,
                        label,
                        "not a grade label of the grade set".into(),
                    )
                }),
            },
        }
    }
}

/// A grade code of [`grade_codes`]: a null grade (a missing answer).
pub(super) const MISSING: u8 = u8::MAX;

/// A grade code of [`grade_codes`]: a value that is not a grade index (left to the row-by-row
/// path, which reports it).
pub(super) const BAD: u8 = u8::MAX - 1;

/// Every row's value of an integer column in `out`; `false` (and `out` incomplete) when the
/// column has nulls.
pub(super) fn int_values(ints: &Ints<'_>, out: &mut Vec<i128>) -> bool {
    fn fill<T: ArrowPrimitiveType>(array: &PrimitiveArray<T>, out: &mut Vec<i128>) -> bool
    where
        i128: From<T::Native>,
    {
        out.clear();
        if array.null_count() > 0 {
            return false;
        }
        out.extend(array.values().iter().map(|&v| i128::from(v)));
        true
    }
    each_int!(ints, a => fill(*a, out))
}

/// Every row's grade of an integer grade column as a byte in `out`: the grade index, [`MISSING`]
/// for a null, [`BAD`] for a value outside `0..m` (`m <= BAD`).
pub(super) fn grade_codes(ints: &Ints<'_>, m: usize, out: &mut Vec<u8>) {
    fn fill<T: ArrowPrimitiveType>(array: &PrimitiveArray<T>, m: usize, out: &mut Vec<u8>)
    where
        i128: From<T::Native>,
    {
        out.clear();
        out.extend(
            array
                .values()
                .iter()
                .map(|&v| match usize::try_from(i128::from(v)) {
                    Ok(j) if j < m => u8::try_from(j).unwrap_or(BAD),
                    _ => BAD,
                }),
        );
        if let Some(nulls) = array.nulls().filter(|n| n.null_count() > 0) {
            for (code, valid) in out.iter_mut().zip(nulls.iter()) {
                if !valid {
                    *code = MISSING;
                }
            }
        }
    }
    each_int!(ints, a => fill(*a, m, out))
}

pub(super) fn null(column: &str, row: u64) -> crate::Error {
    ArrowError::Null {
        column: column.to_owned(),
        row: usize::try_from(row).unwrap_or(usize::MAX),
    }
    .into()
}

pub(super) fn value_error(column: &str, row: u64, value: &str, problem: String) -> crate::Error {
    ArrowError::Value {
        column: column.to_owned(),
        row: usize::try_from(row).unwrap_or(usize::MAX),
        value: value.to_owned(),
        problem,
    }
    .into()
}
