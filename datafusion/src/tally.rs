//! `sq_tally(indicator, grade [, n])`: the aggregate that counts answers per indicator and
//! grade into one merchant's counts.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, FixedSizeListArray, Int64Array, LargeStringArray,
    StringArray, StringViewArray, UInt32Array, UInt64Array,
};
use arrow::datatypes::{DataType, Field, FieldRef, Int64Type, UInt64Type};
use datafusion::common::{exec_err, plan_err, DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, EmitTo, GroupsAccumulator, Signature, Volatility,
};

use service_quality::batch::prefetch;

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
        // the indicator keeps its string type (no cast of the column)
        let indicator = match &arg_types[0] {
            DataType::Null => DataType::Utf8,
            other => other.clone(),
        };
        let mut types = vec![indicator, grade];
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

    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        _args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(TallyGroups::new(
            self.name.clone(),
            Arc::clone(&self.model),
        )))
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

impl Accumulator for TallyAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let rows = Rows::new(&self.name, &self.model, values)?;
        let mut guess = 0;
        for row in 0..rows.len() {
            if let Some((at, count)) = rows.at(row, &mut guess)? {
                add(&self.name, &mut self.counts[at], count)?;
            }
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let list = output(&self.name, &self.model, &self.counts, self.counts.len())?;
        Ok(ScalarValue::FixedSizeList(Arc::new(
            list.as_fixed_size_list().clone(),
        )))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.counts.capacity() * std::mem::size_of::<u64>()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let values = Arc::new(UInt64Array::from(self.counts.clone()));
        let list = lists(values, DataType::UInt64, self.counts.len())?;
        Ok(vec![ScalarValue::FixedSizeList(Arc::new(
            list.as_fixed_size_list().clone(),
        ))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for values in partials(&self.name, states, self.counts.len()) {
            let Some(values) = values? else { continue };
            for (total, &v) in self
                .counts
                .iter_mut()
                .zip(values.as_primitive::<UInt64Type>().values())
            {
                add(&self.name, total, v)?;
            }
        }
        Ok(())
    }
}

/// Every group's counts in one vector (`group * block + leaf * grades + grade`): the
/// accumulator DataFusion's hash aggregation drives with whole batches and group indices, so
/// that a batch is not split by group first. The counts are `u32`, the type of the result, so
/// that the counts of many merchants take half the cache `u64` would: a count that passes
/// `u32::MAX` is the result's error at once (partial counts only add up).
#[derive(Debug)]
struct TallyGroups {
    name: String,
    model: Arc<ScoringModel>,
    block: usize,
    counts: Vec<u32>,
    /// Each row's cell in the counts and its count ([`NO_PLACE`] for a row not counted),
    /// while a batch is counted (kept to reuse the allocation).
    places: Vec<(usize, u64)>,
}

/// Rows ahead of the one being counted whose count cell is asked for (see
/// [`prefetch`]): with many merchants, each new respondent's block of counts is a cache miss.
const PREFETCH_AHEAD: usize = 32;

/// The place of a row that is not counted (filtered out, or a missing answer).
const NO_PLACE: (usize, u64) = (usize::MAX, 0);

impl TallyGroups {
    /// No groups yet.
    fn new(name: String, model: Arc<ScoringModel>) -> Self {
        Self {
            name,
            block: model.block(),
            model,
            counts: Vec::new(),
            places: Vec::new(),
        }
    }

    /// Room for `groups` groups.
    fn grow(&mut self, groups: usize) -> Result<()> {
        match groups.checked_mul(self.block) {
            Some(len) if len >= self.counts.len() => {
                self.counts.resize(len, 0);
                Ok(())
            }
            Some(_) => Ok(()),
            None => exec_err!("{}: {groups} groups overflow the counts", self.name),
        }
    }

    /// The counts of the groups `emit_to` asks for, removed from the accumulator.
    fn take(&mut self, emit_to: EmitTo) -> Vec<u32> {
        match emit_to {
            EmitTo::All => std::mem::take(&mut self.counts),
            EmitTo::First(n) => {
                let cut = n.saturating_mul(self.block).min(self.counts.len());
                let rest = self.counts.split_off(cut);
                std::mem::replace(&mut self.counts, rest)
            }
        }
    }
}

/// Whether row `row` passes the `FILTER (WHERE ...)` clause (a null is false).
fn kept(filter: Option<&BooleanArray>, row: usize) -> bool {
    filter.is_none_or(|f| f.is_valid(row) && f.value(row))
}

impl GroupsAccumulator for TallyGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.grow(total_num_groups)?;
        let rows = Rows::new(&self.name, &self.model, values)?;
        // first each row's place in its group's counts, in row order; then the counting, which
        // adds at random places (one merchant's block after another) and asks for the cell of
        // the row `PREFETCH_AHEAD` rows ahead while it adds the current one
        let mut places = std::mem::take(&mut self.places);
        places.clear();
        let mut guess = 0;
        let mut views = vec![None; self.model.scorer().n_leaves()];
        for (row, &group) in group_indices.iter().enumerate() {
            let place = if !kept(opt_filter, row) {
                None
            } else if let Some(place) = rows.known(row, &mut guess, &views) {
                place
            } else {
                rows.learn(row, &mut guess, &mut views)?
            };
            places.push(place.map_or(NO_PLACE, |(at, count)| (group * self.block + at, count)));
        }
        let mut done = Ok(());
        for (row, &(cell, count)) in places.iter().enumerate() {
            if let Some(&(ahead, _)) = places.get(row + PREFETCH_AHEAD) {
                prefetch(&self.counts, ahead);
            }
            if cell == NO_PLACE.0 {
                continue;
            }
            let Some(total) = self.counts.get_mut(cell) else {
                done = exec_err!("{}: group {} out of range", self.name, group_indices[row]);
                break;
            };
            match u32::try_from(count).ok().and_then(|c| total.checked_add(c)) {
                Some(sum) => *total = sum,
                None => {
                    let sum = u64::from(*total).saturating_add(count);
                    done = Err(beyond_u32(&self.name, &self.model, cell % self.block, sum));
                    break;
                }
            }
        }
        self.places = places;
        done
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let counts = self.take(emit_to);
        output(&self.name, &self.model, &counts, self.block)
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let counts = self.take(emit_to);
        Ok(vec![lists(
            Arc::new(UInt64Array::from_iter_values(
                counts.into_iter().map(u64::from),
            )),
            DataType::UInt64,
            self.block,
        )?])
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.grow(total_num_groups)?;
        for (partial, &group) in partials(&self.name, values, self.block).zip(group_indices) {
            let Some(partial) = partial? else { continue };
            let start = group * self.block;
            let Some(totals) = self.counts.get_mut(start..start + self.block) else {
                return exec_err!("{}: group {group} out of range", self.name);
            };
            for (at, (total, &v)) in totals
                .iter_mut()
                .zip(partial.as_primitive::<UInt64Type>().values())
                .enumerate()
            {
                match u32::try_from(v).ok().and_then(|v| total.checked_add(v)) {
                    Some(sum) => *total = sum,
                    None => {
                        let sum = u64::from(*total).saturating_add(v);
                        return Err(beyond_u32(&self.name, &self.model, at, sum));
                    }
                }
            }
        }
        Ok(())
    }

    /// Each row as a group of its own (DataFusion may skip partial aggregation when groups are
    /// nearly as many as rows): its counts, zero for a filtered row or a missing answer.
    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        let rows = Rows::new(&self.name, &self.model, values)?;
        let mut counts = vec![0u64; rows.len() * self.block];
        let mut guess = 0;
        for row in 0..rows.len() {
            if !kept(opt_filter, row) {
                continue;
            }
            if let Some((at, count)) = rows.at(row, &mut guess)? {
                counts[row * self.block + at] = count;
            }
        }
        Ok(vec![lists(
            Arc::new(UInt64Array::from(counts)),
            DataType::UInt64,
            self.block,
        )?])
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + self.counts.capacity() * std::mem::size_of::<u32>()
            + self.places.capacity() * std::mem::size_of::<(usize, u64)>()
    }
}

