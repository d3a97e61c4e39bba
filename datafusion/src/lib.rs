//! Service-quality scoring inside [Apache DataFusion](https://datafusion.apache.org): the
//! counting runs in the engine, the scoring in the `service-quality` batch scorer, and the user
//! writes plain SQL.
//!
//! [`register`] binds a model (an [`Evaluator`](service_quality::Evaluator): tree, weights,
//! operators, grade set) to a [`SessionContext`] under these functions:
//!
//! | function | kind | returns |
//! |---|---|---|
//! | `sq_tally(indicator, grade [, n])` | aggregate | `FixedSizeList<UInt32>[indicators x grades]`: the group's answer counts |
//! | `sq_score(counts)` | scalar | `Float64` score, null when the merchant cannot be scored |
//! | `sq_grade(counts)` | scalar | `UInt32` grade index (maximum membership), null likewise |
//! | `sq_grade_label(counts)` | scalar | `Utf8` grade label, null likewise |
//! | `sq_error(counts)` | scalar | `Utf8`: why the merchant cannot be scored, null when it can |
//! | `sq_b(counts, 'node')` | scalar | `FixedSizeList<Float64>[grades]`: the node's normalised `B` |
//!
//! `grade` is the grade's 0-based index in the grade set (an integer) or its label (English or
//! Chinese); a null grade is a missing answer. The scores equal the crate's own batch scorer on
//! the same counts (the tests check it to 1e-12 on random data).
//!
//! `sq_tally` is a groups accumulator: DataFusion's hash aggregation hands it whole batches
//! with each row's group index, and it keeps every group's counts in one vector, so a batch is
//! never split by group first. It honours `FILTER (WHERE ...)` and takes the indicator column
//! in whatever string type the scan gives it (`Utf8`, `LargeUtf8`, `Utf8View`) without a cast.
//!
//! # One query
//!
//! ```sql
//! SELECT merchant, sq_score(sq_tally(indicator, grade)) AS score
//! FROM answers GROUP BY merchant ORDER BY score DESC
//! ```
//!
//! # The two-step plan any engine can run
//!
//! The heavy part is a plain `GROUP BY ... COUNT(*)`, which every SQL engine distributes; only
//! the small second step needs the functions (`n` is the count from the first step):
//!
//! ```sql
//! -- step 1, anywhere (Spark, Trino, DuckDB, DataFusion, Ballista):
//! CREATE TABLE counts AS
//!   SELECT merchant, indicator, grade, COUNT(*) AS n
//!   FROM answers WHERE grade IS NOT NULL GROUP BY merchant, indicator, grade;
//! -- step 2, with the functions registered:
//! SELECT merchant, sq_score(sq_tally(indicator, grade, n)) AS score
//! FROM counts GROUP BY merchant;
//! ```
//!
//! # Examples
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use datafusion::prelude::SessionContext;
//! use service_quality::{Evaluator, GradeSet, IndicatorTree, NodeSpec};
//! use service_quality_datafusion::{register, ScoringModel};
//!
//! let tree = IndicatorTree::new(
//!     NodeSpec::group("goal", "Service", vec![
//!         NodeSpec::leaf("speed", "Speed"),
//!         NodeSpec::leaf("attitude", "Attitude"),
//!     ]).with_weights(vec![0.6, 0.4]),
//! )?;
//! let model = ScoringModel::new(&Evaluator::new(&tree, GradeSet::satisfaction_5_points()))?;
//! let ctx = SessionContext::new();
//! register(&ctx, Arc::new(model));
//! ctx.sql("CREATE TABLE answers (merchant TEXT, indicator TEXT, grade BIGINT) AS VALUES
//!          ('a', 'speed', 0), ('a', 'attitude', 1), ('b', 'speed', 4), ('b', 'attitude', 4)")
//!     .await?;
//! let batches = ctx
//!     .sql("SELECT merchant, sq_score(sq_tally(indicator, grade)) AS score
//!           FROM answers GROUP BY merchant ORDER BY merchant")
//!     .await?
//!     .collect()
//!     .await?;
//! let scores = batches[0].column(1).as_any().downcast_ref::<arrow::array::Float64Array>().unwrap();
//! assert!((scores.value(0) - (0.6 * 5.0 + 0.4 * 4.0)).abs() < 1e-12);
//! assert!((scores.value(1) - 1.0).abs() < 1e-12);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod model;
mod score;
mod tally;

use std::sync::Arc;

use datafusion::logical_expr::{AggregateUDF, ScalarUDF};
use datafusion::prelude::SessionContext;

pub use model::ScoringModel;

use score::{Output, Score};
use tally::Tally;

/// The functions of [`register`], to register them elsewhere (a `SessionState` builder, a
/// distributed engine's function registry): the aggregate `sq_tally` and the scalar functions.
pub fn functions(model: Arc<ScoringModel>) -> (AggregateUDF, Vec<ScalarUDF>) {
    let scalar = [
        ("sq_score", Output::Score),
        ("sq_grade", Output::Grade),
        ("sq_grade_label", Output::GradeLabel),
        ("sq_error", Output::Error),
        ("sq_b", Output::NodeB),
    ]
    .into_iter()
    .map(|(name, output)| ScalarUDF::from(Score::new(name, output, Arc::clone(&model))))
    .collect();
    (AggregateUDF::from(Tally::new("sq_tally", model)), scalar)
}

/// Registers `sq_tally`, `sq_score`, `sq_grade`, `sq_grade_label`, `sq_error` and `sq_b` on
/// `ctx`, bound to `model`.
pub fn register(ctx: &SessionContext, model: Arc<ScoringModel>) {
    let (tally, scalar) = functions(model);
    ctx.register_udaf(tally);
    for udf in scalar {
        ctx.register_udf(udf);
    }
}
