//! `sq_score`, `sq_grade`, `sq_grade_label`, `sq_error` and `sq_b`: scalar functions that
//! score one merchant's counts per row.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use arrow::array::{ArrayRef, AsArray, StringArray, UInt32Array};
use arrow::datatypes::{DataType, Field, UInt32Type};
use arrow::record_batch::RecordBatch;
use datafusion::common::{exec_err, plan_err, DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use service_quality::batch::{ArrowScoring, CountsLayout};

use crate::model::ScoringModel;

/// What a scoring function returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Output {
    /// `Float64`: the score (null when the merchant cannot be scored).
    Score,
    /// `UInt32`: the grade index (null likewise).
    Grade,
    /// `Utf8`: the grade's label (null likewise).
    GradeLabel,
    /// `Utf8`: why the merchant cannot be scored (null when it can).
    Error,
    /// `FixedSizeList<Float64>[grades]`: a node's normalised `B` (second argument: the node id,
    /// a string literal).
    NodeB,
}

/// A scoring function over counts from `sq_tally` (or any `FixedSizeList` of integer counts,
/// or of `Float64` memberships, of indicators x grades values).
#[derive(Debug)]
pub(crate) struct Score {
    pub(crate) name: String,
    pub(crate) output: Output,
    pub(crate) model: Arc<ScoringModel>,
    pub(crate) signature: Signature,
}

impl PartialEq for Score {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.output == other.output
            && Arc::ptr_eq(&self.model, &other.model)
    }
}

impl Eq for Score {}

impl Hash for Score {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.output.hash(state);
        Arc::as_ptr(&self.model).hash(state);
    }
}

impl Score {
    pub(crate) fn new(name: &str, output: Output, model: Arc<ScoringModel>) -> Self {
        let arity = if output == Output::NodeB { 2 } else { 1 };
        Self {
            name: name.to_owned(),
            output,
            model,
            signature: Signature::any(arity, Volatility::Immutable),
        }
    }

    /// The node whose `B` `sq_b` returns: its second argument, a string literal.
    fn node(&self, args: &ScalarFunctionArgs) -> Result<String> {
        match args.args.get(1) {
            Some(ColumnarValue::Scalar(
                ScalarValue::Utf8(Some(id))
                | ScalarValue::LargeUtf8(Some(id))
                | ScalarValue::Utf8View(Some(id)),
            )) => {
                if self.model.scorer().node_ids().contains(id) {
                    Ok(id.clone())
                } else {
                    exec_err!(
                        "{}: unknown node `{id}` (nodes: {})",
                        self.name,
                        self.model.scorer().node_ids().join(", ")
                    )
                }
            }
            _ => exec_err!("{}: the node must be a string literal", self.name),
        }
    }
}

impl ScalarUDFImpl for Score {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let block = self.model.block();
        match &arg_types[0] {
            DataType::FixedSizeList(_, size) if usize::try_from(*size).ok() == Some(block) => {}
            other => {
                return plan_err!(
                    "{}: expected the counts of sq_tally, FixedSizeList[{block}] (indicators x grades), got {other}",
                    self.name
                )
            }
        }
        Ok(match self.output {
            Output::Score => DataType::Float64,
            Output::Grade => DataType::UInt32,
            Output::GradeLabel | Output::Error => DataType::Utf8,
            Output::NodeB => {
                let size = i32::try_from(self.model.scorer().n_grades()).unwrap_or(i32::MAX);
                DataType::FixedSizeList(
                    Arc::new(Field::new("item", DataType::Float64, false)),
                    size,
                )
            }
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let counts = args.args[0].to_array(rows)?;
        let node = match self.output {
            Output::NodeB => Some(self.node(&args)?),
            _ => None,
        };
        let index: ArrayRef = Arc::new(UInt32Array::from_iter_values(0..rows as u32));
        let batch = RecordBatch::try_from_iter([("row", index), ("counts", counts)])?;
        let spec =
            ArrowScoring::new("row", CountsLayout::list("counts")).with_node_b(node.is_some());
        let scored = self
            .model
            .scorer()
            .score_record_batch(&batch, &spec)
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
        let column = |name: &str| -> Result<ArrayRef> {
            scored
                .column_by_name(name)
                .cloned()
                .ok_or_else(|| DataFusionError::Internal(format!("no column {name}")))
        };
        let out = match self.output {
            Output::Score => column("score")?,
            Output::Grade => column("grade")?,
            Output::Error => column("error")?,
            Output::GradeLabel => {
                let grades = column("grade")?;
                let grades = grades.as_primitive::<UInt32Type>();
                let labels: StringArray = grades
                    .iter()
                    .map(|g| g.map(|j| self.model.grade_label(j as usize).to_owned()))
                    .collect();
                Arc::new(labels)
            }
            Output::NodeB => column(&format!("b_{}", node.unwrap_or_default()))?,
        };
        Ok(ColumnarValue::Array(out))
    }
}
