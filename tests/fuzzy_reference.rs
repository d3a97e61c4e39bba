//! Published fuzzy comprehensive evaluation examples, reproduced to their printed digits, and
//! closed forms to `CLOSED_FORM`.

mod common;

use common::check::{assert_all_close, assert_close, assert_printed};
use common::tol::{CLOSED_FORM, CLOSED_FORM_SCORE};
use service_quality::{
    Evaluator, FuzzyOperator, FuzzyResult, Grade, GradeSet, IndicatorMemberships, IndicatorTree,
    MembershipMatrix, NodeSpec,
};

/// A grade set of `labels`, valued m, m-1, ..., 1 (best first).
fn grades(labels: &[&str]) -> GradeSet {
    let m = labels.len();
    GradeSet::new(
        labels
            .iter()
            .enumerate()
            .map(|(j, l)| Grade::new(*l, (m - j) as f64))
            .collect(),
    )
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// SPSSAU, "模糊综合评价" worked example (also 《第七讲 模糊综合评价法》 例1): clothing judged on
// 花色, 式样, 价格, 耐用度, 舒适度 over 很欢迎, 欢迎, 一般, 不欢迎.
// Source: SPSSAU article "模糊综合评价指标如何计算？四种模糊算子如何计算？", reposted at
// https://blog.csdn.net/m0_37228052/article/details/122450039; help page
// https://www.spssau.net/helps/fuzzy.html. Printed with M(·,+): 0.205, 0.320, 0.390, 0.085 -> 一般.
// ---------------------------------------------------------------------------------------------

const SPSSAU_W: [f64; 5] = [0.1, 0.1, 0.15, 0.3, 0.35];
const SPSSAU_R: [[f64; 4]; 5] = [
    [0.2, 0.5, 0.3, 0.0],
    [0.1, 0.3, 0.5, 0.1],
    [0.0, 0.1, 0.6, 0.3],
    [0.0, 0.4, 0.5, 0.1],
    [0.5, 0.3, 0.2, 0.0],
];

#[test]
fn spssau_weighted_average_matches_printed_digits() {
    let r = MembershipMatrix::from_rows(&SPSSAU_R).unwrap();
    let set = grades(&["很欢迎", "欢迎", "一般", "不欢迎"]);
    let res = FuzzyOperator::WeightedAverage
        .evaluate(&SPSSAU_W, &r, &set)
        .unwrap();
    assert_printed(res.raw(), &[0.205, 0.320, 0.390, 0.085], 3, "SPSSAU B");
    assert_eq!(res.grade(), 2, "printed conclusion: 一般");
    assert_eq!(res.tied(), &[2]);
}

/// The other three operators on the same data. These values are not printed in the source;
/// they are the closed forms of each operator worked by hand, e.g. M(∧,∨) b_1 =
/// max(min(.1,.2), min(.1,.1), min(.15,0), min(.3,0), min(.35,.5)) = 0.35.
#[test]
fn spssau_data_other_operators_closed_forms() {
    let r = MembershipMatrix::from_rows(&SPSSAU_R).unwrap();
    let cases = [
        (FuzzyOperator::ZadehMaxMin, [0.35, 0.3, 0.3, 0.15]),
        (FuzzyOperator::ProductMax, [0.175, 0.12, 0.15, 0.045]),
        (FuzzyOperator::BoundedSum, [0.55, 0.9, 0.85, 0.35]),
    ];
    for (op, want) in cases {
        let b = op.compose(&SPSSAU_W, &r).unwrap();
        assert_all_close(&b, &want, CLOSED_FORM, &format!("SPSSAU {op}"));
    }
    // the choice of operator changes the conclusion: M(∧,∨) picks 很欢迎, M(·,+) 一般
    let set = grades(&["很欢迎", "欢迎", "一般", "不欢迎"]);
    let maxmin = FuzzyOperator::ZadehMaxMin
        .evaluate(&SPSSAU_W, &r, &set)
        .unwrap();
    assert_eq!(maxmin.grade(), 0);
    assert_all_close(
        maxmin.normalized(),
        &[0.35 / 1.1, 0.3 / 1.1, 0.3 / 1.1, 0.15 / 1.1],
        CLOSED_FORM,
        "SPSSAU M(∧,∨) normalised",
    );
}

// ---------------------------------------------------------------------------------------------
// Zadeh max-min M(∧,∨), "服装评判" (花色, 式样, 耐穿程度, 价格) for two classes of customers,
// grades 很欢迎, 较欢迎, 不太欢迎, 不欢迎. Source: MATLAB textbook example Example8_4.m, reproduced
// at https://e-com-net.com/article/1276296104417181696.htm. Printed: B1 = 0.2000 0.3000 0.4000
// 0.1000 (不太欢迎), B2 = 0.3500 0.4000 0.2000 0.1000 (比较欢迎).
// ---------------------------------------------------------------------------------------------

#[test]
fn clothing_max_min_matches_printed_digits() {
    let r = MembershipMatrix::from_rows(&[
        [0.2, 0.5, 0.2, 0.1],
        [0.7, 0.2, 0.1, 0.0],
        [0.0, 0.4, 0.5, 0.1],
        [0.2, 0.3, 0.5, 0.0],
    ])
    .unwrap();
    let set = grades(&["很欢迎", "较欢迎", "不太欢迎", "不欢迎"]);
    let b1 = FuzzyOperator::ZadehMaxMin
        .evaluate(&[0.1, 0.2, 0.3, 0.4], &r, &set)
        .unwrap();
    assert_printed(b1.raw(), &[0.2, 0.3, 0.4, 0.1], 4, "clothing B1");
    assert_eq!(b1.grade(), 2, "printed conclusion: 不太欢迎");
    let b2 = FuzzyOperator::ZadehMaxMin
        .evaluate(&[0.4, 0.35, 0.15, 0.1], &r, &set)
        .unwrap();
    assert_printed(b2.raw(), &[0.35, 0.4, 0.2, 0.1], 4, "clothing B2");
    assert_eq!(b2.grade(), 1, "printed conclusion: 比较欢迎");
}

// ---------------------------------------------------------------------------------------------
// 司守奎, 孙玺菁《数学建模算法与应用》ch. 14 模糊综合评判, grades 优秀, 良好, 一般, 较差, 差, operator
// M(·,+). Data and printed outputs as in the notebook "14.2 模糊综合评判法.ipynb" and the data
// file "14.D 多层次模糊综合评判数据.txt" of the repository RabbitWhite1/Mathematical-Modeling-In-Python.
// ---------------------------------------------------------------------------------------------

/// One level (p. 375): printed `[0.175 0.53 0.275 0.02 0. ]` -> 良好.
#[test]
fn si_shoukui_one_level_matches_printed_digits() {
    let r = MembershipMatrix::from_rows(&[
        [0.1, 0.5, 0.4, 0.0, 0.0],
        [0.2, 0.5, 0.2, 0.1, 0.0],
        [0.2, 0.5, 0.3, 0.0, 0.0],
        [0.2, 0.6, 0.2, 0.0, 0.0],
    ])
    .unwrap();
    let set = grades(&["优秀", "良好", "一般", "较差", "差"]);
    let res = FuzzyOperator::WeightedAverage
        .evaluate(&[0.25, 0.2, 0.25, 0.3], &r, &set)
        .unwrap();
    assert_printed(
        res.raw(),
        &[0.175, 0.53, 0.275, 0.02, 0.0],
        3,
        "one-level B",
    );
    assert_eq!(res.grade(), 1, "printed conclusion: 良好");
}

/// Two levels: printed final `[0.288 0.354 0.2355 0.0865 0.036 ]` -> 良好.
#[test]
fn si_shoukui_two_level_through_the_tree_matches_printed_digits() {
    let level2: [(&[f64], &[[f64; 5]]); 4] = [
        (
            &[0.2, 0.3, 0.3, 0.2],
            &[
                [0.8, 0.15, 0.05, 0.0, 0.0],
                [0.2, 0.6, 0.1, 0.1, 0.0],
                [0.5, 0.4, 0.1, 0.0, 0.0],
                [0.1, 0.3, 0.5, 0.05, 0.05],
            ],
        ),
        (
            &[0.3, 0.2, 0.1, 0.2, 0.2],
            &[
                [0.3, 0.5, 0.15, 0.05, 0.0],
                [0.2, 0.2, 0.4, 0.1, 0.1],
                [0.4, 0.4, 0.1, 0.1, 0.0],
                [0.1, 0.3, 0.3, 0.2, 0.1],
                [0.3, 0.2, 0.2, 0.2, 0.1],
            ],
        ),
        (
            &[0.1, 0.2, 0.3, 0.2, 0.2],
            &[
                [0.1, 0.3, 0.5, 0.1, 0.0],
                [0.2, 0.3, 0.3, 0.1, 0.1],
                [0.2, 0.3, 0.35, 0.15, 0.0],
                [0.1, 0.3, 0.4, 0.1, 0.1],
                [0.1, 0.4, 0.3, 0.1, 0.1],
            ],
        ),
        (
            &[0.3, 0.2, 0.2, 0.3],
            &[
                [0.3, 0.4, 0.2, 0.1, 0.0],
                [0.1, 0.4, 0.3, 0.1, 0.1],
                [0.2, 0.3, 0.4, 0.1, 0.0],
                [0.4, 0.3, 0.2, 0.1, 0.0],
            ],
        ),
    ];
    let set = grades(&["优秀", "良好", "一般", "较差", "差"]);
    let mut data = IndicatorMemberships::new(&set);
    let groups = level2
        .iter()
        .enumerate()
        .map(|(g, (w, rows))| {
            let leaves = rows
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let id = format!("u{}{}", g + 1, i + 1);
                    data.insert(id.clone(), row.to_vec(), 1, 0).unwrap();
                    NodeSpec::leaf(id.clone(), id)
                })
                .collect();
            NodeSpec::group(format!("u{}", g + 1), format!("U{}", g + 1), leaves)
                .with_weights(w.to_vec())
        })
        .collect();
    let tree = IndicatorTree::new(
        NodeSpec::group("u", "U", groups).with_weights(vec![0.4, 0.3, 0.2, 0.1]),
    )
    .unwrap();
    let eval = Evaluator::new(tree, set).evaluate(&data).unwrap();
    let root = eval.root().result();
    assert_printed(
        root.raw(),
        &[0.288, 0.354, 0.2355, 0.0865, 0.036],
        4,
        "two-level B",
    );
    assert_eq!(root.grade(), 1, "printed conclusion: 良好");
    // first-level results B_i = AA_i · R_i (not printed in the notebook; hand-worked closed forms)
    let b1 = eval.node("u1").unwrap().result().raw();
    assert_all_close(b1, &[0.39, 0.39, 0.17, 0.04, 0.01], CLOSED_FORM, "B1");
    assert_eq!(eval.node("u1").unwrap().result().tied(), &[0, 1]);
}

