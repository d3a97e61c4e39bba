//! The tally of one read: record batches in, answers counted into a [`SurveyCounts`] (the
//! same tally the survey readers fill).

use std::collections::HashMap;

use arrow_array::{Array, ArrayRef, RecordBatch};

use crate::error::{ArrowError, Result};
use crate::input::bytemap::ByteMap;
use crate::input::SurveyCounts;
use crate::model::grades::GradeSet;

use super::columns::{
    grade_codes, int_values, null, Grades, Ints, Lookups, Memo, Strings, BAD, MISSING, UNSET,
};
use super::{ParquetLayout, ParquetTally};
use crate::batch::arrow::column;
use crate::batch::prefetch::prefetch;

/// Rows ahead of the one being counted whose count cell is prefetched: a respondent's answers
/// share one merchant's block, the next respondent's block is a cache miss when the file has
/// many merchants.
const PREFETCH_AHEAD: usize = 32;

/// The respondent column of a long layout: integer ids or strings.
pub(super) enum Respondents<'a> {
    Int(Ints<'a>),
    Text(Strings<'a>),
}

impl<'a> Respondents<'a> {
    pub(super) fn of(array: &'a ArrayRef, column: &str) -> Result<Self> {
        match Grades::of(array, column) {
            Ok(Grades::Index(ints)) => Ok(Self::Int(ints)),
            Ok(Grades::Label(strings)) => Ok(Self::Text(strings)),
            Err(_) => Err(ArrowError::ColumnType {
                column: column.to_owned(),
                expected: "integer or string respondent ids",
                found: array.data_type().to_string(),
            }
            .into()),
        }
    }

    /// Row `i`'s respondent, `None` for a null.
    fn id(&self, i: usize) -> Option<RespondentId> {
        match self {
            Self::Int(ints) => ints.get(i).map(RespondentId::Int),
            Self::Text(strings) => strings.get(i).map(|s| RespondentId::Text(s.to_owned())),
        }
    }
}

/// One respondent's id.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RespondentId {
    Int(i128),
    Text(String),
}

/// The columns of a long-layout batch and their names (merchant, indicator, grade, then the
/// respondent when the layout has one).
pub(super) struct LongColumns<'b, 'a> {
    pub(super) merchants: &'b Strings<'a>,
    pub(super) indicators: &'b Strings<'a>,
    pub(super) grades: &'b Grades<'a>,
    pub(super) respondents: Option<&'b Respondents<'a>>,
    pub(super) names: &'b [String],
}

/// The state of one read.
pub(super) struct Tally {
    lookups: Lookups,
    /// Merchant names to indices: the byte-string table in front of the tally's own map, as
    /// the survey reader has it (new dictionaries resolve every key again).
    names: ByteMap,
    by_name: HashMap<String, u32>,
    /// The last merchant looked up and its index.
    last_merchant: Option<(String, usize)>,
    /// The previous row's leaf (long format).
    last_leaf: usize,
    /// Dictionary keys of the merchant and indicator columns resolved so far.
    merchant_memo: Memo,
    leaf_memo: Memo,
    /// The grade codes and respondent ids of the current batch (long format), kept to reuse
    /// the allocations.
    codes: Vec<u8>,
    ids: Vec<i128>,
    /// The previous row's merchant and respondent (long format with a respondent column): a
    /// row starts a new respondent when either differs.
    respondent: Option<(usize, RespondentId)>,
    /// Leaves in order of their first answer (long format).
    seen: Vec<bool>,
    answered: Vec<usize>,
    survey: SurveyCounts,
    rows: u64,
    answers: u64,
    missing: u64,
    /// The leaf of each indicator column of a wide layout.
    wide: Vec<usize>,
}

impl Tally {
    pub(super) fn new(lookups: Lookups, grades: GradeSet, wide: Vec<usize>) -> Self {
        let k = lookups.leaf_ids.len();
        Self {
            survey: SurveyCounts::for_leaves(lookups.leaf_ids.clone(), grades),
            lookups,
            names: ByteMap::new(),
            by_name: HashMap::new(),
            last_merchant: None,
            last_leaf: 0,
            merchant_memo: Memo::default(),
            leaf_memo: Memo::default(),
            codes: Vec::new(),
            ids: Vec::new(),
            respondent: None,
            seen: vec![false; k],
            answered: Vec::new(),
            rows: 0,
            answers: 0,
            missing: 0,
            wide,
        }
    }

