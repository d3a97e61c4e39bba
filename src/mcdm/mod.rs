//! Multi-criteria decision methods beside the fuzzy evaluation: objective weights, combined
//! weights, TOPSIS, grey relational analysis, rank-sum ratio, VIKOR, and the robustness table
//! that compares their rankings with the fuzzy evaluation's.
//!
//! Evaluation papers ask for "AHP plus entropy combined weights" and for a second ranking
//! method as a robustness check; these are the staple methods of SPSSAU (熵值法, CRITIC,
//! TOPSIS, 灰色关联, 秩和比), pymcdm and pyDecision.
//!
//! - [`DecisionMatrix`]: alternatives (merchants) by criteria, each a
//!   [`CriterionType::Benefit`] or [`CriterionType::Cost`]; built directly, from
//!   [`EvaluationReport`](crate::EvaluationReport)s ([`DecisionMatrix::from_reports`], the
//!   dimension or indicator scores) or from a batch scorer's node `B` vectors
//!   ([`DecisionMatrix::from_node_b`]);
//! - [`ObjectiveWeights`]: entropy, CRITIC, coefficient of variation, standard deviation
//!   ([`ObjectiveMethod`]);
//! - [`CombinedWeights`]: subjective with objective weights ([`CombinationRule`]:
//!   multiplicative, linear, minimum discrimination information, game theory);
//! - ranking methods: [`Topsis`], [`GreyRelational`], [`RankSumRatio`], [`Vikor`], each with
//!   its intermediate results and a [`Ranking`] with explicit [`TieRule`]s;
//! - [`RobustnessTable`]: the rankings side by side with Spearman and Kendall rank
//!   correlations ([`RobustnessTable::compare_with_fuzzy`] in one call).
//!
//! ```
//! use service_quality::mcdm::{
//!     CombinationRule, CombinedWeights, CriterionType, DecisionMatrix, EntropyConvention,
//!     ObjectiveMethod, ObjectiveWeights, Topsis, TopsisNormalisation,
//! };
//! use service_quality::Weights;
//!
//! let m = DecisionMatrix::new(
//!     vec!["shop-a".into(), "shop-b".into(), "shop-c".into()],
//!     vec!["attitude".into(), "professionalism".into(), "minutes".into()],
//!     vec![CriterionType::Benefit, CriterionType::Benefit, CriterionType::Cost],
//!     &[[88.0, 80.0, 12.0], [92.0, 70.0, 30.0], [75.0, 85.0, 8.0]],
//! )?;
//! let ahp = Weights::new(vec![0.5, 0.3, 0.2])?;
//! let entropy = ObjectiveWeights::of(&m, ObjectiveMethod::Entropy(EntropyConvention::ReciprocalCost))?;
//! let w = CombinedWeights::new(&ahp, entropy.weights(), CombinationRule::GameTheory)?;
//! let t = Topsis::new(&m, w.weights(), TopsisNormalisation::Vector)?;
//! assert_eq!(t.ranking().len(), 3);
//! # Ok::<(), service_quality::Error>(())
//! ```
//!
//! # Conventions, where the tools disagree
//!
//! The reference tests compare every method with pymcdm 1.4.0 and pyDecision 5.1.8 — or,
//! where neither has the method or the convention (coefficient of variation, the
//! combinations, mean-normalised grey relational grades, the rank-sum ratio), with the formula
//! written out in numpy/scipy — to `1e-10`; where the two tools compute different things both
//! conventions are offered by name, and the tables say which option reproduces which tool.
//!
//! Published worked examples are reproduced to the digits printed (in the publication, or in
//! the test suite or documentation of a package that reproduces it): TOPSIS
//! (Tzeng & Huang 2011), VIKOR (Opricovic & Tzeng 2004, 2007), CRITIC (Diakoulaki et al.
//! 1995; Tuş & Aytaç Adalı 2019), entropy weights with cost criteria treated like benefits
//! (Xu 2004; Zavadskas & Podvezko 2016; Lee & Chang 2018; Ersoy 2021), the coefficient of
//! variation (Shuai et al. 2012), the standard deviation (Sałabun et al. 2020), the
//! multiplicative combination (IDOCRIW, Zavadskas & Podvezko 2016), grey relational grades
//! (the GRA example of Yıldırım & Önder 2015), the game-theory combination of AHP and entropy
//! weights (Su et al. 2022, *Arid Zone Research* 39(3), Table 1: coefficients and five of the
//! seven combined weights; the other two follow only with two printed entropy weights
//! swapped), the linear combination of AHP and entropy weights with `alpha = 0.5`
//! (Zhu & Shi 2018, 资源科学 40(5), Table 3: within one unit of the last printed digit, as
//! the authors combined unrounded weights), the minimum discrimination information
//! combination (Guo et al. 2023, *Frontiers in Public Health* 11, Table 5), all four
//! combination rules on the example of the manual of the R package mathmodels (chapter
//! 主客观组合赋权), and the rank-sum ratio of the maternal-care example of
//! 孙振球、徐勇勇《医学统计学》: its ranking, and its whole distribution table (mean ranks,
//! `R / m`, probits, fitted RSR) with the regression `RSR = -0.60855 + 0.22169 probit` as
//! that manual re-computes and prints them (chapter 秩和比法), and the same chapter's
//! entropy-weighted non-integer RSR (`-0.3901 + 0.2035 probit`).
//!
//! ## Entropy: two conventions for cost criteria
//!
//! | | `IgnoreCost` (pymcdm) | `ReciprocalCost` (pyDecision) | `PyDecision` |
//! |---|---|---|---|
//! | cost column | `p = x / sum x`, as a benefit | `p = (1/x) / sum (1/x)` | `1/(x + 1e-9)` |
//! | `p ln p` | `0 ln 0 = 0` | `0 ln 0 = 0` | `p ln(p + 1e-9)`, skipped for `p = 0` |
//! | `e_j` | `-sum p ln p / ln m` | same | `/ ln(m + 1e-9)` |
//! | `d_j` | `1 - e_j` | `1 - e_j` | `1 - e_j + 1e-9` |
//!
//! The entropy of a column does not change when its values are permuted or scaled, so a cost
//! column "ignored" has the same weight as the benefit it would be, while the reciprocal
//! changes the spread. pymcdm sets `e_j = 0` (weight as large as possible) for a column with
//! any zero; this crate uses the textbook `0 ln 0 = 0` instead (the column's entropy from its
//! non-zero shares), so on data with zeros the two differ and the reference tests use
//! positive data. The `1e-9` terms of pyDecision move weights by about `1e-9`; choose
//! [`EntropyConvention::PyDecision`] to match its printed weights digit for digit, and
//! [`EntropyConvention::ReciprocalCost`] for the method itself.
//!
//! ## CRITIC, normalisations, VIKOR, grey relational grades
//!
//! | | pymcdm 1.4.0 | pyDecision 5.1.8 | here |
//! |---|---|---|---|
//! | CRITIC cost columns | not oriented | oriented, `(max - x)/(max - min + 1e-10)` | [`CriticConvention`] names both |
//! | CRITIC constant column | NaN | weight 0 (`nan_to_num`) | weight 0 |
//! | standard deviation | raw values | — | [`Dispersion::Raw`] or [`Dispersion::MinMax`] |
//! | TOPSIS normalisation | min-max (default), vector | vector | [`TopsisNormalisation`] |
//! | VIKOR cost criterion | `min(x) / x` first (its default "normalisation"), then as a benefit | `(x - min) / (max - min)` | as pyDecision |
//! | VIKOR constant criterion | error | term `0 / 1e-16 = 0` | term 0 |
//! | GRA grade | — | `sum w xi / m` | `sum w xi` (the ranking is the same) |
//!
//! ## Rank-sum ratio
//!
//! Neither tool has RSR. The probit step follows the textbook (田凤调《秩和比法及其应用》,
//! 1993; 孙振球《医学统计学》, the RSR section): the distinct RSR values are tabulated with their
//! frequency, cumulative frequency and average rank `R`; the cumulative frequency `R / m`
//! would be 1 for the top group, so that one is replaced by `1 - 1 / (4m)`
//! ([`CumulativeFrequency::QuarterCorrection`], the default); the Hazen `(R - 0.5) / m` and
//! Weibull `R / (m + 1)` plotting positions are the alternatives (the same `1 - 1 / (4m)` is
//! in the chapter-14 program `ex14_7.m` distributed with 司守奎、孙玺菁《数学建模算法与应用》
//! and in the R package RSR's `easyRSR`). Probit `= 5 + Phi^-1(p)`;
//! `RSR = a + b probit` by least squares over the table's rows, one row per distinct RSR
//! value (the published table of the maternal-care example, as the mathmodels manual prints
//! it, follows only from this: `p = ` cumulative `f / m` gives `a = -0.6383`, a regression over
//! the ten alternatives `a = -0.5780`, against the printed `-0.60855`); tiers from probit thresholds
//! ([`RsrTiers`]: 3 to 7 tiers at the percentiles tabulated in those books, or custom).
//!
//! # Bad input
//!
//! Every method returns a typed [`McdmError`](crate::McdmError) or a documented defined
//! value, never NaN or a panic: a constant criterion gets objective weight 0 and adds no
//! distance to TOPSIS or VIKOR; zero or negative values where a method needs positive ones
//! ([`McdmError::NotPositive`](crate::McdmError::NotPositive)), an all-zero column
//! ([`McdmError::ZeroColumn`](crate::McdmError::ZeroColumn)), a single alternative
//! ([`McdmError::TooFewAlternatives`](crate::McdmError::TooFewAlternatives)), criterion types
//! that do not match the criteria ([`McdmError::CriterionTypes`](crate::McdmError::CriterionTypes)),
//! NaN or infinite values ([`McdmError::InvalidValue`](crate::McdmError::InvalidValue)), and
//! data that do not discriminate at all
//! ([`McdmError::NoDiscrimination`](crate::McdmError::NoDiscrimination)).
//!
//! # References
//!
//! - C. E. Shannon, "A mathematical theory of communication", *Bell System Technical Journal*
//!   27, 1948 (entropy); pymcdm `entropy_weights`; pyDecision `entropy_method`.
//! - D. Diakoulaki, G. Mavrotas, L. Papayannakis, "Determining objective weights in multiple
//!   criteria problems: the CRITIC method", *Computers & Operations Research* 22(7),
//!   763–770, 1995.
//! - C. Lai, X. Chen, X. Chen, Z. Wang, X. Wu, S. Zhao, "A fuzzy comprehensive evaluation
//!   model for flood risk based on the combination weight of game theory", *Natural Hazards*
//!   77, 1243–1259, 2015 (game-theory combination weighting).
//! - C.-L. Hwang, K. Yoon, *Multiple Attribute Decision Making: Methods and Applications*,
//!   Springer, 1981 (TOPSIS); G.-H. Tzeng, J.-J. Huang, *Multiple Attribute Decision Making:
//!   Methods and Applications*, CRC Press, 2011 (the TOPSIS example on [`Topsis`]).
//! - J. Deng, "Control problems of grey systems", *Systems & Control Letters* 1(5), 288–294,
//!   1982; Y. Kuo, T. Yang, G.-W. Huang, "The use of grey relational analysis in solving
//!   multiple attribute decision-making problems", *Computers & Industrial Engineering* 55,
//!   80–93, 2008.
//! - 田凤调《秩和比法及其应用》, 中国统计出版社, 1993; 孙振球、徐勇勇 主编《医学统计学》, 第4版,
//!   人民卫生出版社, 2014, p. 419 (the maternal-care example).
//! - X. Xu, "A note on the subjective and objective integrated approach to determine attribute
//!   weights", *EJOR* 156(2), 530–532, 2004; E. K. Zavadskas, V. Podvezko, "Integrated
//!   determination of objective criteria weights in MCDM", *International Journal of
//!   Information Technology & Decision Making* 15(2), 267–283, 2016 (entropy, CILOS, IDOCRIW);
//!   H.-C. Lee, C.-T. Chang, *Renewable and Sustainable Energy Reviews* 92, 883–896, 2018;
//!   Y. Ersoy, *LogForum* 17(3), 2021; D. Shuai et al., 24th Chinese Control and Decision
//!   Conference, 3889–3892, 2012; W. Sałabun, J. Wątróbski, A. Shekhovtsov, *Symmetry* 12(9),
//!   1549, 2020; A. Tuş, E. Aytaç Adalı, *OPSEARCH* 56(2), 528–538, 2019 (the published
//!   examples, with the weights as listed in crispyn's test suite).
//! - Zhu Yongbin, Shi Yajuan, 中国主要城市水资源价值评价与定价研究, 资源科学 40(5),
//!   1040–1050, 2018 (linear combination); Q. Guo, Y. Sun, M. Fan, Z. Li, "What is the degree
//!   of social disability risk in China under the background of the aging population?",
//!   *Frontiers in Public Health* 11, 1087276, 2023 (minimum discrimination information);
//!   Zhang Jingxin, the manual of the R package mathmodels (mathmodels 包使用手册), chapters
//!   主客观组合赋权 and 秩和比法.
//! - B. F. Yıldırım, E. Önder (eds.), *Çok Kriterli Karar Verme Yöntemleri*, Dora, 2nd ed.,
//!   2015 (the grey relational example, with the grades printed in JMcDM's documentation).
//! - S. Opricovic, G.-H. Tzeng, "Compromise solution by MCDM methods: a comparative analysis
//!   of VIKOR and TOPSIS", *EJOR* 156(2), 445–455, 2004; "Extended VIKOR method in comparison
//!   with outranking methods", *EJOR* 178(2), 514–529, 2007.