/// One batch's arguments, read row by row: where each row's answers go in a merchant's
/// counts. Shared by the row-wise and the group-wise accumulator.
struct Rows<'a> {
    name: &'a str,
    model: &'a ScoringModel,
    indicators: Ids<'a>,
    grades: RowGrades<'a>,
    n: Option<&'a Int64Array>,
}

/// The indicator column, in the string type the query gave it (no cast).
enum Ids<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
}

/// The grade column: integer indices or labels.
enum RowGrades<'a> {
    Index(&'a Int64Array),
    Label(&'a StringArray),
}

impl<'a> Rows<'a> {
    fn new(name: &'a str, model: &'a ScoringModel, values: &'a [ArrayRef]) -> Result<Self> {
        let indicators = match values[0].data_type() {
            DataType::Utf8 => Ids::Utf8(values[0].as_string::<i32>()),
            DataType::LargeUtf8 => Ids::Large(values[0].as_string::<i64>()),
            DataType::Utf8View => Ids::View(values[0].as_string_view()),
            other => return exec_err!("{name}: the indicator must be a string, got {other}"),
        };
        let grades = match values[1].data_type() {
            DataType::Int64 => RowGrades::Index(values[1].as_primitive::<Int64Type>()),
            DataType::Utf8 => RowGrades::Label(values[1].as_string::<i32>()),
            other => {
                return exec_err!(
                    "{name}: the grade must be an Int64 index or a label, got {other}"
                )
            }
        };
        let n = match values.get(2) {
            None => None,
            Some(n) if n.data_type() == &DataType::Int64 => Some(n.as_primitive::<Int64Type>()),
            Some(n) => return exec_err!("{name}: n must be Int64, got {}", n.data_type()),
        };
        Ok(Self {
            name,
            model,
            indicators,
            grades,
            n,
        })
    }

    fn len(&self) -> usize {
        match &self.indicators {
            Ids::Utf8(a) => a.len(),
            Ids::Large(a) => a.len(),
            Ids::View(a) => a.len(),
        }
    }

    fn indicator(&self, row: usize) -> Option<&'a str> {
        match &self.indicators {
            Ids::Utf8(a) => a.is_valid(row).then(|| a.value(row)),
            Ids::Large(a) => a.is_valid(row).then(|| a.value(row)),
            Ids::View(a) => a.is_valid(row).then(|| a.value(row)),
        }
    }

    /// Row `row`'s place as [`at`](Self::at) gives it, without the string comparison, when the
    /// indicator column is a `Utf8View` whose view at `row` is `views[guess]` (the view the
    /// guessed leaf had earlier in this batch: an array's equal views are equal strings,
    /// inline or the same bytes of the same buffer), the grade an index in range or null and
    /// there is no `n` column: `Some(place)` (a missing answer is `Some(None)`), and the guess
    /// moved on; `None` otherwise, for [`learn`](Self::learn).
    #[inline(always)]
    fn known(
        &self,
        row: usize,
        guess: &mut usize,
        views: &[Option<u128>],
    ) -> Option<Option<(usize, u64)>> {
        let (Ids::View(ids), RowGrades::Index(codes), None) =
            (&self.indicators, &self.grades, self.n)
        else {
            return None;
        };
        let leaf = *guess;
        if !ids.is_valid(row) || views.get(leaf)? != &Some(ids.views()[row]) {
            return None;
        }
        let place = if codes.is_null(row) {
            None
        } else {
            let grades = self.model.scorer().n_grades();
            let grade = usize::try_from(codes.value(row))
                .ok()
                .filter(|&g| g < grades)?;
            Some((leaf * grades + grade, 1))
        };
        *guess = if leaf + 1 == views.len() { 0 } else { leaf + 1 };
        Some(place)
    }

    /// [`at`](Self::at), remembering the view of the leaf it resolved in `views` (see
    /// [`known`](Self::known); `views` has one entry per leaf and is valid for one batch).
    fn learn(
        &self,
        row: usize,
        guess: &mut usize,
        views: &mut [Option<u128>],
    ) -> Result<Option<(usize, u64)>> {
        let place = self.at(row, guess)?;
        if let Ids::View(ids) = &self.indicators {
            // `at` resolved the leaf (the indicator is not null) and set the guess after it
            let leaf = (*guess + views.len() - 1) % views.len();
            views[leaf] = Some(ids.views()[row]);
        }
        Ok(place)
    }

    /// Row `row`'s place in a merchant's counts (`leaf * grades + grade`) and how many answers
    /// it stands for; `None` for a missing answer (a null grade). `guess` is the leaf tried
    /// before the lookup (the one after the previous row's: answers usually come in the tree's
    /// order) and is updated.
    fn at(&self, row: usize, guess: &mut usize) -> Result<Option<(usize, u64)>> {
        let name = self.name;
        let Some(id) = self.indicator(row) else {
            return exec_err!("{name}: null indicator");
        };
        let ids = self.model.scorer().leaf_ids();
        let leaf = match ids.get(*guess) {
            Some(g) if g == id => *guess,
            _ => match self.model.leaf(id) {
                Some(leaf) => leaf,
                None => {
                    return exec_err!(
                        "{name}: unknown indicator `{id}` (indicators: {})",
                        self.model.leaf_list()
                    )
                }
            },
        };
        *guess = (leaf + 1) % ids.len();
        let grades = self.model.scorer().n_grades();
        let grade = match self.grades {
            RowGrades::Index(codes) => {
                if codes.is_null(row) {
                    return Ok(None);
                }
                let code = codes.value(row);
                match usize::try_from(code) {
                    Ok(j) if j < grades => j,
                    _ => {
                        return exec_err!(
                        "{name}: grade index {code} of indicator `{id}` is not within 0..{grades}"
                    )
                    }
                }
            }
            RowGrades::Label(labels) => {
                if labels.is_null(row) {
                    return Ok(None);
                }
                let label = labels.value(row);
                match self.model.grade(label) {
                    Some(j) => j,
                    None => {
                        return exec_err!(
                            "{name}: unknown grade label `{label}` of indicator `{id}`"
                        )
                    }
                }
            }
        };
        let count = match self.n {
            None => 1,
            Some(n) if n.is_null(row) => return exec_err!("{name}: null n for indicator `{id}`"),
            Some(n) => match u64::try_from(n.value(row)) {
                Ok(count) => count,
                Err(_) => {
                    return exec_err!("{name}: negative n {} for indicator `{id}`", n.value(row))
                }
            },
        };
        Ok(Some((leaf * grades + grade, count)))
    }
}

