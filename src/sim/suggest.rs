//! "Did you mean …" hints for misspelled keys and operator names.

/// The candidate closest to `word` when it is close enough to be a typo, as a Japanese hint.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("`{c}` のことですか?"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn close_words_get_a_hint() {
        assert_eq!(
            super::did_you_mean("Statment", ["Version", "Statement"]).as_deref(),
            Some("`Statement` のことですか?")
        );
        assert_eq!(super::did_you_mean("zzz", ["Version", "Statement"]), None);
    }
}