mod checks;
mod combined;
mod compare;
mod grey;
mod matrix;
mod normalise;
mod objective;
mod ranking;
mod rsr;
mod topsis;
mod vikor;

pub use combined::{CombinationRule, CombinedWeights};
pub use compare::{MethodRanking, RankingMethod, RobustnessTable};
pub use grey::{GreyNormalisation, GreyOptions, GreyRelational, DEFAULT_GREY_RHO};
pub use matrix::{CriterionType, DecisionMatrix, ReportLevel};
pub use objective::{
    CriticConvention, Dispersion, EntropyConvention, ObjectiveMethod, ObjectiveWeights,
};
pub use ranking::{Ranking, TieRule, RANK_TIE_RTOL};
pub use rsr::{CumulativeFrequency, RankSumRatio, RsrGroup, RsrOptions, RsrRanks, RsrTiers};
pub use topsis::{Topsis, TopsisNormalisation};
pub use vikor::{Vikor, DEFAULT_VIKOR_V};

/// The largest magnitude a value of a [`DecisionMatrix`] may have; larger values are rejected
/// with [`McdmError::InvalidValue`](crate::McdmError::InvalidValue).
///
/// Squares and sums of squares of such values (vector normalisation, distances, variances)
/// stay far within `f64`; scores, rates, counts and times are many orders of magnitude
/// smaller.
pub const MAX_ABS_VALUE: f64 = 1e100;
