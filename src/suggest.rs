//! "Did you mean …" hints for misspelled keys, ids and names — one rule for the whole app.

/// The candidate closest to `word` when it is close enough to be a typo (Jaro-Winkler ≥ 0.8,
/// case-insensitive), as a Japanese hint.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("`{c}` のことですか?"))
}

/// The candidate closest to `word` when it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn close_words_get_a_hint_and_far_ones_none() {
        assert_eq!(
            did_you_mean("Statment", ["Version", "Statement"]).as_deref(),
            Some("`Statement` のことですか?")
        );
        let fields = ["prompt", "explanation", "choices"];
        assert_eq!(
            did_you_mean("explanaton", fields).as_deref(),
            Some("`explanation` のことですか?")
        );
        assert_eq!(did_you_mean("zzz", fields), None);
    }

    #[test]
    fn case_does_not_matter() {
        assert_eq!(
            did_you_mean("STRINGEQUALS", ["StringEquals", "StringLike"]).as_deref(),
            Some("`StringEquals` のことですか?")
        );
    }
}
