//! Cited sources: the names a text attributes its reporting to.

use super::*;

/// Verbs that, after a name, attribute reporting to it.
pub(super) const REPORT_VERBS: &[&str] = &[
    "reported",
    "reports",
    "reporting",
    "wrote",
    "writes",
    "published",
];

pub(super) fn sources(
    tokens: &[Token],
    spans: &[(usize, usize)],
    si: u32,
    out: &mut dyn FnMut(Mention),
) {
    for &(s, e) in spans {
        let before = |k: usize| s.checked_sub(k).map(|i| tokens[i].norm);
        let after = |k: usize| tokens.get(e + k - 1).map(|t| t.norm);
        // "the" may stand between the cue and the name, and was dropped from the run.
        let skip_the = usize::from(before(1) == Some("the"));
        let cue_before = (before(2 + skip_the), before(1 + skip_the));
        let cited = matches!(cue_before, (Some("according"), Some("to")))
            || matches!(
                cue_before,
                (Some("reported" | "cited" | "quoted"), Some("by"))
            )
            || after(1).is_some_and(|w| REPORT_VERBS.contains(&w))
            || (matches!(after(1), Some("has" | "have"))
                && after(2).is_some_and(|w| REPORT_VERBS.contains(&w)));
        if cited {
            let run = &tokens[s..e];
            let (mut name, mut parts) = (String::new(), Vec::new());
            fold_run(run, &mut name, &mut parts);
            let entity_key = hash::salient_hash(Kind::Entity as u8, name.as_bytes());
            out(Mention {
                key: rekind(entity_key, Kind::Source),
                kind: Kind::Source,
                start: run[0].start as u32,
                end: run[run.len() - 1].end as u32,
                sentence: si,
                rarity: 5.0,
            });
        }
    }
}