/// Adds `count` to `total`; a total beyond `u64::MAX` is an error (never a silent cap).
fn add(name: &str, total: &mut u64, count: u64) -> Result<()> {
    match total.checked_add(count) {
        Some(sum) => {
            *total = sum;
            Ok(())
        }
        None => exec_err!("{name}: more than u64::MAX answers of one indicator and grade"),
    }
}

/// Counts as the `FixedSizeList<UInt32>` output, one list per `block` values; a count beyond
/// `u32::MAX` is an error naming its indicator and grade.
fn output<C: Copy + Into<u64>>(
    name: &str,
    model: &ScoringModel,
    counts: &[C],
    block: usize,
) -> Result<ArrayRef> {
    let mut out = Vec::with_capacity(counts.len());
    for (at, &count) in counts.iter().enumerate() {
        let count = count.into();
        let Ok(count) = u32::try_from(count) else {
            return Err(beyond_u32(name, model, at % block, count));
        };
        out.push(count);
    }
    lists(Arc::new(UInt32Array::from(out)), DataType::UInt32, block)
}

/// The error of a count beyond `u32::MAX` at place `at` of a merchant's counts.
#[cold]
fn beyond_u32(name: &str, model: &ScoringModel, at: usize, count: u64) -> DataFusionError {
    let grades = model.scorer().n_grades();
    DataFusionError::Execution(format!(
        "{name}: {count} answers of grade `{}` on indicator `{}` exceed u32::MAX",
        model.grade_label(at % grades),
        model.scorer().leaf_ids()[at / grades]
    ))
}