    /// The result: answered leaves set, and, for a long layout without a respondent column,
    /// each merchant's respondents taken as the most rows any one indicator has.
    pub(super) fn finish(mut self, layout: &ParquetLayout) -> ParquetTally {
        let leaf_ids = &self.lookups.leaf_ids;
        let (k, m) = (leaf_ids.len(), self.lookups.m);
        let answered = match layout {
            ParquetLayout::Wide { .. } => &self.wide,
            ParquetLayout::Long { .. } => &self.answered,
        };
        let answered: Vec<String> = answered.iter().map(|&l| leaf_ids[l].clone()).collect();
        self.survey.set_answered_leaves(answered);
        if let ParquetLayout::Long {
            respondent: None, ..
        } = layout
        {
            let (counts, missing, respondents) = self.survey.cells_mut();
            for (i, r) in respondents.iter_mut().enumerate() {
                *r = (0..k)
                    .map(|l| {
                        let at = i * k + l;
                        let answers: u64 = counts[at * m..(at + 1) * m]
                            .iter()
                            .map(|&c| u64::from(c))
                            .sum();
                        answers + u64::from(missing[at])
                    })
                    .max()
                    .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX));
            }
        }
        ParquetTally {
            survey: self.survey,
            rows: self.rows,
            answers: self.answers,
            missing: self.missing,
        }
    }

    /// The index of merchant `name` (added when new); the last one is remembered, as a
    /// respondent's answers usually follow each other.
    #[inline]
    fn merchant(&mut self, name: &str) -> usize {
        if let Some((last, i)) = &self.last_merchant {
            if last == name {
                return *i;
            }
        }
        let i = match self.names.get(name.as_bytes()) {
            Some(i) => i as usize,
            None => {
                let i = self.survey.merchant_index(&mut self.by_name, name);
                self.names.insert(name.as_bytes(), i);
                i as usize
            }
        };
        match &mut self.last_merchant {
            Some((last, at)) => {
                last.clear();
                last.push_str(name);
                *at = i;
            }
            None => self.last_merchant = Some((name.to_owned(), i)),
        }
        i
    }

    /// One answer of grade `grade` to `leaf` by `merchant`.
    fn count(
        &mut self,
        merchant: usize,
        leaf: usize,
        grade: usize,
        column: &str,
        row: u64,
    ) -> Result<()> {
        let (k, m) = (self.lookups.leaf_ids.len(), self.lookups.m);
        let (counts, _, _) = self.survey.cells_mut();
        bump(&mut counts[(merchant * k + leaf) * m + grade], column, row)?;
        self.answers += 1;
        Ok(())
    }

    /// One missing answer (a null grade) to `leaf` by `merchant`.
    fn miss(&mut self, merchant: usize, leaf: usize, column: &str, row: u64) -> Result<()> {
        let k = self.lookups.leaf_ids.len();
        let (_, missing, _) = self.survey.cells_mut();
        bump(&mut missing[merchant * k + leaf], column, row)?;
        self.missing += 1;
        Ok(())
    }

    /// One more respondent of `merchant`.
    fn add_respondent(&mut self, merchant: usize, column: &str, row: u64) -> Result<()> {
        let (_, _, respondents) = self.survey.cells_mut();
        bump(&mut respondents[merchant], column, row)
    }

    /// Row `row`'s respondent `id` of `merchant`: a new respondent when the merchant or the id
    /// differs from the previous row's.
    fn next_respondent(
        &mut self,
        merchant: usize,
        id: RespondentId,
        column: &str,
        row: u64,
    ) -> Result<()> {
        if self
            .respondent
            .as_ref()
            .is_some_and(|(m, prev)| *m == merchant && *prev == id)
        {
            return Ok(());
        }
        self.add_respondent(merchant, column, row)?;
        self.respondent = Some((merchant, id));
        Ok(())
    }

    /// Tallies a long-layout batch: row by row through [`row_long`](Self::row_long), or, when
    /// the merchant and indicator columns are dictionaries without nulls, the grades integers
    /// and the respondents (if any) integers without nulls, in one tight pass over the
    /// dictionary keys, grade codes and ids that leaves to `row_long` only the rows it cannot
    /// count directly (a key seen for the first time, a grade out of range, a count about to
    /// overflow).
    fn push_long(
        &mut self,
        c: &LongColumns<'_, '_>,
        first: u64,
        memos: &mut (Memo, Memo),
    ) -> Result<()> {
        let fast = match (c.merchants, c.indicators, c.grades, c.respondents) {
            (
                Strings::Dict(merchants, _),
                Strings::Dict(indicators, _),
                Grades::Index(ints),
                None | Some(Respondents::Int(_)),
            ) if merchants.null_count() == 0
                && indicators.null_count() == 0
                && self.lookups.m <= usize::from(BAD) =>
            {
                Some((&merchants.values()[..], &indicators.values()[..], ints))
            }
            _ => None,
        };
        let ids_without_nulls = match c.respondents {
            Some(Respondents::Int(ints)) => {
                let mut ids = std::mem::take(&mut self.ids);
                let complete = int_values(ints, &mut ids);
                self.ids = ids;
                complete
            }
            _ => true,
        };
        let Some((merchant_keys, leaf_keys, ints)) = fast.filter(|_| ids_without_nulls) else {
            for i in 0..c.merchants.len() {
                self.row_long(c, i, first + i as u64, memos)?;
            }
            return Ok(());
        };
        let mut codes = std::mem::take(&mut self.codes);
        grade_codes(ints, self.lookups.m, &mut codes);
        let ids = std::mem::take(&mut self.ids);
        let done = self.fast_long(c, (merchant_keys, leaf_keys), &codes, &ids, first, memos);
        self.codes = codes;
        self.ids = ids;
        done
    }

    /// The tight pass of [`push_long`](Self::push_long); `ids` is empty without a respondent
    /// column.
    fn fast_long(
        &mut self,
        c: &LongColumns<'_, '_>,
        (merchant_keys, leaf_keys): (&[i32], &[i32]),
        codes: &[u8],
        ids: &[i128],
        first: u64,
        memos: &mut (Memo, Memo),
    ) -> Result<()> {
        let (k, m) = (self.lookups.leaf_ids.len(), self.lookups.m);
        let at = |memo: &Memo, key: i32| {
            usize::try_from(key)
                .ok()
                .and_then(|key| memo.at.get(key))
                .map_or(UNSET, |&at| at)
        };
        // row `i`'s merchant x leaf cell and grade code, when its keys are resolved and its
        // grade is in range or missing
        let cell_of = |memos: &(Memo, Memo), i: usize| {
            let (merchant, leaf) = (
                at(&memos.0, *merchant_keys.get(i)?),
                at(&memos.1, *leaf_keys.get(i)?),
            );
            let code = *codes.get(i)?;
            (merchant != UNSET && leaf != UNSET && code != BAD)
                .then(|| (merchant as usize * k + leaf as usize, code))
        };
        let (mut answers, mut missing) = (0u64, 0u64);
        let mut done = Ok(());
        for (i, ((&mk, &lk), &code)) in merchant_keys
            .iter()
            .zip(leaf_keys.iter())
            .zip(codes.iter())
            .enumerate()
        {
            let (merchant, leaf) = (at(&memos.0, mk), at(&memos.1, lk));
            if merchant != UNSET && leaf != UNSET && code != BAD {
                let (merchant, leaf) = (merchant as usize, leaf as usize);
                self.last_leaf = leaf;
                if let Some(&id) = ids.get(i) {
                    let same = matches!(&self.respondent,
                        Some((m, RespondentId::Int(prev))) if *m == merchant && *prev == id);
                    if !same {
                        let row = first + i as u64;
                        if let Err(e) = self.add_respondent(merchant, &c.names[3], row) {
                            done = Err(e);
                            break;
                        }
                        self.respondent = Some((merchant, RespondentId::Int(id)));
                    }
                }
                let (counts, missing_cells, _) = self.survey.cells_mut();
                match cell_of(memos, i + PREFETCH_AHEAD) {
                    Some((at, MISSING)) => prefetch(missing_cells, at),
                    Some((at, code)) => prefetch(counts, at * m + usize::from(code)),
                    None => {}
                }
                let cell = if code == MISSING {
                    &mut missing_cells[merchant * k + leaf]
                } else {
                    &mut counts[(merchant * k + leaf) * m + usize::from(code)]
                };
                if let Some(next) = cell.checked_add(1) {
                    *cell = next;
                    if code == MISSING {
                        missing += 1;
                    } else {
                        answers += 1;
                    }
                    continue;
                }
            }
            done = self.row_long(c, i, first + i as u64, memos);
            if done.is_err() {
                break;
            }
        }
        self.answers += answers;
        self.missing += missing;
        done
    }

    /// Tallies row `i` of a long-layout batch (`row`: its row in the file).
    fn row_long(
        &mut self,
        c: &LongColumns<'_, '_>,
        i: usize,
        row: u64,
        memos: &mut (Memo, Memo),
    ) -> Result<()> {
        let (merchant_column, indicator_column, grade_column) =
            (&c.names[0], &c.names[1], &c.names[2]);
        let guess = (self.last_leaf + 1) % self.lookups.leaf_ids.len();
        let lookups = &self.lookups;
        let leaf = memos.1.get(c.indicators, i, |id| {
            let id = id.ok_or_else(|| null(indicator_column, row))?;
            lookups.leaf(id, guess, indicator_column, row)
        })?;
        self.last_leaf = leaf;
        if !self.seen[leaf] {
            self.seen[leaf] = true;
            self.answered.push(leaf);
        }
        let merchant = memos.0.get(c.merchants, i, |name| {
            Ok(self.merchant(name.ok_or_else(|| null(merchant_column, row))?))
        })?;
        if let Some(respondents) = c.respondents {
            let column = &c.names[3];
            let id = respondents.id(i).ok_or_else(|| null(column, row))?;
            self.next_respondent(merchant, id, column, row)?;
        }
        match c.grades.get(i, &self.lookups, grade_column, row)? {
            Some(j) => self.count(merchant, leaf, j, grade_column, row),
            None => self.miss(merchant, leaf, grade_column, row),
        }
    }

    pub(super) fn push(
        &mut self,
        batch: &RecordBatch,
        names: &[String],
        layout: &ParquetLayout,
    ) -> Result<()> {
        let first = self.rows;
        // the projection keeps the file's column order: find each column by name
        let columns = names
            .iter()
            .map(|name| column(batch, name))
            .collect::<Result<Vec<_>>>()?;
        let merchants = Strings::of(columns[0], &names[0])?;
        let merchant_array = columns[0];
        match layout {
            ParquetLayout::Long { .. } => {
                let indicators = Strings::of(columns[1], &names[1])?;
                let grades = Grades::of(columns[2], &names[2])?;
                let respondents = match columns.get(3) {
                    Some(array) => Some(Respondents::of(array, &names[3])?),
                    None => None,
                };
                let mut memos = (
                    std::mem::take(&mut self.merchant_memo),
                    std::mem::take(&mut self.leaf_memo),
                );
                memos.0.refresh(merchant_array, &merchants);
                memos
                    .0
                    .prefill(&merchants, |name| self.names.get(name.as_bytes()));
                memos.1.refresh(columns[1], &indicators);
                let columns = LongColumns {
                    merchants: &merchants,
                    indicators: &indicators,
                    grades: &grades,
                    respondents: respondents.as_ref(),
                    names,
                };
                let done = self.push_long(&columns, first, &mut memos);
                self.merchant_memo = memos.0;
                self.leaf_memo = memos.1;
                done?;
            }
            ParquetLayout::Wide { .. } => {
                let columns = (1..names.len())
                    .map(|c| Grades::of(columns[c], &names[c]))
                    .collect::<Result<Vec<_>>>()?;
                let m = self.lookups.m;
                let codes: Vec<Option<Vec<u8>>> = columns
                    .iter()
                    .map(|grades| match grades {
                        Grades::Index(ints) if m <= usize::from(BAD) => {
                            let mut codes = Vec::new();
                            grade_codes(ints, m, &mut codes);
                            Some(codes)
                        }
                        _ => None,
                    })
                    .collect();
                let mut merchant_memo = std::mem::take(&mut self.merchant_memo);
                merchant_memo.refresh(merchant_array, &merchants);
                merchant_memo.prefill(&merchants, |name| self.names.get(name.as_bytes()));
                let done = (0..batch.num_rows()).try_for_each(|i| -> Result<()> {
                    let row = first + i as u64;
                    let merchant = merchant_memo.get(&merchants, i, |name| {
                        Ok(self.merchant(name.ok_or_else(|| null(&names[0], row))?))
                    })?;
                    self.add_respondent(merchant, &names[0], row)?;
                    for (c, grades) in columns.iter().enumerate() {
                        let column = &names[c + 1];
                        let grade = match codes[c].as_ref().map(|codes| codes[i]) {
                            Some(MISSING) => None,
                            Some(code) if code < BAD => Some(usize::from(code)),
                            _ => grades.get(i, &self.lookups, column, row)?,
                        };
                        match grade {
                            Some(j) => self.count(merchant, self.wide[c], j, column, row)?,
                            None => self.miss(merchant, self.wide[c], column, row)?,
                        }
                    }
                    Ok(())
                });
                self.merchant_memo = merchant_memo;
                done?;
            }
        }
        self.rows += batch.num_rows() as u64;
        Ok(())
    }
}

/// Adds one to a count; more than `u32::MAX` is an error naming the column and row.
#[inline]
fn bump(cell: &mut u32, column: &str, row: u64) -> Result<()> {
    match cell.checked_add(1) {
        Some(next) => {
            *cell = next;
            Ok(())
        }
        None => Err(ArrowError::Count {
            column: column.to_owned(),
            row: usize::try_from(row).unwrap_or(usize::MAX),
            value: i128::from(u32::MAX) + 1,
        }
        .into()),
    }
}
