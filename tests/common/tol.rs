//! The tolerances of the integration tests, one name for each kind of agreement.
//!
//! Every assertion tolerance in `tests/` is one of these. A test that needs a looser one adds
//! it here with the reason, rather than writing a bare number at the assertion.

/// Bit for bit: two routes that must give the same `f64`, e.g. a scale table read back.
pub const BIT_EXACT: f64 = 0.0;

/// A handful of roundings on numbers of magnitude at most 1 (a product of two or three local
/// weights, one interpolation, a weight renormalised on its own): about 5 ulp of 1.0.
pub const ULPS: f64 = 1e-15;

/// Closed forms that a few dozen floating-point operations evaluate (sums of products,
/// normalisations, geometric means), sums that must be exactly 1, reciprocity
/// `a_ij * a_ji = 1`, and invariants of exact arithmetic that only rounding breaks (the same
/// sums taken in another order). About 4500 ulp of 1.0: room for rounding in sums of hundreds
/// of terms, yet far below any difference a wrong formula would make.
pub const CLOSED_FORM: f64 = 1e-12;

/// [`CLOSED_FORM`] on scores whose grade values go up to 100 (e.g. 95, 85, 75, 65): the
/// rounding scales with the values, so the tolerance does too.
pub const CLOSED_FORM_SCORE: f64 = 1e-10;

/// The power iteration's eigenvector and `lambda_max` against an independent eigen-solver
/// (numpy.linalg.eig, i.e. LAPACK geev, and AHPy's repeated squaring), or against itself on
/// the permuted matrix (other summation order). The iteration stops when no weight moves by
/// more than 1e-12; the distance to the true eigenvector is that step amplified by the
/// matrix's conditioning: on the reference cases (n <= 15, CR up to ~2) at most 3e-13 in a
/// weight and 1e-11 in `lambda_max` (which reaches 41), so 1e-10 leaves a margin without
/// hiding a wrong eigenvector.
pub const EIGEN: f64 = 1e-10;

/// Multi-step computations against their numpy/scipy/pyDecision re-implementations
/// (aggregation of judgements and priorities, consensus, GCI, completion eigenvectors, fuzzy
/// AHP): different operation orders and an eigen-solver in the chain.
pub const REFERENCE: f64 = 1e-9;

/// Weights given by the user are accepted when they sum to 1 within the library's
/// `WEIGHT_SUM_TOL` (1e-9), so sums computed from such weights are only that close to 1.
pub const GIVEN_WEIGHTS_SUM: f64 = 1e-9;

/// Slack for inequalities on a value an iteration stops near: the optimal completion's
/// `lambda_max` not above another completion's (the minimiser stops within its own tolerance
/// of the optimum). (`lambda_max >= n` needs none: it holds exactly.)
pub const ITERATION_SLACK: f64 = 1e-9;

/// The optimal completion's entries against scipy's BFGS optimum (gradient tolerance 1e-13):
/// `lambda_max` is flat at its minimum, so two optimisers agree on the entries to ~1e-8 only.
pub const OPTIMUM: f64 = 1e-8;

/// The optimal completion's entries against AHPy 2.1's, whose coordinate-wise
/// `scipy.optimize.minimize_scalar` stops at `xatol = 1e-5`.
pub const AHPY_COMPLETION: f64 = 1e-5;

/// A published vector printed to 4 decimals whose last digit may differ by one from ours
/// (rounded by the author's own route, e.g. the weights in AHPy's README): one unit of the
/// 4th decimal.
pub const ONE_UNIT_4TH_DECIMAL: f64 = 1e-4;

/// A published weight or `lambda_max` printed to 3 decimals but computed by the authors by an
/// approximate route (姜启源《数学模型》's travel example: its weights differ from the
/// exact eigenvector by up to 0.0013): two units of the 3rd decimal.
pub const PUBLISHED_APPROX_3_DECIMALS: f64 = 2e-3;

/// A ratio computed from consistency indices printed to 3 decimals (each off by up to
/// 0.0005) against the exact one: `sum w_k * 0.0005 / (0.58 * sum w_k)`, about 9e-4.
pub const PUBLISHED_CI_ROUNDING: f64 = 9e-4;

/// Two-sided p-values against scipy's (Student's t and normal tails from the Cephes/Boost
/// special functions there, from statrs here): two independent implementations of the
/// incomplete beta and error functions agree to about 1e-14 relative; 1e-12 leaves room for
/// the test statistic's own rounding, far below any statistical meaning of the p-value.
pub const P_VALUE: f64 = 1e-12;

/// Multi-criteria methods (objective and combined weights, TOPSIS, VIKOR, grey relational
/// analysis, rank-sum ratio) against pymcdm 1.4.0, pyDecision 5.1.8 and scipy, and against
/// values another implementation printed with every digit (JMcDM's grey relational grades):
/// sums of a few dozen terms, logarithms and square roots in another order; the agreement the
/// methods are specified to.
pub const MCDM_REFERENCE: f64 = 1e-10;

/// Standard errors allowed between a Monte Carlo share and its exact probability: a share of
/// `d` independent draws with probability `p` has standard error `sqrt(p (1 - p) / d)`; five of
/// them make a false failure a one-in-three-million event, while a wrong probability (off by
/// a third or more in the tests) is many times further.
pub const MONTE_CARLO_SIGMAS: f64 = 5.0;

/// Monte Carlo agreement: a bootstrap's standard error (2,000 replicates) against the
/// analytic one, as a ratio. With B replicates the relative standard deviation of a standard
/// deviation estimate is about 1/sqrt(2B) = 1.6 %; the resampling SE is also smaller by
/// sqrt((n-1)/n) (0.5 % at n = 100). 10 % is six Monte Carlo standard deviations, far below
/// the factor a wrong variance formula (a missing weight square, n instead of sqrt n) makes.
pub const MONTE_CARLO: f64 = 0.1;