/// `values` as fixed-size lists of `block` items of type `item`.
fn lists(values: ArrayRef, item: DataType, block: usize) -> Result<ArrayRef> {
    let size = i32::try_from(block).unwrap_or(i32::MAX);
    let field = Arc::new(Field::new("item", item, false));
    Ok(Arc::new(FixedSizeListArray::try_new(
        field, size, values, None,
    )?))
}

/// The partial counts of a state column, list by list (`None` for a null list).
fn partials<'s>(
    name: &'s str,
    states: &'s [ArrayRef],
    block: usize,
) -> impl Iterator<Item = Result<Option<ArrayRef>>> + 's {
    let lists = states[0].as_fixed_size_list();
    (0..lists.len()).map(move |row| {
        if lists.is_null(row) {
            return Ok(None);
        }
        let values = lists.value(row);
        if values.len() != block || values.data_type() != &DataType::UInt64 {
            return exec_err!("{name}: partial counts of another model");
        }
        Ok(Some(values))
    })
}

#[cfg(test)]
mod tests {
    use arrow::datatypes::UInt32Type;
    use service_quality::{template, Evaluator, GradeSet, IndicatorTree};

    use super::*;

    fn groups() -> TallyGroups {
        let evaluator = Evaluator::new(
            IndicatorTree::new(template::after_sales()).unwrap(),
            GradeSet::satisfaction_5(),
        );
        let model = Arc::new(ScoringModel::new(&evaluator).unwrap());
        TallyGroups::new("sq_tally".into(), model)
    }

