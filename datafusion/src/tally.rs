//! `sq_tally(indicator, grade [, n])`: the aggregate that counts answers per indicator and
//! grade into one merchant's counts.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, FixedSizeListArray, UInt32Array, UInt64Array};
use arrow::datatypes::{DataType, Field, FieldRef, Int64Type, UInt64Type};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};

use crate::model::ScoringModel;

/// The aggregate `sq_tally(indicator, grade [, n])`.
///
/// - `indicator`: the indicator (leaf) id, a string;
/// - `grade`: the grade's 0-based index in the grade set (an integer), or its label (English
///   or Chinese, a string); a null grade is a missing answer and is not counted;
/// - `n` (optional): how many answers the row stands for (a count from an earlier
///   `GROUP BY`), default 1.
///
/// Returns `FixedSizeList<UInt32>[indicators x grades]`, indicators in the tree's preorder and
/// grades in the grade set's order: the input of `sq_score`. An unknown indicator, a grade
/// out of range, an unknown label, a null indicator or `n`, a negative `n` and a count beyond
/// `u32::MAX` are errors naming the value.
#[derive(Debug)]
pub(crate) struct Tally {
    pub(crate) name: String,
    pub(crate) model: Arc<ScoringModel>,
    pub(crate) signature: Signature,
}

impl PartialEq for Tally {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && Arc::ptr_eq(&self.model, &other.model)
    }
}

impl Eq for Tally {}

impl Hash for Tally {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        Arc::as_ptr(&self.model).hash(state);
    }
}

impl Tally {
    pub(crate) fn new(name: &str, model: Arc<ScoringModel>) -> Self {
        Self {
            name: name.to_owned(),
            model,
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }

    fn list_type(&self, item: DataType) -> DataType {
        let size = i32::try_from(self.model.block()).unwrap_or(i32::MAX);
        DataType::FixedSizeList(Arc::new(Field::new("item", item, false)), size)
    }
}

impl AggregateUDFImpl for Tally {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if !(2..=3).contains(&arg_types.len()) {
            return plan_err!(
                "{}(indicator, grade [, n]) takes 2 or 3 arguments, got {}",
                self.name,
                arg_types.len()
            );
        }
        let string = |t: &DataType| {
            matches!(
                t,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
            )
        };
        if !string(&arg_types[0]) {
            return plan_err!(
                "{}: the indicator must be a string, got {}",
                self.name,
                arg_types[0]
            );
        }
        let grade = if arg_types[1].is_integer() {
            DataType::Int64
        } else if string(&arg_types[1]) {
            DataType::Utf8
        } else {
            return plan_err!(
                "{}: the grade must be an integer index or a string label, got {}",
                self.name,
                arg_types[1]
            );
        };
        let mut types = vec![DataType::Utf8, grade];
        if let Some(n) = arg_types.get(2) {
            if !n.is_integer() {
                return plan_err!("{}: n must be an integer, got {n}", self.name);
            }
            types.push(DataType::Int64);
        }
        Ok(types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(self.list_type(DataType::UInt32))
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(TallyAccumulator {
            name: self.name.clone(),
            model: Arc::clone(&self.model),
            counts: vec![0; self.model.block()],
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format_state_name(args.name, "counts"),
            self.list_type(DataType::UInt64),
            true,
        ))])
    }
}

/// One group's counts, in `u64` until the end (the output is checked to fit `u32`).
#[derive(Debug)]
struct TallyAccumulator {
    name: String,
    model: Arc<ScoringModel>,
    counts: Vec<u64>,
}

impl TallyAccumulator {
    fn list(&self, values: ArrayRef, item: DataType) -> Result<ScalarValue> {
        let size = i32::try_from(self.counts.len()).unwrap_or(i32::MAX);
        let field = Arc::new(Field::new("item", item, false));
        let list = FixedSizeListArray::try_new(field, size, values, None)?;
        Ok(ScalarValue::FixedSizeList(Arc::new(list)))
    }
}

impl Accumulator for TallyAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let indicators = values[0].as_string::<i32>();
        let n = values.get(2).map(|a| a.as_primitive::<Int64Type>());
        let grades = self.model.scorer().n_grades();
        for row in 0..indicators.len() {
            if indicators.is_null(row) {
                return exec_err!("{}: null indicator", self.name);
            }
            let id = indicators.value(row);
            let Some(leaf) = self.model.leaf(id) else {
                return exec_err!(
                    "{}: unknown indicator `{id}` (indicators: {})",
                    self.name,
                    self.model.leaf_list()
                );
            };
            let grade = match values[1].data_type() {
                DataType::Int64 => {
                    let codes = values[1].as_primitive::<Int64Type>();
                    if codes.is_null(row) {
                        continue;
                    }
                    let code = codes.value(row);
                    match usize::try_from(code) {
                        Ok(j) if j < grades => j,
                        _ => {
                            return exec_err!(
                            "{}: grade index {code} of indicator `{id}` is not within 0..{grades}",
                            self.name
                        )
                        }
                    }
                }
                _ => {
                    let labels = values[1].as_string::<i32>();
                    if labels.is_null(row) {
                        continue;
                    }
                    let label = labels.value(row);
                    match self.model.grade(label) {
                        Some(j) => j,
                        None => {
                            return exec_err!(
                                "{}: unknown grade label `{label}` of indicator `{id}`",
                                self.name
                            )
                        }
                    }
                }
            };
            let count = match n {
                None => 1,
                Some(n) if n.is_null(row) => {
                    return exec_err!("{}: null n for indicator `{id}`", self.name)
                }
                Some(n) => match u64::try_from(n.value(row)) {
                    Ok(count) => count,
                    Err(_) => {
                        return exec_err!(
                            "{}: negative n {} for indicator `{id}`",
                            self.name,
                            n.value(row)
                        )
                    }
                },
            };
            let at = leaf * grades + grade;
            self.counts[at] = self.counts[at].saturating_add(count);
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut out = Vec::with_capacity(self.counts.len());
        for (at, &count) in self.counts.iter().enumerate() {
            let Ok(count) = u32::try_from(count) else {
                let grades = self.model.scorer().n_grades();
                return exec_err!(
                    "{}: {count} answers of grade `{}` on indicator `{}` exceed u32::MAX",
                    self.name,
                    self.model.grade_label(at % grades),
                    self.model.scorer().leaf_ids()[at / grades]
                );
            };
            out.push(count);
        }
        self.list(Arc::new(UInt32Array::from(out)), DataType::UInt32)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.counts.capacity() * std::mem::size_of::<u64>()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let values = Arc::new(UInt64Array::from(self.counts.clone()));
        Ok(vec![self.list(values, DataType::UInt64)?])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let lists = states[0].as_fixed_size_list();
        let block = self.counts.len();
        for row in 0..lists.len() {
            if lists.is_null(row) {
                continue;
            }
            let values = lists.value(row);
            let values = values.as_primitive::<UInt64Type>();
            if values.len() != block {
                return exec_err!("{}: partial counts of another model", self.name);
            }
            for (total, &v) in self.counts.iter_mut().zip(values.values().iter()) {
                *total = total.saturating_add(v);
            }
        }
        Ok(())
    }
}