// ---------------------------------------------------------------------------------------------
// Closed forms
// ---------------------------------------------------------------------------------------------

/// With `R = I` (each indicator fully in its own grade) every operator returns the weights.
#[test]
fn identity_relation_returns_the_weights_for_every_operator() {
    let w = [0.1, 0.2, 0.3, 0.4];
    let identity: Vec<Vec<f64>> = (0..4)
        .map(|i| (0..4).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    let r = MembershipMatrix::from_rows(&identity).unwrap();
    for op in FuzzyOperator::ALL {
        assert_all_close(
            &op.compose(&w, &r).unwrap(),
            &w,
            CLOSED_FORM,
            &op.to_string(),
        );
    }
}

/// Equal rows: `M(·,+)` with weights summing to 1 returns the row; `M(·,∨)` returns
/// `max(w) * row`; `M(∧,∨)` returns `min(max(w), r_j)`; `M(∧,⊕)` `min(1, sum_i min(w_i, r_j))`.
#[test]
fn equal_rows_closed_forms() {
    let row = [0.5, 0.3, 0.2];
    let w = [0.6, 0.25, 0.15];
    let r = MembershipMatrix::from_rows(&[row, row, row]).unwrap();
    let b = |op: FuzzyOperator| op.compose(&w, &r).unwrap();
    assert_all_close(
        &b(FuzzyOperator::WeightedAverage),
        &row,
        CLOSED_FORM,
        "M(·,+)",
    );
    assert_all_close(
        &b(FuzzyOperator::ProductMax),
        &[0.3, 0.18, 0.12],
        CLOSED_FORM,
        "M(·,∨)",
    );
    assert_all_close(
        &b(FuzzyOperator::ZadehMaxMin),
        &[0.5, 0.3, 0.2],
        CLOSED_FORM,
        "M(∧,∨)",
    );
    let bounded: Vec<f64> = row
        .iter()
        .map(|&rj| w.iter().map(|&wi| wi.min(rj)).sum::<f64>().min(1.0))
        .collect();
    assert_all_close(
        &b(FuzzyOperator::BoundedSum),
        &bounded,
        CLOSED_FORM,
        "M(∧,⊕)",
    );
    assert_all_close(
        &bounded,
        &[0.5 + 0.25 + 0.15, 0.3 + 0.25 + 0.15, 0.2 + 0.2 + 0.15],
        CLOSED_FORM,
        "M(∧,⊕) by hand",
    );
}

/// The score of a crisp `B = e_j` is `v_j`; of the SPSSAU `B` it is `sum_j b_j v_j`.
#[test]
fn score_closed_forms() {
    let set = GradeSet::satisfaction_5();
    for (j, v) in set.values().into_iter().enumerate() {
        let mut raw = vec![0.0; 5];
        raw[j] = 0.7;
        assert_close(
            FuzzyResult::from_raw(raw, &set).unwrap().score(),
            v,
            CLOSED_FORM,
            "crisp score",
        );
    }
    let raw = vec![0.205, 0.320, 0.390, 0.085, 0.0];
    let want = 0.205 * 95.0 + 0.32 * 85.0 + 0.39 * 75.0 + 0.085 * 65.0;
    assert_close(
        FuzzyResult::from_raw(raw, &set).unwrap().score(),
        want,
        CLOSED_FORM_SCORE,
        "SPSSAU score",
    );
}

/// A KPI value between two breakpoints splits linearly: x = c_j + t (c_{j+1} - c_j) gives
/// (1 - t, t) on grades j, j+1.
#[test]
fn kpi_partition_closed_form() {
    use service_quality::input::KpiScale;
    let c = [1.0, 5.0, 15.0, 30.0, 60.0];
    let scale = KpiScale::smaller_is_better(c.to_vec()).unwrap();
    for j in 0..4 {
        for t in [0.0, 0.25, 0.5, 0.9] {
            let x = c[j] + t * (c[j + 1] - c[j]);
            let mut want = vec![0.0; 5];
            want[j] = 1.0 - t;
            want[j + 1] = t;
            assert_all_close(
                &scale.membership(x).unwrap(),
                &want,
                CLOSED_FORM,
                &format!("x = {x}"),
            );
        }
    }
}