    fn counts(lists: &ArrayRef, group: usize) -> Vec<u32> {
        let list = lists.as_fixed_size_list().value(group);
        list.as_primitive::<UInt32Type>().values().to_vec()
    }

    #[test]
    fn emitting_the_first_groups_moves_the_others_down() {
        let mut acc = groups();
        let ids = acc.model.scorer().leaf_ids().to_vec();
        let values: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec![
                ids[0].as_str(),
                ids[1].as_str(),
                ids[0].as_str(),
            ])),
            Arc::new(Int64Array::from(vec![Some(0), Some(4), None])),
        ];
        acc.update_batch(&values, &[0, 1, 2], None, 3).unwrap();
        // the first group's partial counts, merged into group 1 of another accumulator
        let first = acc.state(EmitTo::First(1)).unwrap();
        let mut other = groups();
        other.merge_batch(&first, &[1], 2).unwrap();
        let merged = other.evaluate(EmitTo::All).unwrap();
        assert_eq!(merged.len(), 2);
        assert_eq!(counts(&merged, 0).iter().sum::<u32>(), 0);
        assert_eq!(counts(&merged, 1)[0], 1); // leaf 0, grade 0
        assert_eq!(counts(&merged, 1).iter().sum::<u32>(), 1);
        // the others moved down: the old group 1 is group 0 now
        let rest = acc.evaluate(EmitTo::All).unwrap();
        assert_eq!(rest.len(), 2);
        assert_eq!(counts(&rest, 0)[5 + 4], 1); // leaf 1, grade 4
        assert_eq!(counts(&rest, 0).iter().sum::<u32>(), 1);
        assert_eq!(counts(&rest, 1).iter().sum::<u32>(), 0); // a missing answer only
    }

    #[test]
    fn rows_converted_to_states_merge_to_the_same_counts() {
        let mut direct = groups();
        let ids = direct.model.scorer().leaf_ids().to_vec();
        let values: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec![
                ids[0].as_str(),
                ids[3].as_str(),
                ids[0].as_str(),
                ids[5].as_str(),
            ])),
            Arc::new(Int64Array::from(vec![Some(2), Some(1), Some(2), None])),
        ];
        let filter = BooleanArray::from(vec![Some(true), Some(true), Some(true), None]);
        direct
            .update_batch(&values, &[1, 0, 1, 0], Some(&filter), 2)
            .unwrap();
        let states = direct.convert_to_state(&values, Some(&filter)).unwrap();
        let mut merged = groups();
        merged.merge_batch(&states, &[1, 0, 1, 0], 2).unwrap();
        let (a, b) = (
            direct.evaluate(EmitTo::All).unwrap(),
            merged.evaluate(EmitTo::All).unwrap(),
        );
        assert_eq!(counts(&a, 0), counts(&b, 0));
        assert_eq!(counts(&a, 1), counts(&b, 1));
        assert_eq!(counts(&b, 1)[2], 2); // leaf 0, grade 2, twice
        assert_eq!(counts(&b, 0)[3 * 5 + 1], 1); // leaf 3, grade 1
        assert_eq!(counts(&b, 0).iter().sum::<u32>(), 1); // the filtered row adds nothing
    }

    #[test]
    fn counts_beyond_the_output_type_are_errors() {
        let acc = groups();
        let id = acc.model.scorer().leaf_ids()[2].clone();
        let rows = |n: i64| -> Vec<ArrayRef> {
            vec![
                Arc::new(StringArray::from(vec![id.as_str()])),
                Arc::new(Int64Array::from(vec![3])),
                Arc::new(Int64Array::from(vec![n])),
            ]
        };
        let beyond = |message: String, total: u64| {
            assert!(
                message.contains(&format!("{total} answers of grade")),
                "{message}"
            );
            assert!(message.contains(&format!("indicator `{id}`")), "{message}");
        };
        // the group-wise accumulator counts in the output's u32: one row, two rows and a
        // merged partial state beyond it are errors at once
        let mut acc = groups();
        let e = acc.update_batch(&rows(5_000_000_000), &[0], None, 1);
        beyond(e.unwrap_err().to_string(), 5_000_000_000);
        let mut acc = groups();
        acc.update_batch(&rows(3_000_000_000), &[0], None, 1)
            .unwrap();
        let e = acc.update_batch(&rows(2_000_000_000), &[0], None, 1);
        beyond(e.unwrap_err().to_string(), 5_000_000_000);
        let mut part = groups();
        part.update_batch(&rows(3_000_000_000), &[0], None, 1)
            .unwrap();
        let state = part.state(EmitTo::All).unwrap();
        let mut acc = groups();
        acc.merge_batch(&state, &[0], 1).unwrap();
        let e = acc.merge_batch(&state, &[0], 1);
        beyond(e.unwrap_err().to_string(), 6_000_000_000);
        // a partial state at u64::MAX (another producer's) is the same error, not an overflow
        let mut huge = vec![0u64; acc.block];
        huge[2 * acc.model.scorer().n_grades() + 3] = u64::MAX;
        let state = vec![lists(
            Arc::new(UInt64Array::from(huge)),
            DataType::UInt64,
            acc.block,
        )
        .unwrap()];
        let mut acc = groups();
        acc.update_batch(&rows(1), &[0], None, 1).unwrap();
        let e = acc.merge_batch(&state, &[0], 1);
        beyond(e.unwrap_err().to_string(), u64::MAX);
        // the row-wise accumulator keeps u64 totals until the output
        let row_wise = || TallyAccumulator {
            name: "sq_tally".into(),
            model: Arc::clone(&acc.model),
            counts: vec![0; acc.block],
        };
        let mut one = row_wise();
        one.update_batch(&rows(5_000_000_000)).unwrap();
        beyond(one.evaluate().unwrap_err().to_string(), 5_000_000_000);
        let mut one = row_wise();
        for _ in 0..2 {
            one.update_batch(&rows(i64::MAX)).unwrap();
        }
        let message = one.update_batch(&rows(i64::MAX)).unwrap_err().to_string();
        assert!(message.contains("more than u64::MAX"), "{message}");
    }
}
