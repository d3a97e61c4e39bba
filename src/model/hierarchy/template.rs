//! Ready-made indicator systems.

use crate::hierarchy::spec::NodeSpec;

/// The e-commerce after-sales service indicator system (电商售后服务质量评价指标体系): 4
/// dimensions and 13 indicators, with English and Chinese labels.
///
/// | id | dimension / indicator |
/// |---|---|
/// | `speed` | response speed 售后服务响应速度 |
/// | `speed.first_reply` | time until the merchant first replies 首次响应时间 |
/// | `speed.resolution_time` | time until the problem is resolved 问题解决时间 |
/// | `speed.feedback_time` | time until the result is fed back 结果反馈时间 |
/// | `attitude` | service attitude 售后服务态度 |
/// | `attitude.courtesy` | patient, warm and polite 耐心、热情、礼貌 |
/// | `attitude.proactiveness` | active and earnest in solving the problem 积极主动、认真解决问题 |
/// | `attitude.respect` | respects and understands the consumer 尊重和理解消费者 |
/// | `professionalism` | professionalism 售后服务专业性 |
/// | `professionalism.knowledge` | knowledge and skills to solve the problem 具备解决问题的知识和技能 |
/// | `professionalism.tools` | uses the after-sales system and tools proficiently 熟练使用售后系统和工具 |
/// | `professionalism.advice` | gives valuable advice 提供有价值的建议 |
/// | `satisfaction` | satisfaction 售后服务满意度 |
/// | `satisfaction.speed_satisfaction` | with response speed 对响应速度的满意度 |
/// | `satisfaction.attitude_satisfaction` | with attitude 对服务态度的满意度 |
/// | `satisfaction.professionalism_satisfaction` | with professionalism 对专业性的满意度 |
/// | `satisfaction.resolution_satisfaction` | with how well the problem was solved 对问题解决效果的满意度 |
///
/// Source: 《电商平台售后服务质量评价与改进》, part 2 (评价指标体系构建).
///
/// The documents give no weights, so every group weights its children equally (as raw
/// weights, `[1, 1, ...]`). Replace them with expert judgements before real use, e.g.
/// `spec.find_mut("speed").unwrap().set_judgements(..)`, or load a
/// model file such as `examples/data/after_sales_model.json`.
///
/// # Examples
///
/// ```
/// use service_quality::{template, IndicatorTree};
///
/// let tree = IndicatorTree::new(template::after_sales())?;
/// assert_eq!(tree.leaf_count(), 13);
/// assert_eq!(tree.node("courtesy")?.label_zh(), Some("耐心、热情、礼貌"));
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn after_sales() -> NodeSpec {
    let group = |id: &str, en: &str, zh: &str, leaves: &[(&str, &str, &str)]| {
        NodeSpec::group(
            id,
            en,
            leaves
                .iter()
                .map(|(id, en, zh)| NodeSpec::leaf(*id, *en).with_label_zh(*zh))
                .collect(),
        )
        .with_label_zh(zh)
        .with_raw_weights(vec![1.0; leaves.len()])
    };
    NodeSpec::group(
        "after_sales",
        "After-sales service quality",
        vec![
            group(
                "speed",
                "Response speed",
                "售后服务响应速度",
                &[
                    ("first_reply", "Time to first reply", "首次响应时间"),
                    ("resolution_time", "Time to resolution", "问题解决时间"),
                    (
                        "feedback_time",
                        "Time to feedback of the result",
                        "结果反馈时间",
                    ),
                ],
            ),
            group(
                "attitude",
                "Service attitude",
                "售后服务态度",
                &[
                    ("courtesy", "Patient, warm and polite", "耐心、热情、礼貌"),
                    (
                        "proactiveness",
                        "Active and earnest in solving the problem",
                        "积极主动、认真解决问题",
                    ),
                    (
                        "respect",
                        "Respects and understands the consumer",
                        "尊重和理解消费者",
                    ),
                ],
            ),
            group(
                "professionalism",
                "Professionalism",
                "售后服务专业性",
                &[
                    (
                        "knowledge",
                        "Knowledge and skills to solve the problem",
                        "具备解决问题的知识和技能",
                    ),
                    (
                        "tools",
                        "Uses the after-sales system and tools proficiently",
                        "熟练使用售后系统和工具",
                    ),
                    ("advice", "Gives valuable advice", "提供有价值的建议"),
                ],
            ),
            group(
                "satisfaction",
                "Satisfaction",
                "售后服务满意度",
                &[
                    (
                        "speed_satisfaction",
                        "Satisfaction with response speed",
                        "对响应速度的满意度",
                    ),
                    (
                        "attitude_satisfaction",
                        "Satisfaction with service attitude",
                        "对服务态度的满意度",
                    ),
                    (
                        "professionalism_satisfaction",
                        "Satisfaction with professionalism",
                        "对专业性的满意度",
                    ),
                    (
                        "resolution_satisfaction",
                        "Satisfaction with how the problem was solved",
                        "对问题解决效果的满意度",
                    ),
                ],
            ),
        ],
    )
    .with_label_zh("售后服务质量")
    .with_raw_weights(vec![1.0; 4])
}
